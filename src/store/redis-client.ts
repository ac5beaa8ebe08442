/**
 * The bot's Redis connection: ioredis, pinned to one exact version (package.json) because two of its
 * undocumented internals are used here, each named in `IoredisInternals` below and pinned by
 * test/store/redis-client.test.ts, which fails when a new version behaves otherwise.
 *
 * 1. A command whose answer a closing connection lost may have run. The documented option
 *    `autoResendUnfulfilledCommands: false` keeps ioredis from sending it again (by default it would, and a
 *    deposit would be credited twice), but in this version it then drops the command without settling its
 *    promise: the caller would wait forever (ioredis issue #2193; 6.1.0 rejects such commands, but only once a
 *    reconnection succeeds: PR #2197, to settle them while Redis stays down, was closed, and 6.1.0's
 *    flushQueue still leaves them alone). `commandTimeout` would settle it, but also fails commands that were
 *    never sent, and sends them later all the same (issue #2130). So on 'close' the commands ioredis set aside
 *    fail at once, as StoreOutcomeUnknown.
 * 2. Auto-pipelining is off and the writes of one event-loop turn are coalesced on the socket instead.
 *    Auto-pipelining wraps each tick's commands in a Pipeline object, and those objects outlive the young
 *    generation for a reason inside ioredis: with it on, about 3 MB survived each scavenge of a bare ioredis
 *    loop (48 KB with it off), and each scavenge stopped the bot for 4 to 9 ms. Corking the socket until the
 *    loop's check phase keeps what auto-pipelining was for, without the objects: the commands of every reply
 *    handled in one turn of the event loop leave in one writev. (Uncorking at the end of the tick instead, one
 *    write per reply's continuations, cost 475 µs of CPU per conversation to this 395; a loop of 100 clients
 *    measured again for issue 17: 2.2 to 2.7 µs of CPU per command corked, 3.7 to 4.5 plain, 5.3 to 5.5
 *    auto-pipelined.)
 */
import type { Socket } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { StoreOutcomeUnknown } from '../bot/store.ts';
import type { Log } from '../log.ts';

/** What the bot's connection always has, whatever the caller passes. */
export const FIXED_OPTIONS = { enableAutoPipelining: false, autoResendUnfulfilledCommands: false } as const satisfies RedisOptions;

export function createRedisClient(url: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 3, ...options, ...FIXED_OPTIONS });
  const internals = redis as unknown as IoredisInternals;
  // Every (re)connection brings a new socket.
  redis.on('connect', () => coalesceWrites(internals.stream));
  // 'close' is emitted on the tick after ioredis set the unanswered commands of a ready connection aside as
  // `prevCommandQueue`, which is then the same queue as `commandQueue`: those fail, as unknown (those still in
  // the cork had not left, but which did is not known here). A close during a (re)connection's handshake is
  // left to ioredis: its queue holds the handshake's own commands, and failing them as unknown would fail the
  // offline queue with them, commands that were never sent. Those go out after reconnecting.
  redis.on('close', () => {
    if (internals.prevCommandQueue === internals.commandQueue) internals.flushQueue(new StoreOutcomeUnknown(), { offlineQueue: false });
  });
  return redis;
}

/**
 * Connection errors into the product's log, instead of ioredis's console line for an 'error' event nobody
 * listens to. The client reconnects by itself; what was lost in flight reaches its caller as StoreOutcomeUnknown.
 */
export function logRedisErrors(redis: Redis, log: Log, what: string): void {
  redis.on('error', (err: Error) => log.warn({ err: err.message, redis: what }, 'Redis connection error; reconnecting'));
}

/**
 * The undocumented parts of ioredis this file uses, all of them: the version in package.json is exact for
 * their sake, and test/store/redis-client.test.ts pins what each does.
 */
export interface IoredisInternals {
  /** The current connection's socket (declared by ioredis's types, but @ignore: not documented). */
  stream: Socket;
  /** Commands written and not yet answered. */
  commandQueue: unknown;
  /** Set by ioredis when a ready connection closes: its `commandQueue`, kept to resend or drop on the next ready. */
  prevCommandQueue: unknown;
  /** Rejects the commands it holds (the unanswered ones, and with `offlineQueue` those never sent). */
  flushQueue(error: Error, options: { offlineQueue: boolean }): void;
}

/** Holds a socket's writes until the event loop's check phase (setImmediate), then sends them together. */
export function coalesceWrites(socket: Socket): void {
  const write = socket.write;
  let corked = false;
  const release = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(release);
    }
    return write.apply(socket, args);
  } as Socket['write'];
}
