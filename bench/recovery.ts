/**
 * Recovery after a crash: `pending` PENDING transactions made the real way (inquiry + YA through a bot
 * process, against the MMBC simulator faulted to answer the payment `pending` with an invoice), the bot
 * process SIGKILLed, a new one started on the same Redis; the figure is the seconds from the kill until
 * every one of them has been re-checked and settled by its status call.
 *
 * The first process runs without its recheck worker (BENCH_WORKER=0), so all of them are still PENDING and
 * due at the kill, as if it came before their first check; the biller settles them meanwhile (the
 * simulator's `settlePending`), so one status call each settles them. The new process runs with
 * PENDING_RECHECK_SECONDS=1: what is measured is the start-up plus the worker's throughput, not a wait.
 *
 *   benchRecovery(opts?) → { pending, seconds, readySeconds, statusCalls, settled }
 */
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { createRedisStore } from '../src/store/redis-store.ts';
import { credit, customer, REDIS_URL, startSimProcess } from './harness.ts';
import { benchPrefix, botEnv, dropKeys, forkBot, type BotProcess, simRequest } from './processes.ts';

export interface RecoveryResult {
  pending: number;
  /** From the SIGKILL until the last one was SETTLED (undefined: not within the time limit). */
  seconds: number | undefined;
  /** From the SIGKILL until the new process was up (the part start-up takes). */
  readySeconds: number;
  /** Status calls the simulator answered after the kill. */
  statusCalls: number;
  settled: number;
  makePerSec: number;
}

const CUSTOMER_BASE = 40_000_000;

export async function benchRecovery(opts: { pending?: number; limitSeconds?: number; progress?: (l: string) => void } = {}): Promise<RecoveryResult> {
  const n = opts.pending ?? 1_000;
  const limitMs = (opts.limitSeconds ?? 120) * 1000;
  const sim = await startSimProcess();
  const prefix = benchPrefix('recovery');
  const store = createRedisStore({ url: REDIS_URL, prefix });
  const redis = new Redis(REDIS_URL);
  const env = (extra: Record<string, string>) => botEnv(sim, prefix, { PENDING_RECHECK_SECONDS: '1', ...extra });
  let bot: BotProcess | undefined;
  try {
    const users = Array.from({ length: n }, (_, i) => `bench:r:${i}`);
    await Promise.all(
      users.map(async (u) => {
        await store.setReseller(u, true, undefined, Date.now());
        await credit(store, u, 1_000_000_000);
      }),
    );
    await simRequest(sim, { op: 'setFaults', fault: 'pending', customerNos: users.map((_, i) => customer(CUSTOMER_BASE + i)) });

    bot = await forkBot(env({ BENCH_WORKER: '0' }));
    const made = await bot.request<{ ms: number; errors: number; sample: string }>({
      cmd: 'users', prefix: 'bench:r:', from: 0, count: n, customerBase: CUSTOMER_BASE, concurrency: 64,
      steps: [{ text: 'PLN {c}', expect: 'Saldo dipotong' }, { text: 'YA', expect: 'sedang diproses' }],
    });
    if (made.errors) throw new Error(`${made.errors} payments did not go pending, e.g. ${made.sample}`);
    const txs = (await Promise.all(users.map((u) => store.listTx(u, 5)))).flat();
    const open = txs.filter((t) => t.status === 'PENDING' && t.invoice);
    if (open.length !== n) throw new Error(`${open.length} of ${n} transactions are PENDING with an invoice`);
    await simRequest(sim, { op: 'settlePending' });
    const before = await simRequest<{ calls: Record<string, number> }>(sim, { op: 'stats' });

    await bot.stop('SIGKILL');
    const t0 = performance.now();
    bot = await forkBot(env({}));
    const readySeconds = (performance.now() - t0) / 1000;
    let left = open.map((t) => ({ user: t.user, id: t.id }));
    while (left.length > 0 && performance.now() - t0 < limitMs) {
      const now = await Promise.all(left.map((t) => store.getTx(t.user, t.id)));
      left = left.filter((_, i) => now[i]?.status !== 'SETTLED');
      if (left.length > 0) await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = left.length === 0 ? (performance.now() - t0) / 1000 : undefined;
    const after = await simRequest<{ calls: Record<string, number> }>(sim, { op: 'stats' });
    const statusCalls = (after.calls.cekstatus ?? 0) - (before.calls.cekstatus ?? 0);
    opts.progress?.(`recovery: ${n} PENDING made at ${((n * 1000) / made.ms).toFixed(0)}/s; new process up in ${readySeconds.toFixed(2)} s; ${n - left.length} settled in ${seconds?.toFixed(2) ?? '(limit)'} s; ${statusCalls} status calls`);
    return { pending: n, seconds, readySeconds, statusCalls, settled: n - left.length, makePerSec: (n * 1000) / made.ms };
  } finally {
    await bot?.stop();
    sim.child.kill();
    await dropKeys(redis, prefix);
    await redis.quit();
    await store.close();
  }
}
