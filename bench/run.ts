/**
 * `npm run bench`: every benchmark, one line each on stdout: `name: value unit (baseline …, ratio …)`;
 * progress goes to stderr. Ends with the targets met and missed, and the wall time.
 *
 * BENCH_SECONDS (5) scales the timed windows. BENCH_ONLY runs some sections: a comma list of core (with the
 * reseller network's cost, bench/network.ts), telegram, memory, recovery, scale, broadcast, deposits (a Moota
 * push of 100 mutations, bench/webhook-deposits.ts), prepaid (bench/prepaid.ts); or `throughput` /
 * `latency` for one core phase alone.
 * BENCH_MEMORY_USERS (100000), BENCH_MEMORY_QUOTES (10000) and BENCH_RECOVERY_PENDING (1000) shrink those
 * for a quick look; the targets are stated for the defaults.
 */
// First: the product's V8 flags, before anything else allocates, as `npm start` has them (see runtime.ts).
import '../src/runtime.ts';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { benchCoreFigures, benchLatencyOnly, benchThroughputOnly } from './core.ts';
import { Redis } from 'ioredis';
import { REDIS_URL } from './harness.ts';
import { benchMemory, mb } from './memory.ts';
import { benchNetwork } from './network.ts';
import { benchRecovery } from './recovery.ts';
import { benchScaleOut, type Cpu } from './scale.ts';
import { benchTelegram } from './telegram.ts';
import { benchWebhookDeposits } from './webhook-deposits.ts';
import { benchPrepaid } from './prepaid.ts';

const started = performance.now();
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const out = (l: string) => process.stdout.write(`${l}\n`);
const progress = (l: string) => process.stderr.write(`  ... ${l}\n`);
const fixed = (n: number, d = 2) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(d));

out(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString()}, ` +
    `load average ${loadavg()[0]!.toFixed(2)} at start (shared with whatever else runs here: figures move, ratios hold better); ` +
    (await describeRedis()),
);

/** The Redis under the figures: its version and what it does to persist (a snapshot forks it, AOF writes a log). */
async function describeRedis(): Promise<string> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    const version = (await r.info('server')).match(/redis_version:(\S+)/)?.[1] ?? '?';
    const [, save] = (await r.config('GET', 'save')) as [string, string];
    const [, aof] = (await r.config('GET', 'appendonly')) as [string, string];
    return `Redis ${version} at ${new URL(REDIS_URL).host}, snapshots ${save ? `on "${save}"` : 'off'}, AOF ${aof}`;
  } catch (err) {
    return `Redis at ${new URL(REDIS_URL).host}: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    r.disconnect();
  }
}

const only = process.env.BENCH_ONLY;
if (only === 'throughput' || only === 'latency') {
  for (const l of only === 'throughput' ? await benchThroughputOnly(seconds) : await benchLatencyOnly(seconds)) out(l);
  process.exit(0);
}
const sections = new Set((only ?? 'core,telegram,memory,recovery,scale,broadcast,deposits,prepaid').split(',').map((s) => s.trim()));

interface Target {
  name: string;
  met: boolean;
  figure: string;
}
const targets: Target[] = [];
const target = (name: string, met: boolean, figure: string) => targets.push({ name, met, figure });

