/**
 * Deposits without a human, the money rules (src/payments/auto-deposits.ts) on both stores: a bank mutation
 * credits the open ticket with exactly its amount, once under `moota:<mutation_id>` however often it is pushed;
 * what matches nothing (no ticket, a debit, an expired ticket, cents, a ticket already paid) is kept for the
 * admins and credits nothing; a Tripay PAID credits its QRIS deposit once under `tripay:<reference>` (an
 * expired one too, the admins told), EXPIRED and FAILED close it, an unknown reference credits nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rupiah } from '../../src/bot/format.ts';
import { audit } from '../../src/payments/audit.ts';
import type { PushedMutation } from '../../src/payments/auto-deposits.ts';
import { mootaDate, mootaId } from '../../src/providers/moota/simulator.ts';
import { keys } from '../../src/store/keys.ts';
import { ADMIN, RESELLER, STORES } from '../helpers/app.ts';
import { type DepositBot, mootaCredits, openQris, openTicket, qrisCredits, startDepositBot, ticketCredits, told } from '../helpers/deposits.ts';

let bot: DepositBot | undefined;
afterEach(async () => {
  if (bot) expect((await audit(bot.store)).problems).toEqual([]);
  await bot?.stop();
  bot = undefined;
});

const HOUR = 3600_000;
const SALDO = 1_000_000;
const OTHER = 'test:r2';

function credit(amount: number, over: Partial<PushedMutation> = {}): PushedMutation {
  return { id: mootaId(), amount, type: 'CR', date: mootaDate(Date.now()), description: `TRSF E-BANKING CR ${amount}`, whole: true, ...over };
}

/** A push acted on, and its notices handed to the channels (they go out after the push's answer). */
async function push(b: DepositBot, list: PushedMutation[], now = Date.now()): Promise<void> {
  await b.app.deposits.service.onMutations(list, now);
  await b.app.deposits.service.notified();
}
type QrisStatus = 'PAID' | 'EXPIRED' | 'FAILED' | 'REFUND' | 'UNPAID';
const callback = (b: DepositBot, d: { id: string; reference: string }, status: QrisStatus, now = Date.now()) =>
  b.app.deposits.service.onQrisCallback({ reference: d.reference, merchantRef: d.id, status }, now);
async function qris(b: DepositBot, d: { id: string; reference: string }, status: QrisStatus, now = Date.now()) {
  const r = await callback(b, d, status, now);
  await b.app.deposits.service.notified();
  return r;
}

/** Removes an operation's record from Redis, as its TTL would a week later. */
async function lapseOps(b: DepositBot, account: string, opId: string): Promise<void> {
  const redis = (b.store as unknown as { redis: import('ioredis').Redis }).redis;
  await redis.del(keys(b.prefix).op(account, opId));
}

async function depositMetric(b: DepositBot, source: string, outcome: string): Promise<number> {
  const m = await b.app.metrics.registry.getSingleMetric('ppob_deposits_total')?.get();
  return m?.values.find((v) => v.labels.source === source && v.labels.outcome === outcome)?.value ?? 0;
}

