/**
 * An outcome told later than its debit (a pending bill settled by the recheck, a refund, an admin's SUKSES or
 * GAGAL) shows the saldo the user has when it is told: other payments may have been debited in between, and
 * a receipt or a refund naming the saldo of an hour ago contradicts SALDO.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rupiah } from '../../src/bot/format.ts';
import { ADMIN, RESELLER, STORES, startTestBot, type TestBot } from '../helpers/app.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** A YA that the biller leaves open, then a bill paid at once after it: the saldo moves on. */
async function openThenAnother(b: TestBot, open: string): Promise<string> {
  await b.say(RESELLER, open);
  expect(await b.say(RESELLER, 'YA')).toContain('diproses');
  const [tx] = await b.store.listTx(RESELLER, 1);
  await b.say(RESELLER, 'PLN 123456789');
  expect(await b.say(RESELLER, 'YA')).toContain('STRUK');
  return tx!.id;
}

const last = (b: TestBot) => b.inbox.get(RESELLER)?.at(-1)?.text ?? '';

describe.each(STORES)('an outcome told later than its debit (%s store)', (kind) => {
  it('a receipt from the recheck shows the saldo now', async () => {
    bot = await startTestBot({ store: kind });
    await openThenAnother(bot, 'PLN 500000000001');
    for (const ms of [2_000, 5_000]) {
      bot.advance(ms);
      await bot.app.worker.tick();
    }
    const saldo = await bot.store.getSaldo(RESELLER);
    expect(last(bot)).toContain('STRUK PEMBAYARAN');
    expect(last(bot)).toMatch(new RegExp(`Sisa saldo\\s+${rupiah(saldo).replaceAll('.', '\\.')}`));
  });

  it("an admin's SUKSES and GAGAL tell the saldo now", async () => {
    bot = await startTestBot({ store: kind });
    const settled = await openThenAnother(bot, 'PLN 500000000002');
    expect(await bot.say(ADMIN, `SUKSES ${settled}`)).toContain('SUKSES');
    expect(last(bot)).toMatch(new RegExp(`Sisa saldo\\s+${rupiah(await bot.store.getSaldo(RESELLER)).replaceAll('.', '\\.')}`));

    const failed = await openThenAnother(bot, 'PLN 500000000004');
    expect(await bot.say(ADMIN, `GAGAL ${failed} biller menolak`)).toContain('GAGAL');
    const saldo = await bot.store.getSaldo(RESELLER);
    expect(last(bot)).toContain(`saldo sekarang ${rupiah(saldo)}.`);
  });

  it('a refund from the recheck tells the saldo now', async () => {
    bot = await startTestBot({ store: kind });
    await openThenAnother(bot, 'GOPAY 081200000005 100000');
    for (let i = 0; i < 6 && !last(bot).includes('GAGAL'); i++) {
      bot.advance(60_000);
      await bot.app.worker.tick();
    }
    expect(last(bot)).toContain('GAGAL');
    expect(last(bot)).toContain(`saldo sekarang ${rupiah(await bot.store.getSaldo(RESELLER))}.`);
  });
});
