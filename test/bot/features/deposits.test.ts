/**
 * The chat side of deposits without a human (src/bot/features/deposits.ts) on both stores: `DEPOSIT QRIS
 * <nominal>` (the QR image, the amount, the fee and who bears it, the expiry; the channel's bounds; Tripay
 * down), `MUTASIBANK` (what credited nothing, for admins), `ACC <tiket> <mutation_id>` (an expired ticket
 * credited by hand; a mutation credited already, or tied to another ticket, refused; a typo never blocks a
 * mutation) and, in the sandbox, `BAYAR <tiket>`, the payer played over the bot's own HTTP server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rupiah } from '../../../src/bot/format.ts';
import { audit } from '../../../src/payments/audit.ts';
import type { PushedMutation } from '../../../src/payments/auto-deposits.ts';
import { mootaDate, mootaId } from '../../../src/providers/moota/simulator.ts';
import { ADMIN, CUSTOMER, RESELLER, STORES, startTestBot, type TestBot } from '../../helpers/app.ts';
import { type DepositBot, openQris, openTicket, startDepositBot, ticketCredits, told } from '../../helpers/deposits.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  if (bot) expect((await audit(bot.store)).problems).toEqual([]);
  await bot?.stop();
  bot = undefined;
});

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const SALDO = 1_000_000;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function mutation(amount: number, over: Partial<PushedMutation> = {}): PushedMutation {
  return { id: mootaId(), amount, type: 'CR', date: mootaDate(Date.now()), description: `TRSF CR ${amount}`, whole: true, ...over };
}
/** A push acted on, and its notices handed to the channels (they go out after the push's answer). */
async function push(b: DepositBot, list: PushedMutation[], now = Date.now()): Promise<void> {
  await b.app.deposits.service.onMutations(list, now);
  await b.app.deposits.service.notified();
}

describe.each(STORES)('DEPOSIT QRIS <nominal> (%s store)', (kind) => {
  it('answers with the QR code as a PNG, the amount to pay, the fee borne by the reseller, the expiry and the link', async () => {
    const b = await startDepositBot({ store: kind });
    bot = b;
    const [reply] = await b.app.bot.handle({ user: RESELLER, text: 'deposit qris 100000' });
    const id = /Deposit QRIS (Q[0-9A-Z]+)/.exec(reply!.text)![1]!;
    const d = (await b.store.getQris(id))!;
    const sim = b.tripay.payments.get(d.reference)!;
    // The simulator's channel charges the merchant by default; the reseller bears it by adding it to what is paid.
    expect(d).toMatchObject({ user: RESELLER, amount: 100_000, feePaidBy: 'reseller', status: 'open' });
    expect(d.pay).toBe(100_000 + d.fee);
    expect(d.fee).toBeGreaterThan(0);
    expect(sim.payerPays).toBe(d.pay);
    expect(reply!.text).toContain(`bayar ${rupiah(d.pay)} dengan memindai kode QR sebelum`);
    expect(reply!.text).toContain(`Saldo ditambah ${rupiah(100_000)} otomatis`);
    expect(reply!.text).toContain(`Biaya QRIS ${rupiah(d.fee)} ditanggung Anda (sudah termasuk di ${rupiah(d.pay)}).`);
    expect(reply!.text).toContain(`/checkout/${d.reference}`);
    expect(d.expiresAt - Date.now()).toBeGreaterThan(10 * 60_000);
    expect(d.expiresAt - Date.now()).toBeLessThanOrEqual(60 * 60_000);
    expect(reply!.image?.png.subarray(0, 8)).toEqual(PNG);
    expect(reply!.image?.name).toBe(`qris-${id}.png`);
  });

  it('with QRIS_FEE_PAID_BY=operator the reseller pays the nominal and is told the operator bears the fee', async () => {
    const b = await startDepositBot({ store: kind, feePaidBy: 'operator' });
    bot = b;
    const { id, reply } = await openQris(b, RESELLER, 100_000);
    const d = (await b.store.getQris(id))!;
    expect(d).toMatchObject({ amount: 100_000, pay: 100_000, feePaidBy: 'operator' });
    expect(reply).toContain(`Biaya QRIS ${rupiah(d.fee)} ditanggung operator.`);
  });

  it('refuses a nominal outside the channel\'s bounds, a missing or unreadable one, before asking Tripay', async () => {
    const b = await startDepositBot({ store: kind });
    bot = b;
    expect(await b.say(RESELLER, 'DEPOSIT QRIS 100')).toMatch(/^Deposit QRIS dari Rp [\d.]+ sampai Rp [\d.]+\.$/);
    // Ten million, however it is grouped: over the channel's maximum.
    for (const text of ['DEPOSIT QRIS 9000000', 'DEPOSIT QRIS 10 000 000']) {
      expect(await b.say(RESELLER, text), text).toMatch(/^Deposit QRIS dari Rp [\d.]+ sampai Rp [\d.]+\.$/);
    }
    for (const text of ['DEPOSIT QRIS', 'DEPOSIT QRIS abc', 'DEPOSIT QRIS 0', 'DEPOSIT QRIS 1O0000']) {
      expect(await b.say(RESELLER, text), text).toBe('Tulis DEPOSIT QRIS <nominal>, misalnya DEPOSIT QRIS 100000.');
    }
    expect(b.tripay.calls['transaction/create']).toBe(0);
    expect(await b.store.qrisDeposits(0, Date.now() + HOUR)).toEqual([]);
  });

  it('Tripay down: the reseller is told nothing was made, and nothing is kept', async () => {
    const b = await startDepositBot({ store: kind });
    bot = b;
    b.tripay.setFault('http502');
    expect(await b.say(RESELLER, 'DEPOSIT QRIS 100000')).toBe(
      'Layanan QRIS sedang tidak bisa dihubungi; tidak ada yang dibuat. Coba lagi sebentar lagi, atau pakai TIKET.',
    );
    expect(await b.store.qrisDeposits(0, Date.now() + HOUR)).toEqual([]);
  });

  it('is for resellers; without Tripay it says QRIS is off', async () => {
    const b = await startDepositBot({ store: kind });
    bot = b;
    expect(await b.say(CUSTOMER, 'DEPOSIT QRIS 100000')).not.toContain('Deposit QRIS Q');
    await b.stop();
    bot = await startTestBot({ store: kind });
    expect(await bot.say(RESELLER, 'DEPOSIT QRIS 100000')).toBe(
      'Deposit QRIS belum diaktifkan operator. Pakai TIKET <nominal> untuk deposit lewat transfer bank.',
    );
  });
});

