/**
 * The behaviour of the store port (src/bot/store.ts) that every backend must have. Run by
 * memory-store.test.ts and redis-store.test.ts. Each test gets a fresh store from `make`.
 *
 * Times: quotes carry real wall-clock times (Redis expires them with PX from `expiresAt - Date.now()`),
 * and the `now` handed to store steps is the wall clock too, so the same test means the same on both backends.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Family, ProviderName } from '../../src/bot/provider.ts';
import type { LedgerEntry, Quote, Store, Transaction, TxStatus } from '../../src/bot/store.ts';
import { ticketAndPinContract } from './store-contract-tickets-pin.ts';

export interface StoreHandle {
  store: Store;
  cleanup(): Promise<void>;
}

let seq = 0;
const runTag = Math.floor(Math.random() * 1_000_000)
  .toString()
  .padStart(6, '0');

/** A fresh user id, `telegram:` + 12 digits; all ids have the same length, so none is a substring of another. */
export function newUser(): string {
  seq += 1;
  return `telegram:${runTag}${seq.toString().padStart(6, '0')}`;
}

/** A delivery claimed, no flood count: what `admit` answers for the replay check alone. */
export async function fresh(s: Store, user: string, messageId: string, ttlSeconds: number): Promise<boolean> {
  return (await s.admit(user, messageId, { ttlSeconds })).fresh;
}

export function newId(tag: string): string {
  seq += 1;
  return `${tag}${runTag}${seq.toString(36).padStart(5, '0')}`;
}

