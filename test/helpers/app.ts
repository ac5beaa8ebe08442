/**
 * A bot process for tests: real Redis under a unique prefix, the MMBC and IAK simulators over real HTTP, and a
 * recording channel standing in for Telegram/WhatsApp. `say` is one user message; `inbox` holds what
 * reached each user outside a reply (later receipts, admin alerts).
 */
import { pino } from 'pino';
import { createApp, type App } from '../../src/app.ts';
import type { Channel, IncomingMessage, Reply, UserId } from '../../src/bot/channel.ts';
import { loadConfig } from '../../src/config.ts';
import { startIakSimulator, type IakSimulator } from '../../src/providers/iak/simulator.ts';
import { startMmbcSimulator, type MmbcSimulator } from '../../src/providers/mmbc/simulator.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import type { Store } from '../../src/bot/store.ts';
import { type AnswerDropper, answerDropper, assertRedis, dropPrefix, redisUrl, uniquePrefix } from './redis.ts';
import { credit } from './credit.ts';

export const RESELLER: UserId = 'test:reseller';
export const ADMIN: UserId = 'test:admin';
export const CUSTOMER: UserId = 'test:customer';

export interface TestBot {
  app: App;
  /** With `relay: true`: the relay the store connects through. */
  relay?: AnswerDropper;
  store: Store;
  sim: MmbcSimulator;
  iak: IakSimulator;
  inbox: Map<UserId, Reply[]>;
  prefix: string;
  say(user: UserId, text: string, messageId?: string): Promise<string>;
  /** Moves this process's clock forward, as if time had passed. */
  advance(ms: number): void;
  stop(): Promise<void>;
}

/** A recording channel named `test` (or another name), so users `test:<id>` are reached through it. */
function recordingChannel(inbox: Map<UserId, Reply[]>, name = 'test'): Channel {
  return {
    name,
    async start() {},
    async send(user, reply) {
      const list = inbox.get(user) ?? [];
      list.push(reply);
      inbox.set(user, list);
    },
    async stop() {},
  };
}

export interface TestBotOptions {
  env?: Record<string, string>;
  /** Share one simulator and one prefix between two "processes". */
  sim?: MmbcSimulator;
  /** Share one IAK simulator the same way. */
  iak?: IakSimulator;
  prefix?: string;
  saldo?: number;
  /** Connect the store through a relay that can lose Redis's answers (`bot.relay`), closed with the bot. */
  relay?: boolean;
  /** `memory`: the embedded store `npm start` uses without REDIS_URL, on this bot's clock. Redis by default. */
  store?: StoreKind;
}

export type StoreKind = 'redis' | 'memory';
/** Every money feature test runs on both stores: `describe.each(STORES)`. */
export const STORES: readonly StoreKind[] = ['redis', 'memory'];

export async function startTestBot(opts: TestBotOptions = {}): Promise<TestBot> {
  await assertRedis();
  const ownSim = !opts.sim;
  const sim = opts.sim ?? (await startMmbcSimulator({ hangMs: 60_000 }));
  const ownIak = !opts.iak;
  const iak = opts.iak ?? (await startIakSimulator({ hangMs: 60_000 }));
  const prefix = opts.prefix ?? uniquePrefix('app');
  if (opts.store === 'memory' && (opts.relay || opts.prefix)) throw new Error('the embedded store has no relay and no shared prefix');
  const relay = opts.relay ? await answerDropper() : undefined;
  let offset = 0;
  const clock = () => Date.now() + offset;
  const store: Store = opts.store === 'memory'
    ? createMemoryStore({ clock })
    : createRedisStore({ url: relay?.url ?? redisUrl(), prefix, log: pino({ level: 'silent' }) });
  const config = loadConfig(
    {
      MMBC_BASE_URL: sim.url,
      MMBC_USERNAME: 'sandbox',
      MMBC_PASSWORD: 'sandbox',
      IAK_BASE_URL: iak.url,
      IAK_USERNAME: iak.username,
      IAK_API_KEY: iak.apiKey,
      // No test reaches the internet: IAK's prepaid API is the prepaid tests' own simulator (test/helpers/prepaid.ts),
      // and otherwise a loopback port nothing listens on (its products are simply not in the catalogue).
      IAK_PREPAID_BASE_URL: 'http://127.0.0.1:9',
      ADMIN_IDS: '',
      PROVIDER_TIMEOUT_MS: '400',
      PENDING_RECHECK_SECONDS: '1',
      // Tests fire many messages from one user at once; the flood test sets its own limit.
      FLOOD_MAX_MESSAGES: '10000',
      LOG_LEVEL: 'silent',
      ...opts.env,
    },
    '/nonexistent/.env',
  );
  const app = await createApp(config, {
    log: pino({ level: 'silent' }),
    store,
    autostartWorker: false,
    clock,
  });
  (app.admins as Set<UserId>).add(ADMIN);
  const inbox = new Map<UserId, Reply[]>();
  await app.attach(recordingChannel(inbox));
  // `console:local` is a real user name that commands accept (DEPOSIT console:local …); record what reaches it too.
  await app.attach(recordingChannel(inbox, 'console'));
  if (!opts.prefix) {
    await store.setReseller(RESELLER, true, 'Toko Test', Date.now());
    if (opts.saldo !== 0) await credit(store, RESELLER, opts.saldo ?? 1_000_000, { note: 'test' });
  }
  return {
    app,
    ...(relay ? { relay } : {}),
    store,
    sim,
    iak,
    inbox,
    prefix,
    async say(user, text, messageId) {
      const msg: IncomingMessage = { user, text, ...(messageId ? { messageId } : {}) };
      return (await app.bot.handle(msg)).map((r) => r.text).join('\n---\n');
    },
    advance(ms) {
      offset += ms;
    },
    async stop() {
      await app.stop();
      if (ownSim) await sim.close();
      if (ownIak) await iak.close();
      if (!opts.prefix && opts.store !== 'memory') await dropPrefix(redisUrl(), prefix);
      await store.close();
      await relay?.close();
    },
  };
}

/** The sum of a user's ledger must equal their saldo (the audit's first invariant). */
export async function ledgerBalances(store: Store, user: UserId): Promise<boolean> {
  const entries = await store.ledger(user, 100_000);
  const sum = entries.reduce((s, e) => s + e.amount, 0);
  return sum === (await store.getSaldo(user));
}