describe.each(STORES)('MUTASIBANK and ACC <tiket> <mutation_id> (%s store)', (kind) => {
  it('MUTASIBANK lists what credited nothing, newest first: no ticket, an expired ticket; never a credited one or a debit', async () => {
    const b = await startDepositBot({ store: kind });
    bot = b;
    const old = await openTicket(b, RESELLER, 60_000);
    const paid = await openTicket(b, RESELLER, 70_000);
    const none = mutation(12_345, { description: 'TRSF DARI SITI' });
    const expired = mutation(old.amount);
    await push(b, [none]);
    await push(b, [mutation(paid.amount), mutation(paid.amount + 1, { type: 'DB' })]);
    b.advance(DAY + HOUR);
    await push(b, [expired], Date.now() + DAY + HOUR);
    const reply = await b.say(ADMIN, 'MUTASIBANK');
    const lines = reply.split('\n');
    expect(lines[0]).toBe('2 mutasi bank belum dikreditkan (7 hari terakhir):');
    expect(lines[1]).toMatch(new RegExp(`· ${expired.id} · ${rupiah(old.amount).replace('.', '\\.')} · tiket kedaluwarsa · tiket ${old.id} · TRSF CR`));
    expect(lines[2]).toMatch(new RegExp(`· ${none.id} · Rp 12\\.345 · tidak cocok · tiket - · TRSF DARI SITI$`));
    expect(lines.at(-1)).toBe('Kreditkan satu dengan ACC <tiket> <mutation_id>.');
    expect(lines).toHaveLength(4);
    // Only the last day: the first push is older.
    expect((await b.say(ADMIN, 'MUTASIBANK 1')).split('\n')[0]).toBe('1 mutasi bank belum dikreditkan (1 hari terakhir):');
  });

  it('MUTASIBANK: its usage for a bad number of days, "none" when all is credited, and admins only', async () => {
    const b = await startDepositBot({ store: kind });
    bot = b;
    expect(await b.say(ADMIN, 'MUTASIBANK')).toBe('Tidak ada mutasi bank yang belum dikreditkan dalam 7 hari terakhir.');
    for (const text of ['MUTASIBANK 0', 'MUTASIBANK 91', 'MUTASIBANK x', 'MUTASIBANK 1 2']) {
      expect(await b.say(ADMIN, text), text).toBe('Tulis MUTASIBANK atau MUTASIBANK <hari>, paling jauh 90 hari.');
    }
    await push(b, [mutation(5_555)]);
    expect(await b.say(RESELLER, 'MUTASIBANK')).not.toContain('5.555');
  });

  it('ACC <tiket> <mutation_id> credits an expired ticket with its kept mutation once; the reseller is told', async () => {
    const b = await startDepositBot({ store: kind });
    bot = b;
    const t = await openTicket(b, RESELLER, 80_000);
    const m = mutation(t.amount);
    b.advance(DAY + HOUR);
    await push(b, [m], Date.now() + DAY + HOUR);
    expect((await b.store.getMutation(m.id))?.status).toBe('expired-ticket');
    const reply = await b.say(ADMIN, `ACC ${t.id} ${m.id}`, 'acc-1');
    expect(reply).toBe(
      `Tiket ${t.id} diterima dengan mutasi ${m.id}: saldo ${RESELLER} ditambah ${rupiah(t.amount)}, sekarang ${rupiah(SALDO + t.amount)}.`,
    );
    expect(told(b, RESELLER).at(-1)).toBe(`Deposit tiket ${t.id} diterima: saldo ditambah ${rupiah(t.amount)}, sekarang ${rupiah(SALDO + t.amount)}.`);
    expect(await b.store.getMutation(m.id)).toMatchObject({ status: 'credited', ticketId: t.id, by: ADMIN });
    // The same message delivered again, and the same ACC typed again: one credit.
    await b.say(ADMIN, `ACC ${t.id} ${m.id}`, 'acc-1');
    expect(await b.say(ADMIN, `ACC ${t.id} ${m.id}`, 'acc-2')).toBe(`Mutasi ${m.id} sudah dikreditkan; tidak ditambahkan lagi.`);
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
    expect(await ticketCredits(b, RESELLER, t.id)).toHaveLength(1);
    // Gone from MUTASIBANK.
    expect(await b.say(ADMIN, 'MUTASIBANK')).toContain('Tidak ada mutasi bank');
  });

  it('ACC refuses a mutation the webhook credited already, to its ticket or another', async () => {
    const b = await startDepositBot({ store: kind });
    bot = b;
    const t = await openTicket(b, RESELLER, 90_000);
    const other = await openTicket(b, RESELLER, 95_000);
    const m = mutation(t.amount);
    await push(b, [m]);
    expect(await b.say(ADMIN, `ACC ${t.id} ${m.id}`)).toBe(`Mutasi ${m.id} sudah dikreditkan; tidak ditambahkan lagi.`);
    expect(await b.say(ADMIN, `ACC ${other.id} ${m.id}`)).toBe(`Mutasi ${m.id} sudah dipakai untuk tiket ${t.id}; tidak ada yang ditambahkan.`);
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
    expect((await b.store.getTicket(other.id))?.status).toBe('open');
  });

  it('ACC refuses a mutation tied to another ticket (its expired one), and credits it to its own', async () => {
    const b = await startDepositBot({ store: kind });
    bot = b;
    const t = await openTicket(b, RESELLER, 55_000);
    const m = mutation(t.amount);
    b.advance(DAY + HOUR);
    await push(b, [m], Date.now() + DAY + HOUR);
    const fresh = await openTicket(b, RESELLER, 55_000);
    expect(await b.say(ADMIN, `ACC ${fresh.id} ${m.id}`)).toBe(`Mutasi ${m.id} sudah dipakai untuk tiket ${t.id}; tidak ada yang ditambahkan.`);
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO);
    expect((await b.store.getTicket(fresh.id))?.status).toBe('open');
    expect(await b.say(ADMIN, `ACC ${t.id} ${m.id}`)).toContain(`Tiket ${t.id} diterima dengan mutasi ${m.id}`);
  });

  it('ACC places an unmatched mutation on the ticket the admin names, once; a second ticket is refused', async () => {
    const b = await startDepositBot({ store: kind });
    bot = b;
    const t = await openTicket(b, RESELLER, 100_000);
    const t2 = await openTicket(b, RESELLER, 110_000);
    const m = mutation(t.amount + 7, { description: 'TRANSFER KURANG TELITI' });
    await push(b, [m]);
    expect((await b.store.getMutation(m.id))?.status).toBe('unmatched');
    expect(await b.say(ADMIN, `ACC ${t.id} ${m.id}`)).toContain(`Tiket ${t.id} diterima dengan mutasi ${m.id}`);
    expect(await b.say(ADMIN, `ACC ${t2.id} ${m.id}`)).toBe(`Mutasi ${m.id} sudah dipakai untuk tiket ${t.id}; tidak ada yang ditambahkan.`);
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
  });

  it('a mistyped, paid or replaced ticket is refused without using the mutation up: the right ticket still takes it', async () => {
    const b = await startDepositBot({ store: kind });
    bot = b;
    const t = await openTicket(b, RESELLER, 100_000);
    const paid = await openTicket(b, RESELLER, 120_000);
    expect(await b.say(ADMIN, `ACC ${paid.id}`)).toContain('diterima');
    const m = mutation(999, { description: 'SALAH TRANSFER' });
    await push(b, [m]);
    expect(await b.say(ADMIN, `ACC D0NOSUCH ${m.id}`)).toBe('Tiket D0NOSUCH tidak ditemukan.');
    expect(await b.say(ADMIN, `ACC ${paid.id} ${m.id}`)).toBe(`Tiket ${paid.id} sudah pernah diterima; saldo tidak ditambah lagi.`);
    expect((await b.store.getMutation(m.id))?.ticketId).toBeUndefined();
    expect(await b.say(ADMIN, `ACC ${t.id} ${m.id}`)).toContain(`Tiket ${t.id} diterima dengan mutasi ${m.id}`);
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO + paid.amount + t.amount);
  });

  it('ACC with an unknown mutation, a debit, or a malformed id changes nothing; it is for admins; ACC <tiket> alone still works', async () => {
    const b = await startDepositBot({ store: kind });
    bot = b;
    const t = await openTicket(b, RESELLER, 100_000);
    const db = mutation(t.amount, { type: 'DB' });
    await push(b, [db]);
    expect(await b.say(ADMIN, `ACC ${t.id} NoSuchMut01`)).toBe('Mutasi NoSuchMut01 tidak ditemukan. Lihat MUTASIBANK.');
    expect(await b.say(ADMIN, `ACC ${t.id} ${db.id}`)).toBe(`Mutasi ${db.id} adalah debit (uang keluar); tidak bisa dikreditkan.`);
    expect(await b.say(ADMIN, `ACC ${t.id} bad/id`)).toBe('Tulis ACC <tiket> <mutation_id>, misalnya ACC D00A1B2C aolk4PekJxM.');
    const m = mutation(4_321);
    await push(b, [m]);
    expect(await b.say(RESELLER, `ACC ${t.id} ${m.id}`)).not.toContain('diterima');
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO);
    expect((await b.store.getTicket(t.id))?.status).toBe('open');
    // The mutation id as typed (Moota's ids are case-sensitive), the ticket id in any case.
    expect(await b.say(ADMIN, `acc ${t.id.toLowerCase()} ${m.id}`)).toContain(`Tiket ${t.id} diterima dengan mutasi ${m.id}`);
    const t2 = await openTicket(b, RESELLER, 30_000);
    expect(await b.say(ADMIN, `ACC ${t2.id}`)).toContain(`Tiket ${t2.id} diterima`);
  });
});

