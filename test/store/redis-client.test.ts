/**
 * The bot's Redis connection sends the commands of one event-loop turn in one write, in order, and keeps doing so
 * after a reconnect; a command whose answer was lost fails as unknown and never runs twice. The last block pins
 * the ioredis internals that rests on: it fails when a new ioredis behaves otherwise.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreOutcomeUnknown } from '../../src/bot/store.ts';
import { createRedisClient, FIXED_OPTIONS, type IoredisInternals, logRedisErrors } from '../../src/store/redis-client.ts';
import { captureLog } from '../helpers/log.ts';
import { type AnswerDropper, answerDropper, assertRedis, rawClient, redisUrl, uniquePrefix } from '../helpers/redis.ts';

let redis: Redis | undefined;
let relay: AnswerDropper | undefined;
afterEach(async () => {
  // disconnect, not quit: a test may leave a command pending for good, and QUIT would wait behind it.
  redis?.disconnect();
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

const stream = (r: Redis) => (r as unknown as IoredisInternals).stream;

/** What a raw GET of `key` answers, on a connection of its own. */
async function rawGet(key: string): Promise<string | null> {
  const raw = rawClient();
  await raw.connect();
  try {
    return await raw.get(key);
  } finally {
    await raw.del(key);
    await raw.quit();
  }
}

/** Watches a promise from now on: `state()` is 'pending', or how it settled. */
function watch(p: Promise<unknown>): { state(): string } {
  let state = 'pending';
  p.then((v) => (state = `resolved ${String(v)}`), (e: Error) => (state = `rejected ${e.name}`));
  return { state: () => state };
}

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

  it('never lets ioredis send an unanswered command again nor auto-pipeline, whatever the caller asks', () => {
    redis = createRedisClient(redisUrl(), { lazyConnect: true, autoResendUnfulfilledCommands: true, enableAutoPipelining: true });
    expect(redis.options).toMatchObject({ autoResendUnfulfilledCommands: false, enableAutoPipelining: false, maxRetriesPerRequest: 3 });
    expect(FIXED_OPTIONS).toEqual({ enableAutoPipelining: false, autoResendUnfulfilledCommands: false });
  });

  it('fails the command in flight as unknown when Redis goes away, and sends the ones issued meanwhile once it is back', async () => {
    await assertRedis();
    relay = await answerDropper();
    redis = createRedisClient(relay.url);
    redis.on('error', () => {});
    await redis.ping();
    const key = `${uniquePrefix('redis-client')}outage`;
    relay.arm(key, 300); // the answer is lost, then connections are refused for 300 ms
    const lost = redis.incrby(key, 50_000);
    await expect(lost).rejects.toBeInstanceOf(StoreOutcomeUnknown);
    // Issued while nothing answers: queued, never sent on the dead connection, sent once on the next one.
    expect(redis.status).not.toBe('ready');
    expect(await redis.incrby(key, 7)).toBe(50_007);
    expect(await rawGet(key)).toBe('50007');
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

/**
 * ioredis's own behaviour, pinned: src/store/redis-client.ts relies on each of these. When one fails after an
 * upgrade, read the new version's event_handler.js before changing the expectation: the client's close hook,
 * or its options, may have to change with it (ioredis 6.1.0, for one, rejects the dropped commands itself once
 * it reconnects, as AbortError, not StoreOutcomeUnknown).
 */
describe('the ioredis the client is built on', () => {
  const raw = (url: string, options: RedisOptions = {}) => {
    const r = new Redis(url, { enableAutoPipelining: false, ...options });
    r.on('error', () => {});
    return r;
  };

  it('is the exact version package.json names, with no range, and the one the lock installs', () => {
    const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Record<string, unknown>;
    const wanted = (read('../../package.json').dependencies as Record<string, string>).ioredis;
    const locked = (read('../../package-lock.json').packages as Record<string, { version: string }>)['node_modules/ioredis']?.version;
    const installed = read('../../node_modules/ioredis/package.json').version;
    expect(wanted).toBe('5.11.1');
    expect(locked).toBe(wanted);
    expect(installed).toBe(wanted);
  });

  it('by default sends a command whose answer was lost again after reconnecting: it runs twice', async () => {
    await assertRedis();
    relay = await answerDropper();
    redis = raw(relay.url);
    await redis.ping();
    const key = `${uniquePrefix('redis-client')}twice`;
    relay.arm(key);
    expect(await redis.incrby(key, 5)).toBe(10);
    expect(await rawGet(key)).toBe('10');
  });

  it('with autoResendUnfulfilledCommands false, drops that command and never settles it, even after reconnecting', async () => {
    await assertRedis();
    relay = await answerDropper();
    redis = raw(relay.url, { autoResendUnfulfilledCommands: false });
    await redis.ping();
    const key = `${uniquePrefix('redis-client')}dropped`;
    relay.arm(key);
    const reconnected = new Promise((resolve) => redis!.once('close', () => redis!.once('ready', resolve)));
    const lost = watch(redis.incrby(key, 5));
    await reconnected;
    expect(await redis.incrby(key, 1)).toBe(6); // the next command runs on the new connection
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lost.state()).toBe('pending');
    expect(await rawGet(key)).toBe('6');
  });

  it("sets a ready connection's unanswered commands aside as prevCommandQueue, the very commandQueue, before it emits close", async () => {
    await assertRedis();
    relay = await answerDropper();
    redis = raw(relay.url, { autoResendUnfulfilledCommands: false });
    await redis.ping();
    const internals = redis as unknown as IoredisInternals & { commandQueue: { length: number } };
    const key = `${uniquePrefix('redis-client')}aside`;
    const seen = new Promise<{ same: boolean; unanswered: number; flush: string; socket: boolean }>((resolve) =>
      redis!.once('close', () =>
        resolve({
          same: internals.prevCommandQueue === internals.commandQueue,
          unanswered: internals.commandQueue.length,
          flush: typeof internals.flushQueue,
          socket: typeof internals.stream.cork === 'function',
        }),
      ),
    );
    relay.arm(key);
    const lost = redis.incrby(key, 5);
    expect(await seen).toEqual({ same: true, unanswered: 1, flush: 'function', socket: true });
    // flushQueue fails the unanswered commands, and with offlineQueue false leaves alone the ones never sent.
    const queued = redis.incrby(key, 1);
    internals.flushQueue(new StoreOutcomeUnknown(), { offlineQueue: false });
    await expect(lost).rejects.toBeInstanceOf(StoreOutcomeUnknown);
    expect(await queued).toBe(6);
    expect(await rawGet(key)).toBe('6');
  });
});
