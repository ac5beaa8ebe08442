/**
 * Flood control with rate-limiter-flexible, in Redis when the bot has Redis (every process shares the count)
 * and in memory otherwise. Over the limit a user gets one warning, then silence until the window passes.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { UserId } from '../bot/channel.ts';
import type { Log } from '../log.ts';

export type FloodVerdict = 'ok' | 'warn' | 'drop';

export interface FloodGuard {
  check(user: UserId): Promise<FloodVerdict>;
}

export function createFloodGuard(opts: { max: number; windowSeconds: number; redis?: Redis; prefix?: string; log: Log }): FloodGuard {
  const common = { points: opts.max, duration: opts.windowSeconds, keyPrefix: `${opts.prefix ?? 'ppob:'}flood` };
  const limiter: RateLimiterAbstract = opts.redis ? new RateLimiterRedis({ ...common, storeClient: opts.redis }) : new RateLimiterMemory(common);
  return {
    async check(user) {
      try {
        await limiter.consume(user);
        return 'ok';
      } catch (res) {
        if (res instanceof RateLimiterRes) return res.consumedPoints === opts.max + 1 ? 'warn' : 'drop';
        // The limiter's store failed: let the message through rather than silence every user.
        opts.log.warn({ err: String(res) }, 'flood limiter unavailable');
        return 'ok';
      }
    },
  };
}
