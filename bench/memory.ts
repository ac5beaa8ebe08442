/**
 * Memory of one bot process (forked, so the figure is the bot's alone) on the Redis store, the production
 * case: RSS and heapUsed after a full GC once `users` distinct users have each sent one message (`SALDO`,
 * through app.bot.handle), then once `quotes` resellers each hold an open quote (an inquiry answered, not
 * paid); then a second identical round of new users and new quotes. A leak shows as growth across round 2.
 *
 *   benchMemory(opts?) → { store, startRss, rounds: [{ users, quotes }, …], growth: { rss, heapUsed } } (bytes)
 *
 * Bounded by the work, not a window: 2 × (users + quotes) messages at 64 in flight (about a minute here).
 */
import { Redis } from 'ioredis';
import { createRedisStore } from '../src/store/redis-store.ts';
import { credit, REDIS_URL, startSimProcess } from './harness.ts';
import { benchPrefix, botEnv, dropKeys, forkBot, type MemoryUsage } from './processes.ts';

export interface MemoryRound {
  users: MemoryUsage;
  quotes: MemoryUsage;
  usersPerSec: number;
  quotesPerSec: number;
  /** The highest RSS sampled while the round ran (no GC forced): what a container limit must allow. */
  peakRssUnderLoad: number;
}

export interface MemoryResult {
  store: 'redis';
  users: number;
  quotes: number;
  start: MemoryUsage;
  rounds: MemoryRound[];
  /** Round 2's end minus round 1's end, after the same work again. */
  growth: { rss: number; heapUsed: number };
}

export async function benchMemory(
  opts: { users?: number; quotes?: number; concurrency?: number; progress?: (l: string) => void; bot?: Parameters<typeof forkBot>[1]; env?: Record<string, string> } = {},
): Promise<MemoryResult> {
  const users = opts.users ?? 100_000;
  const quotes = opts.quotes ?? 10_000;
  const concurrency = opts.concurrency ?? 64;
  const sim = await startSimProcess();
  const prefix = benchPrefix('memory');
  const store = createRedisStore({ url: REDIS_URL, prefix });
  const redis = new Redis(REDIS_URL);
  try {
    // Two rounds of quoting resellers; a quote needs a reseller, the saldo is only shown.
    for (let i = 0; i < 2 * quotes; i += 1000) {
      await Promise.all(
        Array.from({ length: Math.min(1000, 2 * quotes - i) }, async (_, k) => {
          const u = `bench:q:${i + k}`;
          await store.setReseller(u, true, undefined, Date.now());
          await credit(store, u, 1_000_000_000);
        }),
      );
    }
    const bot = await forkBot(botEnv(sim, prefix, opts.env), opts.bot);
    try {
      const rounds: MemoryRound[] = [];
      for (let r = 0; r < 2; r++) {
        const u = await bot.request<{ ms: number; errors: number; sample: string; peakRss: number }>({
          cmd: 'users', prefix: 'bench:u:', from: r * users, count: users, steps: [{ text: 'SALDO' }], customerBase: 0, concurrency,
        });
        const afterUsers = await bot.request<MemoryUsage>({ cmd: 'memory' });
        const q = await bot.request<{ ms: number; errors: number; sample: string; peakRss: number }>({
          cmd: 'users', prefix: 'bench:q:', from: r * quotes, count: quotes, steps: [{ text: 'PLN {c}', expect: 'Saldo dipotong' }], customerBase: 20_000_000, concurrency,
        });
        if (q.errors) throw new Error(`${q.errors} inquiries got no summary, e.g. ${q.sample}`);
        const afterQuotes = await bot.request<MemoryUsage>({ cmd: 'memory' });
        rounds.push({
          users: afterUsers, quotes: afterQuotes, usersPerSec: (users * 1000) / u.ms, quotesPerSec: (quotes * 1000) / q.ms,
          peakRssUnderLoad: Math.max(u.peakRss, q.peakRss),
        });
        opts.progress?.(`memory round ${r + 1}: ${(users * 1000 / u.ms).toFixed(0)} messages/s, ${(quotes * 1000 / q.ms).toFixed(0)} inquiries/s; RSS ${mb(afterUsers.rss)} / ${mb(afterQuotes.rss)} MB, heapUsed ${mb(afterUsers.heapUsed)} / ${mb(afterQuotes.heapUsed)} MB`);
      }
      const [a, b] = rounds as [MemoryRound, MemoryRound];
      return {
        store: 'redis', users, quotes, start: bot.startMemory, rounds,
        growth: { rss: b.quotes.rss - a.quotes.rss, heapUsed: b.quotes.heapUsed - a.quotes.heapUsed },
      };
    } finally {
      await bot.stop();
    }
  } finally {
    sim.child.kill();
    await dropKeys(redis, prefix);
    await redis.quit();
    await store.close();
  }
}

export function mb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
