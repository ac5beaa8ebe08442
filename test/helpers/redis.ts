/**
 * Redis for tests: a real server at REDIS_URL (default the local one), each test file under its own
 * key prefix so files may run in parallel against one server. A Redis that does not answer makes the
 * Redis tests FAIL with a clear message; they are never skipped.
 */
import { randomBytes } from 'node:crypto';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { Redis } from 'ioredis';

export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A key prefix unique to this test file and run, e.g. `test:contract:4711-9f3a1c2b:`. No `{` or `}`, so it never forms a hash tag. */
export function uniquePrefix(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '-');
  return `test:${safe}:${process.pid}-${randomBytes(4).toString('hex')}:`;
}

/** Escapes Redis glob metacharacters so a literal string can be used in SCAN MATCH. */
export function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** A plain client for inspecting the server from a test. Fails fast (no endless reconnects). */
export function rawClient(url: string = redisUrl()): Redis {
  return new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    enableOfflineQueue: true,
  });
}

/**
 * Throws a clear error when Redis does not answer at `url`. Call it in `beforeEach` (not `beforeAll`:
 * a failing `beforeAll` reports the tests as skipped) so every Redis test fails with this message.
 * The check itself runs once per url and file.
 */
const checked = new Map<string, Promise<void>>();
export function assertRedis(url: string = redisUrl()): Promise<void> {
  let p = checked.get(url);
  if (!p) {
    p = pingRedis(url);
    checked.set(url, p);
  }
  return p;
}

async function pingRedis(url: string): Promise<void> {
  const client = rawClient(url);
  let cause = '';
  client.on('error', (e: Error) => {
    cause ||= e.message;
  });
  try {
    await client.connect();
    const pong = await client.ping();
    if (pong !== 'PONG') throw new Error(`unexpected PING answer ${pong}`);
  } catch (err) {
    throw new Error(
      `Redis does not answer at ${url} (${cause || (err as Error).message}). The Redis store tests need a real server: ` +
        'start one with `redis-server --daemonize yes`, or set REDIS_URL.',
    );
  } finally {
    client.disconnect();
  }
}

/** Every key under `prefix`, by SCAN. */
export async function scanKeys(url: string, match: string): Promise<string[]> {
  const client = rawClient(url);
  client.on('error', () => {});
  try {
    await client.connect();
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return [...new Set(keys)];
  } finally {
    client.disconnect();
  }
}

/** Deletes every key under `prefix` (SCAN + UNLINK). Returns how many were deleted. */
export async function dropPrefix(url: string, prefix: string): Promise<number> {
  if (prefix.length === 0) throw new Error('dropPrefix: refusing an empty prefix');
  const client = rawClient(url);
  client.on('error', () => {});
  let dropped = 0;
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 1000);
      cursor = next;
      if (batch.length > 0) dropped += await client.unlink(...batch);
    } while (cursor !== '0');
    return dropped;
  } finally {
    client.disconnect();
  }
}

/**
 * The hash tag Redis Cluster hashes a key by: the text between the first `{` and the first `}` after it,
 * when that is not empty; otherwise the whole key.
 */
export function hashTag(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

export interface AnswerDropper {
  /** Where to connect instead of Redis. */
  url: string;
  /**
   * The next command whose bytes contain `marker` runs; its answer is lost with the connection. With
   * `downMs`, Redis then stays unreachable that long (connections refused): an outage, not a blip.
   */
  arm(marker: string, downMs?: number): void;
  /** The next command whose bytes contain `marker` never reaches Redis: the connection is cut as it is sent. */
  armDrop(marker: string): void;
  /** Redis unreachable for `ms` from now: open connections cut, new ones refused. */
  down(ms: number): void;
  /** From now on every `n`th answer from Redis is lost with its connection (0: none). */
  cutEvery(n: number): void;
  /** Connections cut so far. */
  readonly cuts: number;
  close(): Promise<void>;
}

/**
 * A TCP relay in front of Redis that, once armed, passes on the command carrying the marker and cuts the
 * connection when Redis answers it: the command ran, its answer never arrived (a network blip to a managed
 * Redis, a failover).
 */
export async function answerDropper(url: string = redisUrl()): Promise<AnswerDropper> {
  const { hostname, port: redisPort } = new URL(url);
  let marker: string | undefined;
  let markerDownMs = 0;
  let downMs = 0;
  let dropMarker: string | undefined;
  let cut = false;
  let every = 0;
  let answers = 0;
  let cuts = 0;
  const sockets = new Set<Socket>();
  const relay = (client: Socket) => {
    const upstream = connect(Number(redisPort || 6379), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (chunk) => {
      if (dropMarker && chunk.toString().includes(dropMarker)) {
        dropMarker = undefined;
        cuts++;
        client.destroy();
        upstream.destroy();
        return;
      }
      if (marker && chunk.toString().includes(marker)) {
        marker = undefined;
        downMs = markerDownMs;
        cut = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (every > 0 && ++answers % every === 0) cut = true;
      if (cut) {
        cut = false;
        cuts++;
        if (downMs > 0) outage(downMs);
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };
  let server = createServer(relay);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let closed = false;
  /** Nothing listens for `ms` (reconnections are refused), then the relay listens again on its port. */
  const outage = (ms: number) => {
    downMs = 0;
    server.close();
    for (const s of sockets) s.destroy();
    setTimeout(() => {
      if (closed) return;
      server = createServer(relay);
      server.listen(port, '127.0.0.1');
    }, ms);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    arm(m, ms = 0) {
      marker = m;
      markerDownMs = ms;
    },
    armDrop(m) {
      dropMarker = m;
    },
    down(ms) {
      outage(ms);
    },
    cutEvery(n) {
      every = n;
    },
    get cuts() {
      return cuts;
    },
    close() {
      closed = true;
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
