/** What every benchmark needs: a bot process on real Redis with the simulator answering at once. */
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLog, logDestination, type Log } from '../src/log.ts';
import { createApp, type App } from '../src/app.ts';
import type { Channel, UserId } from '../src/bot/channel.ts';
import type { Store } from '../src/bot/store.ts';
import { configSecrets, loadConfig, type Config } from '../src/config.ts';
import { fork, type ChildProcess } from 'node:child_process';
import { createRedisStore } from '../src/store/redis-store.ts';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Seeds a saldo as a `deposit` through the ledger, under a fresh operation id; throws if the ledger refuses. */
export async function credit(store: Pick<Store, 'money'>, user: UserId, amount: number, note?: string): Promise<number> {
  const opId = `bench-credit:${randomUUID()}`;
  const r = await store.money.adjust({ opId, by: 'bench', now: Date.now(), user, amount, reason: 'deposit', ...(note ? { note } : {}) });
  if (!r.ok) throw new Error(`credit of ${amount} to ${user} refused: ${JSON.stringify(r.refusal)}`);
  return r.saldo;
}

/** Deletes every key under `prefix` (SCAN + UNLINK), so a run leaves the shared Redis as it found it. */
export async function dropKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}

export interface SimProcess {
  mmbc: string;
  iak: string;
  iakUser: string;
  iakKey: string;
  child: ChildProcess;
}

/** Starts the simulators in a child process and waits for their URLs. */
export function startSimProcess(): Promise<SimProcess> {
  const child = fork('bench/sim-process.ts', [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the simulator process exited (${code})`)));
    child.once('message', (m: Omit<SimProcess, 'child'>) => resolve({ ...m, child }));
  });
}

/**
 * The product's own logger at the product's default level (info), written to /dev/null: what a log line costs
 * on the hot path is part of the figure. BENCH_LOG_LEVEL=silent shows what the logs cost.
 */
export function benchLog(config: Config): Log {
  return createLog(process.env.BENCH_LOG_LEVEL ?? 'info', { destination: logDestination('/dev/null'), secrets: configSecrets(config) });
}

export interface Bench {
  app: App;
  sim: SimProcess;
  prefix: string;
  redis: Redis;
  stop(): Promise<void>;
}

export async function startBench(resellers: string[], saldo = 10_000_000_000): Promise<Bench> {
  const sim = await startSimProcess();
  const prefix = `bench:${randomBytes(4).toString('hex')}:`;
  const store = createRedisStore({ url: REDIS_URL, prefix });
  const config = loadConfig(
    {
      MMBC_BASE_URL: sim.mmbc, MMBC_USERNAME: 'sandbox', MMBC_PASSWORD: 'sandbox', LOG_LEVEL: 'silent', REDIS_URL, REDIS_PREFIX: prefix,
      IAK_BASE_URL: sim.iak, IAK_USERNAME: sim.iakUser, IAK_API_KEY: sim.iakKey,
      // The limiter still runs on every message (its cost is part of the figure), but never trips.
      FLOOD_MAX_MESSAGES: '10000', FLOOD_WINDOW_SECONDS: '1',
    },
    '/nonexistent/.env',
  );
  const app = await createApp(config, { log: benchLog(config), store, autostartWorker: false });
  const quiet: Channel = { name: 'bench', async start() {}, async send() {}, async stop() {} };
  await app.attach(quiet);
  const p = store.redis.pipeline();
  await Promise.all(resellers.map((u) => store.setReseller(u, true, undefined, Date.now())));
  await Promise.all(resellers.map((u) => credit(store, u, saldo)));
  await p.exec();
  const redis = new Redis(REDIS_URL);
  return {
    app, sim, prefix, redis,
    async stop() {
      await app.stop();
      sim.child.kill();
      await dropKeys(redis, prefix);
      await redis.quit();
      await store.close();
    },
  };
}

/** A distinct, valid 12-digit PLN customer number per conversation, so no cache flatters the figures. */
export function customer(i: number): string {
  return String(530_000_000_000 + i);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function line(name: string, value: number, unit: string, extra = ''): string {
  const v = value >= 100 ? value.toFixed(0) : value.toFixed(2);
  return `${name}: ${v} ${unit}${extra ? ` (${extra})` : ''}`;
}
