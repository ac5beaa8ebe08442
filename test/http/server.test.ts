/**
 * The operator's HTTP server: /healthz (200, or 503 when Redis or a channel is down), /metrics in
 * Prometheus text with the Telegram channel's counters, and a clean close.
 */
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics.ts';
import { startHttpServer, type HttpServer } from '../../src/http/server.ts';
import { textUpdate } from '../helpers/fake-bot-api.ts';
import { startTelegramBot, type TelegramTestBot, TG_RESELLER } from '../channels/telegram/harness.ts';

const silent = pino({ level: 'silent' });
let bot: TelegramTestBot | undefined;
let http: HttpServer | undefined;
afterEach(async () => {
  await http?.close();
  await bot?.stop();
  bot = undefined;
  http = undefined;
});

describe('the operator HTTP server', () => {
  it('GET /healthz reports Redis and each channel', async () => {
    bot = await startTelegramBot();
    http = await startHttpServer({ app: bot.app, log: silent, port: 0, host: '127.0.0.1' });
    const res = await fetch(`${http.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as { ok: boolean; store: unknown; channels: Record<string, boolean> };
    expect(body).toMatchObject({ ok: true, store: { kind: 'redis', up: true }, channels: { telegram: true } });
    expect(Object.values(body.channels).every(Boolean)).toBe(true);
  });

  it('answers 503 when a channel is down, and again 200 when it is back', async () => {
    bot = await startTelegramBot();
    let up = false;
    await bot.app.attach({ name: 'whatsapp', async start() {}, async send() {}, async stop() {}, up: () => up });
    http = await startHttpServer({ app: bot.app, log: silent, port: 0, host: '127.0.0.1' });
    const down = await fetch(`${http.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, channels: { whatsapp: false, telegram: true } });
    up = true;
    expect((await fetch(`${http.url}/healthz`)).status).toBe(200);
    // A stopped Telegram channel is down too.
    await bot.channel.stop();
    const stopped = await fetch(`${http.url}/healthz`);
    expect(stopped.status).toBe(503);
    expect(await stopped.json()).toMatchObject({ channels: { telegram: false } });
  });

  it('answers 503 when the health check itself does not answer', async () => {
    const metrics = createMetrics();
    http = await startHttpServer({ app: { metrics, health: () => new Promise(() => {}) }, log: silent, port: 0, host: '127.0.0.1' });
    const t0 = Date.now();
    const res = await fetch(`${http.url}/healthz`);
    expect(res.status).toBe(503);
    expect(Date.now() - t0).toBeLessThan(4_000);
  });

  it('GET /metrics serves Prometheus text with messages in and out by channel', async () => {
    bot = await startTelegramBot();
    http = await startHttpServer({ app: bot.app, log: silent, port: 0, host: '127.0.0.1' });
    bot.api.enqueue(textUpdate(TG_RESELLER, 'SALDO'));
    await bot.nth(TG_RESELLER, 1);
    const res = await fetch(`${http.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(bot.app.metrics.registry.contentType);
    const text = await res.text();
    expect(text).toContain('ppob_messages_in_total{channel="telegram"} 1');
    expect(text).toContain('ppob_messages_out_total{channel="telegram"} 1');
    expect(text).toContain('ppob_pending_transactions');
    expect(text).toContain('ppob_provider_latency_seconds');
  });

  it('404 for unknown paths, 405 for other methods, and routes added by channels', async () => {
    const metrics = createMetrics();
    http = await startHttpServer({ app: { metrics, health: async () => ({ ok: true, store: { kind: 'memory', up: true }, channels: {}, states: {} }) }, log: silent, port: 0, host: '127.0.0.1' });
    expect((await fetch(`${http.url}/nope`)).status).toBe(404);
    expect((await fetch(`${http.url}/healthz`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${http.url}/healthz?x=1`)).status).toBe(200);
    http.route('/hook', (_req, res) => res.writeHead(204).end());
    expect((await fetch(`${http.url}/hook`, { method: 'POST' })).status).toBe(204);
  });

  it('listens on loopback only unless told otherwise: another address of this machine is refused', async () => {
    const metrics = createMetrics();
    const app = { metrics, health: async () => ({ ok: true, store: { kind: 'memory', up: true }, channels: {}, states: {} }) };
    http = await startHttpServer({ app, log: silent, port: 0 });
    expect(http.host).toBe('127.0.0.1');
    expect((await fetch(`http://127.0.0.1:${http.port}/healthz`)).status).toBe(200);
    const outside = externalAddress();
    if (outside) await expect(fetch(`http://${outside}:${http.port}/healthz`)).rejects.toThrow();
    await http.close();
    // Every interface when asked (HTTP_HOST=0.0.0.0, as compose sets it inside its network).
    http = await startHttpServer({ app, log: silent, port: 0, host: '0.0.0.0' });
    expect(http.host).toBe('0.0.0.0');
    if (outside) expect((await fetch(`http://${outside}:${http.port}/healthz`)).status).toBe(200);
  });

  it('closes promptly with an idle keep-alive connection open', async () => {
    const metrics = createMetrics();
    http = await startHttpServer({ app: { metrics, health: async () => ({ ok: true, store: { kind: 'memory', up: true }, channels: {}, states: {} }) }, log: silent, port: 0, host: '127.0.0.1' });
    const agentRes = await new Promise<number>((resolve, reject) => {
      const req = request(`${http!.url}/healthz`, { headers: { connection: 'keep-alive' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    expect(agentRes).toBe(200);
    const t0 = Date.now();
    await http.close();
    expect(Date.now() - t0).toBeLessThan(1_000);
    await expect(fetch(`${http.url}/healthz`)).rejects.toThrow();
    http = undefined;
  });
});

/** An IPv4 address of this machine that is not loopback, if it has one. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}
