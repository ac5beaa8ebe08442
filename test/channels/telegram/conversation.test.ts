/**
 * A Telegram conversation over long polling, end to end: the fake Bot API server, the runner, the core,
 * real Redis and the MMBC simulator over HTTP. A tap is the same as typing YA or BATAL, and pays once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerBalances, RESELLER } from '../../helpers/app.ts';
import { mediaUpdate, tapUpdate, textUpdate } from '../../helpers/fake-bot-api.ts';
import { button, sleep, startTelegramBot, type TelegramTestBot, tg, TG_CUSTOMER, TG_RESELLER } from './harness.ts';

let bot: TelegramTestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const BILL = '532100112233'; // SITI AMINAH in the simulator

describe('a Telegram conversation (long polling)', () => {
  it('inquiry, a summary with Bayar and Batal, a tap on Bayar, the receipt; the buttons are removed', async () => {
    bot = await startTelegramBot();
    const { api } = bot;
    api.enqueue(textUpdate(TG_RESELLER, `PLN ${BILL}`));
    const summary = await bot.nth(TG_RESELLER, 1);
    expect(summary.text).toContain('SITI AMINAH');
    expect(summary.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Bayar', 'Batal']);
    // The same words as on any other channel: the console user gets this very summary.
    expect(summary.text).toBe(await bot.say(RESELLER, `PLN ${BILL}`));

    const saldo = await bot.store.getSaldo(tg(TG_RESELLER));
    const tap = api.enqueue(tapUpdate(TG_RESELLER, summary.message_id, button(summary, 'Bayar')));
    const receipt = await bot.nth(TG_RESELLER, 2);
    expect(receipt.text).toContain('STRUK PEMBAYARAN');
    expect(receipt.reply_markup).toBeUndefined();
    expect(api.callsOf('answerCallbackQuery')).toHaveLength(1);
    const edit = api.callsOf('editMessageReplyMarkup');
    expect(edit).toHaveLength(1);
    expect(edit[0]!.payload).toMatchObject({ chat_id: TG_RESELLER, message_id: summary.message_id });
    expect(edit[0]!.payload.reply_markup).toBeUndefined(); // no markup: the keyboard is removed
    // The keyboard went before the receipt came.
    expect(api.calls.indexOf(edit[0]!)).toBeLessThan(api.calls.findIndex((c) => c.method === 'sendMessage' && c.payload.text === receipt.text));

    const [tx] = await bot.store.listTx(tg(TG_RESELLER), 1);
    expect(tx?.status).toBe('SETTLED');
    expect(await bot.store.getSaldo(tg(TG_RESELLER))).toBe(saldo - tx!.quote.price);
    expect(bot.sim.payments.filter((p) => p.customerNo === BILL)).toHaveLength(1);
    expect(await ledgerBalances(bot.store, tg(TG_RESELLER))).toBe(true);
    expect(tap).toBeGreaterThan(0);
  });

  it('shows the summary and the receipt in a fixed-width font, so their amounts line up; other replies as plain text', async () => {
    bot = await startTelegramBot();
    const { api } = bot;
    const sent = (text: string) => api.callsOf('sendMessage').find((c) => c.payload.text === text)!.payload;
    api.enqueue(textUpdate(TG_RESELLER, `PLN ${BILL}`));
    const summary = await bot.nth(TG_RESELLER, 1);
    api.enqueue(textUpdate(TG_RESELLER, 'YA'));
    const receipt = await bot.nth(TG_RESELLER, 2);
    api.enqueue(textUpdate(TG_RESELLER, 'SALDO'));
    const saldo = await bot.nth(TG_RESELLER, 3);
    expect(receipt.text).toContain('STRUK PEMBAYARAN');
    // One `pre` entity over the whole text: no parse mode, so nothing in the text needs escaping.
    expect(sent(summary.text).entities).toEqual([{ type: 'pre', offset: 0, length: summary.text.length }]);
    expect(sent(receipt.text).entities).toEqual([{ type: 'pre', offset: 0, length: receipt.text.length }]);
    expect(sent(summary.text).parse_mode).toBeUndefined();
    expect(sent(saldo.text).entities).toBeUndefined();
  });

  it('a double tap pays once', async () => {
    bot = await startTelegramBot();
    const { api } = bot;
    api.enqueue(textUpdate(TG_RESELLER, `PLN ${BILL}`));
    const summary = await bot.nth(TG_RESELLER, 1);
    const data = button(summary, 'Bayar');
    api.enqueue(tapUpdate(TG_RESELLER, summary.message_id, data));
    api.enqueue(tapUpdate(TG_RESELLER, summary.message_id, data));
    const [a, b] = [await bot.nth(TG_RESELLER, 2), await bot.nth(TG_RESELLER, 3)];
    expect(a.text).toContain('STRUK PEMBAYARAN');
    expect(b.text).toContain('Tidak ada tagihan yang menunggu');
    expect(bot.sim.payments).toHaveLength(1);
    expect(api.callsOf('answerCallbackQuery')).toHaveLength(2);
    expect(await ledgerBalances(bot.store, tg(TG_RESELLER))).toBe(true);
  });

  it('a tap after a typed YA pays once', async () => {
    bot = await startTelegramBot();
    const { api } = bot;
    api.enqueue(textUpdate(TG_RESELLER, `PLN ${BILL}`));
    const summary = await bot.nth(TG_RESELLER, 1);
    api.enqueue(textUpdate(TG_RESELLER, 'ya'));
    expect((await bot.nth(TG_RESELLER, 2)).text).toContain('STRUK PEMBAYARAN');
    api.enqueue(tapUpdate(TG_RESELLER, summary.message_id, button(summary, 'Bayar')));
    expect((await bot.nth(TG_RESELLER, 3)).text).toContain('Tidak ada tagihan yang menunggu');
    expect(bot.sim.payments).toHaveLength(1);
  });

  it("an older summary's Bayar after a new inquiry pays nothing; the new one's pays", async () => {
    bot = await startTelegramBot();
    const { api } = bot;
    api.enqueue(textUpdate(TG_RESELLER, `PLN ${BILL}`));
    const first = await bot.nth(TG_RESELLER, 1);
    api.enqueue(textUpdate(TG_RESELLER, 'PLN 123456789'));
    const second = await bot.nth(TG_RESELLER, 2);
    expect(second.text).toContain('SUYITNO');
    api.enqueue(tapUpdate(TG_RESELLER, first.message_id, button(first, 'Bayar')));
    expect((await bot.nth(TG_RESELLER, 3)).text).toContain('Ringkasan itu sudah diganti');
    expect(bot.sim.payments).toHaveLength(0);
    // A stale Batal does not cancel the open summary either.
    api.enqueue(tapUpdate(TG_RESELLER, first.message_id, button(first, 'Batal')));
    await bot.nth(TG_RESELLER, 4);
    api.enqueue(tapUpdate(TG_RESELLER, second.message_id, button(second, 'Bayar')));
    expect((await bot.nth(TG_RESELLER, 5)).text).toContain('STRUK PEMBAYARAN');
    expect(bot.sim.payments.map((p) => p.customerNo)).toEqual(['123456789']);
  });

  it('a tap on Batal cancels the summary', async () => {
    bot = await startTelegramBot();
    bot.api.enqueue(textUpdate(TG_RESELLER, `PLN ${BILL}`));
    const summary = await bot.nth(TG_RESELLER, 1);
    bot.api.enqueue(tapUpdate(TG_RESELLER, summary.message_id, button(summary, 'Batal')));
    await bot.say(RESELLER, `PLN ${BILL}`);
    expect((await bot.nth(TG_RESELLER, 2)).text).toBe(await bot.say(RESELLER, 'BATAL'));
    expect(await bot.store.getQuote(tg(TG_RESELLER))).toBeFalsy();
  });

  it('a customer sees the bill without buttons and is told how to become a reseller; a bad number names the form', async () => {
    bot = await startTelegramBot();
    const { api } = bot;
    api.enqueue(textUpdate(TG_CUSTOMER, `PLN ${BILL}`));
    const summary = await bot.nth(TG_CUSTOMER, 1);
    expect(summary.text).toContain('SITI AMINAH');
    expect(summary.reply_markup).toBeUndefined();
    api.enqueue(textUpdate(TG_CUSTOMER, 'YA'));
    expect((await bot.nth(TG_CUSTOMER, 2)).text).toBe(await bot.say('test:someone', 'YA'));
    api.enqueue(textUpdate(TG_CUSTOMER, 'PLN 12AB'));
    const bad = await bot.nth(TG_CUSTOMER, 3);
    expect(bad.text).toBe(await bot.say('test:someone', 'PLN 12AB'));
    expect(bot.sim.payments).toHaveLength(0);
  });

  it('the same update delivered three times has one effect', async () => {
    bot = await startTelegramBot();
    const { api } = bot;
    const inquiry = { ...textUpdate(TG_RESELLER, `PLN ${BILL}`), update_id: 500 };
    for (let i = 0; i < 3; i++) api.enqueue(inquiry);
    const summary = await bot.nth(TG_RESELLER, 1);
    const tap = { ...tapUpdate(TG_RESELLER, summary.message_id, button(summary, 'Bayar')), update_id: 501 };
    for (let i = 0; i < 3; i++) api.enqueue(tap);
    await bot.nth(TG_RESELLER, 2);
    await sleep(300);
    expect(api.sent(TG_RESELLER)).toHaveLength(2);
    expect(bot.sim.calls.cektagihan).toBe(1);
    expect(bot.sim.payments).toHaveLength(1);
    expect(api.callsOf('answerCallbackQuery')).toHaveLength(1);
  });

  it('stickers, photos, voice and documents get one polite line each, and no provider call', async () => {
    bot = await startTelegramBot();
    const before = { ...bot.sim.calls };
    const kinds = ['sticker', 'photo', 'voice', 'document'] as const;
    for (const kind of kinds) bot.api.enqueue(mediaUpdate(TG_RESELLER, kind));
    await bot.nth(TG_RESELLER, kinds.length);
    await sleep(200);
    const [polite] = await bot.app.bot.handle({ user: 'test:someone', text: '', kind: 'media' });
    for (const m of bot.api.sent(TG_RESELLER)) expect(m.text).toBe(polite?.text);
    expect(bot.api.sent(TG_RESELLER)).toHaveLength(kinds.length);
    expect(bot.sim.calls).toEqual(before);
  });

  it('a message over 1,000 characters is refused with one line; /start and /saldo@bot work', async () => {
    bot = await startTelegramBot();
    const { api } = bot;
    api.enqueue(textUpdate(TG_RESELLER, `PLN ${'1'.repeat(1200)}`));
    expect((await bot.nth(TG_RESELLER, 1)).text).toContain('terlalu panjang');
    api.enqueue(textUpdate(TG_RESELLER, '/start'));
    expect((await bot.nth(TG_RESELLER, 2)).text).toBe(await bot.say(RESELLER, '/start'));
    api.enqueue(textUpdate(TG_RESELLER, `/saldo@${api.botInfo.username}`));
    expect((await bot.nth(TG_RESELLER, 3)).text).toContain('Rp 1.000.000');
    expect(bot.sim.calls.cektagihan).toBe(0);
  });

  it('a pending payment settled later by the recheck worker reaches the user', async () => {
    bot = await startTelegramBot();
    const { api } = bot;
    api.enqueue(textUpdate(TG_RESELLER, 'PLN 500000000001'));
    const summary = await bot.nth(TG_RESELLER, 1);
    api.enqueue(tapUpdate(TG_RESELLER, summary.message_id, button(summary, 'Bayar')));
    expect((await bot.nth(TG_RESELLER, 2)).text).toContain('sedang diproses');
    bot.advance(2_000);
    await bot.app.worker.tick();
    bot.advance(5_000);
    await bot.app.worker.tick();
    const receipt = await bot.nth(TG_RESELLER, 3);
    expect(receipt.text).toContain('STRUK PEMBAYARAN');
    expect(receipt.text).toContain('BAMBANG SUTRISNO');
  });

  it('a 429 from Telegram is waited out and the reply still arrives', async () => {
    bot = await startTelegramBot();
    bot.api.rateLimit('sendMessage', 1, 1);
    const t0 = Date.now();
    bot.api.enqueue(textUpdate(TG_RESELLER, 'SALDO'));
    expect((await bot.nth(TG_RESELLER, 1, 8_000)).text).toContain('Rp 1.000.000');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    // The refused attempt, then the retry after retry_after.
    expect(bot.api.callsOf('sendMessage').map((c) => Boolean(c.refused))).toEqual([true, false]);
    await sleep(100);
    expect(bot.api.sent(TG_RESELLER)).toHaveLength(1);
  });
});