/** `part`: a second part of a section, run with it and reported apart (its own failure, its own time). */
async function section(name: string, run: () => Promise<void>, part = name): Promise<void> {
  if (!sections.has(name)) return;
  const t0 = performance.now();
  progress(`${part}…`);
  try {
    await run();
  } catch (err) {
    out(`${part}: FAILED (${err instanceof Error ? err.message : String(err)})`);
    target(part, false, 'failed');
  }
  progress(`${part} took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

await section('core', async () => {
  const c = await benchCoreFigures(seconds);
  for (const l of c.lines) out(l);
  target('core throughput >= 2000/s', c.perSec >= 2000, `${c.perSec.toFixed(0)}/s`);
  target('core ratio >= 0.25', c.perSec / c.baselinePerSec >= 0.25, (c.perSec / c.baselinePerSec).toFixed(3));
  target('latency p99 <= 2 ms', c.p99Ms <= 2, `${c.p99Ms.toFixed(2)} ms`);
  target('redis commands <= 12', c.sent <= 12, c.sent.toFixed(1));
});

await section('core', async () => {
  const n = await benchNetwork(seconds);
  for (const l of n.lines) out(l);
  target('network CPU depth 5 / top-level <= 1.3', n.cpuRatio <= 1.3, n.cpuRatio.toFixed(3));
  // Averages over 100 YAs: a refresh of the 5 s markups cache may land in either; a whole command more is a change.
  const same = (a: number, b: number) => Math.abs(a - b) < 0.1;
  const { top, deep } = n.ya;
  target(
    'network YA Redis unchanged by depth',
    same(deep.commands, top.commands) && same(deep.trips, top.trips),
    `${deep.commands.toFixed(2)} commands in ${deep.trips.toFixed(2)} round trips, top-level ${top.commands.toFixed(2)} in ${top.trips.toFixed(2)}`,
  );
}, 'core network');

await section('telegram', async () => {
  const t = await benchTelegram({ windowMs: Math.max(1_500, seconds * 600), redisUrl: REDIS_URL, progress });
  out(
    `telegram path: ${t.adapterPerSec} updates/s (baseline bare grammY ${t.barePerSec} updates/s, ratio ${t.ratio.toFixed(3)}; ` +
      `long polling on a fake Bot API server, SALDO from 1000 users, ${t.store} store, target >= 0.5)`,
  );
  const w = t.webhookAck;
  out(`webhook ack p50/p99: ${w.p50Ms.toFixed(2)} / ${w.p99Ms.toFixed(2)} ms (provider ${w.providerDelayMs} ms; ${w.samples} inquiries at ${w.rate}/s, target p99 <= 50)`);
  target('telegram ratio >= 0.5', t.ratio >= 0.5, t.ratio.toFixed(3));
  target('webhook ack p99 <= 50 ms', w.p99Ms <= 50, `${w.p99Ms.toFixed(1)} ms`);
});

await section('memory', async () => {
  const users = Number(process.env.BENCH_MEMORY_USERS ?? 100_000);
  const quotes = Number(process.env.BENCH_MEMORY_QUOTES ?? 10_000);
  const m = await benchMemory({ users, quotes, progress });
  const where = `one forked bot process under tsx, as npm start runs it, ${m.store} store, after a full GC; MB = 2^20 bytes`;
  let peak = 0;
  m.rounds.forEach((r, i) => {
    const top = Math.max(r.users.rss, r.quotes.rss);
    peak = Math.max(peak, top);
    out(
      `memory round ${i + 1}: ${mb(top)} MB RSS (baseline idle bot ${mb(m.start.rss)} MB, ratio ${(top / m.start.rss).toFixed(2)}; ` +
        `${i === 0 ? '' : 'new '}${users} users one SALDO each → ${mb(r.users.rss)} MB, +${quotes} open quotes → ${mb(r.quotes.rss)} MB; ` +
        `heapUsed ${mb(r.users.heapUsed)} / ${mb(r.quotes.heapUsed)} MB (idle ${mb(m.start.heapUsed)}); peak RSS under load, no GC forced, ${mb(r.peakRssUnderLoad)} MB; ${where}; target <= 150)`,
    );
  });
  const first = m.rounds[0]!.quotes;
  out(
    `memory growth over round 2: ${m.growth.rss >= 0 ? '+' : ''}${mb(m.growth.rss)} MB RSS (baseline round 1 ${mb(first.rss)} MB, ratio ${((first.rss + m.growth.rss) / first.rss).toFixed(3)}; ` +
      `heapUsed ${m.growth.heapUsed >= 0 ? '+' : ''}${mb(m.growth.heapUsed)} MB, the leak measure (RSS after a GC keeps freed pages); target no growth: heapUsed < +1 MB)`,
  );
  target('RSS <= 150 MB', peak <= 150 * 1024 * 1024, `${mb(peak)} MB`);
  target('no leak', m.growth.heapUsed < 1024 * 1024, `heapUsed ${m.growth.heapUsed >= 0 ? '+' : ''}${mb(m.growth.heapUsed)} MB`);
});

await section('recovery', async () => {
  const r = await benchRecovery({ pending: Number(process.env.BENCH_RECOVERY_PENDING ?? 1_000), progress });
  const s = r.seconds;
  out(
    `recovery after SIGKILL: ${s === undefined ? 'not within 120' : fixed(s)} s (baseline new process up in ${fixed(r.readySeconds)} s, ratio ${s === undefined ? '-' : (s / r.readySeconds).toFixed(2)}; ` +
      `until all ${r.pending} PENDING were re-checked and SETTLED: ${r.settled} settled, ${r.statusCalls} status calls; PENDING_RECHECK_SECONDS=1, so this is start-up + the worker's throughput; target <= 60)`,
  );
  target('recovery <= 60 s', s !== undefined && s <= 60, s === undefined ? '> 120 s' : `${fixed(s)} s`);
});

