/**
 * Wires one bot process: store, providers (or their simulators in sandbox mode), payments, the core and its
 * channels. main.ts runs it; tests and benchmarks build it the same way.
 */
import { Catalogue, normaliseCode } from './bot/catalogue.ts';
import { resellerCommands } from './bot/features/resellers.ts';
import { linkCommands } from './bot/features/links.ts';
import { networkCommands } from './bot/features/network.ts';
import { depositCommands } from './bot/features/deposits.ts';
import { pulsaCommands } from './bot/features/pulsa.ts';
import { MOOTA_PATH, wireDeposits, type DepositWiring } from './deposits.ts';
import type { RouteHandler } from './http/server.ts';
import { pinCommands } from './bot/features/pin.ts';
import { ticketCommands } from './bot/features/tickets.ts';
import { transferCommands } from './bot/features/transfer.ts';
import { statementCommands } from './bot/features/statements.ts';
import { complaintCommands } from './bot/features/complaints.ts';
import { broadcastCommands } from './bot/features/broadcast.ts';
import { startBroadcastWorker, type BroadcastWorker } from './broadcast/worker.ts';
import { translator } from './bot/i18n.ts';
import { markupOf } from './payments/markup.ts';
import { withReadCache } from './store/cached-store.ts';
import type { Channel, Notifier, UserId } from './bot/channel.ts';
import { channelOf } from './bot/channel.ts';
import { createBot, type Bot } from './bot/core.ts';
import type { Store } from './bot/store.ts';
import { configSecrets, type Config } from './config.ts';
import type { Provider } from './bot/provider.ts';
import type { Log } from './log.ts';
import { createPayments, type Payments } from './payments/payments.ts';
import { startRecheckWorker, type RecheckWorker } from './payments/recheck.ts';
import { createMmbcClient, type MmbcClient } from './providers/mmbc/client.ts';
import { createMmbcProvider } from './providers/mmbc/provider.ts';
import { startMmbcSimulator, type MmbcSimulator } from './providers/mmbc/simulator.ts';
import { createIakClient, type IakClient } from './providers/iak/client.ts';
import { createIakProvider } from './providers/iak/provider.ts';
import { startIakSimulator, type IakSimulator } from './providers/iak/simulator.ts';
import { createIakPrepaidClient } from './providers/iak-prepaid/client.ts';
import { createIakPrepaidProvider } from './providers/iak-prepaid/provider.ts';
import { startIakPrepaidSimulator, type IakPrepaidSimulator } from './providers/iak-prepaid/simulator.ts';
import type { IakCredentials } from './providers/iak/sign.ts';
import { IAK_CALLBACK_PATH, iakCallbackRoute } from './http/iak-callback.ts';
import { createProviderRouter, type ProviderRouter } from './providers/router.ts';
import { createMemoryStore } from './store/memory-store.ts';
import { createRedisStore } from './store/redis-store.ts';
import { checkRedisDurability } from './store/durability.ts';
import { migrateStore } from './store/migrate.ts';
import { createMetrics, startStoreGauges, STORE_GAUGES_MS, type Metrics } from './metrics.ts';

export const SANDBOX_USER: UserId = 'console:local';
export const SANDBOX_SALDO = 1_000_000;
const CATALOGUE_REFRESH_MS = 10 * 60_000;

