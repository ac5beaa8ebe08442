/**
 * Moota's webhook carrying 100 mutations, for bench/run.ts: how long the bot takes to acknowledge the push
 * (POST /deposit/moota → 200), everything in it stored and acted on first. The bot is the real app on Redis
 * with its real HTTP server; the pushes come from the Moota simulator over loopback, signed, one after another
 * as Moota sends them. Each mutation of a timed push credits its own open ticket (the most work a mutation
 * makes: kept, matched, tied, credited, marked, its reseller told), so the figure is the worst push, not an
 * idle one. Every credit is counted afterwards: a push acknowledged without its credits would not count.
 *
 *   benchWebhookDeposits(opts?) → { p50Ms, p99Ms, maxMs, pushes, perPush, credited, line }
 *
 * The target: p99 ≤ 50 ms. `pushes` (200) timed after `warmups` (10), `perPush` (100) mutations each.
 */
// First: the product's V8 flags, as npm start has them (see runtime.ts); bench/run.ts imports it first too.
import '../src/runtime.ts';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createApp } from '../src/app.ts';
import type { Channel } from '../src/bot/channel.ts';
import { loadConfig } from '../src/config.ts';
import { MOOTA_PATH } from '../src/deposits.ts';
import { startHttpServer } from '../src/http/server.ts';
import { startIakSimulator } from '../src/providers/iak/simulator.ts';
import { startMmbcSimulator } from '../src/providers/mmbc/simulator.ts';
import { startMootaSimulator } from '../src/providers/moota/simulator.ts';
import { createRedisStore } from '../src/store/redis-store.ts';
import { benchLog, dropKeys, percentile, REDIS_URL } from './harness.ts';

export interface WebhookDepositsOptions {
  pushes?: number;
  warmups?: number;
  perPush?: number;
  redisUrl?: string;
  progress?: (line: string) => void;
}

export interface WebhookDepositsResult {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  pushes: number;
  perPush: number;
  /** Tickets the timed pushes credited (pushes × perPush when every one landed). */
  credited: number;
  line: string;
}

const TICKETS_PER_RESELLER = 4;

export async function benchWebhookDeposits(opts: WebhookDepositsOptions = {}): Promise<WebhookDepositsResult> {
  // 200 timed pushes: with 60 the p99 was the single slowest push, one GC or one Redis stall away from any figure.
  const pushes = opts.pushes ?? 200;
  const warmups = opts.warmups ?? 10;
  const perPush = opts.perPush ?? 100;
  const url = opts.redisUrl ?? REDIS_URL;
  const progress = opts.progress ?? (() => {});
  const secret = randomBytes(16).toString('hex');
  const prefix = `bench:deposits:${randomBytes(4).toString('hex')}:`;
  const mmbc = await startMmbcSimulator();
  const iak = await startIakSimulator();
  const store = createRedisStore({ url, prefix });
  const config = loadConfig(
    {
      REDIS_URL: url, REDIS_PREFIX: prefix, MMBC_BASE_URL: mmbc.url, MMBC_USERNAME: 'sandbox', MMBC_PASSWORD: 'sandbox',
      IAK_BASE_URL: iak.url, IAK_USERNAME: iak.username, IAK_API_KEY: iak.apiKey, MOOTA_WEBHOOK_SECRET: secret, LOG_LEVEL: 'silent',
    },
    '/nonexistent/.env',
  );
  const app = await createApp(config, { log: benchLog(config), store, autostartWorker: false });
  // The resellers' channel: a notice is handed over and forgotten, as a channel's send queue takes it.
  const quiet: Channel = { name: 'bench', async start() {}, async send() {}, async stop() {} };
  await app.attach(quiet);
  const http = await startHttpServer({ app, log: benchLog(config), port: 0, host: '127.0.0.1', routes: app.routes });
  const moota = startMootaSimulator({ secret, target: `${http.url}${MOOTA_PATH}` });

  try {
    const total = (warmups + pushes) * perPush;
    progress(`deposits: opening ${total} tickets`);
    const resellers = Array.from({ length: Math.ceil(total / TICKETS_PER_RESELLER) }, (_, i) => `bench:${700_000 + i}`);
    const now = Date.now();
    const amounts: number[] = [];
    for (let i = 0; i < resellers.length; i += 200) {
      const batch = resellers.slice(i, i + 200);
      await Promise.all(batch.map((u) => store.setReseller(u, true, undefined, now)));
      const opened = await Promise.all(batch.flatMap((u, j) => Array.from({ length: TICKETS_PER_RESELLER }, (_, k) =>
        // Nominals spread over many thousands, so every ticket finds a unique amount at once.
        store.openTicket(u, `D${(i + j).toString(36).toUpperCase()}X${k}`, 50_000 + ((i + j) % 400) * 1000, now, 24 * 3600_000, TICKETS_PER_RESELLER))));
      for (const r of opened) {
        if (!r.ok) throw new Error(`a bench ticket was refused: ${JSON.stringify(r)}`);
        amounts.push(r.ticket.amount);
      }
    }
    progress(`deposits: ${warmups} + ${pushes} pushes of ${perPush} mutations`);
    const times: number[] = [];
    // The warm-ups credit tickets too, so the timed pushes run a path already compiled and connected.
    for (let i = 0; i < warmups + pushes; i++) {
      const push = moota.build(amounts.slice(i * perPush, (i + 1) * perPush).map((amount) => ({ type: 'CR' as const, amount })));
      const t0 = performance.now();
      const d = await moota.send(push);
      if (i >= warmups) times.push(performance.now() - t0);
      if (d.status !== 200) throw new Error(`a push was answered ${d.status}: ${d.answer}`);
    }
    const credited = (await store.mutations(0, Date.now() + 60_000, ['credited'])).length - warmups * perPush;
    times.sort((a, b) => a - b);
    const p50Ms = percentile(times, 50);
    const p99Ms = percentile(times, 99);
    const maxMs = times.at(-1)!;
    const line =
      `deposit webhook ack p50/p99: ${p50Ms.toFixed(2)} / ${p99Ms.toFixed(2)} ms (max ${maxMs.toFixed(1)} ms; ${pushes} Moota pushes of ${perPush} mutations, ` +
      `each crediting its own open ticket, sent one after another over loopback to the real HTTP server after ${warmups} such pushes; ${credited} of ${pushes * perPush} credited; Redis store; target p99 <= 50)`;
    return { p50Ms, p99Ms, maxMs, pushes, perPush, credited, line };
  } finally {
    await moota.close();
    await http.close();
    await app.stop();
    await dropKeys(store.redis, prefix);
    await store.close();
    await mmbc.close();
    await iak.close();
  }
}

// Run alone: `npx tsx bench/webhook-deposits.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchWebhookDeposits({ progress: (l) => process.stderr.write(`  ... ${l}\n`) });
  process.stdout.write(`${r.line}\n`);
  process.exit(r.p99Ms <= 50 && r.credited === r.pushes * r.perPush ? 0 : 1);
}
