/** The Schedule port (src/bot/store/schedule.ts): transactions that need a look, claimed under a lease. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/bot/store.ts';
import { newUser, storeSteps } from './fixtures.ts';

export function scheduleContract(store: () => Store): void {
  let s: Store;
  beforeEach(() => {
    s = store();
  });
  const { paid } = storeSteps(() => s);

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

}