describe.each(STORES)('bank mutations credit tickets by themselves (%s store)', (kind) => {
  it('a credit of exactly an open ticket\'s amount credits it once under moota:<id>, tells the reseller, and is kept credited', async () => {
    bot = await startDepositBot({ store: kind });
    const t = await openTicket(bot, RESELLER, 150_000);
    const m = credit(t.amount);
    await push(bot, [m]);
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
    expect(await mootaCredits(bot, RESELLER, m.id)).toHaveLength(1);
    expect(await bot.store.getTicket(t.id)).toMatchObject({ status: 'paid', paidBy: `moota:${m.id}` });
    expect(await bot.store.getMutation(m.id)).toMatchObject({ status: 'credited', ticketId: t.id, amount: t.amount, by: 'moota' });
    expect(told(bot, RESELLER)).toEqual([`Deposit tiket ${t.id} diterima otomatis dari mutasi bank: saldo ditambah ${rupiah(t.amount)}, sekarang ${rupiah(SALDO + t.amount)}.`]);
    // The amount is free again: a later transfer of it matches nothing.
    expect(await bot.store.ticketHolding(t.amount)).toBeNull();
    expect(await depositMetric(bot, 'moota', 'credited')).toBe(1);
  });

  it('the same push five times at once, and again later, credits once and tells the reseller once', async () => {
    bot = await startDepositBot({ store: kind });
    const b = bot;
    const t = await openTicket(b, RESELLER, 200_000);
    const m = credit(t.amount);
    await Promise.all(Array.from({ length: 5 }, () => push(b, [m])));
    await push(b, [m], Date.now() + 2 * HOUR);
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
    expect(await ticketCredits(b, RESELLER, t.id)).toHaveLength(1);
    expect(told(b, RESELLER)).toHaveLength(1);
    expect(told(b, ADMIN)).toEqual([expect.stringContaining(`Tiket deposit ${t.id}`)]);
    expect(await depositMetric(b, 'moota', 'credited')).toBe(1);
    expect(await depositMetric(b, 'moota', 'replayed')).toBeGreaterThanOrEqual(1);
  });

  it('a process that died between the credit and marking the mutation: the push again finds the credit, marks it, credits nothing more', async () => {
    bot = await startDepositBot({ store: kind });
    const t = await openTicket(bot, RESELLER, 210_000);
    const m = credit(t.amount);
    // What the dead process did: kept and tied the mutation, and credited the ticket under the mutation's operation.
    const now = Date.now();
    await bot.store.keepMutation({ id: m.id, amount: m.amount, type: 'CR', date: m.date, description: m.description }, now);
    await bot.store.claimMutation(m.id, t.id);
    expect((await bot.store.money.acceptTicket({ opId: `moota:${m.id}`, by: 'moota', now, ticketId: t.id, acceptedBy: `moota:${m.id}` })).ok).toBe(true);
    await push(bot, [m], now + 60_000);
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
    expect(await ticketCredits(bot, RESELLER, t.id)).toHaveLength(1);
    expect((await bot.store.getMutation(m.id))?.status).toBe('credited');
    // Not "the ticket was paid another way": the admins have nothing to place.
    expect(told(bot, ADMIN).filter((x) => x.includes(m.id))).toEqual([]);
    expect(told(bot, RESELLER)).toHaveLength(1);
  });

  it('an amount no open ticket has is kept unmatched, credits nothing, and the admins are told', async () => {
    bot = await startDepositBot({ store: kind });
    const t = await openTicket(bot, RESELLER, 100_000);
    const m = credit(t.amount + 1, { description: 'TRSF DARI BUDI' });
    await push(bot, [m]);
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO);
    expect(await bot.store.getMutation(m.id)).toMatchObject({ status: 'unmatched', amount: t.amount + 1 });
    expect((await bot.store.getMutation(m.id))?.ticketId).toBeUndefined();
    expect(told(bot, ADMIN).at(-1)).toBe(
      `Mutasi bank ${m.id} masuk ${rupiah(t.amount + 1)} (TRSF DARI BUDI) tidak dikreditkan (nominal tidak ada di tiket terbuka). Lihat MUTASIBANK; kreditkan dengan ACC <tiket> ${m.id}.`,
    );
    expect(told(bot, RESELLER)).toEqual([]);
    expect((await bot.store.getTicket(t.id))?.status).toBe('open');
    // Pushed again: told once.
    await push(bot, [m]);
    expect(told(bot, ADMIN).filter((x) => x.includes(m.id))).toHaveLength(1);
  });

  it('a debit is kept as a debit, credits nothing even with a ticket\'s exact amount, and is nobody\'s to settle', async () => {
    bot = await startDepositBot({ store: kind });
    const t = await openTicket(bot, RESELLER, 100_000);
    const adminNotices = told(bot, ADMIN).length;
    const m = credit(t.amount, { type: 'DB', description: 'TRSF E-BANKING DB' });
    await push(bot, [m]);
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO);
    expect(await bot.store.getMutation(m.id)).toMatchObject({ status: 'debit', type: 'DB' });
    expect((await bot.store.getTicket(t.id))?.status).toBe('open');
    expect(told(bot, ADMIN)).toHaveLength(adminNotices);
    // Its ticket is still there for the real transfer.
    const real = credit(t.amount);
    await push(bot, [real]);
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
  });

  it('an amount matching an expired ticket is kept tied to it, not credited, and the admins are told which ticket', async () => {
    bot = await startDepositBot({ store: kind });
    const t = await openTicket(bot, RESELLER, 75_000);
    const m = credit(t.amount);
    await push(bot, [m], t.expiresAt + HOUR);
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO);
    expect(await bot.store.getMutation(m.id)).toMatchObject({ status: 'expired-ticket', ticketId: t.id });
    expect(told(bot, ADMIN).at(-1)).toBe(
      `Mutasi bank ${m.id} sebesar ${rupiah(t.amount)} cocok dengan tiket ${t.id} milik ${RESELLER} yang sudah kedaluwarsa; tidak dikreditkan. Jika benar, tulis ACC ${t.id} ${m.id}.`,
    );
    expect(told(bot, RESELLER)).toEqual([]);
    // The admin's ACC with the mutation credits it, once; the push again afterwards changes nothing.
    const r = await bot.app.deposits.service.acceptByHand(t.id, m.id, ADMIN, 'acc-1', t.expiresAt + 2 * HOUR);
    expect(r).toMatchObject({ ok: true, saldo: SALDO + t.amount });
    await push(bot, [m], t.expiresAt + 3 * HOUR);
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
    expect(await bot.store.getMutation(m.id)).toMatchObject({ status: 'credited', by: ADMIN });
  });

  it('an amount with cents is never matched by itself, even when its rupiah equal a ticket\'s', async () => {
    bot = await startDepositBot({ store: kind });
    const t = await openTicket(bot, RESELLER, 100_000);
    const m = credit(t.amount, { whole: false });
    await push(bot, [m]);
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO);
    expect(await bot.store.getMutation(m.id)).toMatchObject({ status: 'unmatched' });
    expect(told(bot, ADMIN).at(-1)).toContain('(nominal bersen)');
  });

  it('two transfers of one ticket\'s amount: the first credits, the second is kept for the admins (the ticket is paid)', async () => {
    bot = await startDepositBot({ store: kind });
    const t = await openTicket(bot, RESELLER, 100_000);
    const [first, second] = [credit(t.amount), credit(t.amount)];
    await push(bot, [first!, second!]);
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
    expect((await bot.store.getMutation(first!.id))?.status).toBe('credited');
    expect((await bot.store.getMutation(second!.id))?.status).toBe('unmatched');
    expect(told(bot, ADMIN).at(-1)).toContain(`Mutasi bank ${second!.id}`);
  });

  it('one push of many mutations for many resellers credits each ticket once, and only what matches', async () => {
    bot = await startDepositBot({ store: kind });
    const b = bot;
    const users = Array.from({ length: 8 }, (_, i) => `test:r${i + 10}`);
    for (const u of users) await b.store.setReseller(u, true, u, Date.now());
    const tickets = [];
    for (const [i, u] of users.entries()) tickets.push(await openTicket(b, u, 50_000 + 1000 * (i % 3)));
    const list = [...tickets.map((t) => credit(t.amount)), credit(1_234), credit(tickets[0]!.amount, { type: 'DB' })];
    await Promise.all([push(b, list), push(b, [...list].reverse())]);
    for (const [i, u] of users.entries()) {
      expect(await b.store.getSaldo(u)).toBe(tickets[i]!.amount);
      expect(await ticketCredits(b, u, tickets[i]!.id)).toHaveLength(1);
      expect(told(b, u)).toHaveLength(1);
    }
    expect((await b.store.mutations(0, Date.now() + HOUR, ['unmatched'])).map((m) => m.amount)).toEqual([1_234]);
  });
});

