/**
 * Stopping long polling (what SIGTERM does): no more getUpdates, and every update already taken (whose
 * offset Telegram has been told, so it would never come back) is handled and answered before stop() returns.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { textUpdate } from '../../helpers/fake-bot-api.ts';
import { sleep, startTelegramBot, type TelegramTestBot, TG_RESELLER, TG_RESELLER2 } from './harness.ts';

let bot: TelegramTestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe('stopping the Telegram channel', () => {
  it('finishes in-flight work, including what waits behind it in the same chat, then stops polling', async () => {
    bot = await startTelegramBot({ env: { PROVIDER_TIMEOUT_MS: '5000' } });
    const { api } = bot;
    bot.sim.setDelay(600);
    api.enqueue(textUpdate(TG_RESELLER, 'PLN 532100112233'));
    api.enqueue(textUpdate(TG_RESELLER, 'YA'));
    api.enqueue(textUpdate(TG_RESELLER2, 'PLN 123456789'));
    await api.waitFor(() => bot!.sim.calls.cektagihan === 2, 'two inquiries in flight');
    expect(api.sent()).toHaveLength(0);
    await bot.channel.stop();
    expect(api.sent(TG_RESELLER).map((m) => m.text)).toEqual([expect.stringContaining('SITI AMINAH'), expect.stringContaining('STRUK PEMBAYARAN')]);
    expect(api.sent(TG_RESELLER2).map((m) => m.text)).toEqual([expect.stringContaining('SUYITNO')]);
    expect(bot.channel.up?.()).toBe(false);
    const polls = api.callsOf('getUpdates').length;
    api.enqueue(textUpdate(TG_RESELLER, 'SALDO'));
    await sleep(1_200);
    expect(api.callsOf('getUpdates')).toHaveLength(polls);
    expect(api.sent(TG_RESELLER)).toHaveLength(2);
  });

  it('an update redelivered to the next process after a restart moves nothing again', async () => {
    bot = await startTelegramBot();
    const { api } = bot;
    api.enqueue(textUpdate(TG_RESELLER, 'PLN 532100112233'));
    await bot.nth(TG_RESELLER, 1);
    const ya = { ...textUpdate(TG_RESELLER, 'YA'), update_id: 4242 };
    api.enqueue(ya);
    expect((await bot.nth(TG_RESELLER, 2)).text).toContain('STRUK PEMBAYARAN');
    await bot.channel.stop();
    // A second process on the same Redis and provider is handed the same update (its confirmation was lost).
    const next = await startTelegramBot({ prefix: bot.prefix, sim: bot.sim, api });
    try {
      await next.channel.handleUpdate({ ...ya, update_id: 4242 } as Parameters<typeof next.channel.handleUpdate>[0]);
      await sleep(100);
      expect(api.sent(TG_RESELLER)).toHaveLength(2);
      expect(bot.sim.payments).toHaveLength(1);
    } finally {
      await next.stop();
    }
  });
});
