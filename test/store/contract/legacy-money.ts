/**
 * The deprecated LegacyMoney port (src/bot/store/legacy-money.ts: adjustSaldo), one call of the ledger each, and
 * the ledger as Transactions reads it. Goes with the port once test and bench seeding use `store.money`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/bot/store.ts';
import { newUser, sum, storeSteps } from './fixtures.ts';

export function legacyMoneyContract(store: () => Store): void {
  let s: Store;
  beforeEach(() => {
    s = store();
  });
  const { paid, expectBalanced } = storeSteps(() => s);

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

}
