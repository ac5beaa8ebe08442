/**
 * The ledger port's commission operations (src/payments/ledger.ts): creditCommission, once per operation id
 * (`<txId>:komisi:<level>`), and redeemCommission (TUKAR KOMISI), one entry in each book. Part of the ledger
 * contract, run against both stores by contract/index.ts: every balance equals the sum of its book.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/bot/store.ts';
import { type CommissionOp, opIds } from '../../../src/payments/ledger.ts';
import { credit } from '../../helpers/credit.ts';
import { BIG, newId, newUser, sum } from './fixtures.ts';

export function commissionLedgerContract(store: () => Store): void {
  let s: Store;
  beforeEach(() => {
    s = store();
  });

  function commissionOp(user: string, amount: number, extra: Partial<CommissionOp> = {}): CommissionOp {
    const txId = extra.txId ?? newId('T');
    const level = extra.level ?? 1;
    const from = newUser();
    return { opId: opIds.commission(txId, level), by: 'worker:commission', now: Date.now(), user, amount, txId, from, via: from, level, ...extra };
  }

  /** Both books of an account, and that each balance is the sum of its own. */
  async function books(user: string) {
    const [saldo, ledger, commission, commissionLedger] = await Promise.all([s.getSaldo(user), s.ledger(user, BIG), s.getCommission(user), s.commissionLedger(user, BIG)]);
    expect(sum(ledger)).toBe(saldo);
    expect(sum(commissionLedger)).toBe(commission);
    expect(saldo).toBeGreaterThanOrEqual(0);
    expect(commission).toBeGreaterThanOrEqual(0);
    return { saldo, ledger, commission, commissionLedger };
  }

  describe('ledger: creditCommission', () => {
    it('credits the commission book, not the saldo: one komisi entry naming the transaction and the downline', async () => {
      const u = newUser();
      const via = newUser();
      const op = commissionOp(u, 1_200, { via, now: 5_000 });
      expect(await s.money.creditCommission(op)).toEqual({ ok: true, repeat: false, commission: 1_200 });
      const b = await books(u);
      expect(b.saldo).toBe(0);
      expect(b.ledger).toEqual([]);
      expect(b.commission).toBe(1_200);
      expect(b.commissionLedger).toEqual([{ at: 5_000, amount: 1_200, reason: 'komisi', txId: op.txId, note: via, saldoAfter: 1_200 }]);
    });

    it('once per operation id: a repeat answers the recorded balance and changes nothing, even after later credits', async () => {
      const u = newUser();
      const op = commissionOp(u, 700);
      expect(await s.money.creditCommission(op)).toEqual({ ok: true, repeat: false, commission: 700 });
      // Another level of the same sale is another operation.
      const level2 = commissionOp(u, 300, { txId: op.txId, level: 2, opId: opIds.commission(op.txId, 2) });
      expect(await s.money.creditCommission(level2)).toEqual({ ok: true, repeat: false, commission: 1_000 });
      const before = await books(u);
      expect(await s.money.creditCommission(op)).toEqual({ ok: true, repeat: true, commission: 700 });
      expect(await s.money.creditCommission({ ...level2, now: Date.now() + 1 })).toEqual({ ok: true, repeat: true, commission: 1_000 });
      expect(await books(u)).toEqual(before);
    });

    it('the same id from another sender: op-conflict, nothing changed', async () => {
      const u = newUser();
      const op = commissionOp(u, 700);
      await s.money.creditCommission(op);
      const before = await books(u);
      expect(await s.money.creditCommission({ ...op, by: 'someone-else' })).toEqual({ ok: false, refusal: { code: 'op-conflict' } });
      expect(await books(u)).toEqual(before);
    });

    it('sent many times at once: credited once', async () => {
      const u = newUser();
      const op = commissionOp(u, 2_500);
      const all = await Promise.all(Array.from({ length: 8 }, () => s.money.creditCommission(op)));
      expect(all.filter((r) => r.ok && !r.repeat)).toHaveLength(1);
      expect(all.every((r) => r.ok && r.commission === 2_500)).toBe(true);
      expect((await books(u)).commissionLedger).toHaveLength(1);
    });

    it('refuses an amount that is not a positive whole number of rupiah, crediting nothing', async () => {
      const u = newUser();
      for (const amount of [0, -500]) await expect(s.money.creditCommission(commissionOp(u, amount))).rejects.toThrow();
      expect(await books(u)).toMatchObject({ commission: 0, commissionLedger: [] });
    });
  });

  describe('ledger: redeemCommission', () => {
    async function earned(user: string, ...amounts: number[]) {
      for (const a of amounts) {
        const r = await s.money.creditCommission(commissionOp(user, a));
        expect(r.ok).toBe(true);
      }
    }
    const redeem = (user: string, amount?: number, opId = newId('op'), by = opId) =>
      s.money.redeemCommission({ opId, by, now: 9_000, user, ...(amount === undefined ? {} : { amount }) });

    it('all of it: one tukar-komisi entry in each book, saldo up and commission down by the same', async () => {
      const u = newUser();
      await credit(s, u, 10_000);
      await earned(u, 1_500, 500);
      expect(await redeem(u)).toEqual({ ok: true, repeat: false, amount: 2_000, commission: 0, saldo: 12_000 });
      const b = await books(u);
      expect(b).toMatchObject({ saldo: 12_000, commission: 0 });
      expect(b.ledger.filter((e) => e.reason === 'tukar-komisi')).toEqual([{ at: 9_000, amount: 2_000, reason: 'tukar-komisi', saldoAfter: 12_000 }]);
      expect(b.commissionLedger.filter((e) => e.reason === 'tukar-komisi')).toEqual([{ at: 9_000, amount: -2_000, reason: 'tukar-komisi', saldoAfter: 0 }]);
      expect(b.ledger).toHaveLength(2);
      expect(b.commissionLedger).toHaveLength(3);
    });

    it('a nominal: that much moves, the rest stays', async () => {
      const u = newUser();
      await earned(u, 3_000);
      expect(await redeem(u, 1_200)).toEqual({ ok: true, repeat: false, amount: 1_200, commission: 1_800, saldo: 1_200 });
      expect(await redeem(u, 1_800)).toEqual({ ok: true, repeat: false, amount: 1_800, commission: 0, saldo: 3_000 });
      expect(await books(u)).toMatchObject({ saldo: 3_000, commission: 0 });
    });

    it('over the balance, nothing at all, or not a positive amount: insufficient (the balance and the ask), nothing changed, nothing recorded', async () => {
      const u = newUser();
      await credit(s, u, 4_000);
      const none = await books(u);
      expect(await redeem(u)).toEqual({ ok: false, refusal: { code: 'insufficient', saldo: 0, price: 0 } });
      expect(await books(u)).toEqual(none);
      await earned(u, 1_000);
      const before = await books(u);
      const opId = newId('op');
      expect(await redeem(u, 1_001, opId)).toEqual({ ok: false, refusal: { code: 'insufficient', saldo: 1_000, price: 1_001 } });
      for (const bad of [0, -100]) expect(await redeem(u, bad)).toMatchObject({ ok: false, refusal: { code: 'insufficient', saldo: 1_000 } });
      expect(await books(u)).toEqual(before);
      // A refusal is not recorded: the same operation, once there is enough, is judged afresh.
      await earned(u, 1);
      expect(await redeem(u, 1_001, opId)).toEqual({ ok: true, repeat: false, amount: 1_001, commission: 0, saldo: 5_001 });
    });

    it('sent again by the same sender: the recorded outcome, nothing changed; by another: op-conflict', async () => {
      const u = newUser();
      await earned(u, 2_000);
      const opId = newId('op');
      const first = await redeem(u, 500, opId);
      expect(first).toEqual({ ok: true, repeat: false, amount: 500, commission: 1_500, saldo: 500 });
      await earned(u, 100);
      const before = await books(u);
      expect(await redeem(u, 500, opId)).toEqual({ ...first, repeat: true });
      expect(await redeem(u, undefined, opId)).toEqual({ ...first, repeat: true });
      expect(await redeem(u, 500, opId, 'someone-else')).toEqual({ ok: false, refusal: { code: 'op-conflict' } });
      expect(await books(u)).toEqual(before);
    });

    it('many at once, each its own operation: never more than the balance moves', async () => {
      const u = newUser();
      await earned(u, 5_000);
      const all = await Promise.all(Array.from({ length: 8 }, () => redeem(u, 1_000)));
      expect(all.filter((r) => r.ok)).toHaveLength(5);
      expect(all.filter((r) => !r.ok && r.refusal.code === 'insufficient')).toHaveLength(3);
      expect(await books(u)).toMatchObject({ saldo: 5_000, commission: 0 });
    });
  });
}
