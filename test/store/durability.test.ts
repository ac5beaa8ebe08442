/** Contract rule 9: with REDIS_URL the bot checks that Redis keeps its data, and says so loudly when it does not. */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRedisDurability } from '../../src/store/durability.ts';
import { captureLog } from '../helpers/log.ts';
import { assertRedis, redisUrl } from '../helpers/redis.ts';

let redis: Redis | undefined;
let saved: { aof: string; policy: string } | undefined;
afterEach(async () => {
  if (redis && saved) await redis.config('SET', 'maxmemory-policy', saved.policy);
  await redis?.quit();
  redis = undefined;
});

describe('Redis durability check', () => {
  it('reports AOF and the eviction policy as the server has them, and warns for each one missing', async () => {
    await assertRedis();
    redis = new Redis(redisUrl());
    const [, aof] = (await redis.config('GET', 'appendonly')) as [string, string];
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    saved = { aof, policy };
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const { log, text: lines } = captureLog('info');
    const r = await checkRedisDurability(redis, log);
    await new Promise((res) => setImmediate(res));
    expect(r).toEqual({ aof: aof === 'yes', noeviction: false });
    expect(lines()).toContain('REDIS MAY EVICT MONEY');
    if (aof !== 'yes') expect(lines()).toContain('REDIS IS NOT DURABLE');
  });

  it('is quiet about eviction when the policy is noeviction', async () => {
    await assertRedis();
    redis = new Redis(redisUrl());
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    saved = { aof: '', policy };
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    const { log, text: lines } = captureLog('info');
    expect((await checkRedisDurability(redis, log)).noeviction).toBe(true);
    await new Promise((res) => setImmediate(res));
    expect(lines()).not.toContain('REDIS MAY EVICT MONEY');
  });
});

describe('the store ping behind /healthz', () => {
  it('is false when Redis does not answer (the test timeout catches a hang)', async () => {
    const { createRedisStore } = await import('../../src/store/redis-store.ts');
    const dead = createRedisStore({ url: 'redis://127.0.0.1:1' });
    dead.redis.on('error', () => {});
    expect(await dead.ping()).toBe(false);
    dead.redis.disconnect();
  });
});
