/** What /healthz and /metrics read from Redis, and closing the connection. */
import type { Health } from '../../bot/store/health.ts';
import type { RedisContext } from './context.ts';

/** Saldo keys read per round trip by `stats`. */
export const STATS_BATCH = 500;

export function redisHealth({ redis, k }: RedisContext): Health {
  return {
    async ping() {
      try {
        return (await redis.ping()) === 'PONG';
      } catch {
        return false;
      }
    },

    async stats() {
      const pending = await redis.zcard(k.due());
      let saldoTotal = 0;
      // Bounded work per round trip whatever the number of users: SSCAN hands out about STATS_BATCH users
      // at a time (a little more at times), and their saldos are read at most STATS_BATCH per pipeline, each
      // awaited before the next, so neither Redis nor the event loop is held for long. Saldo keys carry each
      // user's own hash tag, so they are read one by one in a pipeline, never MGET. It reads every user: a job
      // that runs now and then calls it, never a scrape.
      let cursor = '0';
      do {
        const [next, users] = await redis.sscan(k.users(), cursor, 'COUNT', STATS_BATCH);
        cursor = next;
        for (let i = 0; i < users.length; i += STATS_BATCH) {
          const p = redis.pipeline();
          for (const u of users.slice(i, i + STATS_BATCH)) p.get(k.saldo(u));
          for (const [, v] of (await p.exec()) ?? []) saldoTotal += Number(v ?? 0);
        }
      } while (cursor !== '0');
      return { pending, saldoTotal };
    },

    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
