/**
 * Webhook mode: the route on the operator's HTTP server, the secret header, and an answer that never waits
 * for the core (a slow provider must not delay Telegram's acknowledgement).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { startHttpServer, type HttpServer } from '../../../src/http/server.ts';
import { SECRET_HEADER } from '../../../src/channels/telegram/index.ts';
import { pino } from 'pino';
import { tapUpdate, textUpdate } from '../../helpers/fake-bot-api.ts';
import { button, sleep, startTelegramBot, type TelegramTestBot, TG_RESELLER } from './harness.ts';

const HOOK = 'https://bot.example.com/telegram/hook-7f3a';
const SECRET = 'test-webhook-secret_1';

let bot: TelegramTestBot | undefined;
let http: HttpServer | undefined;
afterEach(async () => {
  await bot?.stop();
  await http?.close();
  bot = undefined;
  http = undefined;
});

let nextId = 9000;
async function start(env: Record<string, string> = {}): Promise<{ bot: TelegramTestBot; post: (u: object, secret?: string | null) => Promise<{ status: number; ms: number }> }> {
  const b = await startTelegramBot({ env, channel: { webhook: { url: HOOK, secret: SECRET } } });
  const hook = b.channel.webhook!;
  http = await startHttpServer({ app: b.app, log: pino({ level: 'silent' }), port: 0, host: '127.0.0.1', routes: { [hook.path]: hook.handler } });
  const url = `${http.url}${hook.path}`;
  bot = b;
  return {
    bot: b,
    async post(update, secret = SECRET) {
      const body = 'update_id' in update ? update : { ...update, update_id: nextId++ };
      const t0 = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret === null ? {} : { [SECRET_HEADER]: secret }) },
        body: JSON.stringify(body),
      });
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - t0 };
    },
  };
}

describe('Telegram webhook mode', () => {
  it('registers the URL and secret with Telegram at start, and never polls', async () => {
    const { bot } = await start();
    expect(bot.api.callsOf('setWebhook')).toHaveLength(1);
    expect(bot.api.webhook).toEqual({ url: HOOK, secret: SECRET });
    expect(bot.api.callsOf('getUpdates')).toHaveLength(0);
    expect(bot.channel.webhook?.path).toBe('/telegram/hook-7f3a');
    expect(bot.channel.up?.()).toBe(true);
  });

  it('refuses a wrong or missing secret with 401 and processes nothing', async () => {
    const { bot, post } = await start();
    expect((await post(textUpdate(TG_RESELLER, 'PLN 532100112233'), 'wrong-secret')).status).toBe(401);
    expect((await post(textUpdate(TG_RESELLER, 'PLN 532100112233'), null)).status).toBe(401);
    expect((await post(textUpdate(TG_RESELLER, 'PLN 532100112233'), `${SECRET}x`)).status).toBe(401);
    await sleep(300);
    expect(bot.sim.calls.cektagihan).toBe(0);
    expect(bot.api.sent()).toEqual([]);
    expect((await bot.app.metrics.messagesIn.get()).values).toEqual([]);
  });

  it('accepts the right secret: a whole paid conversation with a tap', async () => {
    const { bot, post } = await start();
    expect((await post(textUpdate(TG_RESELLER, 'PLN 532100112233'))).status).toBe(200);
    const summary = await bot.nth(TG_RESELLER, 1);
    expect((await post(tapUpdate(TG_RESELLER, summary.message_id, button(summary, 'Bayar')))).status).toBe(200);
    expect((await bot.nth(TG_RESELLER, 2)).text).toContain('STRUK PEMBAYARAN');
    expect(bot.api.callsOf('editMessageReplyMarkup')).toHaveLength(1);
    expect(bot.sim.payments).toHaveLength(1);
  });

  it('answers at once while the provider is slow; the reply follows as a new message, in order', async () => {
    const { bot, post } = await start({ PROVIDER_TIMEOUT_MS: '5000' });
    bot.sim.setDelay(1_000);
    const first = await post(textUpdate(TG_RESELLER, 'PLN 532100112233'));
    const second = await post(textUpdate(TG_RESELLER, 'YA'));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(Math.max(first.ms, second.ms)).toBeLessThan(200);
    expect(bot.api.sent(TG_RESELLER)).toHaveLength(0);
    expect((await bot.nth(TG_RESELLER, 1, 8_000)).text).toContain('SITI AMINAH');
    // YA waited for the summary it answers: one chat's updates are handled in order.
    expect((await bot.nth(TG_RESELLER, 2, 8_000)).text).toContain('STRUK PEMBAYARAN');
  });

  it('the same update delivered three times has one effect', async () => {
    const { bot, post } = await start();
    const update = { ...textUpdate(TG_RESELLER, 'PLN 532100112233'), update_id: 777 };
    const statuses = await Promise.all([post(update), post(update), post(update)]);
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 200]);
    await bot.nth(TG_RESELLER, 1);
    await sleep(300);
    expect(bot.api.sent(TG_RESELLER)).toHaveLength(1);
    expect(bot.sim.calls.cektagihan).toBe(1);
  });

  it('refuses what is not an update, and other methods', async () => {
    const { bot } = await start();
    const url = `${http!.url}${bot.channel.webhook!.path}`;
    const bad = await fetch(url, { method: 'POST', headers: { [SECRET_HEADER]: SECRET }, body: '{"message":' });
    expect(bad.status).toBe(400);
    const get = await fetch(url, { headers: { [SECRET_HEADER]: SECRET } });
    expect(get.status).toBe(405);
  });

  it('while stopping: finishes what it took, and answers 503 to new updates so Telegram sends them again', async () => {
    const { bot, post } = await start({ PROVIDER_TIMEOUT_MS: '5000' });
    bot.sim.setDelay(500);
    expect((await post(textUpdate(TG_RESELLER, 'PLN 532100112233'))).status).toBe(200);
    await bot.api.waitFor(() => bot.sim.calls.cektagihan === 1, 'inquiry in flight');
    const stopping = bot.channel.stop();
    expect((await post(textUpdate(TG_RESELLER, 'SALDO') as Update)).status).toBe(503);
    await stopping;
    expect(bot.api.sent(TG_RESELLER).map((m) => m.text)).toEqual([expect.stringContaining('SITI AMINAH')]);
    expect(bot.channel.up?.()).toBe(false);
  });
});
