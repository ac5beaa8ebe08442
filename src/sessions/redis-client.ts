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
  // Commands sent and not yet answered when a ready connection closes may have run. ioredis would send them
  // again after reconnecting, and a deposit would then be credited twice; they fail instead, as unknown
  // (those still in the cork had not left, but which did is not known here). 'close' is emitted on the tick
  // after ioredis set that queue aside to resend, so it is the same queue. A close during a (re)connection's
  // handshake is left to ioredis: its queue holds the handshake's own commands, and failing them as unknown
  // would fail the offline queue with them, commands that were never sent. Those go out after reconnecting.
  redis.on('close', () => {
    const client = redis as unknown as Unanswered;
    if (client.prevCommandQueue === client.commandQueue) client.flushQueue(new StoreOutcomeUnknown(), { offlineQueue: false });
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
  commandQueue: unknown;
  prevCommandQueue: unknown;
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
