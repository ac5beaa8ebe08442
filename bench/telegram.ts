/**
 * The Telegram path's benchmark, for bench/run.ts. Everything runs in this process against the fake Bot
 * API server on loopback (test/helpers/fake-bot-api.ts); nothing reaches the internet.
 *
 *   benchTelegram(opts?: TelegramBenchOptions): Promise<TelegramBenchResult>
 *     = { ...benchTelegramThroughput(opts), webhookAck: await benchTelegramWebhookAck(opts) }
 *
 *   benchTelegramThroughput(opts?) → { adapterPerSec, barePerSec, ratio, store, windowMs }
 *     Updates handled per second, both by LONG POLLING with @grammyjs/runner on the same fake server in the
 *     same run: the whole adapter (runner, sequentialize, the core with its store, one sendMessage reply per
 *     update: `SALDO` from many users), then a bare grammY bot (runner, one sendMessage per update, no
 *     plugins). Telegram's outbound throttle is off for both: with it, any bot is held at 30 messages a
 *     second by design, which would measure Telegram's limit and not the adapter. ratio = adapter / bare.
 *
 *   benchTelegramWebhookAck(opts?) → { p50Ms, p99Ms, samples, rate, providerDelayMs }
 *     Round-trip time of the webhook's HTTP answer for inquiries while the provider simulator takes 5000 ms
 *     per call (`sim.setDelay(5000)`): the answer must not wait for the provider. Posts arrive open-loop at
 *     `webhookRate` a second, so every inquiry of the run is still waiting on the provider when it ends.
 *
 * Each measurement is bounded: `windowMs` (default 3000) per bot, in alternating windows after warm-ups,
 * and `webhookRequests` (default 300) posts at `webhookRate` (100/s), about 3.5 s, for the ack latency. The store is Redis when `redisUrl` (or
 * REDIS_URL) is given, under a throwaway prefix deleted afterwards; otherwise the embedded memory store.
 */
import { run, type RunnerHandle } from '@grammyjs/runner';
import { Bot } from 'grammy';
import { benchLog } from './harness.ts';
import { createApp, type App } from '../src/app.ts';
import type { Store } from '../src/bot/store.ts';
import { createTelegramChannel, SECRET_HEADER, type TelegramChannel } from '../src/channels/telegram/index.ts';
import { loadConfig } from '../src/config.ts';
import { startHttpServer } from '../src/http/server.ts';
import { createRedisStore } from '../src/store/redis-store.ts';
import { startFakeBotApi, textUpdate, type FakeBotApi } from '../test/helpers/fake-bot-api.ts';
import { dropPrefix } from '../test/helpers/redis.ts';

export interface TelegramBenchOptions {
  /** Time each bot is measured, after warm-ups (3000), split in `rounds` (3) alternating windows. */
  windowMs?: number;
  rounds?: number;
  /** Distinct users sending updates (1000): many chats, so per-chat ordering never serialises the run. */
  users?: number;
  /** Webhook posts timed (300), arriving at `webhookRate` a second (100) whatever the answers do. */
  webhookRequests?: number;
  webhookRate?: number;
  redisUrl?: string;
  /** Progress lines, e.g. `console.error`. */
  progress?: (line: string) => void;
}

export interface TelegramThroughput {
  adapterPerSec: number;
  barePerSec: number;
  ratio: number;
  store: 'memory' | 'redis';
  windowMs: number;
}

export interface WebhookAck {
  p50Ms: number;
  p99Ms: number;
  samples: number;
  /** Posts a second during the sample. */
  rate: number;
  providerDelayMs: number;
}

export interface TelegramBenchResult extends TelegramThroughput {
  webhookAck: WebhookAck;
}

