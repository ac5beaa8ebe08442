/** The bot's Redis connection sends the commands of one event-loop turn in one write, in order, and keeps doing so after a reconnect. */
import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreOutcomeUnknown } from '../../src/bot/store.ts';
import { createRedisClient, logRedisErrors } from '../../src/sessions/redis-client.ts';
import { captureLog } from '../helpers/log.ts';
import { type AnswerDropper, answerDropper, assertRedis, rawClient, redisUrl, uniquePrefix } from '../helpers/redis.ts';

let redis: Redis | undefined;
let relay: AnswerDropper | undefined;
afterEach(async () => {
  await redis?.quit();
  redis = undefined;
  await relay?.close();
  relay = undefined;
});


/** Counts the socket's writes to the kernel: `_write` for one chunk, `_writev` for several. */
function countWrites(socket: Socket): { writes: number; chunks: number } {
  const seen = { writes: 0, chunks: 0 };
  const s = socket as unknown as { _write: (...a: unknown[]) => unknown; _writev: (chunks: unknown[], ...a: unknown[]) => unknown };
  const [one, many] = [s._write, s._writev];
  s._write = function (this: unknown, ...a: unknown[]) {
    seen.writes++;
    seen.chunks++;
    return one.apply(this, a);
  };
  s._writev = function (this: unknown, chunks: unknown[], ...a: unknown[]) {
    seen.writes++;
    seen.chunks += chunks.length;
    return many.apply(this, [chunks, ...a]);
  };
  return seen;
}

async function connected(): Promise<Redis> {
  const r = createRedisClient(redisUrl());
  await r.ping();
  return r;
}

const stream = (r: Redis) => (r as unknown as { stream: Socket }).stream;

describe('the Redis client', () => {
  it('sends the commands issued in one turn of the event loop in one write, and answers each in order', async () => {
    await assertRedis();
    redis = await connected();
    const key = `${uniquePrefix('redis-client')}n`;
    const seen = countWrites(stream(redis));
    const answers = await Promise.all(Array.from({ length: 20 }, () => redis!.incr(key)));
    expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(seen).toEqual({ writes: 1, chunks: 20 });
    await redis.del(key);
  });

  it('writes a command issued after the last answer came back on its own', async () => {
    await assertRedis();
    redis = await connected();
    const seen = countWrites(stream(redis));
    await redis.ping();
    await redis.ping();
    expect(seen.writes).toBe(2);
  });

  it('fails a command whose answer the connection lost, as unknown, and never runs it twice', async () => {
    await assertRedis();
    relay = await answerDropper();
    redis = createRedisClient(relay.url);
    await redis.ping();
    const key = `${uniquePrefix('redis-client')}credit`;
    relay.arm(key);
    // INCRBY stands for a credit: run twice, the saldo would be wrong.
    await expect(redis.incrby(key, 50_000)).rejects.toBeInstanceOf(StoreOutcomeUnknown);
    const raw = rawClient();
    await raw.connect();
    expect(await raw.get(key)).toBe('50000');
    // The client reconnects and carries on; what it sends next runs once.
    expect(await redis.incrby(key, 1)).toBe(50_001);
    await raw.del(key);
    await raw.quit();
  });

  it('sends commands that waited for a connection whose handshake was cut, once it reconnects', async () => {
    await assertRedis();
    relay = await answerDropper();
    relay.arm('\r\ninfo\r\n'); // the ready check of the first connection: its answer is lost
    redis = createRedisClient(relay.url, { lazyConnect: true });
    const key = `${uniquePrefix('redis-client')}queued`;
    // Issued before the connection is ready, so never sent on the one that is cut.
    const answer = redis.incrby(key, 3);
    void redis.connect().catch(() => {});
    expect(await answer).toBe(3);
    expect(relay.cuts).toBe(1);
    const raw = rawClient();
    await raw.connect();
    expect(await raw.get(key)).toBe('3');
    await raw.del(key);
    await raw.quit();
  });

  it('coalesces again on the socket of a reconnection', async () => {
    await assertRedis();
    redis = await connected();
    const first = stream(redis);
    first.destroy();
    await new Promise<void>((resolve) => redis!.once('ready', () => resolve()));
    expect(stream(redis)).not.toBe(first);
    const seen = countWrites(stream(redis));
    expect(await Promise.all([redis.ping(), redis.ping(), redis.ping()])).toEqual(['PONG', 'PONG', 'PONG']);
    expect(seen).toEqual({ writes: 1, chunks: 3 });
  });

  it('reports a connection error as a warn line in the product log', async () => {
    const { log, lines } = captureLog('info');
    // Port 1: nothing listens, so the connection is refused at once.
    redis = createRedisClient('redis://127.0.0.1:1', { lazyConnect: true, retryStrategy: () => null });
    logRedisErrors(redis, log, 'store');
    await expect(redis.connect()).rejects.toThrow();
    expect(lines[0]).toMatchObject({ level: 40, msg: 'Redis connection error; reconnecting', redis: 'store' });
    expect(lines[0]?.err).toContain('ECONNREFUSED');
    redis = undefined;
  });
});
