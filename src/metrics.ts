/** Prometheus metrics (prom-client), one registry per process, served at GET /metrics. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  messagesIn: Counter<'channel'>;
  messagesOut: Counter<'channel'>;
  inquiries: Counter<'provider' | 'outcome'>;
  payments: Counter<'provider' | 'outcome'>;
  providerLatency: Histogram<'provider' | 'op'>;
}

/** `collect` supplies the gauges that are read from the store at scrape time. */
export function createMetrics(collect?: () => Promise<{ pending: number; saldoTotal: number }>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const m: Metrics = {
    registry,
    messagesIn: new Counter({ name: 'ppob_messages_in_total', help: 'Messages received, by channel', labelNames: ['channel'], registers: [registry] }),
    messagesOut: new Counter({ name: 'ppob_messages_out_total', help: 'Messages sent, by channel', labelNames: ['channel'], registers: [registry] }),
    inquiries: new Counter({ name: 'ppob_inquiries_total', help: 'Bill inquiries, by provider and outcome', labelNames: ['provider', 'outcome'], registers: [registry] }),
    payments: new Counter({ name: 'ppob_payments_total', help: 'Payment outcomes, by provider and outcome (settled, failed, pending)', labelNames: ['provider', 'outcome'], registers: [registry] }),
    providerLatency: new Histogram({
      name: 'ppob_provider_latency_seconds',
      help: 'Provider call time, by provider and operation',
      labelNames: ['provider', 'op'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
  if (collect) {
    let last: Promise<{ pending: number; saldoTotal: number }> | undefined;
    // Both gauges come from one store read per scrape.
    const read = () => {
      last ??= collect().finally(() => {
        setTimeout(() => {
          last = undefined;
        }, 1000).unref();
      });
      return last;
    };
    new Gauge({
      name: 'ppob_pending_transactions', help: 'Transactions not yet final', registers: [registry],
      async collect() { this.set((await read()).pending); },
    });
    new Gauge({
      name: 'ppob_saldo_total_rupiah', help: 'Sum of every user saldo (what the operator owes its resellers)', registers: [registry],
      async collect() { this.set((await read()).saldoTotal); },
    });
  }
  return m;
}
