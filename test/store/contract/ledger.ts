/**
 * The ledger port (src/payments/ledger.ts) as every store must keep it: each operation applied once; sent
 * again by the same sender, the recorded outcome with `repeat` and nothing changed; by another sender,
 * `op-conflict`; refusals typed and not recorded; a transaction moved only as the transition table allows.
 * Run against both stores by contract/index.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Quote, Store, Transaction, TxStatus } from '../../../src/bot/store.ts';
import { type Outcome, opIds, type ResolveOp } from '../../../src/payments/ledger.ts';
import { canMove, NEXT } from '../../../src/payments/transitions.ts';
import { BIG, makeQuote, newId, newUser, type Plant, sum } from './fixtures.ts';

/** The refusal's code, or 'ok' / 'repeat'. */
function code<T>(r: Outcome<T>): string {
  if (!r.ok) return r.refusal.code;
  return r.repeat ? 'repeat' : 'ok';
}

export function ledgerContract(store: () => Store, plant: () => Plant): void {
  const s = () => store();
  const money = () => store().money;

  /** Credits `amount` under a fresh operation. */
  async function credit(user: string, amount: number, now = Date.now()) {
    const r = await money().adjust({ opId: newId('op'), by: 'test', now, user, amount, reason: 'deposit' });
    if (!r.ok) throw new Error(`setup credit failed: ${JSON.stringify(r)}`);
    return r.saldo;
  }

  function reserve(user: string, q: Quote | string, txId = newId('T'), by = newId('by'), extra: { messageId?: string; now?: number } = {}) {
    const quoteId = typeof q === 'string' ? q : q.id;
    return money().reserve({ opId: opIds.reserve(txId), by, now: extra.now ?? Date.now(), user, quoteId, txId, ...(extra.messageId ? { messageId: extra.messageId } : {}) });
  }

  /** A transaction paid (SENDING): credited `saldo`, quoted and reserved. */
  async function paid(user: string, price: number, saldo = price) {
    if (saldo > 0) await credit(user, saldo);
    const q = makeQuote(user, price);
    await s().putQuote(q);
    const txId = newId('T');
    const r = await reserve(user, q, txId);
    if (!r.ok) throw new Error(`setup reserve failed: ${JSON.stringify(r)}`);
    return { q, txId, tx: r.tx };
  }

  /** A resolve under a fresh operation id unless one is given. */
  function resolve(user: string, txId: string, to: ResolveOp['to'], extra: Partial<ResolveOp> = {}) {
    return money().resolve({ opId: `${txId}:${to}:${newId('o')}`, by: 'test', now: Date.now(), user, txId, to, ...(to === 'FAILED' ? { reason: 'gagal' } : {}), ...extra });
  }

  /** A transaction in `status`: RESERVED planted as an earlier version left it, the others reached through the table. */
  async function inState(user: string, status: TxStatus, price = 5_000): Promise<string> {
    if (status === 'RESERVED') {
      await credit(user, price);
      const q = makeQuote(user, price);
      const txId = newId('T');
      const now = Date.now();
      await plant()({ id: txId, user, quote: q, status: 'RESERVED', createdAt: now, updatedAt: now, saldoAfter: (await s().getSaldo(user)) - price });
      return txId;
    }
    const { txId } = await paid(user, price);
    if (status === 'SENDING') return txId;
    if (status === 'SETTLED' || status === 'FAILED') {
      expect(code(await resolve(user, txId, status))).toBe('ok');
      return txId;
    }
    expect(code(await resolve(user, txId, 'PENDING'))).toBe('ok');
    return txId;
  }

  async function expectBalanced(user: string) {
    const saldo = await s().getSaldo(user);
    const entries = await s().ledger(user, BIG);
    expect(saldo).toBeGreaterThanOrEqual(0);
    expect(sum(entries)).toBe(saldo);
    return { saldo, entries };
  }

  /** What a step may change for a user: a repeat must leave all of it as it was. */
  async function books(user: string) {
    return { saldo: await s().getSaldo(user), ledger: await s().ledger(user, BIG), txs: await s().listTx(user, BIG) };
  }

  describe('ledger: reserve', () => {
    it('debits the price, consumes the quote, writes SENDING (RESERVED is never written) and one payment entry', async () => {
      const u = newUser();
      await credit(u, 300_000);
      const now = Date.now();
      const q = makeQuote(u, 256_000, { now });
      await s().putQuote(q);
      const txId = newId('T');
      const r = await reserve(u, q, txId, 'msg:x', { messageId: 'msg-77', now: now + 5 });
      const expected: Transaction = { id: txId, user: u, quote: q, status: 'SENDING', createdAt: now + 5, updatedAt: now + 5, saldoAfter: 44_000, messageId: 'msg-77' };
      expect(r).toEqual({ ok: true, repeat: false, tx: expected });
      expect(await s().getSaldo(u)).toBe(44_000);
      expect(await s().getQuote(u)).toBeNull();
      expect(await s().getTx(u, txId)).toEqual(expected);
      expect((await s().listTx(u, 10)).map((t) => t.id)).toEqual([txId]);
      const payments = (await s().ledger(u, 10)).filter((e) => e.reason === 'payment');
      expect(payments).toEqual([expect.objectContaining({ amount: -256_000, reason: 'payment', txId, saldoAfter: 44_000, at: now + 5 })]);
      await expectBalanced(u);
    });

    it('given the quote the caller read, answers it as given', async () => {
      const u = newUser();
      await credit(u, 300_000);
      const q = makeQuote(u, 256_000);
      await s().putQuote(q);
      const txId = newId('T');
      const r = await money().reserve({ opId: txId, by: 'b', now: Date.now(), user: u, quoteId: q.id, txId, quote: q });
      expect(r).toMatchObject({ ok: true, repeat: false, tx: { status: 'SENDING', quote: q } });
    });

    it('sent again by the same sender: the first outcome, marked repeat, and nothing changed', async () => {
      const u = newUser();
      await credit(u, 50_000);
      const q = makeQuote(u, 10_000);
      await s().putQuote(q);
      const txId = newId('T');
      const first = await reserve(u, q, txId, 'msg:u:1');
      const before = await books(u);
      const again = await reserve(u, q, txId, 'msg:u:1');
      expect(again).toEqual({ ...first, repeat: true });
      expect(await books(u)).toEqual(before);
    });

    it('sent again by another sender: op-conflict, and nothing changed', async () => {
      const u = newUser();
      const { q, txId } = await paid(u, 10_000, 30_000);
      const before = await books(u);
      expect(await reserve(u, q, txId, 'someone-else')).toEqual({ ok: false, refusal: { code: 'op-conflict' } });
      expect(await books(u)).toEqual(before);
    });

    it('a repeat answers the transaction as it is now', async () => {
      const u = newUser();
      await credit(u, 50_000);
      const q = makeQuote(u, 10_000);
      await s().putQuote(q);
      const txId = newId('T');
      await reserve(u, q, txId, 'msg:u:2');
      await resolve(u, txId, 'SETTLED');
      expect(await reserve(u, q, txId, 'msg:u:2')).toMatchObject({ ok: true, repeat: true, tx: { id: txId, status: 'SETTLED' } });
    });

    it('insufficient: typed, with saldo and price, not recorded: after a top-up the same operation succeeds', async () => {
      const u = newUser();
      await credit(u, 9_999);
      const q = makeQuote(u, 10_000);
      await s().putQuote(q);
      const txId = newId('T');
      expect(await reserve(u, q, txId, 'msg:u:3')).toEqual({ ok: false, refusal: { code: 'insufficient', saldo: 9_999, price: 10_000 } });
      expect(await s().getQuote(u)).toEqual(q);
      expect(await s().getTx(u, txId)).toBeNull();
      expect(await s().ledger(u, 10)).toHaveLength(1);
      await credit(u, 1);
      expect(await reserve(u, q, txId, 'msg:u:3')).toMatchObject({ ok: true, repeat: false });
      expect(await s().getSaldo(u)).toBe(0);
    });

    it('a user with no saldo at all is insufficient with saldo 0', async () => {
      const u = newUser();
      const q = makeQuote(u, 10_000);
      await s().putQuote(q);
      expect(await reserve(u, q)).toEqual({ ok: false, refusal: { code: 'insufficient', saldo: 0, price: 10_000 } });
      expect(await s().ledger(u, 10)).toEqual([]);
    });

    it('no-quote for a wrong id, none open, a dropped, replaced or expired quote, a second reserve of one quote; nothing changed', async () => {
      const u = newUser();
      await credit(u, 50_000);
      const noQuote = { ok: false, refusal: { code: 'no-quote' } };
      expect(await reserve(u, 'Qnothing')).toEqual(noQuote);
      const old = makeQuote(u, 10_000);
      const open = makeQuote(u, 20_000);
      await s().putQuote(old);
      await s().putQuote(open);
      expect(await reserve(u, old)).toEqual(noQuote);
      expect(await reserve(u, 'not-that-quote')).toEqual(noQuote);
      await s().dropQuote(u);
      expect(await reserve(u, open)).toEqual(noQuote);
      const past = makeQuote(u, 10_000, { now: Date.now() - 10_000, expiresAt: Date.now() - 5 });
      await s().putQuote(past);
      expect(await reserve(u, past)).toEqual(noQuote);
      expect(await s().getSaldo(u)).toBe(50_000);
      expect(await s().listTx(u, 10)).toEqual([]);
      const { q } = await paid(u, 10_000, 0);
      expect(await reserve(u, q)).toEqual(noQuote);
      expect(await s().getSaldo(u)).toBe(40_000);
    });

    it("another user's quote is no-quote", async () => {
      const u = newUser();
      const v = newUser();
      const a = makeQuote(u, 10_000);
      await s().putQuote(a);
      await credit(v, 50_000);
      expect(code(await reserve(v, a))).toBe('no-quote');
      expect(await s().getQuote(u)).toEqual(a);
      expect(await s().getSaldo(v)).toBe(50_000);
    });

    it('a transaction id already used under another operation is refused, the first transaction untouched', async () => {
      const u = newUser();
      const { txId, tx } = await paid(u, 1_000, 5_000);
      const q = makeQuote(u, 2_000);
      await s().putQuote(q);
      const r = await money().reserve({ opId: newId('other-op'), by: 'b', now: Date.now(), user: u, quoteId: q.id, txId });
      expect(r).toEqual({ ok: false, refusal: { code: 'no-quote' } });
      expect(await s().getTx(u, txId)).toEqual(tx);
      expect(await s().getSaldo(u)).toBe(4_000);
    });

    it('without a messageId the transaction has none', async () => {
      const u = newUser();
      const { tx, txId } = await paid(u, 1_000);
      expect(tx.messageId).toBeUndefined();
      expect((await s().getTx(u, txId))?.messageId).toBeUndefined();
    });

    it('50 concurrent reserves of one quote (50 messages): exactly one ok, the rest no-quote, debited once', async () => {
      const u = newUser();
      await credit(u, 1_000_000);
      const q = makeQuote(u, 7_500);
      await s().putQuote(q);
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => reserve(u, q, newId('T'), `msg:${i}`)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => code(r) === 'no-quote')).toHaveLength(49);
      expect(await s().getSaldo(u)).toBe(992_500);
      expect(await s().listTx(u, 100)).toHaveLength(1);
    });

    it('50 concurrent YAs of one quote under its one transaction id: one ok, the rest op-conflict', async () => {
      const u = newUser();
      await credit(u, 1_000_000);
      const q = makeQuote(u, 7_500);
      await s().putQuote(q);
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => reserve(u, q, q.txId, `msg:${i}`)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => code(r) === 'op-conflict')).toHaveLength(49);
      expect(await s().getSaldo(u)).toBe(992_500);
    });

    it('1,000 purchases by 10 users concurrently, saldos covering exactly 100 in all', async () => {
      const users = Array.from({ length: 10 }, () => newUser());
      const price = 3_000;
      await Promise.all(users.map((u) => credit(u, 10 * price)));
      const outcomes = await Promise.all(
        users.map(async (u) => {
          let ok = 0;
          for (let i = 0; i < 100; i++) {
            const q = makeQuote(u, price);
            await s().putQuote(q);
            const r = await reserve(u, q);
            if (r.ok) ok += 1;
            else if (r.refusal.code !== 'insufficient') throw new Error(`unexpected ${JSON.stringify(r)}`);
          }
          return ok;
        }),
      );
      expect(outcomes.reduce((a, b) => a + b, 0)).toBe(100);
      for (const u of users) {
        expect(await s().getSaldo(u)).toBe(0);
        const { entries } = await expectBalanced(u);
        expect(entries.filter((e) => e.reason === 'payment')).toHaveLength(10);
      }
    });

    it('reserves racing debits on one saldo never take it below zero', async () => {
      const u = newUser();
      const price = 1_000;
      await credit(u, 20 * price);
      const buyer = (async () => {
        let ok = 0;
        for (let i = 0; i < 40; i++) {
          const q = makeQuote(u, price);
          await s().putQuote(q);
          if ((await reserve(u, q)).ok) ok += 1;
        }
        return ok;
      })();
      const debits = Promise.all(
        Array.from({ length: 40 }, () => money().adjust({ opId: newId('op'), by: 't', now: Date.now(), user: u, amount: -price, reason: 'adjustment' })),
      );
      const [bought, debited] = await Promise.all([buyer, debits]);
      expect(bought + debited.filter((d) => d.ok).length).toBe(20);
      expect(await s().getSaldo(u)).toBe(0);
      await expectBalanced(u);
    });
  });

  describe('ledger: resolve, by the transition table', () => {
    const states: TxStatus[] = ['RESERVED', 'SENDING', 'PENDING', 'SETTLED', 'FAILED'];
    const targets: ResolveOp['to'][] = ['PENDING', 'SETTLED', 'FAILED'];
    for (const from of states) {
      for (const to of targets) {
        const allowed = canMove(from, to);
        const final = NEXT[from].length === 0;
        it(`${from} → ${to}: ${allowed ? 'moves' : final ? 'final' : 'illegal-transition'}${to === 'FAILED' && allowed ? ', refunding once' : ''}`, async () => {
          const u = newUser();
          const txId = await inState(u, from);
          const before = await books(u);
          const r = await resolve(u, txId, to, { now: 77 });
          if (!allowed) {
            expect(r).toEqual({ ok: false, refusal: final ? { code: 'final', status: from } : { code: 'illegal-transition', from, to } });
            expect(await books(u)).toEqual(before);
            return;
          }
          expect(r).toMatchObject({ ok: true, repeat: false, tx: { id: txId, status: to, updatedAt: 77 } });
          expect(await s().getTx(u, txId)).toMatchObject({ status: to, updatedAt: 77 });
          const refunds = (await s().ledger(u, BIG)).filter((e) => e.reason === 'refund');
          const price = before.txs[0]!.quote.price;
          expect(refunds.map((e) => e.amount)).toEqual(to === 'FAILED' ? [price] : []);
          expect(await s().getSaldo(u)).toBe(before.saldo + (to === 'FAILED' ? price : 0));
          if (to === 'FAILED') expect(r.ok && r.saldo).toBe(before.saldo + price);
          await expectBalanced(u);
        });
      }
    }

    it('sets the patch and the reason, appends the log, and answers the transaction as the store has it', async () => {
      const u = newUser();
      const { txId, q, tx } = await paid(u, 5_000);
      const log = { at: 2, type: 'pay', data: { status: 'pending' } };
      const pending = await money().resolve({ opId: opIds.pending(txId), by: 'b', now: 2, user: u, txId, to: 'PENDING', patch: { invoice: 'INV-889', reason: 'timeout' }, log, known: tx });
      expect(pending).toEqual({ ok: true, repeat: false, tx: await s().getTx(u, txId) });
      expect(await s().getTx(u, txId)).toMatchObject({ status: 'PENDING', invoice: 'INV-889', reason: 'timeout', updatedAt: 2, quote: q });
      const receipt = {
        invoice: 'INV-889', reference: 'REF-1', at: '2026-10-05 10:11:12', token: '12345678901234567890', kwh: '32,1',
        footer: 'Informasi Hubungi Call Center 123', customerName: 'SITI AMINAH',
        details: [{ key: 'tariff' as const, value: 'R1/1300 VA' }, { key: 'ppj' as const, amount: 1_500 }], debit: 4_200,
      };
      // Without the transaction known, the store reads it: the same answer.
      const settled = await money().resolve({ opId: opIds.settle(txId), by: 'b', now: 3, user: u, txId, to: 'SETTLED', patch: { receipt } });
      expect(settled).toEqual({ ok: true, repeat: false, tx: await s().getTx(u, txId) });
      expect(await s().getTx(u, txId)).toMatchObject({ status: 'SETTLED', invoice: 'INV-889', receipt, updatedAt: 3, saldoAfter: 0 });
      expect(await s().txLog(u, txId)).toEqual([log]);
      expect(await s().getSaldo(u)).toBe(0);
    });

    it('FAILED refunds exactly once: the same operation again is a repeat with its saldo, another is final', async () => {
      const u = newUser();
      const { txId } = await paid(u, 12_000, 20_000);
      const op = { opId: opIds.fail(txId), by: 'worker:1', now: 2_000, user: u, txId, to: 'FAILED' as const, reason: 'produk gangguan', log: { at: 2_000, type: 'pay' } };
      const first = await money().resolve(op);
      expect(first).toMatchObject({ ok: true, repeat: false, saldo: 20_000, tx: { status: 'FAILED', reason: 'produk gangguan', updatedAt: 2_000 } });
      const before = await books(u);
      expect(await money().resolve(op)).toEqual({ ...first, repeat: true });
      expect(await money().resolve({ ...op, by: 'worker:2' })).toEqual({ ok: false, refusal: { code: 'op-conflict' } });
      expect(await resolve(u, txId, 'FAILED')).toEqual({ ok: false, refusal: { code: 'final', status: 'FAILED' } });
      expect(await books(u)).toEqual(before);
      expect(await s().txLog(u, txId)).toHaveLength(1);
      const { entries } = await expectBalanced(u);
      expect(entries.filter((e) => e.reason === 'refund')).toEqual([expect.objectContaining({ amount: 12_000, txId, saldoAfter: 20_000, at: 2_000 })]);
    });

    it('of 30 concurrent senders of one operation, one applies it and the rest hear op-conflict', async () => {
      const u = newUser();
      const { txId } = await paid(u, 12_000);
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => money().resolve({ opId: opIds.fail(txId), by: `w${i}`, now: 10 + i, user: u, txId, to: 'FAILED', reason: 'x' })),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => code(r) === 'op-conflict')).toHaveLength(29);
      expect((await s().ledger(u, BIG)).filter((e) => e.reason === 'refund')).toHaveLength(1);
    });

    it('a fail racing a settle: exactly one wins, and a refund only if FAILED', async () => {
      for (let round = 0; round < 10; round++) {
        const u = newUser();
        const txId = await inState(u, 'PENDING', 3_000);
        const [failed, settled] = await Promise.all([resolve(u, txId, 'FAILED'), resolve(u, txId, 'SETTLED')]);
        expect(failed.ok !== settled.ok).toBe(true);
        const loser = failed.ok ? settled : failed;
        expect(loser).toMatchObject({ ok: false, refusal: { code: 'final' } });
        const { entries, saldo } = await expectBalanced(u);
        expect(entries.filter((e) => e.reason === 'refund')).toHaveLength(failed.ok ? 1 : 0);
        expect(saldo).toBe(failed.ok ? 3_000 : 0);
        expect((await s().getTx(u, txId))?.status).toBe(failed.ok ? 'FAILED' : 'SETTLED');
      }
    });

    it("unknown-tx for an unknown id and for another user's transaction; nothing created or credited", async () => {
      const u = newUser();
      await credit(u, 1_000);
      expect(await resolve(u, 'Tnope', 'FAILED')).toEqual({ ok: false, refusal: { code: 'unknown-tx' } });
      const v = newUser();
      const { txId } = await paid(v, 2_000);
      expect(await resolve(u, txId, 'FAILED')).toEqual({ ok: false, refusal: { code: 'unknown-tx' } });
      expect(await s().getTx(u, 'Tnope')).toBeNull();
      expect(await s().getSaldo(u)).toBe(1_000);
      expect(await s().getSaldo(v)).toBe(0);
      expect((await s().getTx(v, txId))?.status).toBe('SENDING');
    });
  });

  describe('ledger: adjust', () => {
    it('credits and debits with one entry each; the same operation again is a repeat, another sender op-conflict', async () => {
      const u = newUser();
      const op = { opId: 'msg:admin:1', by: 'msg:admin:1', now: 1_000, user: u, amount: 70_000, reason: 'deposit' as const, note: 'by admin' };
      expect(await money().adjust(op)).toEqual({ ok: true, repeat: false, saldo: 70_000 });
      expect(await money().adjust({ ...op, now: 2_000 })).toEqual({ ok: true, repeat: true, saldo: 70_000 });
      expect(await money().adjust({ ...op, by: 'moota' })).toEqual({ ok: false, refusal: { code: 'op-conflict' } });
      expect(await money().adjust({ ...op, opId: 'msg:admin:2', amount: -30_000, reason: 'adjustment', note: undefined })).toEqual({ ok: true, repeat: false, saldo: 40_000 });
      const { entries } = await expectBalanced(u);
      expect(entries).toEqual([
        { at: 1_000, amount: -30_000, reason: 'adjustment', saldoAfter: 40_000 },
        { at: 1_000, amount: 70_000, reason: 'deposit', saldoAfter: 70_000, note: 'by admin' },
      ]);
    });

    it('a debit below zero is insufficient, typed and not recorded: after a top-up the same operation applies', async () => {
      const u = newUser();
      await credit(u, 5_000);
      const op = { opId: 'debit-1', by: 'b', now: 2, user: u, amount: -5_001, reason: 'adjustment' as const };
      expect(await money().adjust(op)).toEqual({ ok: false, refusal: { code: 'insufficient', saldo: 5_000, price: 5_001 } });
      expect(await s().ledger(u, 10)).toHaveLength(1);
      await credit(u, 1);
      expect(await money().adjust(op)).toEqual({ ok: true, repeat: false, saldo: 0 });
    });

    // Moved from the removed legacy suite, each debit now a ledger operation of its own.
    it('1,000 concurrent debits against a saldo covering exactly 100: 100 succeed, saldo 0, never negative', async () => {
      const u = newUser();
      await credit(u, 100 * 2_500, 1);
      const results = await Promise.all(
        Array.from({ length: 1_000 }, (_, i) => money().adjust({ opId: newId('op'), by: 'test', now: 2 + i, user: u, amount: -2_500, reason: 'adjustment' })),
      );
      const ok = results.flatMap((r) => (r.ok ? [r.saldo] : []));
      expect(ok).toHaveLength(100);
      expect(Math.min(...ok)).toBe(0);
      expect(new Set(ok).size).toBe(100);
      expect(await s().getSaldo(u)).toBe(0);
      const { entries } = await expectBalanced(u);
      expect(entries).toHaveLength(101);
      expect(entries.every((e) => e.saldoAfter >= 0)).toBe(true);
    });

    it('refuses an amount that is not a whole number of rupiah', async () => {
      await expect(money().adjust({ opId: 'x', by: 'b', now: 1, user: newUser(), amount: 1.5, reason: 'deposit' })).rejects.toThrow();
    });
  });

  describe('ledger: acceptTicket', () => {
    async function ticket(user: string) {
      const r = await s().openTicket(user, newId('D'), 100_000, Date.now(), 86_400_000, 3);
      if (!r.ok) throw new Error('no ticket');
      return r.ticket;
    }

    it('credits the amount once; the same operation again is a repeat, another a typed refusal', async () => {
      const u = newUser();
      const t = await ticket(u);
      const op = { opId: 'msg:admin:acc1', by: 'msg:admin:acc1', now: Date.now(), ticketId: t.id, acceptedBy: 'test:admin' };
      const first = await money().acceptTicket(op);
      expect(first).toMatchObject({ ok: true, repeat: false, saldo: t.amount, ticket: { id: t.id, status: 'paid', paidBy: 'test:admin' } });
      expect(await money().acceptTicket(op)).toMatchObject({ ok: true, repeat: true, saldo: t.amount });
      expect(await money().acceptTicket({ ...op, by: 'msg:admin2:x' })).toEqual({ ok: false, refusal: { code: 'op-conflict' } });
      const other = await money().acceptTicket({ ...op, opId: 'msg:admin2:y', by: 'msg:admin2:y' });
      expect(other).toMatchObject({ ok: false, refusal: { code: 'ticket-used', ticket: { id: t.id, status: 'paid' } } });
      expect(await s().getSaldo(u)).toBe(t.amount);
      const { entries } = await expectBalanced(u);
      expect(entries).toEqual([expect.objectContaining({ amount: t.amount, reason: 'deposit', note: `ticket ${t.id} by test:admin` })]);
    });

    it('unknown and expired tickets are typed refusals, not recorded', async () => {
      expect(await money().acceptTicket({ opId: 'a', by: 'a', now: Date.now(), ticketId: 'Dnope', acceptedBy: 'x' })).toEqual({ ok: false, refusal: { code: 'unknown-ticket' } });
      const u = newUser();
      const t = await ticket(u);
      const late = { opId: 'b', by: 'b', now: t.expiresAt + 1, ticketId: t.id, acceptedBy: 'x' };
      expect(await money().acceptTicket(late)).toMatchObject({ ok: false, refusal: { code: 'ticket-expired', ticket: { id: t.id } } });
      // Not recorded: the same operation, in time, applies.
      expect(await money().acceptTicket({ ...late, now: t.expiresAt - 1 })).toMatchObject({ ok: true, repeat: false });
    });
  });

  describe('ledger: transfers', () => {
    function transferOp(from: string, to: string, amount: number, id = `TRF-${newId('X')}`) {
      return { transferId: id, from, to, amount, now: 5, by: `msg:${from}:1` };
    }

    it('out debits the sender and records the transfer; again a repeat, another sender op-conflict; nothing more moved', async () => {
      const a = newUser();
      const b = newUser();
      await credit(a, 100_000);
      const t = transferOp(a, b, 30_000);
      const op = { ...t, opId: opIds.transferOut(t.transferId) };
      expect(await money().transferOut(op)).toEqual({ ok: true, repeat: false, saldo: 70_000 });
      expect(await s().getTransfer(a, t.transferId)).toEqual({ id: t.transferId, from: a, to: b, amount: 30_000, state: 'debited', at: 5 });
      expect(await money().transferOut(op)).toEqual({ ok: true, repeat: true, saldo: 70_000 });
      expect(await money().transferOut({ ...op, by: 'other' })).toEqual({ ok: false, refusal: { code: 'op-conflict' } });
      expect(await s().getSaldo(a)).toBe(70_000);
      expect((await s().ledger(a, 10)).filter((e) => e.reason === 'transfer-out')).toEqual([
        expect.objectContaining({ amount: -30_000, txId: t.transferId, note: b, saldoAfter: 70_000 }),
      ]);
    });

    it('out with too little saldo is insufficient, not recorded: after a top-up the same operation applies', async () => {
      const a = newUser();
      await credit(a, 10_000);
      const t = transferOp(a, newUser(), 30_000);
      const op = { ...t, opId: opIds.transferOut(t.transferId) };
      expect(await money().transferOut(op)).toEqual({ ok: false, refusal: { code: 'insufficient', saldo: 10_000, price: 30_000 } });
      expect(await s().getTransfer(a, t.transferId)).toBeNull();
      await credit(a, 20_000);
      expect(await money().transferOut(op)).toEqual({ ok: true, repeat: false, saldo: 0 });
    });

    it('in credits the receiver once and marks the transfer done, whoever sends it', async () => {
      const a = newUser();
      const b = newUser();
      await credit(a, 100_000);
      await credit(b, 1_000);
      const t = transferOp(a, b, 30_000);
      await money().transferOut({ ...t, opId: opIds.transferOut(t.transferId) });
      const op = { ...t, opId: opIds.transferIn(t.transferId), by: 'transfer' };
      expect(await money().transferIn(op)).toEqual({ ok: true, repeat: false, saldo: 31_000 });
      expect((await s().getTransfer(a, t.transferId))?.state).toBe('done');
      expect(await money().transferIn(op)).toEqual({ ok: true, repeat: true, saldo: 31_000 });
      expect(await money().transferIn({ ...op, by: 'worker' })).toEqual({ ok: false, refusal: { code: 'op-conflict' } });
      expect(await s().getSaldo(b)).toBe(31_000);
      expect((await s().ledger(b, 10)).filter((e) => e.reason === 'transfer-in')).toEqual([
        expect.objectContaining({ amount: 30_000, txId: t.transferId, note: a, saldoAfter: 31_000 }),
      ]);
    });

    it('20 concurrent credits of one transfer by 20 senders credit once', async () => {
      const a = newUser();
      const b = newUser();
      await credit(a, 100_000);
      const t = transferOp(a, b, 30_000);
      await money().transferOut({ ...t, opId: opIds.transferOut(t.transferId) });
      const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => money().transferIn({ ...t, opId: opIds.transferIn(t.transferId), by: `s${i}` })));
      expect(rs.filter((r) => r.ok)).toHaveLength(1);
      expect(await s().getSaldo(b)).toBe(30_000);
    });
  });

  describe('ledger invariants under random operations (property-based)', () => {
    type Op =
      | { t: 'deposit'; u: number; amount: number }
      | { t: 'debit'; u: number; amount: number }
      | { t: 'buy'; u: number; price: number }
      | { t: 'wrongBuy'; u: number }
      | { t: 'resolve'; u: number; k: number; to: ResolveOp['to']; again: boolean };

    const USERS = 3;
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ t: fc.constant('deposit' as const), u: fc.nat(USERS - 1), amount: fc.integer({ min: 1, max: 50_000 }) }),
      fc.record({ t: fc.constant('debit' as const), u: fc.nat(USERS - 1), amount: fc.integer({ min: 1, max: 50_000 }) }),
      fc.record({ t: fc.constant('buy' as const), u: fc.nat(USERS - 1), price: fc.integer({ min: 1, max: 40_000 }) }),
      fc.record({ t: fc.constant('wrongBuy' as const), u: fc.nat(USERS - 1) }),
      fc.record({
        t: fc.constant('resolve' as const), u: fc.nat(USERS - 1), k: fc.nat(20),
        to: fc.constantFrom('PENDING' as const, 'SETTLED' as const, 'FAILED' as const), again: fc.boolean(),
      }),
    );

    /** Invariants 1 and 2 of DESIGN.md for one user. */
    async function checkUser(user: string, expectedSaldo?: number) {
      const { saldo, entries } = await expectBalanced(user);
      if (expectedSaldo !== undefined) expect(saldo).toBe(expectedSaldo);
      expect(entries.every((e) => e.saldoAfter >= 0)).toBe(true);
      for (const tx of await s().listTx(user, BIG)) {
        const mine = entries.filter((e) => e.txId === tx.id);
        expect(mine.filter((e) => e.reason === 'payment').map((e) => e.amount)).toEqual([-tx.quote.price]);
        expect(mine.filter((e) => e.reason === 'refund').map((e) => e.amount)).toEqual(tx.status === 'FAILED' ? [tx.quote.price] : []);
      }
    }

    it('sequential random operations match a model: saldo == sum(ledger), never < 0, moves by the table', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), async (ops) => {
          const users = Array.from({ length: USERS }, () => newUser());
          const saldo = users.map(() => 60_000);
          for (const user of users) await credit(user, 60_000);
          const txs: { id: string; price: number; status: TxStatus }[][] = users.map(() => []);
          const applied = new Set<string>();
          for (const op of ops) {
            const user = users[op.u]!;
            const now = Date.now();
            switch (op.t) {
              case 'deposit':
              case 'debit': {
                const amount = op.t === 'deposit' ? op.amount : -op.amount;
                const r = await money().adjust({ opId: newId('op'), by: 'm', now, user, amount, reason: op.t === 'deposit' ? 'deposit' : 'adjustment' });
                if (saldo[op.u]! + amount >= 0) {
                  saldo[op.u]! += amount;
                  expect(r).toEqual({ ok: true, repeat: false, saldo: saldo[op.u] });
                } else expect(code(r)).toBe('insufficient');
                break;
              }
              case 'buy': {
                const q = makeQuote(user, op.price);
                await s().putQuote(q);
                const txId = newId('T');
                const r = await reserve(user, q, txId);
                if (op.price <= saldo[op.u]!) {
                  saldo[op.u]! -= op.price;
                  expect(r.ok && r.tx.saldoAfter).toBe(saldo[op.u]);
                  txs[op.u]!.push({ id: txId, price: op.price, status: 'SENDING' });
                } else expect(r).toEqual({ ok: false, refusal: { code: 'insufficient', saldo: saldo[op.u], price: op.price } });
                break;
              }
              case 'wrongBuy':
                expect(code(await reserve(user, 'Qwrong'))).toBe('no-quote');
                break;
              case 'resolve': {
                const tx = txs[op.u]![op.k % Math.max(1, txs[op.u]!.length)];
                if (!tx) break;
                // The step's id as the money rules make it: one per transaction and target state.
                const step = { opId: `${tx.id}:${op.to}`, by: 'm', now, user, txId: tx.id, to: op.to, reason: 'gagal' };
                const r = await money().resolve(step);
                // The same operation sent again (a lost answer): a repeat, or the same refusal.
                const again = op.again ? await money().resolve(step) : undefined;
                if (applied.has(step.opId)) {
                  expect(code(r)).toBe('repeat');
                } else if (canMove(tx.status, op.to)) {
                  expect(code(r)).toBe('ok');
                  applied.add(step.opId);
                  tx.status = op.to;
                  if (op.to === 'FAILED') saldo[op.u]! += tx.price;
                } else {
                  expect(r.ok).toBe(false);
                }
                if (again) expect(code(again)).toBe(r.ok ? 'repeat' : code(r));
                break;
              }
            }
          }
          for (let i = 0; i < USERS; i++) {
            await checkUser(users[i]!, saldo[i]);
            for (const tx of txs[i]!) expect((await s().getTx(users[i]!, tx.id))?.status).toBe(tx.status);
          }
        }),
        { numRuns: 40 },
      );
    });

    it('concurrent random operations keep saldo == sum(ledger), never < 0, one debit per tx, one refund per FAILED', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
          const users = Array.from({ length: USERS }, () => newUser());
          const txIds: string[][] = [];
          for (const user of users) {
            await credit(user, 30_000);
            const ids: string[] = [];
            for (let i = 0; i < 3; i++) {
              const q = makeQuote(user, 5_000 + i);
              await s().putQuote(q);
              const id = newId('T');
              if ((await reserve(user, q, id)).ok) ids.push(id);
            }
            txIds.push(ids);
          }
          await Promise.all(
            ops.map(async (op) => {
              const user = users[op.u]!;
              const now = Date.now();
              switch (op.t) {
                case 'deposit':
                  return money().adjust({ opId: newId('op'), by: 'm', now, user, amount: op.amount, reason: 'deposit' });
                case 'debit':
                  return money().adjust({ opId: newId('op'), by: 'm', now, user, amount: -op.amount, reason: 'adjustment' });
                case 'buy': {
                  const q = makeQuote(user, op.price);
                  await s().putQuote(q);
                  return reserve(user, q);
                }
                case 'wrongBuy':
                  return reserve(user, 'Qwrong');
                case 'resolve': {
                  const txId = txIds[op.u]![op.k % txIds[op.u]!.length]!;
                  // Two senders of one operation, and the operation of another step, all at once.
                  const step = { opId: `${txId}:${op.to}`, now, user, txId, to: op.to, reason: 'gagal' };
                  return Promise.all([money().resolve({ ...step, by: 'a' }), money().resolve({ ...step, by: op.again ? 'a' : 'b' })]);
                }
              }
            }),
          );
          for (const user of users) await checkUser(user);
        }),
        { numRuns: 15 },
      );
    });
  });
}