export interface App {
  config: Config;
  store: Store;
  bot: Bot;
  payments: Payments;
  router: ProviderRouter;
  worker: RecheckWorker;
  /** The broadcast (BC) job's worker in this process. */
  broadcasts: BroadcastWorker;
  admins: ReadonlySet<UserId>;
  metrics: Metrics;
  /** Channel name → whether it is up, for /healthz. */
  channels: ReadonlyMap<string, Channel>;
  /** Deposits without a human: their operations, and the sandbox's Moota and Tripay. */
  deposits: DepositWiring;
  /** The webhook routes the app serves besides a channel's (Moota, Tripay, IAK's callback): path → handler. */
  routes: Record<string, RouteHandler>;
  /** Tells the sandbox's simulators where this process's HTTP server listens (their callbacks and pushes go there). */
  attachHttp(baseUrl: string): void;
  /** The IAK prepaid simulator, in sandbox mode. */
  iakPrepaidSimulator?: IakPrepaidSimulator;
  /** The MMBC simulator, in sandbox mode. */
  simulator?: MmbcSimulator;
  /** The IAK simulator, in sandbox mode. */
  iakSimulator?: IakSimulator;
  /** Redis (when used) and each channel, up or down: what /healthz reports. */
  health(): Promise<{ ok: boolean; store: { kind: string; up: boolean }; channels: Record<string, boolean>; states: Record<string, string> }>;
  /** Adds a channel; its messages go to the core and notifications for its users go to it. */
  attach(channel: Channel): Promise<void>;
  stop(): Promise<void>;
}

export interface AppOptions {
  log: Log;
  /** Given in tests to share one store between two "processes". */
  store?: Store;
  /** Tests drive the recheck worker themselves. */
  autostartWorker?: boolean;
  clock?: () => number;
}

