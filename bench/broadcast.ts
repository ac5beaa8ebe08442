/**
 * The broadcast benchmark, for bench/run.ts. Everything runs in this process against the fake Bot API server
 * on loopback (test/helpers/fake-bot-api.ts), behind a small proxy that enforces Telegram's limits; nothing
 * reaches the internet.
 *
 *   benchBroadcast(opts?: BroadcastBenchOptions): Promise<BroadcastBenchResult>
 *     → { users, configuredPerSec, achievedPerSec, ratio, rateLimitErrors, seconds, store }
 *
 * `BC` from an admin to `users` (10,000) Telegram users, through the whole path: the command, the store-backed
 * job (take and mark each recipient, send, record the outcome), the Telegram adapter with its throttler and
 * bounded retries (retry.ts). achievedPerSec is the rate the Bot API server saw: (messages − 1) / (last arrival − first
 * arrival); ratio = achieved / configured (target 0.9–1.0). rateLimitErrors counts the 429s the proxy gave.
 *
 * Bounded by running fast: at Telegram's real 20 a second, 10,000 users take over eight minutes. So the
 * configured rate is `ratePerSecond` (200) and every limit is scaled with it by the same factor
 * (k = rate / 20): the adapter's throttler spaces calls at 25·k a second, as it does at 25 in production, and
 * the proxy answers 429 to a call that would put more than 30·k into any one-second window (Telegram's
 * overall limit) or a second message into one chat within a second. The broadcaster's pacing is what is
 * measured: it must reach its rate while the throttler's queue stays short and the server never says 429.
 * The store is Redis when `redisUrl` (or REDIS_URL) is given, under a throwaway prefix deleted afterwards;
 * otherwise the embedded memory store.
 */
import { createServer, request, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createApp } from '../src/app.ts';
import type { Channel, UserId } from '../src/bot/channel.ts';
import type { Store } from '../src/bot/store.ts';
import { createTelegramChannel } from '../src/channels/telegram/index.ts';
import { loadConfig } from '../src/config.ts';
import { createRedisStore } from '../src/store/redis-store.ts';
import { startFakeBotApi } from '../test/helpers/fake-bot-api.ts';
import { dropPrefix } from '../test/helpers/redis.ts';

export interface BroadcastBenchOptions {
  /** Telegram users the broadcast goes to (10,000). */
  users?: number;
  /** BROADCAST_RATE_PER_SECOND for the run (200); the limits scale with it. */
  ratePerSecond?: number;
  redisUrl?: string;
  /** Progress lines, e.g. `console.error`. */
  progress?: (line: string) => void;
}

export interface BroadcastBenchResult {
  users: number;
  configuredPerSec: number;
  achievedPerSec: number;
  ratio: number;
  /** 429 answers from the server (the proxy enforcing Telegram's limits, scaled). */
  rateLimitErrors: number;
  /** Wall time of the whole broadcast, from BC to the tally. */
  seconds: number;
  store: 'memory' | 'redis';
}

const silent = pino({ level: 'silent' });
const ADMIN: UserId = 'bench:admin';
const TEXT = 'Pengumuman: harga token PLN berubah mulai besok.';
const USER_BASE = 3_000_000;

export async function benchBroadcast(opts: BroadcastBenchOptions = {}): Promise<BroadcastBenchResult> {
  const users = opts.users ?? 10_000;
  const rate = opts.ratePerSecond ?? 200;
  const k = rate / 20;
  const fake = await startFakeBotApi();
  const proxy = await startLimitProxy(fake.url, { perSecond: Math.floor(30 * k) });
  const redisUrl = opts.redisUrl ?? process.env.REDIS_URL;
  const prefix = `bench:broadcast:${process.pid}-${Date.now()}:`;
  const store: Store | undefined = redisUrl ? createRedisStore({ url: redisUrl, prefix }) : undefined;
  const config = loadConfig({ BROADCAST_RATE_PER_SECOND: String(rate), FLOOD_MAX_MESSAGES: '10000', LOG_LEVEL: 'silent' }, '/nonexistent/.env');
  const app = await createApp(config, { log: silent, autostartWorker: false, ...(store ? { store } : {}) });
  try {
    (app.admins as Set<UserId>).add(ADMIN);
    const tally: string[] = [];
    const admin: Channel = { name: 'bench', async start() {}, async send(_u, r) { tally.push(r.text); }, async stop() {} };
    await app.attach(admin);
    await app.attach(createTelegramChannel({
      token: fake.token, apiRoot: proxy.url, log: silent, botInfo: fake.botInfo, pollTimeoutSeconds: 1,
      // Telegram's limits as the adapter keeps them (TELEGRAM_LIMITS: 25 a second overall), scaled by k.
      throttle: { global: { minTime: 40 / k } },
    }));
    for (let i = 0; i < users; i += 500) {
      await Promise.all(Array.from({ length: Math.min(500, users - i) }, (_, j) => app.store.touchUser(`telegram:${USER_BASE + i + j}`, Date.now())));
    }
    opts.progress?.(`broadcast: ${users} users seeded (${store ? 'redis' : 'memory'} store); sending at ${rate}/s`);
    const t0 = performance.now();
    const [reply] = await app.bot.handle({ user: ADMIN, text: `BC ${TEXT}` });
    // The audience also holds the admin and the sandbox's console user, who are not on Telegram.
    if (!reply?.text.startsWith('Broadcast ')) throw new Error(`unexpected answer to BC: ${reply?.text}`);
    await app.broadcasts.idle();
    const seconds = (performance.now() - t0) / 1000;
    const times = fake.calls.filter((c) => c.method === 'sendMessage' && !c.refused && c.payload.text === TEXT).map((c) => c.at);
    if (times.length !== users) throw new Error(`${times.length} of ${users} messages arrived; the tally: ${tally.at(-1)}`);
    const achievedPerSec = ((times.length - 1) * 1000) / (times.at(-1)! - times[0]!);
    const result: BroadcastBenchResult = {
      users, configuredPerSec: rate, achievedPerSec: round(achievedPerSec, 1), ratio: round(achievedPerSec / rate, 3),
      rateLimitErrors: proxy.refused(), seconds: round(seconds, 1), store: store ? 'redis' : 'memory',
    };
    opts.progress?.(`broadcast: ${result.achievedPerSec} messages/s against ${rate}/s configured, ${result.rateLimitErrors} answered 429, ${result.seconds} s in all`);
    return result;
  } finally {
    await app.stop();
    await proxy.close();
    await fake.close();
    if (store && redisUrl) {
      await dropPrefix(redisUrl, prefix);
      await store.close();
    }
  }
}

/**
 * Forwards to the fake server, answering 429 (retry_after 1) to a sendMessage that would make more than
 * `perSecond` within any one-second window, or a second one to the same chat within a second.
 */
async function startLimitProxy(target: string, limits: { perSecond: number }) {
  const to = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const window: number[] = [];
  const lastByChat = new Map<string, number>();
  let refused = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.endsWith('/sendMessage')) {
        const now = performance.now();
        while (window.length > 0 && window[0]! <= now - 1000) window.shift();
        const chat = String((JSON.parse(body.toString('utf8') || '{}') as { chat_id?: unknown }).chat_id);
        const last = lastByChat.get(chat);
        if (window.length >= limits.perSecond || (last !== undefined && now - last < 1000)) {
          refused++;
          const text = JSON.stringify({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
          res.writeHead(429, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          res.end(text);
          return;
        }
        window.push(now);
        lastByChat.set(chat, now);
      }
      const fwd = request(
        { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers, agent },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      fwd.on('error', () => res.destroy());
      fwd.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refused: () => refused,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