export function makeQuote(
  user: string,
  price: number,
  opts: { id?: string; now?: number; ttlMs?: number; expiresAt?: number } = {},
): Quote {
  const now = opts.now ?? Date.now();
  const provider: ProviderName = 'mmbc';
  const family: Family = 'pln-postpaid';
  const markup = Math.min(800, Math.floor(price / 10));
  const debit = price - markup;
  return {
    id: opts.id ?? newId('Q'),
    txId: newId('T'),
    user,
    provider,
    product: 'PLN',
    family,
    bill: {
      product: 'PLN',
      productName: 'PLN Pascabayar',
      customerNo: '532100112233',
      customerName: 'SITI AMINAH — Ñ "quoted" \\ {braces}',
      period: 'Okt 2026',
      details: [
        { key: 'tariff', value: 'R1/1300 VA' },
        { key: 'standMeter', value: '00041210 - 00041388' },
        { key: 'penalty', amount: 0 },
      ],
      bill: Math.max(0, debit - 2500),
      admin: 2500,
      total: debit + 800,
      debit,
      ref: { tr_id: '8812345', amount: String(price) },
    },
    markup,
    price,
    createdAt: now,
    expiresAt: opts.expiresAt ?? now + (opts.ttlMs ?? 300_000),
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const BIG = 100_000;
const sum = (entries: LedgerEntry[]) => entries.reduce((s, e) => s + e.amount, 0);
const ACTIVE: readonly TxStatus[] = ['RESERVED', 'SENDING', 'PENDING'];

export function storeContract(name: string, make: () => Promise<StoreHandle>): void {
  describe(`store contract: ${name}`, () => {
    let h: StoreHandle | undefined;
    let s: Store;

    beforeEach(async () => {
      h = await make();
      s = h.store;
    });
    afterEach(async () => {
      const handle = h;
      h = undefined;
      await handle?.cleanup();
    });

    /** Deposits `saldo`, puts a quote of `price`, reserves it. */
    async function paid(user: string, price: number, saldo = price, now = Date.now(), messageId: string | null = newId('m')) {
      if (saldo > 0) expect(await s.adjustSaldo(user, saldo, 'deposit', now)).not.toBeNull();
      const q = makeQuote(user, price, { now });
      await s.putQuote(q);
      const txId = newId('T');
      const r = await s.reserve(user, q.id, txId, now, messageId ? { messageId } : {});
      if (!r.ok) throw new Error(`setup reserve failed: ${JSON.stringify(r)}`);
      return { q, txId, tx: r.tx };
    }

    async function expectBalanced(user: string) {
      const saldo = await s.getSaldo(user);
      const entries = await s.ledger(user, BIG);
      expect(saldo).toBeGreaterThanOrEqual(0);
      expect(sum(entries)).toBe(saldo);
      return { saldo, entries };
    }

    // ---------------------------------------------------------------- messages
    describe('admit: the replay claim', () => {
      it('is true the first time and false for a repeat of the same (user, messageId)', async () => {
        const u = newUser();
        expect(await fresh(s, u, 'm-1', 3600)).toBe(true);
        expect(await fresh(s, u, 'm-1', 3600)).toBe(false);
        expect(await fresh(s, u, 'm-1', 3600)).toBe(false);
      });

      it('is true for a different user with the same id, and for a different id', async () => {
        const u = newUser();
        const v = newUser();
        expect(await fresh(s, u, 'm-1', 3600)).toBe(true);
        expect(await fresh(s, v, 'm-1', 3600)).toBe(true);
        expect(await fresh(s, u, 'm-2', 3600)).toBe(true);
        expect(await fresh(s, v, 'm-1', 3600)).toBe(false);
      });

      it('lets exactly one of many concurrent deliveries of one message through', async () => {
        const u = newUser();
        const results = await Promise.all(Array.from({ length: 30 }, () => fresh(s, u, 'dup', 3600)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('forgets a message after its ttl', async () => {
        const u = newUser();
        expect(await fresh(s, u, 'short', 1)).toBe(true);
        expect(await fresh(s, u, 'short', 1)).toBe(false);
        await sleep(1_150);
        expect(await fresh(s, u, 'short', 1)).toBe(true);
      });
    });

    describe('admit: the flood count', () => {
      const admit = (u: string, id: string | undefined, windowMs = 60_000) => s.admit(u, id, { ttlSeconds: 3600, floodWindowMs: windowMs });

      it('counts each fresh message of a user in the window, per user; a message without an id counts too', async () => {
        const u = newUser();
        const v = newUser();
        expect(await admit(u, 'a')).toEqual({ fresh: true, count: 1 });
        expect(await admit(u, 'b')).toEqual({ fresh: true, count: 2 });
        expect(await admit(u, undefined)).toEqual({ fresh: true, count: 3 });
        expect(await admit(v, 'a')).toEqual({ fresh: true, count: 1 });
      });

      it('does not count a replayed delivery', async () => {
        const u = newUser();
        await admit(u, 'a');
        expect(await admit(u, 'a')).toEqual({ fresh: false, count: 0 });
        expect(await admit(u, 'b')).toEqual({ fresh: true, count: 2 });
      });

      it('counts nothing when no window is given', async () => {
        const u = newUser();
        expect(await s.admit(u, 'a', { ttlSeconds: 3600 })).toEqual({ fresh: true, count: 0 });
        expect(await admit(u, 'b')).toEqual({ fresh: true, count: 1 });
      });

      it('starts again once the window that began with the first message has passed', async () => {
        const u = newUser();
        await admit(u, 'a', 500);
        expect((await admit(u, 'b', 500)).count).toBe(2);
        await sleep(650);
        expect((await admit(u, 'c', 500)).count).toBe(1);
      });

      it('hands back the open quote when asked, in the same step; null when none is open; nothing for a replay', async () => {
        const u = newUser();
        const ask = (id: string) => s.admit(u, id, { ttlSeconds: 3600, openQuote: true });
        expect(await ask('q1')).toEqual({ fresh: true, count: 0, quote: null });
        const q = makeQuote(u, 10_000);
        await s.putQuote(q);
        expect(await ask('q2')).toEqual({ fresh: true, count: 0, quote: q });
        expect(await ask('q2')).toEqual({ fresh: false, count: 0 });
        expect(await s.admit(u, 'q3', { ttlSeconds: 3600 })).toEqual({ fresh: true, count: 0 });
        await s.putQuote(makeQuote(u, 10_000, { now: Date.now() - 10_000, expiresAt: Date.now() - 1 }));
        expect((await ask('q4')).quote).toBeNull();
      });

      it('counts every one of many concurrent messages once', async () => {
        const u = newUser();
        const counts = (await Promise.all(Array.from({ length: 40 }, (_, i) => admit(u, `c${i}`)))).map((r) => r.count);
        expect([...counts].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      });
    });

    // ---------------------------------------------------------------- users
    describe('users', () => {
      it('getUser is null for a user never seen', async () => {
        expect(await s.getUser(newUser())).toBeNull();
      });

      it('touchUser creates the record once; firstSeen stays', async () => {
        const u = newUser();
        const first = await s.touchUser(u, 1_000);
        expect(first).toMatchObject({ id: u, reseller: false, firstSeen: 1_000 });
        const again = await s.touchUser(u, 5_000);
        expect(again).toMatchObject({ id: u, reseller: false, firstSeen: 1_000 });
        expect(await s.getUser(u)).toMatchObject({ id: u, reseller: false, firstSeen: 1_000 });
      });

      it('setReseller turns a user into a reseller with a name, and back; touchUser keeps the flag', async () => {
        const u = newUser();
        await s.touchUser(u, 1_000);
        await s.setReseller(u, true, 'Toko Budi Jaya — Medan', 2_000);
        expect(await s.getUser(u)).toMatchObject({ id: u, reseller: true, name: 'Toko Budi Jaya — Medan', firstSeen: 1_000 });
        expect(await s.touchUser(u, 3_000)).toMatchObject({ id: u, reseller: true, name: 'Toko Budi Jaya — Medan', firstSeen: 1_000 });
        expect(await s.getUser(u)).toMatchObject({ reseller: true, firstSeen: 1_000 });
        await s.setReseller(u, false, undefined, 4_000);
        expect(await s.getUser(u)).toMatchObject({ id: u, reseller: false, firstSeen: 1_000 });
      });

      it('setReseller on a user who never messaged creates the record', async () => {
        const u = newUser();
        await s.setReseller(u, true, 'Agen', 7_000);
        const rec = await s.getUser(u);
        expect(rec).toMatchObject({ id: u, reseller: true, name: 'Agen' });
        expect(typeof rec?.firstSeen).toBe('number');
        expect(await s.touchUser(u, 9_000)).toMatchObject({ id: u, reseller: true, name: 'Agen' });
      });
    });

    // ---------------------------------------------------------------- quotes
    describe('quotes', () => {
      it('put, get and drop', async () => {
        const u = newUser();
        expect(await s.getQuote(u)).toBeNull();
        const q = makeQuote(u, 256_000);
        await s.putQuote(q);
        expect(await s.getQuote(u)).toEqual(q);
        expect(await s.dropQuote(u)).toBe(true);
        expect(await s.getQuote(u)).toBeNull();
        expect(await s.dropQuote(u)).toBe(false);
      });

      it('a new quote replaces the open one', async () => {
        const u = newUser();
        const a = makeQuote(u, 10_000);
        const b = makeQuote(u, 20_000);
        await s.putQuote(a);
        await s.putQuote(b);
        expect(await s.getQuote(u)).toEqual(b);
        expect(await s.reserve(u, a.id, newId('T'), Date.now())).toEqual({ ok: false, reason: 'no-quote' });
        expect(await s.getQuote(u)).toEqual(b);
      });

      it('quotes are per user', async () => {
        const u = newUser();
        const v = newUser();
        const a = makeQuote(u, 10_000);
        await s.putQuote(a);
        expect(await s.getQuote(v)).toBeNull();
        await s.adjustSaldo(v, 50_000, 'deposit', Date.now());
        expect(await s.reserve(v, a.id, newId('T'), Date.now())).toEqual({ ok: false, reason: 'no-quote' });
        expect(await s.getQuote(u)).toEqual(a);
        expect(await s.getSaldo(v)).toBe(50_000);
      });

      it('a quote whose expiresAt is already past is not there', async () => {
        const u = newUser();
        const q = makeQuote(u, 10_000, { now: Date.now() - 10_000, expiresAt: Date.now() - 5 });
        await s.putQuote(q);
        expect(await s.getQuote(u)).toBeNull();
        await s.adjustSaldo(u, 50_000, 'deposit', Date.now());
        expect(await s.reserve(u, q.id, newId('T'), Date.now())).toEqual({ ok: false, reason: 'no-quote' });
        expect(await s.getSaldo(u)).toBe(50_000);
      });

      it('a quote expires at expiresAt', async () => {
        const u = newUser();
        const q = makeQuote(u, 10_000, { ttlMs: 40 });
        await s.putQuote(q);
        await s.adjustSaldo(u, 50_000, 'deposit', Date.now());
        await sleep(90);
        expect(await s.getQuote(u)).toBeNull();
        expect(await s.reserve(u, q.id, newId('T'), Date.now())).toEqual({ ok: false, reason: 'no-quote' });
        expect(await s.getSaldo(u)).toBe(50_000);
        expect(await s.ledger(u, 10)).toHaveLength(1);
      });
    });

    // ---------------------------------------------------------------- saldo and ledger
    describe('adjustSaldo and ledger', () => {
      it('an unknown user has saldo 0 and an empty ledger', async () => {
        const u = newUser();
        expect(await s.getSaldo(u)).toBe(0);
        expect(await s.ledger(u, 10)).toEqual([]);
      });

      it('credits and debits with one ledger entry each (amount, reason, saldoAfter, note, at)', async () => {
        const u = newUser();
        expect(await s.adjustSaldo(u, 100_000, 'deposit', 1_000, 'transfer BCA')).toBe(100_000);
        expect(await s.adjustSaldo(u, -30_000, 'adjustment', 2_000)).toBe(70_000);
        expect(await s.getSaldo(u)).toBe(70_000);
        const entries = await s.ledger(u, 10);
        expect(entries).toHaveLength(2);
        expect(entries).toContainEqual(
          expect.objectContaining({ at: 1_000, amount: 100_000, reason: 'deposit', saldoAfter: 100_000, note: 'transfer BCA' }),
        );
        expect(entries).toContainEqual(expect.objectContaining({ at: 2_000, amount: -30_000, reason: 'adjustment', saldoAfter: 70_000 }));
        expect(sum(entries)).toBe(70_000);
      });

      it('with an operation id, applies once: the same id again returns the same saldo and adds nothing', async () => {
        const u = newUser();
        expect(await s.adjustSaldo(u, 70_000, 'deposit', 1, 'by admin', 'msg-1')).toBe(70_000);
        expect(await s.adjustSaldo(u, 70_000, 'deposit', 2, 'by admin', 'msg-1')).toBe(70_000);
        expect(await s.adjustSaldo(u, 30_000, 'deposit', 3, 'by admin', 'msg-2')).toBe(100_000);
        expect(await s.getSaldo(u)).toBe(100_000);
        expect(await s.ledger(u, 10)).toHaveLength(2);
        await expectBalanced(u);
      });

      it('a debit to exactly zero is allowed', async () => {
        const u = newUser();
        await s.adjustSaldo(u, 5_000, 'deposit', 1);
        expect(await s.adjustSaldo(u, -5_000, 'transfer-out', 2)).toBe(0);
        expect(await s.getSaldo(u)).toBe(0);
        await expectBalanced(u);
      });

      it('a debit below zero returns null and changes nothing', async () => {
        const u = newUser();
        await s.adjustSaldo(u, 5_000, 'deposit', 1);
        expect(await s.adjustSaldo(u, -5_001, 'transfer-out', 2)).toBeNull();
        expect(await s.getSaldo(u)).toBe(5_000);
        expect(await s.ledger(u, 10)).toHaveLength(1);
        const v = newUser();
        expect(await s.adjustSaldo(v, -1, 'adjustment', 3)).toBeNull();
        expect(await s.getSaldo(v)).toBe(0);
        expect(await s.ledger(v, 10)).toEqual([]);
      });

      it('ledger(limit) gives the last `limit` entries (MUTASI n); their sum is the saldo when all are asked', async () => {
        // The port does not document the order inside the answer; CONTRACT's `MUTASI [n]` says "the last n ledger entries".
        const u = newUser();
        for (let i = 1; i <= 7; i++) await s.adjustSaldo(u, i * 1_000, 'deposit', i * 10, `n${i}`);
        const all = await s.ledger(u, 100);
        expect(all).toHaveLength(7);
        expect(sum(all)).toBe(28_000);
        const last3 = await s.ledger(u, 3);
        expect(last3).toHaveLength(3);
        expect(last3.map((e) => e.note).sort()).toEqual(['n5', 'n6', 'n7']);
      });

      it('a limit of 0 gives nothing (ledger, listTx, scheduled, claimDue)', async () => {
        const u = newUser();
        const { txId } = await paid(u, 1_000, 5_000);
        await s.schedule(u, txId, 1);
        expect.soft(await s.ledger(u, 0)).toEqual([]);
        expect.soft(await s.listTx(u, 0)).toEqual([]);
        expect.soft(await s.scheduled(0)).toEqual([]);
        expect.soft(await s.claimDue(10, 1_000, 0)).toEqual([]);
        // and nothing was leased by the empty claim
        expect(await s.claimDue(10, 1_000, 10)).toEqual([{ user: u, txId }]);
      });

      it('1,000 concurrent debits against a saldo covering exactly 100: 100 succeed, saldo 0, never negative', async () => {
        const u = newUser();
        await s.adjustSaldo(u, 100 * 2_500, 'deposit', 1);
        const results = await Promise.all(Array.from({ length: 1_000 }, (_, i) => s.adjustSaldo(u, -2_500, 'adjustment', 2 + i)));
        const ok = results.filter((r): r is number => r !== null);
        expect(ok).toHaveLength(100);
        expect(Math.min(...ok)).toBe(0);
        expect(new Set(ok).size).toBe(100);
        expect(await s.getSaldo(u)).toBe(0);
        const { entries } = await expectBalanced(u);
        expect(entries).toHaveLength(101);
        expect(entries.every((e) => e.saldoAfter >= 0)).toBe(true);
      });
    });

    // ---------------------------------------------------------------- reserve
    describe('reserve', () => {
      it('debits the price, consumes the quote, writes the RESERVED transaction and one payment entry', async () => {
        const u = newUser();
        await s.adjustSaldo(u, 300_000, 'deposit', 1_000);
        const now = Date.now();
        const q = makeQuote(u, 256_000, { now });
        await s.putQuote(q);
        const txId = newId('T');
        const r = await s.reserve(u, q.id, txId, now + 5, { messageId: 'msg-77' });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const expected: Transaction = {
          id: txId,
          user: u,
          quote: q,
          status: 'RESERVED',
          createdAt: now + 5,
          updatedAt: now + 5,
          saldoAfter: 44_000,
          messageId: 'msg-77',
        };
        expect(r.tx).toMatchObject(expected);
        expect(await s.getSaldo(u)).toBe(44_000);
        expect(await s.getQuote(u)).toBeNull();
        expect(await s.getTx(u, txId)).toMatchObject(expected);
        expect((await s.listTx(u, 10)).map((t) => t.id)).toEqual([txId]);
        const entries = await s.ledger(u, 10);
        expect(entries).toHaveLength(2);
        const payments = entries.filter((e) => e.reason === 'payment');
        expect(payments).toEqual([expect.objectContaining({ amount: -256_000, reason: 'payment', txId, saldoAfter: 44_000, at: now + 5 })]);
        await expectBalanced(u);
      });

      it('asked to, writes SENDING at once: the reserve is the one claim to call the provider', async () => {
        const u = newUser();
        await s.adjustSaldo(u, 300_000, 'deposit', 1_000);
        const q = makeQuote(u, 256_000);
        await s.putQuote(q);
        const txId = newId('T');
        // Given the quote it read, the caller gets it back as given; the store holds the same one.
        const r = await s.reserve(u, q.id, txId, Date.now(), { sending: true, quote: q });
        expect(r).toMatchObject({ ok: true, tx: { status: 'SENDING', quote: q } });
        expect(await s.getTx(u, txId)).toMatchObject({ status: 'SENDING', quote: q });
        // Never from RESERVED, so no RESERVED→SENDING claim can be won a second time.
        expect(await s.transition(u, txId, ['RESERVED'], 'SENDING', Date.now())).toBe(false);
        // A second reserve of the same quote finds it consumed.
        expect(await s.reserve(u, q.id, newId('T'), Date.now(), { sending: true, quote: q })).toEqual({ ok: false, reason: 'no-quote' });
        expect(await s.getSaldo(u)).toBe(44_000);
        await expectBalanced(u);
      });

      it('a quote the caller holds with another id than the open one pays nothing', async () => {
        const u = newUser();
        await s.adjustSaldo(u, 300_000, 'deposit', 1_000);
        const old = makeQuote(u, 10_000);
        const open = makeQuote(u, 20_000);
        await s.putQuote(open);
        expect(await s.reserve(u, old.id, newId('T'), Date.now(), { sending: true, quote: old })).toEqual({ ok: false, reason: 'no-quote' });
        expect(await s.getSaldo(u)).toBe(300_000);
      });

      it('a transaction id already used is refused (no-quote), the first transaction untouched', async () => {
        const u = newUser();
        const { txId, tx } = await paid(u, 1_000, 5_000);
        const q = makeQuote(u, 2_000);
        await s.putQuote(q);
        expect(await s.reserve(u, q.id, txId, Date.now())).toEqual({ ok: false, reason: 'no-quote' });
        expect(await s.getTx(u, txId)).toMatchObject({ quote: tx.quote, status: 'RESERVED' });
        expect(await s.getSaldo(u)).toBe(4_000);
        const { entries } = await expectBalanced(u);
        expect(entries.filter((e) => e.txId === txId)).toHaveLength(1);
      });

      it('without a messageId the transaction has none', async () => {
        const u = newUser();
        const { tx, txId } = await paid(u, 1_000, 1_000, Date.now(), null);
        expect(tx.messageId).toBeUndefined();
        expect((await s.getTx(u, txId))?.messageId).toBeUndefined();
      });

      it('a wrong quoteId is no-quote and leaves the open quote and saldo alone', async () => {
        const u = newUser();
        await s.adjustSaldo(u, 50_000, 'deposit', 1);
        const q = makeQuote(u, 10_000);
        await s.putQuote(q);
        const txId = newId('T');
        expect(await s.reserve(u, 'not-that-quote', txId, Date.now())).toEqual({ ok: false, reason: 'no-quote' });
        expect(await s.getQuote(u)).toEqual(q);
        expect(await s.getSaldo(u)).toBe(50_000);
        expect(await s.getTx(u, txId)).toBeNull();
        expect(await s.ledger(u, 10)).toHaveLength(1);
      });

      it('no open quote is no-quote', async () => {
        const u = newUser();
        await s.adjustSaldo(u, 50_000, 'deposit', 1);
        expect(await s.reserve(u, 'Qnothing', newId('T'), Date.now())).toEqual({ ok: false, reason: 'no-quote' });
        expect(await s.getSaldo(u)).toBe(50_000);
        expect(await s.listTx(u, 10)).toEqual([]);
      });

      it('a dropped quote is no-quote', async () => {
        const u = newUser();
        await s.adjustSaldo(u, 50_000, 'deposit', 1);
        const q = makeQuote(u, 10_000);
        await s.putQuote(q);
        await s.dropQuote(u);
        expect(await s.reserve(u, q.id, newId('T'), Date.now())).toEqual({ ok: false, reason: 'no-quote' });
        expect(await s.getSaldo(u)).toBe(50_000);
      });

      it('insufficient saldo: reports saldo and price and changes nothing', async () => {
        const u = newUser();
        await s.adjustSaldo(u, 9_999, 'deposit', 1);
        const q = makeQuote(u, 10_000);
        await s.putQuote(q);
        const txId = newId('T');
        expect(await s.reserve(u, q.id, txId, Date.now())).toEqual({ ok: false, reason: 'insufficient', saldo: 9_999, price: 10_000 });
        expect(await s.getQuote(u)).toEqual(q);
        expect(await s.getSaldo(u)).toBe(9_999);
        expect(await s.ledger(u, 10)).toHaveLength(1);
        expect(await s.getTx(u, txId)).toBeNull();
        expect(await s.listTx(u, 10)).toEqual([]);
        // topping up makes the same quote payable
        await s.adjustSaldo(u, 1, 'deposit', 2);
        const r = await s.reserve(u, q.id, txId, Date.now());
        expect(r.ok).toBe(true);
        expect(await s.getSaldo(u)).toBe(0);
      });

      it('a user with no saldo at all is insufficient with saldo 0', async () => {
        const u = newUser();
        const q = makeQuote(u, 10_000);
        await s.putQuote(q);
        expect(await s.reserve(u, q.id, newId('T'), Date.now())).toEqual({ ok: false, reason: 'insufficient', saldo: 0, price: 10_000 });
        expect(await s.ledger(u, 10)).toEqual([]);
      });

      it('a second reserve of the same quote is no-quote (a repeated YA)', async () => {
        const u = newUser();
        const { q } = await paid(u, 10_000, 30_000);
        expect(await s.reserve(u, q.id, newId('T'), Date.now())).toEqual({ ok: false, reason: 'no-quote' });
        expect(await s.getSaldo(u)).toBe(20_000);
        expect(await s.listTx(u, 10)).toHaveLength(1);
        const { entries } = await expectBalanced(u);
        expect(entries.filter((e) => e.reason === 'payment')).toHaveLength(1);
      });

      it('listTx is newest first and honours the limit', async () => {
        const u = newUser();
        await s.adjustSaldo(u, 100_000, 'deposit', 1);
        const ids: string[] = [];
        const base = Date.now();
        for (let i = 0; i < 4; i++) {
          const q = makeQuote(u, 1_000);
          await s.putQuote(q);
          const txId = newId('T');
          ids.push(txId);
          expect((await s.reserve(u, q.id, txId, base + i * 1_000)).ok).toBe(true);
        }
        expect((await s.listTx(u, 10)).map((t) => t.id)).toEqual([...ids].reverse());
        expect((await s.listTx(u, 2)).map((t) => t.id)).toEqual([ids[3], ids[2]]);
        expect(await s.listTx(newUser(), 10)).toEqual([]);
        // listTx shows the current state of each transaction
        await s.transition(u, ids[3]!, ['RESERVED'], 'SENDING', base + 9_000);
        expect((await s.listTx(u, 1))[0]).toMatchObject({ id: ids[3], status: 'SENDING' });
      });

      it('getTx is null for an unknown id and for another user’s transaction', async () => {
        const u = newUser();
        const { txId } = await paid(u, 1_000);
        expect(await s.getTx(u, 'Tnope')).toBeNull();
        expect(await s.getTx(newUser(), txId)).toBeNull();
      });
    });

    // ---------------------------------------------------------------- concurrency
    describe('concurrency', () => {
      it('50 concurrent reserves of one quote: exactly one ok, saldo debited once, one payment entry', async () => {
        const u = newUser();
        await s.adjustSaldo(u, 1_000_000, 'deposit', 1);
        const q = makeQuote(u, 7_500);
        await s.putQuote(q);
        const txIds = Array.from({ length: 50 }, () => newId('T'));
        const results = await Promise.all(txIds.map((t, i) => s.reserve(u, q.id, t, Date.now(), { messageId: `m${i}` })));
        const ok = results.filter((r) => r.ok);
        expect(ok).toHaveLength(1);
        expect(results.filter((r) => !r.ok && r.reason === 'no-quote')).toHaveLength(49);
        expect(await s.getSaldo(u)).toBe(992_500);
        const { entries } = await expectBalanced(u);
        expect(entries.filter((e) => e.reason === 'payment')).toHaveLength(1);
        expect(await s.listTx(u, 100)).toHaveLength(1);
        const created = await Promise.all(txIds.map((t) => s.getTx(u, t)));
        expect(created.filter((t) => t !== null)).toHaveLength(1);
      });

      it('one user, 1,000 purchases in sequence against a saldo covering exactly 100', async () => {
        const u = newUser();
        const price = 1_234;
        await s.adjustSaldo(u, 100 * price, 'deposit', 1);
        let ok = 0;
        let insufficient = 0;
        for (let i = 0; i < 1_000; i++) {
          const q = makeQuote(u, price);
          await s.putQuote(q);
          const r = await s.reserve(u, q.id, newId('T'), Date.now());
          if (r.ok) {
            ok += 1;
            expect(r.tx.saldoAfter).toBeGreaterThanOrEqual(0);
          } else if (r.reason === 'insufficient') {
            insufficient += 1;
            expect(r.saldo).toBeLessThan(price);
          } else throw new Error(`unexpected ${JSON.stringify(r)}`);
        }
        expect(ok).toBe(100);
        expect(insufficient).toBe(900);
        expect(await s.getSaldo(u)).toBe(0);
        const { entries } = await expectBalanced(u);
        expect(entries).toHaveLength(101);
        expect(entries.every((e) => e.saldoAfter >= 0)).toBe(true);
      });

      it('1,000 purchases by 10 users concurrently, saldos covering exactly 100 in all', async () => {
        const users = Array.from({ length: 10 }, () => newUser());
        const price = 3_000;
        await Promise.all(users.map((u) => s.adjustSaldo(u, 10 * price, 'deposit', 1)));
        const outcomes = await Promise.all(
          users.map(async (u) => {
            let ok = 0;
            for (let i = 0; i < 100; i++) {
              const q = makeQuote(u, price);
              await s.putQuote(q);
              const r = await s.reserve(u, q.id, newId('T'), Date.now());
              if (r.ok) ok += 1;
              else if (r.reason !== 'insufficient') throw new Error(`unexpected ${JSON.stringify(r)}`);
            }
            return ok;
          }),
        );
        expect(outcomes.reduce((a, b) => a + b, 0)).toBe(100);
        for (const u of users) {
          expect(await s.getSaldo(u)).toBe(0);
          const { entries } = await expectBalanced(u);
          expect(entries.filter((e) => e.reason === 'payment')).toHaveLength(10);
        }
      });

      it('reserves racing debits on one saldo never take it below zero', async () => {
        const u = newUser();
        const price = 1_000;
        await s.adjustSaldo(u, 20 * price, 'deposit', 1);
        const buyer = (async () => {
          let ok = 0;
          for (let i = 0; i < 40; i++) {
            const q = makeQuote(u, price);
            await s.putQuote(q);
            const r = await s.reserve(u, q.id, newId('T'), Date.now());
            if (r.ok) ok += 1;
          }
          return ok;
        })();
        const debits = Promise.all(Array.from({ length: 40 }, () => s.adjustSaldo(u, -price, 'transfer-out', Date.now())));
        const [bought, debited] = await Promise.all([buyer, debits]);
        expect(bought + debited.filter((d) => d !== null).length).toBe(20);
        expect(await s.getSaldo(u)).toBe(0);
        await expectBalanced(u);
      });
    });

    // ---------------------------------------------------------------- transition
    describe('transition', () => {
      it('is a compare-and-set: RESERVED→SENDING once; the same transition again is false', async () => {
        const u = newUser();
        const { txId } = await paid(u, 5_000);
        expect(await s.transition(u, txId, ['RESERVED'], 'SENDING', 10_000)).toBe(true);
        expect(await s.transition(u, txId, ['RESERVED'], 'SENDING', 10_001)).toBe(false);
        expect(await s.getTx(u, txId)).toMatchObject({ status: 'SENDING', updatedAt: 10_000 });
      });

      it('of many concurrent RESERVED→SENDING exactly one wins', async () => {
        const u = newUser();
        const { txId } = await paid(u, 5_000);
        const results = await Promise.all(Array.from({ length: 30 }, (_, i) => s.transition(u, txId, ['RESERVED'], 'SENDING', 100 + i)));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await s.getTx(u, txId))?.status).toBe('SENDING');
      });

      it('persists the patch fields and the new status', async () => {
        const u = newUser();
        const { txId, q } = await paid(u, 5_000);
        expect(await s.transition(u, txId, ['RESERVED'], 'SENDING', 1)).toBe(true);
        expect(await s.transition(u, txId, ['SENDING'], 'PENDING', 2, { invoice: 'INV-889', reason: 'timeout' })).toBe(true);
        expect(await s.getTx(u, txId)).toMatchObject({ status: 'PENDING', invoice: 'INV-889', reason: 'timeout', updatedAt: 2, quote: q });
        const receipt = {
          invoice: 'INV-889',
          reference: 'REF-1',
          at: '2026-10-05 10:11:12',
          token: '12345678901234567890',
          kwh: '32,1',
          footer: 'Informasi Hubungi Call Center 123',
          customerName: 'SITI AMINAH',
          details: [{ key: 'tariff' as const, value: 'R1/1300 VA' }, { key: 'ppj' as const, amount: 1_500 }],
          debit: 4_200,
        };
        expect(await s.transition(u, txId, ['PENDING'], 'SETTLED', 3, { receipt })).toBe(true);
        const tx = await s.getTx(u, txId);
        expect(tx).toMatchObject({ status: 'SETTLED', invoice: 'INV-889', receipt, updatedAt: 3 });
        expect(tx?.saldoAfter).toBe(0);
        // no money moved
        expect(await s.getSaldo(u)).toBe(0);
        expect(await s.ledger(u, 10)).toHaveLength(2);
      });

      it('accepts any state listed in from', async () => {
        const u = newUser();
        const { txId } = await paid(u, 5_000);
        expect(await s.transition(u, txId, ['SENDING', 'PENDING'], 'SETTLED', 1)).toBe(false);
        expect(await s.transition(u, txId, ['SENDING', 'RESERVED'], 'PENDING', 1)).toBe(true);
        expect(await s.transition(u, txId, ['SENDING', 'PENDING'], 'SETTLED', 2)).toBe(true);
      });

      it('is false from a final state', async () => {
        const u = newUser();
        const { txId } = await paid(u, 5_000);
        expect(await s.transition(u, txId, ['RESERVED'], 'SETTLED', 1)).toBe(true);
        expect(await s.transition(u, txId, ACTIVE, 'PENDING', 2)).toBe(false);
        expect(await s.transition(u, txId, ACTIVE, 'SENDING', 2)).toBe(false);
        expect(await s.fail(u, txId, ACTIVE, 'late failure', 2)).toBe(false);
        const v = newUser();
        const failed = await paid(v, 5_000);
        expect(await s.fail(v, failed.txId, ['RESERVED'], 'gagal', 1)).toBe(true);
        expect(await s.transition(v, failed.txId, ACTIVE, 'SETTLED', 2)).toBe(false);
        expect((await s.getTx(v, failed.txId))?.status).toBe('FAILED');
      });

      it('never leaves a final state, even when `from` names it (SETTLED and FAILED are final)', async () => {
        const u = newUser();
        const { txId } = await paid(u, 5_000);
        await s.transition(u, txId, ['RESERVED'], 'SETTLED', 1);
        expect(await s.transition(u, txId, ['SETTLED'], 'PENDING', 2)).toBe(false);
        expect((await s.getTx(u, txId))?.status).toBe('SETTLED');
        const v = newUser();
        const f = await paid(v, 5_000);
        await s.fail(v, f.txId, ['RESERVED'], 'gagal', 1);
        // a FAILED transaction is refunded; making it SETTLED would keep the refund on a paid bill
        expect(await s.transition(v, f.txId, ['FAILED' as TxStatus], 'SETTLED', 2)).toBe(false);
        expect((await s.getTx(v, f.txId))?.status).toBe('FAILED');
      });

      it('is false for an unknown transaction and creates nothing', async () => {
        const u = newUser();
        expect(await s.transition(u, 'Tnope', ACTIVE, 'SENDING', 1)).toBe(false);
        expect(await s.getTx(u, 'Tnope')).toBeNull();
        expect(await s.listTx(u, 10)).toEqual([]);
      });
    });

    // ---------------------------------------------------------------- fail
    describe('fail', () => {
      it('moves to FAILED with the reason and refunds the price once, with one refund entry', async () => {
        const u = newUser();
        const { txId } = await paid(u, 12_000, 20_000);
        expect(await s.getSaldo(u)).toBe(8_000);
        expect(await s.transition(u, txId, ['RESERVED'], 'SENDING', 1)).toBe(true);
        expect(await s.fail(u, txId, ['SENDING', 'PENDING'], 'produk gangguan', 2_000)).toBe(true);
        expect(await s.getTx(u, txId)).toMatchObject({ status: 'FAILED', reason: 'produk gangguan', updatedAt: 2_000 });
        expect(await s.getSaldo(u)).toBe(20_000);
        const { entries } = await expectBalanced(u);
        expect(entries.filter((e) => e.reason === 'refund')).toEqual([
          expect.objectContaining({ amount: 12_000, reason: 'refund', txId, saldoAfter: 20_000, at: 2_000 }),
        ]);
        expect(await s.fail(u, txId, ['SENDING', 'PENDING'], 'again', 3_000)).toBe(false);
        expect(await s.getSaldo(u)).toBe(20_000);
      });

      it('of many concurrent fails exactly one refunds', async () => {
        const u = newUser();
        const { txId } = await paid(u, 12_000);
        await s.transition(u, txId, ['RESERVED'], 'PENDING', 1);
        const results = await Promise.all(Array.from({ length: 30 }, (_, i) => s.fail(u, txId, ACTIVE, `gagal ${i}`, 10 + i)));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await s.getSaldo(u)).toBe(12_000);
        const { entries } = await expectBalanced(u);
        expect(entries.filter((e) => e.reason === 'refund')).toHaveLength(1);
      });

      it('a fail racing a settle: exactly one wins, and a refund only if FAILED', async () => {
        for (let round = 0; round < 10; round++) {
          const u = newUser();
          const { txId } = await paid(u, 3_000);
          await s.transition(u, txId, ['RESERVED'], 'PENDING', 1);
          const [failed, settled] = await Promise.all([
            s.fail(u, txId, ['PENDING'], 'gagal', 2),
            s.transition(u, txId, ['PENDING'], 'SETTLED', 2),
          ]);
          expect(failed !== settled).toBe(true);
          const tx = await s.getTx(u, txId);
          const { entries, saldo } = await expectBalanced(u);
          const refunds = entries.filter((e) => e.reason === 'refund');
          if (failed) {
            expect(tx?.status).toBe('FAILED');
            expect(refunds).toHaveLength(1);
            expect(saldo).toBe(3_000);
          } else {
            expect(tx?.status).toBe('SETTLED');
            expect(refunds).toHaveLength(0);
            expect(saldo).toBe(0);
          }
        }
      });

      it('from RESERVED (never sent) refunds', async () => {
        const u = newUser();
        const { txId } = await paid(u, 4_000);
        expect(await s.fail(u, txId, ['RESERVED'], 'restart', 5)).toBe(true);
        expect(await s.getSaldo(u)).toBe(4_000);
        expect((await s.getTx(u, txId))?.status).toBe('FAILED');
      });

      it('is false, with no refund, when the state is not in from', async () => {
        const u = newUser();
        const { txId } = await paid(u, 4_000);
        expect(await s.fail(u, txId, ['PENDING'], 'nope', 5)).toBe(false);
        expect((await s.getTx(u, txId))?.status).toBe('RESERVED');
        expect(await s.getSaldo(u)).toBe(0);
        expect(await s.ledger(u, 10)).toHaveLength(2);
      });

      it('on a SETTLED transaction is false and refunds nothing, even when `from` names SETTLED', async () => {
        const u = newUser();
        const { txId } = await paid(u, 4_000);
        await s.transition(u, txId, ['RESERVED'], 'SETTLED', 5);
        expect(await s.fail(u, txId, ACTIVE, 'late', 6)).toBe(false);
        expect(await s.fail(u, txId, ['SETTLED' as TxStatus], 'late', 6)).toBe(false);
        expect((await s.getTx(u, txId))?.status).toBe('SETTLED');
        expect(await s.getSaldo(u)).toBe(0);
        const { entries } = await expectBalanced(u);
        expect(entries.filter((e) => e.reason === 'refund')).toHaveLength(0);
      });

      it('on a FAILED transaction is false even when `from` names FAILED (one refund only)', async () => {
        const u = newUser();
        const { txId } = await paid(u, 4_000);
        expect(await s.fail(u, txId, ['RESERVED'], 'gagal', 5)).toBe(true);
        expect(await s.fail(u, txId, ['FAILED' as TxStatus], 'gagal lagi', 6)).toBe(false);
        expect(await s.getSaldo(u)).toBe(4_000);
        const { entries } = await expectBalanced(u);
        expect(entries.filter((e) => e.reason === 'refund')).toHaveLength(1);
      });

      it('on an unknown transaction is false and credits nothing', async () => {
        const u = newUser();
        await s.adjustSaldo(u, 1_000, 'deposit', 1);
        expect(await s.fail(u, 'Tnope', ACTIVE, 'x', 2)).toBe(false);
        expect(await s.getSaldo(u)).toBe(1_000);
        expect(await s.ledger(u, 10)).toHaveLength(1);
        // nor through another user's id
        const v = newUser();
        const { txId } = await paid(v, 2_000);
        expect(await s.fail(u, txId, ACTIVE, 'x', 3)).toBe(false);
        expect(await s.getSaldo(u)).toBe(1_000);
        expect(await s.getSaldo(v)).toBe(0);
        expect((await s.getTx(v, txId))?.status).toBe('RESERVED');
      });
    });

    // ---------------------------------------------------------------- tx record
    describe('transaction record', () => {
      it('logTx/txLog keep the order of appends', async () => {
        const u = newUser();
        const { txId } = await paid(u, 1_000);
        expect(await s.txLog(u, txId)).toEqual([]);
        const events = [
          { at: 1, type: 'pay.request', data: { product: 'PLN', customerNo: '532100112233' } },
          { at: 1, type: 'pay.response', data: { status: 'pending', raw: 'é — {x}' } },
          { at: 3, type: 'state', data: 'PENDING' },
          { at: 2, type: 'note' },
        ];
        for (const e of events) await s.logTx(u, txId, e);
        expect(await s.txLog(u, txId)).toEqual(events);
      });

      it('patchTx sets fields without changing the status or money', async () => {
        const u = newUser();
        const { txId } = await paid(u, 1_000);
        await s.transition(u, txId, ['RESERVED'], 'PENDING', 1, { reason: 'timeout' });
        await s.patchTx(u, txId, { flagged: 'no-status-call' });
        expect(await s.getTx(u, txId)).toMatchObject({ status: 'PENDING', reason: 'timeout', flagged: 'no-status-call' });
        await s.patchTx(u, txId, { invoice: 'INV-1', reason: 'still pending' });
        expect(await s.getTx(u, txId)).toMatchObject({ status: 'PENDING', invoice: 'INV-1', reason: 'still pending', flagged: 'no-status-call' });
        expect(await s.getSaldo(u)).toBe(0);
        expect(await s.ledger(u, 10)).toHaveLength(2);
        // patching does not make the CAS lose its state
        expect(await s.transition(u, txId, ['PENDING'], 'SETTLED', 2)).toBe(true);
      });
    });

    // ---------------------------------------------------------------- schedule
    describe('schedule', () => {
      it('claimDue gives each due item once while leased, and again after the lease', async () => {
        const u = newUser();
        const v = newUser();
        await s.schedule(u, 'T1', 1_000);
        await s.schedule(u, 'T2', 2_000);
        await s.schedule(v, 'T3', 5_000);
        expect(await s.claimDue(500, 1_000, 10)).toEqual([]);
        const first = await s.claimDue(2_500, 1_000, 10);
        expect(first).toHaveLength(2);
        expect(first).toEqual(expect.arrayContaining([{ user: u, txId: 'T1' }, { user: u, txId: 'T2' }]));
        expect(await s.claimDue(2_500, 1_000, 10)).toEqual([]);
        expect(await s.claimDue(3_400, 1_000, 10)).toEqual([]);
        const again = await s.claimDue(3_600, 1_000, 10);
        expect(again).toHaveLength(2);
        expect(again).toEqual(expect.arrayContaining([{ user: u, txId: 'T1' }, { user: u, txId: 'T2' }]));
        // at 6,000 the first lease (to 4,600) is over too, and T3 is due
        const later = await s.claimDue(6_000, 1_000, 10);
        expect(later).toHaveLength(3);
        expect(later).toEqual(expect.arrayContaining([{ user: u, txId: 'T1' }, { user: u, txId: 'T2' }, { user: v, txId: 'T3' }]));
        expect(await s.claimDue(6_500, 1_000, 10)).toEqual([]);
      });

      it('claimDue honours the limit; the rest stay due', async () => {
        const u = newUser();
        for (let i = 0; i < 5; i++) await s.schedule(u, `T${i}`, 100 + i);
        const a = await s.claimDue(1_000, 60_000, 2);
        expect(a).toHaveLength(2);
        const b = await s.claimDue(1_000, 60_000, 10);
        expect(b).toHaveLength(3);
        expect(new Set([...a, ...b].map((d) => d.txId))).toEqual(new Set(['T0', 'T1', 'T2', 'T3', 'T4']));
      });

      it('concurrent claimDue calls never hand one item to two callers', async () => {
        const u = newUser();
        for (let i = 0; i < 40; i++) await s.schedule(u, `T${i}`, 100 + i);
        const batches = await Promise.all(Array.from({ length: 10 }, () => s.claimDue(1_000, 60_000, 7)));
        const all = batches.flat().map((d) => d.txId);
        expect(all).toHaveLength(40);
        expect(new Set(all).size).toBe(40);
      });

      it('scheduled lists soonest first, honours the limit; unschedule removes', async () => {
        const u = newUser();
        const v = newUser();
        await s.schedule(u, 'Tb', 2_000);
        await s.schedule(v, 'Tc', 3_000);
        await s.schedule(u, 'Ta', 1_000);
        expect(await s.scheduled(10)).toEqual([
          { user: u, txId: 'Ta' },
          { user: u, txId: 'Tb' },
          { user: v, txId: 'Tc' },
        ]);
        expect(await s.scheduled(2)).toEqual([
          { user: u, txId: 'Ta' },
          { user: u, txId: 'Tb' },
        ]);
        await s.unschedule(u, 'Ta');
        expect(await s.scheduled(10)).toEqual([
          { user: u, txId: 'Tb' },
          { user: v, txId: 'Tc' },
        ]);
        expect(await s.claimDue(10_000, 1_000, 10)).toEqual(expect.arrayContaining([{ user: u, txId: 'Tb' }, { user: v, txId: 'Tc' }]));
        await s.unschedule(v, 'Tc');
        await s.unschedule(u, 'Tb');
        expect(await s.scheduled(10)).toEqual([]);
        expect(await s.claimDue(100_000, 1_000, 10)).toEqual([]);
        // unscheduling something not scheduled is harmless
        await s.unschedule(u, 'Tnever');
      });

      it('scheduling again moves the item, without a duplicate', async () => {
        const u = newUser();
        await s.schedule(u, 'T1', 1_000);
        await s.schedule(u, 'T2', 2_000);
        await s.schedule(u, 'T1', 3_000);
        expect(await s.scheduled(10)).toEqual([
          { user: u, txId: 'T2' },
          { user: u, txId: 'T1' },
        ]);
        expect(await s.claimDue(2_500, 1_000, 10)).toEqual([{ user: u, txId: 'T2' }]);
      });

      it('a leased item shows in scheduled (it is still open)', async () => {
        const u = newUser();
        await s.schedule(u, 'T1', 1_000);
        await s.claimDue(1_500, 60_000, 10);
        expect(await s.scheduled(10)).toEqual([{ user: u, txId: 'T1' }]);
      });

      it('txOwner knows the owner after schedule, and is null for an unknown id', async () => {
        const u = newUser();
        const { txId } = await paid(u, 1_000);
        await s.schedule(u, txId, Date.now() + 30_000);
        expect(await s.txOwner(txId)).toBe(u);
        expect(await s.txOwner('Tnobody')).toBeNull();
      });
    });

    // ---------------------------------------------------------------- cache
    describe('cache', () => {
      it('get/set, overwrite, unknown is null', async () => {
        expect(await s.getCache('pricelist:mmbc')).toBeNull();
        await s.setCache('pricelist:mmbc', '[{"code":"PLN"}]', 600);
        expect(await s.getCache('pricelist:mmbc')).toBe('[{"code":"PLN"}]');
        await s.setCache('pricelist:mmbc', 'v2 — ünïcode', 600);
        expect(await s.getCache('pricelist:mmbc')).toBe('v2 — ünïcode');
        expect(await s.getCache('pricelist:iak')).toBeNull();
      });

      it('expires after its ttl', async () => {
        await s.setCache('short', 'x', 1);
        expect(await s.getCache('short')).toBe('x');
        await sleep(1_150);
        expect(await s.getCache('short')).toBeNull();
      });
    });

    // ---------------------------------------------------------------- deposit tickets, PIN tries
    ticketAndPinContract(() => s);

    // ---------------------------------------------------------------- invariants, property-based
    describe('ledger invariant (property-based)', () => {
      type Op =
        | { t: 'deposit'; u: number; amount: number }
        | { t: 'debit'; u: number; amount: number }
        | { t: 'buy'; u: number; price: number }
        | { t: 'wrongBuy'; u: number }
        | { t: 'move'; u: number; k: number; from: TxStatus[]; to: 'SENDING' | 'PENDING' | 'SETTLED' }
        | { t: 'fail'; u: number; k: number; from: TxStatus[] };

      const USERS = 3;
      const statusSet = fc.subarray<TxStatus>(['RESERVED', 'SENDING', 'PENDING', 'SETTLED', 'FAILED'], { minLength: 1 });
      const opArb: fc.Arbitrary<Op> = fc.oneof(
        fc.record({ t: fc.constant('deposit' as const), u: fc.nat(USERS - 1), amount: fc.integer({ min: 1, max: 50_000 }) }),
        fc.record({ t: fc.constant('debit' as const), u: fc.nat(USERS - 1), amount: fc.integer({ min: 1, max: 50_000 }) }),
        fc.record({ t: fc.constant('buy' as const), u: fc.nat(USERS - 1), price: fc.integer({ min: 1, max: 40_000 }) }),
        fc.record({ t: fc.constant('wrongBuy' as const), u: fc.nat(USERS - 1) }),
        fc.record({
          t: fc.constant('move' as const),
          u: fc.nat(USERS - 1),
          k: fc.nat(20),
          from: statusSet,
          to: fc.constantFrom('SENDING' as const, 'PENDING' as const, 'SETTLED' as const),
        }),
        fc.record({ t: fc.constant('fail' as const), u: fc.nat(USERS - 1), k: fc.nat(20), from: statusSet }),
      );

      /** Invariants 1 and 2 of DESIGN.md for one user. */
      async function checkUser(user: string, expectedSaldo?: number) {
        const { saldo, entries } = await expectBalanced(user);
        if (expectedSaldo !== undefined) expect(saldo).toBe(expectedSaldo);
        expect(entries.every((e) => e.saldoAfter >= 0)).toBe(true);
        const txs = await s.listTx(user, BIG);
        for (const tx of txs) {
          const mine = entries.filter((e) => e.txId === tx.id);
          const payments = mine.filter((e) => e.reason === 'payment');
          const refunds = mine.filter((e) => e.reason === 'refund');
          expect(payments.map((e) => e.amount)).toEqual([-tx.quote.price]);
          expect(refunds.map((e) => e.amount)).toEqual(tx.status === 'FAILED' ? [tx.quote.price] : []);
        }
      }

      it('sequential random operations match a model: saldo == sum(ledger), never < 0', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), async (ops) => {
            const users = Array.from({ length: USERS }, () => newUser());
            const saldo = users.map(() => 60_000);
            for (const user of users) await s.adjustSaldo(user, 60_000, 'deposit', Date.now());
            const txs: { id: string; price: number; status: TxStatus }[][] = users.map(() => []);
            for (const op of ops) {
              const user = users[op.u]!;
              const now = Date.now();
              switch (op.t) {
                case 'deposit': {
                  saldo[op.u]! += op.amount;
                  expect(await s.adjustSaldo(user, op.amount, 'deposit', now)).toBe(saldo[op.u]);
                  break;
                }
                case 'debit': {
                  const r = await s.adjustSaldo(user, -op.amount, 'adjustment', now);
                  if (op.amount <= saldo[op.u]!) {
                    saldo[op.u]! -= op.amount;
                    expect(r).toBe(saldo[op.u]);
                  } else expect(r).toBeNull();
                  break;
                }
                case 'buy': {
                  const q = makeQuote(user, op.price);
                  await s.putQuote(q);
                  const txId = newId('T');
                  const r = await s.reserve(user, q.id, txId, now);
                  if (op.price <= saldo[op.u]!) {
                    saldo[op.u]! -= op.price;
                    expect(r.ok && r.tx.saldoAfter).toBe(saldo[op.u]);
                    txs[op.u]!.push({ id: txId, price: op.price, status: 'RESERVED' });
                  } else expect(r).toEqual({ ok: false, reason: 'insufficient', saldo: saldo[op.u], price: op.price });
                  break;
                }
                case 'wrongBuy': {
                  expect(await s.reserve(user, 'Qwrong', newId('T'), now)).toEqual({ ok: false, reason: 'no-quote' });
                  break;
                }
                case 'move': {
                  const tx = txs[op.u]![op.k % Math.max(1, txs[op.u]!.length)];
                  if (!tx) break;
                  const can = op.from.includes(tx.status) && !FINAL_STATES.includes(tx.status);
                  expect(await s.transition(user, tx.id, op.from, op.to, now)).toBe(can);
                  if (can) tx.status = op.to;
                  break;
                }
                case 'fail': {
                  const tx = txs[op.u]![op.k % Math.max(1, txs[op.u]!.length)];
                  if (!tx) break;
                  const can = op.from.includes(tx.status) && !FINAL_STATES.includes(tx.status);
                  expect(await s.fail(user, tx.id, op.from, 'gagal', now)).toBe(can);
                  if (can) {
                    tx.status = 'FAILED';
                    saldo[op.u]! += tx.price;
                  }
                  break;
                }
              }
            }
            for (let i = 0; i < USERS; i++) {
              await checkUser(users[i]!, saldo[i]);
              for (const tx of txs[i]!) expect((await s.getTx(users[i]!, tx.id))?.status).toBe(tx.status);
            }
          }),
          { numRuns: 40 },
        );
      });

      it('concurrent random operations keep saldo == sum(ledger), never < 0, one debit per tx, one refund per FAILED', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
            const users = Array.from({ length: USERS }, () => newUser());
            // a few transactions to act on
            const txIds: string[][] = [];
            for (const user of users) {
              await s.adjustSaldo(user, 30_000, 'deposit', Date.now());
              const ids: string[] = [];
              for (let i = 0; i < 3; i++) {
                const q = makeQuote(user, 5_000 + i);
                await s.putQuote(q);
                const id = newId('T');
                if ((await s.reserve(user, q.id, id, Date.now())).ok) ids.push(id);
              }
              txIds.push(ids);
            }
            await Promise.all(
              ops.map(async (op) => {
                const user = users[op.u]!;
                const now = Date.now();
                const ids = txIds[op.u]!;
                switch (op.t) {
                  case 'deposit':
                    return s.adjustSaldo(user, op.amount, 'deposit', now);
                  case 'debit':
                    return s.adjustSaldo(user, -op.amount, 'adjustment', now);
                  case 'buy': {
                    const q = makeQuote(user, op.price);
                    await s.putQuote(q);
                    return s.reserve(user, q.id, newId('T'), now);
                  }
                  case 'wrongBuy':
                    return s.reserve(user, 'Qwrong', newId('T'), now);
                  case 'move':
                    return s.transition(user, ids[op.k % ids.length]!, op.from, op.to, now);
                  case 'fail':
                    return s.fail(user, ids[op.k % ids.length]!, op.from, 'gagal', now);
                }
              }),
            );
            for (const user of users) await checkUser(user);
          }),
          { numRuns: 15 },
        );
      });
    });
  });
}

const FINAL_STATES: readonly TxStatus[] = ['SETTLED', 'FAILED'];