await section('scale', async () => {
  const r = await benchScaleOut({ seconds, progress });
  const pc = (n: number) => n.toFixed(0);
  const cpu = (c: Cpu) =>
    `bot${c.bots.length > 1 ? 's' : ''} ${c.bots.map(pc).join(' + ')}, simulator ${pc(c.sim)}, Redis ${pc(c.redis)}` +
    (c.machine === undefined ? '' : `, whole machine ${pc(c.machine)} (others' processes included), steal ${pc(c.steal ?? 0)}`);
  out(
    `scale out, 2 processes: ${r.twoPerSec.toFixed(0)} paid conversations/s (baseline 1 process ${r.onePerSec.toFixed(0)} paid conversations/s, ratio ${r.ratio.toFixed(2)}; ` +
      `${r.inFlight} in flight each, one Redis, one simulator process; conversations per bot CPU-second ${r.perBotCpuSecond.one.toFixed(0)} with 1 process, ${r.perBotCpuSecond.two.toFixed(0)} with 2; ` +
      `CPU in % of one core of ${cpus().length * 100}: ` +
      `2 processes: ${cpu(r.cpu.two)}; 1 process: ${cpu(r.cpu.one)}; target >= 1.6)`,
  );
  target('scale out >= 1.6', r.ratio >= 1.6, r.ratio.toFixed(2));
});

interface BroadcastResult {
  users: number;
  configuredPerSec: number;
  achievedPerSec: number;
  ratio: number;
  rateLimitErrors: number;
  seconds?: number;
  store?: string;
}
type BenchBroadcast = (opts?: { redisUrl?: string; progress?: (l: string) => void }) => Promise<BroadcastResult>;

await section('broadcast', async () => {
  // bench/broadcast.ts is written separately: wired in when it is there, and run.ts runs without it.
  const file = new URL('./broadcast.ts', import.meta.url);
  if (!existsSync(file)) {
    progress('bench/broadcast.ts is not there: no broadcast figure');
    return;
  }
  const mod = (await import(file.href)) as { benchBroadcast?: BenchBroadcast };
  if (typeof mod.benchBroadcast !== 'function') throw new Error('bench/broadcast.ts exports no benchBroadcast');
  const b = await mod.benchBroadcast({ redisUrl: REDIS_URL, progress });
  out(
    `broadcast: ${fixed(b.achievedPerSec)} messages/s (baseline configured ${fixed(b.configuredPerSec)} messages/s, ratio ${b.ratio.toFixed(3)}; ` +
      `${b.users} users on the fake Bot API server, ${b.rateLimitErrors} rate-limit errors` +
      `${b.seconds === undefined ? '' : `, ${fixed(b.seconds)} s`}${b.store ? `, ${b.store} store` : ''}; target ratio 0.9-1.0, 0 errors)`,
  );
  target('broadcast ratio 0.9-1.0', b.ratio >= 0.9 && b.ratio <= 1.0, b.ratio.toFixed(3));
  target('broadcast 0 rate-limit errors', b.rateLimitErrors === 0, String(b.rateLimitErrors));
});

await section('deposits', async () => {
  const w = await benchWebhookDeposits({ redisUrl: REDIS_URL, progress });
  out(w.line);
  target('deposit webhook p99 <= 50 ms', w.p99Ms <= 50 && w.credited === w.pushes * w.perPush, `${w.p99Ms.toFixed(1)} ms`);
});

await section('prepaid', async () => {
  const p = await benchPrepaid({ seconds, progress });
  for (const l of p.lines) out(l);
  target('prepaid CPU <= PLN bill', p.ratio <= 1, p.ratio.toFixed(3));
  target('prepaid CPU without the PIN <= PLN bill', p.ratioWithoutPin <= 1, p.ratioWithoutPin.toFixed(3));
});

const met = targets.filter((t) => t.met);
const missed = targets.filter((t) => !t.met);
out(
  `targets: ${met.length} of ${targets.length} met (met: ${met.map((t) => `${t.name} [${t.figure}]`).join(', ') || 'none'}; ` +
    `missed: ${missed.map((t) => `${t.name} [${t.figure}]`).join(', ') || 'none'})`,
);
out(`bench wall time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exit(0);
