/**
 * The behaviour of the store port (src/bot/store.ts) that every backend must have. Run by
 * memory-store.test.ts and redis-store.test.ts. Each test gets a fresh store from `make`.
 *
 * Times: quotes carry real wall-clock times (Redis expires them with PX from `expiresAt - Date.now()`),
 * and the `now` handed to store steps is the wall clock too, so the same test means the same on both backends.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Family, ProviderName } from '../../src/bot/provider.ts';
import type { LedgerEntry, Quote, Store, TxPatch } from '../../src/bot/store.ts';
import { opIds } from '../../src/payments/ledger.ts';
import { ledgerContract, type Plant } from './ledger-contract.ts';
import { ticketAndPinContract } from './store-contract-tickets-pin.ts';

export interface StoreHandle {
  store: Store;
  /** Writes a transaction as a version before the ledger left it (RESERVED), with its debit. */
  plant: Plant;
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

    /** The ledger's reserve under its own operation (a YA). */
    function reserve(user: string, quoteId: string, txId: string, now: number, extra: { messageId?: string } = {}) {
      return s.money.reserve({ opId: opIds.reserve(txId), by: newId('by'), now, user, quoteId, txId, ...extra });
    }

    /** The ledger's resolve under its own operation. */
    function resolve(user: string, txId: string, to: 'PENDING' | 'SETTLED', now: number, patch?: TxPatch) {
      return s.money.resolve({ opId: `${txId}:${to}`, by: 'test', now, user, txId, to, ...(patch ? { patch } : {}) });
    }

    /** Deposits `saldo`, puts a quote of `price`, reserves it. */
    async function paid(user: string, price: number, saldo = price, now = Date.now(), messageId: string | null = newId('m')) {
      if (saldo > 0) expect(await s.adjustSaldo(user, saldo, 'deposit', now)).not.toBeNull();
      const q = makeQuote(user, price, { now });
      await s.putQuote(q);
      const txId = newId('T');
      const r = await reserve(user, q.id, txId, now, messageId ? { messageId } : {});
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
        expect(await reserve(u, a.id, newId('T'), Date.now())).toEqual({ ok: false, refusal: { code: 'no-quote' } });
        expect(await s.getQuote(u)).toEqual(b);
      });

      it('quotes are per user', async () => {
        const u = newUser();
        const v = newUser();
        const a = makeQuote(u, 10_000);
        await s.putQuote(a);
        expect(await s.getQuote(v)).toBeNull();
        await s.adjustSaldo(v, 50_000, 'deposit', Date.now());
        expect(await reserve(v, a.id, newId('T'), Date.now())).toEqual({ ok: false, refusal: { code: 'no-quote' } });
        expect(await s.getQuote(u)).toEqual(a);
        expect(await s.getSaldo(v)).toBe(50_000);
      });

      it('a quote whose expiresAt is already past is not there', async () => {
        const u = newUser();
        const q = makeQuote(u, 10_000, { now: Date.now() - 10_000, expiresAt: Date.now() - 5 });
        await s.putQuote(q);
        expect(await s.getQuote(u)).toBeNull();
        await s.adjustSaldo(u, 50_000, 'deposit', Date.now());
        expect(await reserve(u, q.id, newId('T'), Date.now())).toEqual({ ok: false, refusal: { code: 'no-quote' } });
        expect(await s.getSaldo(u)).toBe(50_000);
      });

      it('a quote expires at expiresAt', async () => {
        const u = newUser();
        const q = makeQuote(u, 10_000, { ttlMs: 40 });
        await s.putQuote(q);
        await s.adjustSaldo(u, 50_000, 'deposit', Date.now());
        await sleep(90);
        expect(await s.getQuote(u)).toBeNull();
        expect(await reserve(u, q.id, newId('T'), Date.now())).toEqual({ ok: false, refusal: { code: 'no-quote' } });
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

    // ---------------------------------------------------------------- transactions
    describe('transactions', () => {
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
          expect((await reserve(u, q.id, txId, base + i * 1_000)).ok).toBe(true);
        }
        expect((await s.listTx(u, 10)).map((t) => t.id)).toEqual([...ids].reverse());
        expect((await s.listTx(u, 2)).map((t) => t.id)).toEqual([ids[3], ids[2]]);
        expect(await s.listTx(newUser(), 10)).toEqual([]);
        // listTx shows the current state of each transaction
        await resolve(u, ids[3]!, 'PENDING', base + 9_000);
        expect((await s.listTx(u, 1))[0]).toMatchObject({ id: ids[3], status: 'PENDING' });
      });

      it('getTx is null for an unknown id and for another user’s transaction', async () => {
        const u = newUser();
        const { txId } = await paid(u, 1_000);
        expect(await s.getTx(u, 'Tnope')).toBeNull();
        expect(await s.getTx(newUser(), txId)).toBeNull();
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
        await resolve(u, txId, 'PENDING', 1, { reason: 'timeout' });
        await s.patchTx(u, txId, { flagged: 'no-status-call' });
        expect(await s.getTx(u, txId)).toMatchObject({ status: 'PENDING', reason: 'timeout', flagged: 'no-status-call' });
        await s.patchTx(u, txId, { invoice: 'INV-1', reason: 'still pending' });
        expect(await s.getTx(u, txId)).toMatchObject({ status: 'PENDING', invoice: 'INV-1', reason: 'still pending', flagged: 'no-status-call' });
        expect(await s.getSaldo(u)).toBe(0);
        expect(await s.ledger(u, 10)).toHaveLength(2);
        // patching does not make the state step lose its state
        expect((await resolve(u, txId, 'SETTLED', 2)).ok).toBe(true);
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

    // ---------------------------------------------------------------- the ledger: every step that moves money
    ledgerContract(() => s, () => h!.plant);

  });
}