export async function createApp(config: Config, opts: AppOptions): Promise<App> {
  const { log } = opts;
  const clock = opts.clock ?? Date.now;
  let store = opts.store;
  if (!store) {
    if (config.REDIS_URL) {
      const redisStore = createRedisStore({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, log });
      await checkRedisDurability(redisStore.redis, log);
      // Data an older version wrote is brought forward before anything reads it; a newer version's is refused.
      await migrateStore(redisStore, log);
      store = redisStore;
    } else {
      log.warn('REDIS_URL is not set: using the embedded in-memory store; everything is lost when the process exits');
      store = createMemoryStore({ clock });
    }
  }

  // One decision (config.ts): in sandbox mode every biller is a simulator on loopback; in production a biller
  // without credentials is not built at all, so nothing real is ever paid beside something simulated.
  let simulator: MmbcSimulator | undefined;
  let iakSimulator: IakSimulator | undefined;
  let iakPrepaidSimulator: IakPrepaidSimulator | undefined;
  let iakCredentials: IakCredentials | undefined;
  const providers: Provider[] = [];
  const clients: { close(): Promise<void> }[] = [];
  if (config.billers.mmbc) {
    if (config.sandbox) simulator = await startMmbcSimulator({ host: '127.0.0.1', port: 0 });
    const client: MmbcClient = createMmbcClient({
      baseUrl: simulator?.url ?? config.MMBC_BASE_URL,
      username: simulator ? 'sandbox' : config.MMBC_USERNAME!,
      password: simulator ? 'sandbox' : config.MMBC_PASSWORD!,
      timeoutMs: config.PROVIDER_TIMEOUT_MS,
    });
    clients.push(client);
    providers.push(createMmbcProvider(client));
  }
  if (config.billers.iak) {
    if (config.sandbox) iakSimulator = await startIakSimulator({ host: '127.0.0.1', port: 0 });
    const client: IakClient = createIakClient({
      baseUrl: iakSimulator?.url ?? config.IAK_BASE_URL,
      username: iakSimulator?.username ?? config.IAK_USERNAME!,
      apiKey: iakSimulator?.apiKey ?? config.IAK_API_KEY!,
      timeoutMs: config.PROVIDER_TIMEOUT_MS,
    });
    clients.push(client);
    providers.push(createIakProvider(client));
    // IAK's prepaid API (pulsa, data, PLN tokens, e-money, vouchers): the same credentials, its own host.
    if (config.sandbox) iakPrepaidSimulator = await startIakPrepaidSimulator({ host: '127.0.0.1', port: 0 });
    const prepaid = createIakPrepaidClient({
      baseUrl: iakPrepaidSimulator?.url ?? config.IAK_PREPAID_BASE_URL,
      username: iakPrepaidSimulator?.username ?? config.IAK_USERNAME!,
      apiKey: iakPrepaidSimulator?.apiKey ?? config.IAK_API_KEY!,
      timeoutMs: config.PROVIDER_TIMEOUT_MS,
    });
    clients.push(prepaid);
    providers.push(createIakPrepaidProvider(prepaid));
    iakCredentials = { username: iakPrepaidSimulator?.username ?? config.IAK_USERNAME!, apiKey: iakPrepaidSimulator?.apiKey ?? config.IAK_API_KEY! };
  }
  if (config.sandbox) {
    log.warn({ mmbc: simulator?.url, iak: iakSimulator?.url }, 'SANDBOX mode: every biller is simulated on loopback; no payment is real');
  } else {
    const off = (['mmbc', 'iak'] as const).filter((b) => !config.billers[b]);
    log.info({ billers: providers.map((p) => p.name), off }, off.length > 0 ? `production mode: ${off.join(', ')} has no credentials, so its products are closed` : 'production mode');
  }
  const router = createProviderRouter(providers, store, log, {
    preference: config.PROVIDER_PREFERENCE,
    // A sandbox price list cached in a shared Redis must never stand in for a real biller's, nor the reverse.
    cacheTag: config.sandbox ? 'sandbox' : 'live',
    secrets: configSecrets(config),
  });

  let catalogue = new Catalogue(await router.catalogue({ refresh: true }));
  log.info({ products: catalogue.size }, 'catalogue loaded');
  const refresh = setInterval(() => {
    router
      .catalogue({ refresh: true })
      .then((list) => {
        if (list.length > 0) catalogue = new Catalogue(list);
      })
      .catch((err: unknown) => log.warn({ err: String(err) }, 'catalogue refresh failed'));
  }, CATALOGUE_REFRESH_MS);
  refresh.unref();

  // The demo identity exists only where nothing real can be reached: sandbox billers on the embedded store.
  const demo = config.sandbox && store.kind === 'memory';
  const admins = new Set<UserId>(config.ADMIN_IDS);
  if (demo) admins.add(SANDBOX_USER);

  const channels = new Map<string, Channel>();
  const notifier: Notifier = {
    async send(user, reply) {
      const channel = channels.get(channelOf(user));
      if (!channel) {
        log.warn({ user }, 'no channel for a notification; it is kept in the transaction record only');
        return;
      }
      await channel.send(user, reply);
    },
  };

  const metricsStore = store;
  // What every message reads (who the user is, the markups) is cached for a few seconds; money never is.
  const cached = withReadCache(store);
  // Read every minute in the background, never at scrape time: the read is O(users) (see metrics.ts).
  const storeGauges = startStoreGauges(() => metricsStore.stats(), { intervalMs: STORE_GAUGES_MS, log });
  const metrics = createMetrics(storeGauges.current);

  const broadcasts = startBroadcastWorker({
    store, channels, log, clock,
    t: translator(config.LOCALE),
    rates: { telegram: config.BROADCAST_RATE_PER_SECOND },
    autostart: opts.autostartWorker ?? true,
    // The embedded store loses a broadcast that stops unfinished, so a stop gives it a little time to end.
    drainMs: store.kind === 'memory' ? 10_000 : 0,
  });

  // The bot and payments need each other's events; the indirection breaks the cycle.
  let bot!: Bot;
  const payments = createPayments({
    // The read cache: a price reads the uplines' markups from it (money itself is never cached).
    store: cached,
    metrics,
    router,
    log,
    clock,
    settings: {
      quoteTtlMs: config.QUOTE_TTL_SECONDS * 1000,
      providerTimeoutMs: config.PROVIDER_TIMEOUT_MS,
      recheckMs: config.PENDING_RECHECK_SECONDS * 1000,
      sandbox: config.sandbox,
    },
    onEvent: (event) => bot.onPaymentEvent(event),
    markupFor: async (entry) => markupOf(await cached.markups(), normaliseCode(entry.code)),
  });
  const limits = { maxMarkup: config.MAX_MARKUP, maxDepth: config.MAX_NETWORK_DEPTH };
  const deposits = await wireDeposits({
    config, store, log, metrics, clock, admins, t: translator(config.LOCALE), notify: (user, reply) => bot.notify(user, reply),
  });
  const routes: Record<string, RouteHandler> = { ...deposits.routes };
  if (iakCredentials) {
    routes[IAK_CALLBACK_PATH] = iakCallbackRoute({
      credentials: iakCredentials, log, onResult: ({ refId, outcome }) => payments.onProviderOutcome(refId, outcome, 'iak-callback'),
    });
  }
  bot = createBot({
    store: cached, payments, notifier, log, clock, metrics,
    deposits: deposits.ops,
    catalogue: () => catalogue,
    locale: config.LOCALE,
    admins,
    quoteTtlSeconds: config.QUOTE_TTL_SECONDS,
    commands: [
      // Before DEPOSIT <user> <nominal> and ACC <tiket>, which take every other form of their words.
      ...depositCommands(),
      ...resellerCommands(limits),
      ...linkCommands(),
      ...pulsaCommands({ quoteTtlSeconds: config.QUOTE_TTL_SECONDS }),
      ...networkCommands(limits),
      ...pinCommands(),
      ...ticketCommands(config.DEPOSIT_BANK_INFO, config.TICKET_MAX_OPEN, MOOTA_PATH in deposits.routes),
      ...transferCommands(),
      ...statementCommands(),
      ...complaintCommands(),
      ...broadcastCommands(broadcasts),
    ],
    flood: { max: config.FLOOD_MAX_MESSAGES, windowSeconds: config.FLOOD_WINDOW_SECONDS },
  });

  if (demo) {
    // The demo user can try the whole flow at once: a reseller with saldo, given once per store.
    await store.setReseller(SANDBOX_USER, true, 'Demo', clock());
    if ((await store.ledger(SANDBOX_USER, 1)).length === 0) {
      await store.money.adjust({
        opId: `sandbox-demo:${SANDBOX_USER}`, by: 'app', now: clock(),
        user: SANDBOX_USER, amount: SANDBOX_SALDO, reason: 'deposit', note: 'sandbox demo saldo',
      });
    }
    // The gauges' first read ran before the demo saldo existed: /metrics shows it now, not in a minute.
    void storeGauges.refresh();
  }

  const worker = startRecheckWorker({
    store, payments, log, clock,
    leaseMs: config.PROVIDER_TIMEOUT_MS + 30_000,
    autostart: opts.autostartWorker ?? true,
  });

  return {
    config, store, bot, payments, router, worker, broadcasts, admins, metrics, channels, deposits,
    routes,
    attachHttp(baseUrl: string) {
      deposits.attachHttp(baseUrl);
      // The sandbox's IAK posts its callbacks to this process, as IAK posts to the URL set in its dashboard.
      iakPrepaidSimulator?.setCallbackUrl(`${baseUrl}${IAK_CALLBACK_PATH}`);
    },
    ...(iakPrepaidSimulator ? { iakPrepaidSimulator } : {}),
    ...(simulator ? { simulator } : {}),
    ...(iakSimulator ? { iakSimulator } : {}),
    async health() {
      const up = await store.ping();
      const ch: Record<string, boolean> = {};
      const states: Record<string, string> = {};
      for (const [name, c] of channels) {
        ch[name] = c.up ? c.up() : true;
        if (c.state) states[name] = c.state();
      }
      return { ok: up && Object.values(ch).every(Boolean), store: { kind: store.kind, up }, channels: ch, states };
    },
    async attach(channel) {
      channels.set(channel.name, channel);
      await channel.start((msg) => bot.handle(msg));
    },
    async stop() {
      clearInterval(refresh);
      storeGauges.stop();
      // Before the channels: its sends in flight go through them.
      await broadcasts.stop();
      for (const channel of channels.values()) await channel.stop();
      await worker.stop();
      for (const client of clients) await client.close();
      await simulator?.close();
      await iakSimulator?.close();
      await deposits.close();
      await iakPrepaidSimulator?.close();
      if (!opts.store) await store.close();
    },
  };
}
