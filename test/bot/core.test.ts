/**
 * What the core says about the shape of its replies, for every channel to render: a bill summary and a
 * receipt are laid out in columns (fixed width where the channel has it), a receipt that comes later too;
 * the rest is plain text.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RESELLER, STORES, startTestBot, type TestBot } from '../helpers/app.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe.each(STORES)('replies laid out in columns (%s store)', (kind) => {
  it('are the summary and the receipt, also one that comes after a pending payment; not the saldo or the pending notice', async () => {
    bot = await startTestBot({ store: kind });
    const handle = (text: string) => bot!.app.bot.handle({ user: RESELLER, text });
    const [summary] = await handle('PLN 532100112233');
    expect(summary).toMatchObject({ fixedWidth: true });
    expect(summary!.text).toContain('Saldo dipotong');
    const [receipt] = await handle('YA');
    expect(receipt).toMatchObject({ fixedWidth: true });
    expect(receipt!.text).toContain('STRUK PEMBAYARAN');
    const [saldo] = await handle('SALDO');
    expect(saldo!.fixedWidth).toBeUndefined();

    await handle('PLN 500000000001');
    const [pending] = await handle('YA');
    expect(pending!.text).toContain('sedang diproses');
    expect(pending!.fixedWidth).toBeUndefined();
    // The simulator answers pending at the first status check and confirm at the next.
    for (const ms of [2_000, 5_000]) {
      bot.advance(ms);
      await bot.app.worker.tick();
    }
    const [later] = bot.inbox.get(RESELLER) ?? [];
    expect(later?.text).toContain('STRUK PEMBAYARAN');
    expect(later).toMatchObject({ fixedWidth: true });
  });
});

describe.each(STORES)('STATUS (%s store)', (kind) => {
  it("says an open payment is being checked, in the user's language, and a failed one's reason", async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(RESELLER, 'PLN 500000000002'); // the biller times out: pending, the reason our own note
    await bot.say(RESELLER, 'YA');
    const [open] = await bot.store.listTx(RESELLER, 1);
    const status = await bot.say(RESELLER, `STATUS ${open!.id}`);
    expect(status).toContain('menunggu kepastian');
    expect(status).toContain('dicek otomatis');
    expect(status).not.toMatch(/timed out|unreachable|mmbc/i);

    await bot.say(RESELLER, 'GOPAY 081200000003 100000'); // the biller answers REFUND
    await bot.say(RESELLER, 'YA');
    const [failed] = await bot.store.listTx(RESELLER, 1);
    expect(await bot.say(RESELLER, `STATUS ${failed!.id}`)).toContain('biller mengembalikan dananya (REFUND)');
  });
});

describe.each(STORES)('BATAL (%s store)', (kind) => {
  it('tells a customer it is cancelled, without speaking of a saldo they do not have', async () => {
    bot = await startTestBot({ store: kind });
    await bot.say('telegram:4243', 'PLN 123456789');
    expect(await bot.say('telegram:4243', 'BATAL')).toBe('Dibatalkan.');
    await bot.say(RESELLER, 'PLN 123456789');
    expect(await bot.say(RESELLER, 'BATAL')).toContain('Tidak ada saldo yang dipotong');
  });
});