describe.each(STORES)('QRIS deposits credit themselves on Tripay\'s callback (%s store)', (kind) => {
  it('PAID credits once under tripay:<reference>, whatever arrives again, and the reseller is told', async () => {
    bot = await startDepositBot({ store: kind });
    const b = bot;
    const d = await openQris(b, RESELLER, 100_000);
    const answers = await Promise.all(Array.from({ length: 5 }, () => qris(b, d, 'PAID')));
    expect(answers).toEqual(Array(5).fill('credited'));
    expect(await qris(b, d, 'PAID', Date.now() + HOUR)).toBe('credited');
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO + 100_000);
    expect(await qrisCredits(b, RESELLER, d.id)).toHaveLength(1);
    expect(await b.store.getQris(d.id)).toMatchObject({ status: 'paid', amount: 100_000 });
    expect(told(b, RESELLER)).toEqual([`Deposit QRIS ${d.id} diterima: saldo ditambah Rp 100.000, sekarang ${rupiah(SALDO + 100_000)}.`]);
    expect(told(b, ADMIN)).toEqual([]);
    // A close after the payment changes nothing.
    await qris(b, d, 'EXPIRED');
    expect((await b.store.getQris(d.id))?.status).toBe('paid');
    expect(await depositMetric(b, 'tripay', 'credited')).toBe(1);
  });

  it('the same PAID long after, its operation record lapsed (7 days), credits nothing: the deposit is paid', async () => {
    bot = await startDepositBot({ store: kind });
    const b = bot;
    const d = await openQris(b, RESELLER, 100_000);
    expect(await qris(b, d, 'PAID')).toBe('credited');
    // The record lapses: on Redis by its TTL (removed here), in the embedded store by its clock.
    if (kind === 'redis') await lapseOps(b, RESELLER, `tripay:${d.reference}`);
    else b.advance(8 * 24 * HOUR);
    expect(await qris(b, d, 'PAID', Date.now() + 8 * 24 * HOUR)).toBe('credited');
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO + 100_000);
    expect(await qrisCredits(b, RESELLER, d.id)).toHaveLength(1);
  });

  it('EXPIRED and FAILED close a deposit once, credit nothing, and tell the reseller', async () => {
    bot = await startDepositBot({ store: kind });
    const a = await openQris(bot, RESELLER, 50_000);
    const f = await openQris(bot, RESELLER, 60_000);
    expect(await qris(bot, a, 'EXPIRED')).toBe('closed');
    expect(await qris(bot, a, 'EXPIRED')).toBe('closed');
    expect(await qris(bot, f, 'FAILED')).toBe('closed');
    expect((await bot.store.getQris(a.id))?.status).toBe('expired');
    expect((await bot.store.getQris(f.id))?.status).toBe('failed');
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO);
    expect(told(bot, RESELLER)).toEqual([
      `Deposit QRIS ${a.id} ditutup (kedaluwarsa); tidak ada yang ditambahkan. Buat yang baru dengan DEPOSIT QRIS <nominal>.`,
      `Deposit QRIS ${f.id} ditutup (gagal); tidak ada yang ditambahkan. Buat yang baru dengan DEPOSIT QRIS <nominal>.`,
    ]);
  });

  it('PAID for a deposit closed as expired is credited (the money arrived), and the admins are told', async () => {
    bot = await startDepositBot({ store: kind });
    const d = await openQris(bot, RESELLER, 80_000);
    await qris(bot, d, 'EXPIRED');
    expect(await qris(bot, d, 'PAID')).toBe('credited');
    expect(await qris(bot, d, 'PAID')).toBe('credited');
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO + 80_000);
    expect(await qrisCredits(bot, RESELLER, d.id)).toHaveLength(1);
    expect((await bot.store.getQris(d.id))?.status).toBe('paid');
    expect(told(bot, ADMIN)).toEqual([
      `Pembayaran QRIS ${d.id} dari ${RESELLER} masuk setelah deposit ditutup; saldo tetap ditambah Rp 80.000 karena uangnya sudah diterima.`,
    ]);
    expect(told(bot, RESELLER).at(-1)).toContain(`Deposit QRIS ${d.id} diterima`);
  });

  it('PAID after the deposit\'s expiry, with no EXPIRED seen, is credited and the admins are told too', async () => {
    bot = await startDepositBot({ store: kind });
    const d = await openQris(bot, RESELLER, 70_000);
    const expiresAt = (await bot.store.getQris(d.id))!.expiresAt;
    expect(await qris(bot, d, 'PAID', expiresAt + 60_000)).toBe('credited');
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO + 70_000);
    expect(told(bot, ADMIN)).toEqual([expect.stringContaining(`Pembayaran QRIS ${d.id} dari ${RESELLER} masuk setelah deposit ditutup`)]);
  });

  it('a callback for an unknown reference credits nothing and the admins are told; so is one whose reference is not its deposit\'s', async () => {
    bot = await startDepositBot({ store: kind });
    const d = await openQris(bot, RESELLER, 90_000);
    expect(await qris(bot, { id: 'QNOSUCH01', reference: 'DEV-T0001NOSUCH' }, 'PAID')).toBe('unknown');
    expect(await qris(bot, { id: d.id, reference: 'DEV-T0001FORGED' }, 'PAID')).toBe('unknown');
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO);
    expect((await bot.store.getQris(d.id))?.status).toBe('open');
    expect(told(bot, ADMIN)).toEqual([
      'Callback Tripay untuk referensi DEV-T0001NOSUCH (QNOSUCH01) tidak cocok dengan deposit mana pun; tidak ada yang ditambahkan. Cek di dashboard Tripay.',
      `Callback Tripay untuk referensi DEV-T0001FORGED (${d.id}) tidak cocok dengan deposit mana pun; tidak ada yang ditambahkan. Cek di dashboard Tripay.`,
    ]);
    // The real one still credits.
    expect(await qris(bot, d, 'PAID')).toBe('credited');
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO + 90_000);
  });

  it('UNPAID and REFUND change nothing', async () => {
    bot = await startDepositBot({ store: kind });
    const d = await openQris(bot, RESELLER, 40_000);
    expect(await qris(bot, d, 'UNPAID')).toBe('ignored');
    expect(await qris(bot, d, 'REFUND')).toBe('ignored');
    expect((await bot.store.getQris(d.id))?.status).toBe('open');
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO);
  });

  it('two resellers\' deposits are each credited to their own saldo', async () => {
    bot = await startDepositBot({ store: kind });
    await bot.store.setReseller(OTHER, true, 'Toko Dua', Date.now());
    const a = await openQris(bot, RESELLER, 25_000);
    const o = await openQris(bot, OTHER, 35_000);
    await Promise.all([qris(bot, o, 'PAID'), qris(bot, a, 'PAID')]);
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO + 25_000);
    expect(await bot.store.getSaldo(OTHER)).toBe(35_000);
  });
});

