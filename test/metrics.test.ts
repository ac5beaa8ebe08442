/**
 * The store's gauges (pending transactions, total saldo) come from a bounded background read, never from a
 * store read at scrape time: a scrape costs no Redis read however many users there are, and /metrics keeps
 * answering, with the last figures, while Redis is down.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../src/bot/store.ts';
import { startHttpServer, type HttpServer } from '../src/http/server.ts';
import { createMetrics, startStoreGauges, type StoreGauges, type StoreStats } from '../src/metrics.ts';
import { createRedisStore } from '../src/store/redis-store.ts';
import { startTestBot, type TestBot } from './helpers/app.ts';
import { type AnswerDropper, answerDropper, assertRedis, dropPrefix, redisUrl, uniquePrefix } from './helpers/redis.ts';
import { credit } from './helpers/credit.ts';

const silent = pino({ level: 'silent' });
let bot: TestBot | undefined;
let http: HttpServer | undefined;
let gauges: StoreGauges | undefined;
let store: Store | undefined;
let relay: AnswerDropper | undefined;
let prefix: string | undefined;
afterEach(async () => {
  gauges?.stop();
  await http?.close();
  await bot?.stop();
  if (prefix) await dropPrefix(redisUrl(), prefix);
  await store?.close();
  await relay?.close();
  bot = http = gauges = store = relay = prefix = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The value of an unlabelled metric in Prometheus text. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** A Redis store (through a relay that can take Redis away) holding two resellers' saldo. */
async function storeWithSaldo(): Promise<Store> {
  await assertRedis();
  relay = await answerDropper();
  prefix = uniquePrefix('metrics');
  store = createRedisStore({ url: relay.url, prefix, log: silent });
  await credit(store, 'telegram:1', 250_000, { note: 'test' });
  await credit(store, 'telegram:2', 100_000, { note: 'test' });
  return store;
}

function counting(read: () => Promise<StoreStats>): { read: () => Promise<StoreStats>; calls: () => number; most: () => number } {
  let calls = 0;
  let running = 0;
  let most = 0;
  return {
    async read() {
      calls++;
      most = Math.max(most, ++running);
      try {
        return await read();
      } finally {
        running--;
      }
    },
    calls: () => calls,
    most: () => most,
  };
}

describe('the store gauges on /metrics', () => {
  it('a scrape reads nothing from the store, however often it comes', async () => {
    bot = await startTestBot();
    const realStats = bot.store.stats.bind(bot.store);
    const stats = counting(realStats);
    bot.store.stats = stats.read;
    http = await startHttpServer({ app: bot.app, log: silent, port: 0 });
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${http.url}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(sample(text, 'ppob_saldo_total_rupiah')).toBeDefined();
      expect(sample(text, 'ppob_pending_transactions')).toBeDefined();
      await sleep(300);
    }
    expect(stats.calls()).toBe(0);
  });

  it('/metrics answers 200 with the last figures while Redis is down, and logs the failed read', async () => {
    const s = await storeWithSaldo();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pino({ level: 'warn' }, sink);
    gauges = startStoreGauges(() => s.stats(), { intervalMs: 60_000, log });
    await gauges.refresh();
    const metrics = createMetrics(gauges.current);
    const health = async () => ({ ok: true, store: { kind: 'redis', up: true }, channels: {}, states: {} });
    http = await startHttpServer({ app: { metrics, health }, log: silent, port: 0 });
    const before = await (await fetch(`${http.url}/metrics`)).text();
    expect(sample(before, 'ppob_saldo_total_rupiah')).toBe(350_000);
    const at = sample(before, 'ppob_store_gauges_timestamp_seconds')!;
    expect(at).toBeGreaterThan(Date.now() / 1000 - 60);

    relay!.down(10_000);
    await gauges.refresh();
    expect(lines.join('')).toContain('store gauges not refreshed');
    const t0 = Date.now();
    const res = await fetch(`${http.url}/metrics`);
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(1_000);
    const during = await res.text();
    expect(sample(during, 'ppob_saldo_total_rupiah')).toBe(350_000);
    expect(sample(during, 'ppob_pending_transactions')).toBe(0);
    // The age shows the figures are old.
    expect(sample(during, 'ppob_store_gauges_timestamp_seconds')).toBe(at);
  }, 20_000);

  it('the bot answers /metrics 200 at once while its Redis is down', async () => {
    bot = await startTestBot({ relay: true });
    http = await startHttpServer({ app: bot.app, log: silent, port: 0 });
    expect((await fetch(`${http.url}/metrics`)).status).toBe(200);
    await sleep(1_200);
    bot.relay!.down(8_000);
    const t0 = Date.now();
    const res = await fetch(`${http.url}/metrics`);
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(sample(await res.text(), 'ppob_pending_transactions')).toBe(0);
    // Redis back before the bot stops, so its stop is not the test.
    await sleep(8_500);
  }, 30_000);

  it('reads at start and then every interval, one read at a time, and not after stop', async () => {
    const s = await storeWithSaldo();
    // Each read is slower than the interval: a second read must not start beside a running one.
    const stats = counting(async () => {
      await sleep(120);
      return s.stats();
    });
    gauges = startStoreGauges(stats.read, { intervalMs: 40, log: silent });
    expect(stats.calls()).toBe(1);
    await Promise.all([gauges.refresh(), gauges.refresh()]);
    expect(stats.calls()).toBe(1);
    expect(gauges.current()?.stats).toEqual({ pending: 0, saldoTotal: 350_000 });
    await sleep(700);
    expect(stats.calls()).toBeGreaterThanOrEqual(3);
    expect(stats.most()).toBe(1);
    gauges.stop();
    await sleep(200);
    const after = stats.calls();
    await sleep(300);
    expect(stats.calls()).toBe(after);
  });
});
