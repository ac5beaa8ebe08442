/**
 * One bot process for the benchmarks that need a bot alone in its process (memory, recovery, scale-out):
 * the real app from the environment (like soak/bot.ts), its load generated here so that no IPC hop per
 * message sits in the figure, driven by requests from bench/processes.ts. Forked with --expose-gc.
 *
 * Environment besides the app's own: BENCH_WORKER=0 keeps the recheck worker from starting.
 */
// First: the product's V8 flags, before anything else allocates (see runtime.ts).
import '../src/runtime.ts';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { createApp } from '../src/app.ts';
import type { Channel } from '../src/bot/channel.ts';
import { loadConfig } from '../src/config.ts';
import { benchLog } from './harness.ts';
import type { BotRequest } from './processes.ts';

const config = loadConfig(process.env, '/nonexistent/.env');
const app = await createApp(config, { log: benchLog(config), autostartWorker: process.env.BENCH_WORKER !== '0' });
const quiet: Channel = { name: 'bench', async start() {}, async send() {}, async stop() {} };
await app.attach(quiet);

const customer = (i: number) => String(530_000_000_000 + i);
let seq = 0;

/** Each user `${prefix}${from + k}` sends `steps` in order (`{c}`: a customer number of its own), `concurrency` users at once. */
async function users(r: Extract<BotRequest, { cmd: 'users' }>): Promise<Record<string, unknown>> {
  let k = 0;
  let errors = 0;
  let sample = '';
  // RSS under load, garbage and all, sampled: what a container limit would have to allow.
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  const t0 = performance.now();
  const worker = async () => {
    while (k < r.count) {
      const i = r.from + k++;
      const user = `${r.prefix}${i}`;
      for (const step of r.steps) {
        const text = step.text.replace('{c}', customer(r.customerBase + i));
        const replies = await app.bot.handle({ user, text, messageId: `${process.pid}m${seq++}` });
        const all = replies.map((x) => x.text).join('\n');
        if (step.expect && !all.includes(step.expect)) {
          errors++;
          sample ||= all.slice(0, 200);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: r.concurrency }, worker));
  clearInterval(sampler);
  return { ms: performance.now() - t0, errors, sample, peakRss };
}

/** Inquiry + YA + receipt conversations by `users` in parallel (one conversation each at a time) until `until` (epoch ms). */
async function throughput(r: Extract<BotRequest, { cmd: 'throughput' }>): Promise<Record<string, unknown>> {
  const wait = r.startAt - Date.now();
  if (wait > 0) await new Promise((res) => setTimeout(res, wait));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + r.seconds * 1000;
  let n = 0;
  let c = r.customerBase;
  await Promise.all(
    r.users.map(async (user) => {
      while (performance.now() < end) {
        const i = c++;
        const summary = await app.bot.handle({ user, text: `PLN ${customer(i)}`, messageId: `${process.pid}q${seq++}` });
        if (!summary[0]?.text.includes('Saldo dipotong')) throw new Error(`no summary: ${summary[0]?.text}`);
        const receipt = await app.bot.handle({ user, text: 'YA', messageId: `${process.pid}y${seq++}` });
        if (!receipt[0]?.text.includes('STRUK')) throw new Error(`no receipt: ${receipt[0]?.text}`);
        n++;
      }
    }),
  );
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { n, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function memory(): Promise<Record<string, unknown>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the bot process needs --expose-gc');
  // Twice: what the first collection frees by finalisers, the second takes; V8's helper threads give freed
  // pages back to the system a moment after a collection, so RSS is read once they have.
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 250));
  }
  const m = process.memoryUsage();
  // What RSS is made of (Linux): anonymous memory (heaps, malloc) and mapped files (the node binary, libraries).
  let anon: number | undefined;
  let file: number | undefined;
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    anon = Number(/RssAnon:\s+(\d+) kB/.exec(status)?.[1]) * 1024 || undefined;
    file = Number(/RssFile:\s+(\d+) kB/.exec(status)?.[1]) * 1024 || undefined;
  } catch {
    // not Linux
  }
  return {
    rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers,
    heapPhysical: getHeapStatistics().total_physical_size, ...(anon ? { rssAnon: anon } : {}), ...(file ? { rssFile: file } : {}),
  };
}

process.on('message', (m: BotRequest & { id: number }) => {
  const run = async (): Promise<Record<string, unknown>> => {
    switch (m.cmd) {
      case 'users':
        return users(m);
      case 'throughput':
        return throughput(m);
      case 'memory':
        return memory();
    }
  };
  run().then(
    (res) => process.send?.({ id: m.id, ...res }),
    (err: unknown) => process.send?.({ id: m.id, error: String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true, memory: await memory() });