describe.each(STORES)('notices never hold the sender\'s answer (%s store)', (kind) => {
  /** A channel that takes `ms` per message, as Telegram under its rate limit does. */
  function slowChannel(b: DepositBot, ms: number): string[] {
    const sent: string[] = [];
    void b.app.attach({
      name: 'slow',
      async start() {},
      async send(_user, reply) {
        await new Promise((r) => setTimeout(r, ms));
        sent.push(reply.text);
      },
      async stop() {},
    });
    return sent;
  }

  it('a push is done once its credits are stored; the resellers are told after, however slow their channel', async () => {
    bot = await startDepositBot({ store: kind });
    const b = bot;
    const sent = slowChannel(b, 1_000);
    const users = ['slow:1', 'slow:2', 'slow:3', 'slow:4'];
    for (const u of users) await b.store.setReseller(u, true, u, Date.now());
    const tickets = [];
    for (const u of users) tickets.push(await openTicket(b, u, 100_000));
    const t0 = Date.now();
    await b.app.deposits.service.onMutations(tickets.map((t) => credit(t.amount)), Date.now());
    // Moota waits about 5 s for its answer: four notices of a second each, one after another, would not fit.
    expect(Date.now() - t0).toBeLessThan(900);
    for (const [i, u] of users.entries()) expect(await b.store.getSaldo(u)).toBe(tickets[i]!.amount);
    await b.app.deposits.service.notified();
    expect(sent.filter((x) => x.includes('diterima otomatis'))).toHaveLength(4);
  });

  it('a QRIS callback is done once its credit is stored; the reseller is told after', async () => {
    bot = await startDepositBot({ store: kind });
    const b = bot;
    const sent = slowChannel(b, 1_000);
    await b.store.setReseller('slow:1', true, 'Lambat', Date.now());
    const d = await openQris(b, 'slow:1', 100_000);
    const t0 = Date.now();
    expect(await callback(b, d, 'PAID')).toBe('credited');
    expect(Date.now() - t0).toBeLessThan(900);
    expect(await b.store.getSaldo('slow:1')).toBe(100_000);
    await b.app.deposits.service.notified();
    expect(sent.filter((x) => x.includes(`Deposit QRIS ${d.id} diterima`))).toHaveLength(1);
  });
});

