/** The store's scripts are in Redis's cache before they are first run, so EVALSHA need not fall back to EVAL. */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { script } from '../../src/store/redis/context.ts';
import { createRedisClient } from '../../src/store/redis-client.ts';
import { assertRedis, rawClient, redisUrl } from '../helpers/redis.ts';

const clients: Redis[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.quit()));
});

/** A script no server has seen: it returns its own random word. */
function freshScript(): { lua: string; sha: string; word: string } {
  const word = randomBytes(8).toString('hex');
  const lua = `return '${word}'`;
  return { lua, sha: createHash('sha1').update(lua).digest('hex'), word };
}

async function cached(sha: string): Promise<boolean> {
  const raw = rawClient();
  clients.push(raw);
  await raw.connect();
  const [exists] = (await raw.script('EXISTS', sha)) as number[];
  return exists === 1;
}

describe('the Redis store scripts', () => {
  it('are loaded when the connection becomes ready, as after a Redis restart', async () => {
    await assertRedis();
    const redis = createRedisClient(redisUrl(), { lazyConnect: true });
    clients.push(redis);
    const { lua, sha } = freshScript();
    script(redis, lua);
    expect(await cached(sha)).toBe(false);
    await redis.connect();
    await redis.ping(); // sent behind the SCRIPT LOAD issued on ready
    expect(await cached(sha)).toBe(true);
  });

  it('are loaded at once on a connection that is already ready, and run', async () => {
    await assertRedis();
    const redis = createRedisClient(redisUrl());
    clients.push(redis);
    await redis.ping();
    const { lua, sha, word } = freshScript();
    const run = script(redis, lua);
    await redis.ping();
    expect(await cached(sha)).toBe(true);
    expect(await run([], [])).toBe(word);
  });
});
