/**
 * Groups and channels: bills are private, so a group message never reaches a provider, and the bot says at
 * most one line there (pointing to a private chat), only when spoken to, once per group per hour.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { channelPostUpdate, groupUpdate } from '../../helpers/fake-bot-api.ts';
import { sleep, startTelegramBot, type TelegramTestBot, TG_RESELLER } from './harness.ts';

let bot: TelegramTestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const GROUP = -1001234567890;
const OTHER_GROUP = -1009876543210;

async function messagesIn(b: TelegramTestBot): Promise<number> {
  const m = await b.app.metrics.messagesIn.get();
  return m.values.find((v) => v.labels.channel === 'telegram')?.value ?? 0;
}

describe('Telegram groups and channels', () => {
  it('a group message makes no inquiry and gets no answer when the bot is not addressed', async () => {
    bot = await startTelegramBot();
    bot.api.enqueue(groupUpdate(TG_RESELLER, GROUP, 'PLN 532100112233'));
    bot.api.enqueue(groupUpdate(TG_RESELLER, GROUP, 'YA'));
    bot.api.enqueue(channelPostUpdate(-1005555, 'PLN 532100112233'));
    await bot.api.waitFor(() => bot!.api.pending() === 0, 'updates taken');
    await sleep(300);
    expect(await messagesIn(bot)).toBe(3);
    expect(bot.sim.calls.cektagihan).toBe(0);
    expect(bot.api.sent()).toEqual([]);
    expect(await bot.store.getQuote(`telegram:${TG_RESELLER}`)).toBeFalsy();
  });

  it('a group gets one line pointing to a private chat when addressed, and no more within the hour', async () => {
    bot = await startTelegramBot();
    const name = bot.api.botInfo.username;
    bot.api.enqueue(groupUpdate(TG_RESELLER, GROUP, `/cek@${name} PLN 532100112233`));
    const line = await bot.nth(GROUP, 1);
    expect(line.text).toContain(`https://t.me/${name}`);
    bot.api.enqueue(groupUpdate(TG_RESELLER, GROUP, `@${name} PLN 532100112233`));
    bot.api.enqueue(groupUpdate(TG_RESELLER, GROUP, '/saldo'));
    bot.api.enqueue(groupUpdate(TG_RESELLER, OTHER_GROUP, '/start@another_bot'));
    bot.api.enqueue(groupUpdate(TG_RESELLER, OTHER_GROUP, 'halo semua'));
    await bot.api.waitFor(() => bot!.api.pending() === 0, 'updates taken');
    await sleep(300);
    expect(bot.api.sent(GROUP)).toHaveLength(1);
    expect(bot.api.sent(OTHER_GROUP)).toHaveLength(0);
    bot.api.enqueue(groupUpdate(TG_RESELLER, OTHER_GROUP, `halo @${name}`));
    expect((await bot.nth(OTHER_GROUP, 1)).text).toBe(line.text);
    expect(bot.sim.calls.cektagihan).toBe(0);
  });
});
