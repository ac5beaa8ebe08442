/** Prometheus metrics (prom-client), one registry per process, served at GET /metrics. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Log } from './log.ts';

export interface Metrics {
  registry: Registry;
  messagesIn: Counter<'channel'>;
  messagesOut: Counter<'channel'>;
  inquiries: Counter<'provider' | 'outcome'>;
  payments: Counter<'provider' | 'outcome'>;
  /** Deposits that need no human, by source (moota, tripay) and outcome (credited, unmatched, replayed…). */
  deposits: Counter<'source' | 'outcome'>;
  providerLatency: Histogram<'provider' | 'op'>;
}

/** What the store says about all users at once: an O(users) read, so never made at scrape time. */
export interface StoreStats {
  pending: number;
  saldoTotal: number;
}

/**
 * `storeGauges` gives the store's figures as last read in the background (see startStoreGauges), or
 * undefined before the first read: a scrape only copies them, so it costs no store read, however many users
 * there are and whether or not the store answers.
 */
export function createMetrics(storeGauges?: () => { stats: StoreStats; at: number } | undefined): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const m: Metrics = {
    registry,
    messagesIn: new Counter({ name: 'ppob_messages_in_total', help: 'Messages received, by channel', labelNames: ['channel'], registers: [registry] }),
    messagesOut: new Counter({ name: 'ppob_messages_out_total', help: 'Messages sent, by channel', labelNames: ['channel'], registers: [registry] }),
    inquiries: new Counter({ name: 'ppob_inquiries_total', help: 'Bill inquiries, by provider and outcome', labelNames: ['provider', 'outcome'], registers: [registry] }),
    deposits: new Counter({ name: 'ppob_deposits_total', help: 'Automatic deposits, by source (moota, tripay) and outcome (credited, unmatched, expired-ticket, replayed, debit…)', labelNames: ['source', 'outcome'], registers: [registry] }),
    payments: new Counter({ name: 'ppob_payments_total', help: 'Payment outcomes, by provider and outcome (settled, failed, pending)', labelNames: ['provider', 'outcome'], registers: [registry] }),
    providerLatency: new Histogram({
      name: 'ppob_provider_latency_seconds',
      help: 'Provider call time, by provider and operation',
      labelNames: ['provider', 'op'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
  if (storeGauges) {
    new Gauge({
      name: 'ppob_pending_transactions', help: 'Transactions not yet final (as of ppob_store_gauges_timestamp_seconds)', registers: [registry],
      collect() {
        const last = storeGauges();
        if (last) this.set(last.stats.pending);
      },
    });
    new Gauge({
      name: 'ppob_saldo_total_rupiah', help: 'Sum of every user saldo, what the operator owes its resellers (as of ppob_store_gauges_timestamp_seconds)', registers: [registry],
      collect() {
        const last = storeGauges();
        if (last) this.set(last.stats.saldoTotal);
      },
    });
    new Gauge({
      name: 'ppob_store_gauges_timestamp_seconds', help: 'When the store gauges were last read (0: not yet); an old value means the store does not answer', registers: [registry],
      collect() {
        const last = storeGauges();
        if (last) this.set(last.at / 1000);
      },
    });
  }
  return m;
}

/** How often the store gauges are read: the saldo total need not be fresher than a minute. */
export const STORE_GAUGES_MS = 60_000;

export interface StoreGauges {
  /** The last figures read and when (ms), or undefined before the first read succeeds. */
  current(): { stats: StoreStats; at: number } | undefined;
  /** Reads now (one read at a time: a read already running is waited for instead). */
  refresh(): Promise<void>;
  /** No further reads; a read in flight is let finish unlogged (the store may be closing). */
  stop(): void;
}

export interface StoreGaugesOptions {
  /** Time between the end of one read and the start of the next. */
  intervalMs: number;
  log: Log;
  clock?: () => number;
}

/**
 * Reads the store's figures at start and then every `intervalMs`, one read at a time, on an unref'd timer (it
 * never holds the process open). A failed read keeps the last figures and logs a warning: /metrics keeps
 * answering while the store is down, and the timestamp gauge shows how old the figures are.
 */
export function startStoreGauges(stats: () => Promise<StoreStats>, opts: StoreGaugesOptions): StoreGauges {
  const clock = opts.clock ?? Date.now;
  let last: { stats: StoreStats; at: number } | undefined;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  function refresh(): Promise<void> {
    running ??= (async () => {
      try {
        const s = await stats();
        if (!stopped) last = { stats: { pending: s.pending, saldoTotal: s.saldoTotal }, at: clock() };
      } catch (err) {
        if (!stopped) opts.log.warn({ err: String(err) }, 'store gauges not refreshed; /metrics keeps the last figures');
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  function loop(): void {
    void refresh().then(() => {
      if (stopped) return;
      timer = setTimeout(loop, opts.intervalMs);
      timer.unref();
    });
  }
  loop();

  return {
    current: () => last,
    refresh,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