describe('Redis loses an answer mid-credit', () => {
  it('a mutation\'s credit whose answer is lost is sent again under its operation id: credited once, the reseller told once', async () => {
    bot = await startDepositBot({ relay: true });
    const t = await openTicket(bot, RESELLER, 120_000);
    const m = credit(t.amount);
    bot.relay!.arm(`ticket ${t.id} by moota:${m.id}`); // the credit's ledger note: only the credit step carries it
    await push(bot, [m]);
    expect(bot.relay!.cuts).toBe(1);
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
    expect(await ticketCredits(bot, RESELLER, t.id)).toHaveLength(1);
    expect((await bot.store.getMutation(m.id))?.status).toBe('credited');
    expect(told(bot, RESELLER)).toHaveLength(1);
  });

  it('a mutation\'s credit that never reached Redis is sent again and credits once', async () => {
    bot = await startDepositBot({ relay: true });
    const t = await openTicket(bot, RESELLER, 130_000);
    const m = credit(t.amount);
    bot.relay!.armDrop(`ticket ${t.id} by moota:${m.id}`);
    await push(bot, [m]);
    expect(bot.relay!.cuts).toBe(1);
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
    expect(await ticketCredits(bot, RESELLER, t.id)).toHaveLength(1);
  });

  it('a push that fails on a lost answer before its credit is pushed again by Moota: credited once', async () => {
    bot = await startDepositBot({ relay: true });
    const t = await openTicket(bot, RESELLER, 140_000);
    const m = credit(t.amount, { description: 'KEEP-CUT-140' });
    bot.relay!.arm('KEEP-CUT-140', 300); // the keep's answer is lost, then Redis is unreachable a moment
    // The webhook answers 500 when onMutations throws; Moota pushes again. Either way the money lands once.
    await push(bot, [m]).catch(() => push(bot!, [m]));
    await push(bot, [m]);
    expect(bot.relay!.cuts).toBe(1);
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
    expect(await ticketCredits(bot, RESELLER, t.id)).toHaveLength(1);
    expect((await bot.store.getMutation(m.id))?.status).toBe('credited');
  });

  it('a QRIS credit whose answer is lost is credited once, and the reseller told once', async () => {
    bot = await startDepositBot({ relay: true });
    const d = await openQris(bot, RESELLER, 110_000);
    bot.relay!.arm(`qris ${d.id}`); // the credit's ledger note
    expect(await qris(bot, d, 'PAID')).toBe('credited');
    expect(bot.relay!.cuts).toBe(1);
    expect(await bot.store.getSaldo(RESELLER)).toBe(SALDO + 110_000);
    expect(await qrisCredits(bot, RESELLER, d.id)).toHaveLength(1);
    expect(told(bot, RESELLER)).toHaveLength(1);
  });
});
