/**
 * MUTASI and REKAP show commissions (issue 18): `MUTASI KOMISI [n]` lists the commission book, plain `MUTASI`
 * lists the saldo as before with the commission balance below it when there is one, and `REKAP` adds the day's
 * commission (earned, for an upline; owed to the uplines, for an admin), on both stores.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { UserId } from '../../../src/bot/channel.ts';
import { dayShown, wibDay } from '../../../src/bot/format.ts';
import { audit } from '../../../src/payments/audit.ts';
import { ADMIN, RESELLER, STORES, startTestBot, type TestBot } from '../../helpers/app.ts';
import { credit } from '../../helpers/credit.ts';

/** A reseller of the operator's (A), its downline B, and B's downline C, who pays. */
const A = RESELLER;
const B: UserId = 'console:budi';
const C: UserId = 'console:citra';

let bot: TestBot | undefined;
afterEach(async () => {
  if (bot) expect((await audit(bot.store)).problems).toEqual([]);
  await bot?.stop();
  bot = undefined;
});

/** The network, and one sale by C settled with its commissions credited (A 500 through B, B 300 through C). */
async function networkWithASale(b: TestBot): Promise<string> {
  for (const [user, text] of [
    [A, `DAFTAR ${B} Toko Budi`], [A, 'MARKUP * 500'], [B, `DAFTAR ${C} Toko Citra`], [B, 'MARKUP * 300'],
  ] as const) expect(await b.say(user, text)).not.toMatch(/Tulis|hanya/);
  await credit(b.store, C, 1_000_000);
  await b.say(C, 'PLN 123456789');
  expect(await b.say(C, 'YA')).toContain('STRUK');
  // A refused sale: it earns no one anything, and shows in no commission book.
  await b.say(C, 'PLN 500000000003');
  await b.say(C, 'YA');
  const [failed, settled] = await b.store.listTx(C, 2);
  expect([failed?.status, settled?.status]).toEqual(['FAILED', 'SETTLED']);
  for (let i = 0; i < 200 && !(await b.store.getTx(C, settled!.id))?.commissioned; i++) await new Promise((r) => setTimeout(r, 10));
  return settled!.id;
}

describe.each(STORES)('MUTASI and REKAP show commissions (%s store)', (kind) => {
  it('MUTASI KOMISI lists the commission book, each commission through the direct downline; MUTASI keeps the saldo with the commission below it', async () => {
    const b = await startTestBot({ store: kind });
    bot = b;
    const txId = await networkWithASale(b);
    // B has no saldo entries of its own yet: the saldo list is empty, the commission is said below it.
    expect(await b.say(B, 'MUTASI')).toBe('Belum ada mutasi saldo.\nKomisi Anda Rp 300 (bukan saldo; rinciannya: MUTASI KOMISI, pindahkan ke saldo: TUKAR KOMISI).');
    expect(await b.say(B, 'MUTASI KOMISI')).toMatch(new RegExp(`^1 mutasi komisi terakhir:\\n\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d WIB · \\+Rp 300 · komisi ${txId} dari ${C} · komisi Rp 300$`));
    // A, two levels up, sees the sale through its own downline B, never C.
    const fromA = await b.say(A, 'MUTASI KOMISI');
    expect(fromA).toContain(`+Rp 500 · komisi ${txId} dari ${B} · komisi Rp 500`);
    expect(fromA).not.toContain(C);

    expect(await b.say(B, 'TUKAR KOMISI 100')).toContain('Rp 100');
    const book = (await b.say(B, 'MUTASI KOMISI')).split('\n');
    expect(book[0]).toBe('2 mutasi komisi terakhir:');
    expect(book[1]).toMatch(/ · -Rp 100 · tukar komisi · komisi Rp 200$/);
    expect(book[2]).toMatch(/ · \+Rp 300 · komisi .* · komisi Rp 300$/);
    expect((await b.say(B, 'MUTASI KOMISI 1')).split('\n')).toHaveLength(2);
    const saldo = (await b.say(B, 'MUTASI')).split('\n');
    expect(saldo[0]).toBe('1 mutasi terakhir:');
    expect(saldo[1]).toMatch(/ · \+Rp 100 · tukar komisi · saldo Rp 100$/);
    expect(saldo[2]).toBe('Komisi Anda Rp 200 (bukan saldo; rinciannya: MUTASI KOMISI, pindahkan ke saldo: TUKAR KOMISI).');

    // All of it moved: MUTASI is as it was before commissions existed, no line about them.
    await b.say(B, 'TUKAR KOMISI');
    const after = await b.say(B, 'MUTASI');
    expect(after.split('\n')[0]).toBe('2 mutasi terakhir:');
    expect(after).not.toContain('Komisi');
    // The payer earns nothing and sees nothing of its uplines' part.
    expect(await b.say(C, 'MUTASI KOMISI')).toBe('Belum ada mutasi komisi.');
    expect(await b.say(C, 'MUTASI')).not.toContain('Komisi');
  });

  it('MUTASI KOMISI refuses a count it cannot read, with its own form', async () => {
    const b = await startTestBot({ store: kind });
    bot = b;
    for (const text of ['MUTASI KOMISI 0', 'MUTASI KOMISI 51', 'MUTASI KOMISI lima', 'MUTASI KOMISI 5 6']) {
      expect(await b.say(A, text), text).toBe('Tulis MUTASI KOMISI atau MUTASI KOMISI <jumlah>, paling banyak 50.');
    }
    expect(await b.say(A, 'MUTASI 0')).toBe('Tulis MUTASI atau MUTASI <jumlah>, paling banyak 50.');
    expect(await b.say(A, 'MUTASI KOMISI 50')).toBe('Belum ada mutasi komisi.');
  });

  it("REKAP adds the day's commission: earned, for each upline; owed to the uplines, for an admin; nothing for the payer", async () => {
    const b = await startTestBot({ store: kind });
    bot = b;
    await networkWithASale(b);
    expect(await b.say(B, 'REKAP')).toContain('\nKomisi Anda dari downline hari itu: Rp 300');
    expect(await b.say(A, 'REKAP')).toContain('\nKomisi Anda dari downline hari itu: Rp 500');
    const payer = await b.say(C, 'REKAP');
    expect(payer).toContain('Rekap');
    expect(payer).not.toMatch(/Komisi|komisi/);
    // The refused sale counts in the day's transactions but owes no one a commission.
    const admin = await b.say(ADMIN, 'REKAP');
    expect(admin).toContain('gagal, dana dikembalikan: 1');
    expect(admin).toContain('\nKomisi upline dari transaksi sukses: Rp 800');

    const yesterday = dayShown(wibDay(Date.now() - 86_400_000));
    expect(await b.say(B, `REKAP ${yesterday}`)).toContain('\nKomisi Anda dari downline hari itu: Rp 0');
    expect(await b.say(ADMIN, `REKAP ${yesterday}`)).not.toContain('Komisi');
  });
});