describe.each(STORES)('BAYAR <tiket> plays the payer in the sandbox (%s store)', (kind) => {
  it('a ticket: the simulated bank pushes the mutation over HTTP and the reseller is credited; a QRIS deposit: the simulated Tripay calls back', async () => {
    const b = await startDepositBot({ store: kind, http: true, env: { SANDBOX: '1' } });
    bot = b;
    const t = await openTicket(b, RESELLER, 150_000);
    expect(await b.say(ADMIN, `BAYAR ${t.id}`)).toBe(`Sandbox: transfer bank untuk tiket ${t.id} dikirim; mutasinya masuk lewat webhook Moota tiruan.`);
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
    await b.app.deposits.service.notified();
    expect(told(b, RESELLER).at(-1)).toContain(`Deposit tiket ${t.id} diterima otomatis dari mutasi bank`);
    expect(await b.say(ADMIN, `BAYAR ${t.id}`)).toBe(`Sandbox: ${t.id} sudah tidak terbuka; tidak ada yang dibayar.`);

    const q = await openQris(b, RESELLER, 50_000);
    expect(await b.say(ADMIN, `BAYAR ${q.id}`)).toBe(`Sandbox: QRIS ${q.id} dibayar; callback Tripay tiruan dikirim ke bot.`);
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO + t.amount + 50_000);
    expect(await b.say(ADMIN, `BAYAR ${q.id}`)).toBe(`Sandbox: ${q.id} sudah tidak terbuka; tidak ada yang dibayar.`);
    expect(await b.say(ADMIN, 'BAYAR D0NOSUCH')).toBe('Sandbox: tiket atau deposit QRIS D0NOSUCH tidak ditemukan.');
  });

  it('is off outside the sandbox, and is an admin\'s', async () => {
    const b = await startDepositBot({ store: kind });
    bot = b;
    const t = await openTicket(b, RESELLER, 150_000);
    expect(await b.say(ADMIN, `BAYAR ${t.id}`)).toBe('BAYAR <tiket> hanya ada di mode sandbox.');
    expect(await b.say(RESELLER, `BAYAR ${t.id}`)).not.toContain('Sandbox');
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO);
  });
});
