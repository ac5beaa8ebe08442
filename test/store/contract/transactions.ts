/** The Transactions port (src/bot/store/transactions.ts): transactions as read, and the writes that move no money. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/bot/store.ts';
import { credit, makeQuote, newId, newUser, storeSteps, sum } from './fixtures.ts';

export function transactionsContract(store: () => Store): void {
  let s: Store;
  beforeEach(() => {
    s = store();
  });
  const { reserve, resolve, paid } = storeSteps(() => s);

  describe('transactions', () => {
    it('listTx is newest first and honours the limit', async () => {
      const u = newUser();
      await credit(s, u, 100_000, 1);
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

  // Moved from the removed legacy suite (it seeded through adjustSaldo): reads of the Transactions port.
  describe('saldo and ledger reads', () => {
    it('an unknown user has saldo 0 and an empty ledger', async () => {
      const u = newUser();
      expect(await s.getSaldo(u)).toBe(0);
      expect(await s.ledger(u, 10)).toEqual([]);
    });

    it('ledger(limit) gives the last `limit` entries (MUTASI n); their sum is the saldo when all are asked', async () => {
      // The port does not document the order inside the answer; CONTRACT's `MUTASI [n]` says "the last n ledger entries".
      const u = newUser();
      for (let i = 1; i <= 7; i++) await credit(s, u, i * 1_000, i * 10, `n${i}`);
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
  });

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

}
