/** Cached provider data in the embedded store, each with its lifetime. */
import type { Caches } from '../../bot/store/caches.ts';
import type { MemoryState } from './state.ts';

export function memoryCaches(s: MemoryState): Caches {
  const { clock, cache } = s;
  return {
    async getCache(name) {
      const c = cache.get(name);
      if (!c || c.expiresAt <= clock()) return null;
      return c.value;
    },

    async setCache(name, value, ttlSeconds) {
      cache.set(name, { value, expiresAt: clock() + ttlSeconds * 1000 });
    },
  };
}
