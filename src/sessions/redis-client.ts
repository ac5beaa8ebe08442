/**
 * The bot's Redis connection: ioredis without its auto-pipelining, the writes of one event-loop turn coalesced
 * instead.
 *
 * Auto-pipelining wraps each tick's commands in a Pipeline object, and those objects outlive the young
 * generation for a reason inside ioredis: with it on, about 3 MB survived each scavenge of a bare ioredis
 * loop (48 KB with it off), and each scavenge stopped the bot for 4 to 9 ms.
 *
 * Corking the socket until the loop's check phase keeps what auto-pipelining was for, without the objects:
 * the commands of every reply handled in one turn of the event loop leave in one writev. (Uncorking at the
 * end of the tick instead, one write per reply's continuations, cost 475 µs of CPU per conversation to
 * this 395.)
 */
import type { Socket } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { StoreOutcomeUnknown } from '../bot/store.ts';
import type { Log } from '../log.ts';

export function createRedisClient(url: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 3, ...options, enableAutoPipelining: false });
  // Every (re)connection brings a new socket.
  redis.on('connect', () => coalesceWrites((redis as unknown as { stream: Socket }).stream));
  // Commands sent and not yet answered when the connection closes may have run. ioredis would send them again
  // after reconnecting, and a credit or a transfer would then be made twice; they fail instead, as unknown.
  // ('close' is emitted on the tick after ioredis set them aside to resend: they are the same queue.)
  // Commands not yet sent wait in the offline queue and go out after the reconnection, as before.
  redis.on('close', () => {
    (redis as unknown as Unanswered).flushQueue(new StoreOutcomeUnknown(), { offlineQueue: false });
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

/** ioredis's own (private) way to fail the commands it holds; the test of this file pins its behaviour. */
interface Unanswered {
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