// The product's logger at its default level, as in every other benchmark (bench/harness.ts).
const productLog = benchLog(loadConfig({ LOG_LEVEL: 'info' }, '/nonexistent/.env'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Well ahead of what either bot can take in a window, so neither ever waits for input.
const BACKLOG = 2_000;
const USER_BASE = 910_000;

export async function benchTelegram(opts: TelegramBenchOptions = {}): Promise<TelegramBenchResult> {
  const throughput = await benchTelegramThroughput(opts);
  return { ...throughput, webhookAck: await benchTelegramWebhookAck(opts) };
}

export async function benchTelegramThroughput(opts: TelegramBenchOptions = {}): Promise<TelegramThroughput> {
  const windowMs = opts.windowMs ?? 3_000;
  const rounds = Math.max(1, opts.rounds ?? 3);
  const api = await startFakeBotApi({ record: false });
  const env = await benchApp(api, opts);
  const adapter = { sent: 0, ms: 0 };
  const bare = { sent: 0, ms: 0 };
  try {
    // Alternating short windows, so a change in the machine's load during the run touches both alike.
    for (let r = 0; r < rounds; r++) {
      const channel = createTelegramChannel({
        token: api.token, apiRoot: api.url, log: productLog, botInfo: api.botInfo, throttle: false, pollTimeoutSeconds: 1,
      });
      await env.app.attach(channel);
      add(adapter, await measure(api, windowMs / rounds, opts));
      await channel.stop();
      api.reset();

      const bot = new Bot(api.token, { client: { apiRoot: api.url }, botInfo: api.botInfo });
      bot.on('message', (ctx) => ctx.reply('ok'));
      // Its in-flight replies may be cut when the run ends; a benchmark has nothing to say about them.
      bot.catch(() => {});
      const runner: RunnerHandle = run(bot, { runner: { silent: true, fetch: { timeout: 1 } } });
      try {
        add(bare, await measure(api, windowMs / rounds, opts));
      } finally {
        await runner.stop();
      }
      await sleep(100);
      api.reset();
    }
    const adapterPerSec = Math.round((adapter.sent * 1000) / adapter.ms);
    const barePerSec = Math.round((bare.sent * 1000) / bare.ms);
    opts.progress?.(`telegram polling: adapter ${adapterPerSec} updates/s, bare grammY ${barePerSec} updates/s (${rounds} alternating rounds, ${env.kind} store)`);
    return { adapterPerSec, barePerSec, ratio: round(adapterPerSec / barePerSec, 3), store: env.kind, windowMs };
  } finally {
    await env.close();
    await api.close();
  }
}

function add(total: { sent: number; ms: number }, one: { sent: number; ms: number }): void {
  total.sent += one.sent;
  total.ms += one.ms;
}

export async function benchTelegramWebhookAck(opts: TelegramBenchOptions = {}): Promise<WebhookAck> {
  const samples = opts.webhookRequests ?? 300;
  const rate = opts.webhookRate ?? 100;
  const providerDelayMs = 5_000;
  const api = await startFakeBotApi({ record: false });
  const env = await benchApp(api, opts);
  const secret = 'bench-webhook-secret';
  let channel: TelegramChannel | undefined;
  const http = await startHttpServer({ app: env.app, log: productLog, port: 0, host: '127.0.0.1' });
  try {
    channel = createTelegramChannel({
      token: api.token, apiRoot: api.url, log: productLog, botInfo: api.botInfo, throttle: false,
      webhook: { url: `https://bench.example/${secret}/hook`, secret },
    });
    http.route(channel.webhook!.path, channel.webhook!.handler);
    await env.app.attach(channel);
    env.app.simulator!.setDelay(providerDelayMs);
    const url = `${http.url}${channel.webhook!.path}`;
    const post = async (i: number): Promise<number> => {
      // An inquiry: the one message that waits for the provider.
      const body = JSON.stringify({ ...textUpdate(USER_BASE + i, 'PLN 532100112233'), update_id: 1_000_000 + i });
      const t0 = performance.now();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [SECRET_HEADER]: secret }, body });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      return performance.now() - t0;
    };
    // Open loop, as Telegram delivers: a post every 1/rate seconds whether or not earlier ones were answered,
    // so the figure is the answer's latency at that load, not a closed loop's queueing.
    const arrivals = async (from: number, count: number) => {
      const gap = 1000 / rate;
      const t0 = performance.now();
      const pending: Array<Promise<number>> = [];
      for (let i = 0; i < count; i++) {
        const due = t0 + i * gap - performance.now();
        if (due > 0) await sleep(due);
        pending.push(post(from + i));
      }
      return Promise.all(pending);
    };
    // Warm-up (connections, JIT, lazily loaded code) outside the sample.
    await arrivals(samples, Math.min(samples, Math.ceil(rate / 2)));
    const times = await arrivals(0, samples);
    times.sort((a, b) => a - b);
    const result = { p50Ms: round(quantile(times, 0.5), 2), p99Ms: round(quantile(times, 0.99), 2), samples: times.length, rate, providerDelayMs };
    opts.progress?.(`telegram webhook ack with a ${providerDelayMs} ms provider: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (${times.length} posts at ${rate}/s)`);
    return result;
  } finally {
    // The inquiries still wait on the simulator; closing it first lets the channel's drain end now, not in 5 s.
    await env.app.simulator?.close();
    await channel?.stop();
    await http.close();
    await env.close();
    await api.close();
  }
}

/** Replies sent by whatever polls `api` now, over `windowMs` after a warm-up, one update per reply. */
async function measure(api: FakeBotApi, windowMs: number, opts: TelegramBenchOptions): Promise<{ sent: number; ms: number }> {
  const users = opts.users ?? 1_000;
  let next = 0;
  const feed = () => {
    // `SALDO` answers with one message and asks no provider: the adapter and the core, not the simulator.
    while (api.pending() < BACKLOG) api.enqueue(textUpdate(USER_BASE + (next++ % users), 'SALDO'));
  };
  const sent = () => api.counts.sendMessage ?? 0;
  const until = async (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      feed();
      await sleep(5);
    }
  };
  await until(200);
  const start = sent();
  const t0 = performance.now();
  await until(windowMs);
  return { sent: sent() - start, ms: performance.now() - t0 };
}

interface BenchApp {
  app: App;
  kind: 'memory' | 'redis';
  close(): Promise<void>;
}

/** The sandbox app (its own MMBC simulator), with flood limits out of the way of a benchmark. */
async function benchApp(api: FakeBotApi, opts: TelegramBenchOptions): Promise<BenchApp> {
  const redisUrl = opts.redisUrl ?? process.env.REDIS_URL;
  const prefix = `bench:telegram:${process.pid}-${Date.now()}:`;
  let store: Store | undefined;
  if (redisUrl) store = createRedisStore({ url: redisUrl, prefix });
  const config = loadConfig(
    { TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.url, FLOOD_MAX_MESSAGES: '10000', LOG_LEVEL: 'silent' },
    '/nonexistent/.env',
  );
  const app = await createApp(config, { log: benchLog(config), ...(store ? { store } : {}) });
  return {
    app,
    kind: store ? 'redis' : 'memory',
    async close() {
      await app.stop();
      if (store && redisUrl) {
        await dropPrefix(redisUrl, prefix);
        await store.close();
      }
    },
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
