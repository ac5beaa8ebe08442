/**
 * The bot's Redis connection: ioredis without its auto-pipelining, the writes of one tick coalesced instead.
 *
 * Auto-pipelining wraps each tick's commands in a Pipeline object, and those objects outlive the young
 * generation for a reason inside ioredis: with it on, about 3 MB survived each scavenge of a bare ioredis
 * loop (48 KB with it off) and each scavenge stopped the bot for 4 to 9 ms, the whole of its p99 latency.
 * Corking the socket until the end of the tick keeps what auto-pipelining was for, one write per tick,
 * without the objects: Node sends what was corked with one writev.
 */
import type { Socket } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';

export function createRedisClient(url: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 3, ...options, enableAutoPipelining: false });
  // Every (re)connection brings a new socket.
  redis.on('connect', () => coalesceWrites((redis as unknown as { stream: Socket }).stream));
  return redis;
}

/** Holds a socket's writes until the current tick's microtasks are done, then sends them together. */
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
      process.nextTick(release);
    }
    return write.apply(socket, args);
  } as Socket['write'];
}
