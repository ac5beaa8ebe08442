/** A message that carried a PIN is deleted from the Telegram chat once it is read; others are left alone. */
import { afterEach, describe, expect, it } from 'vitest';
import { textUpdate } from '../../helpers/fake-bot-api.ts';
import { sleep, startTelegramBot, type TelegramTestBot, TG_RESELLER } from './harness.ts';

let bot: TelegramTestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe('PIN messages on Telegram', () => {
  it('deletes PIN 4829 and a one-line purchase with its PIN, and not a plain SALDO', async () => {
    bot = await startTelegramBot();
    const { api } = bot;
    const pin = textUpdate(TG_RESELLER, 'PIN 4829');
    api.enqueue(pin);
    expect((await bot.nth(TG_RESELLER, 1)).text).toContain('PIN dibuat');
    const buy = textUpdate(TG_RESELLER, 'PLNS100.14123456789.4829');
    api.enqueue(buy);
    expect((await bot.nth(TG_RESELLER, 2)).text).toContain('TOKEN');
    api.enqueue(textUpdate(TG_RESELLER, 'SALDO'));
    await bot.nth(TG_RESELLER, 3);
    await sleep(50);
    const deleted = api.callsOf('deleteMessage').map((c) => c.payload);
    const ids = [pin, buy].map((u) => (u as { message: { message_id: number } }).message.message_id);
    expect(deleted).toEqual(ids.map((message_id) => ({ chat_id: TG_RESELLER, message_id })));
  });
});
