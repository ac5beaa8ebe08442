/** Cached provider data on Redis, each under its own key with its lifetime. */
import type { Caches } from '../../bot/store/caches.ts';
import type { RedisContext } from './context.ts';

export function redisCaches({ redis, k }: RedisContext): Caches {
  return {
    async getCache(name) {
      return redis.get(k.cache(name));
    },

    async setCache(name, value, ttlSeconds) {
      await redis.set(k.cache(name), value, 'EX', ttlSeconds);
    },
  };
}
