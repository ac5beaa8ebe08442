/**
 * The Broadcasts port (src/bot/store/broadcasts.ts): one lease holder at a time, each recipient taken once
 * whoever asks, an outcome counted once, and a finish that counts what a dead process took without saying how
 * it went. Times are a fixed T0 handed to each step (neither backend reads a clock here); every test gets a fresh
 * store, so the broadcast ids can be fixed.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/bot/store.ts';

const LEASE = 1_000;
const T0 = 1_800_000_000_000;
const users = (lane: string, n: number) => Array.from({ length: n }, (_, i) => `${lane}:${100 + i}`);

export function broadcastsContract(store: () => Store): void {
  let s: Store;
  beforeEach(() => {
    s = store();
  });

  describe('broadcasts', () => {
    const create = (id = 'B0000001', lanes = { telegram: users('telegram', 3), whatsapp: users('whatsapp', 2) }) =>
      s.createBroadcast({ id, by: 'telegram:1', audience: 'all', text: 'Halo, semua!', createdAt: T0 }, lanes);

    it('records a broadcast with its lanes and schedules it once for a look', async () => {
      const b = await create();
      expect(b).toMatchObject({ id: 'B0000001', total: 5, lanes: { telegram: 3, whatsapp: 2 }, state: 'running', taken: 0, step: 0 });
      expect(await s.getBroadcast('B0000001')).toEqual(b);
      expect(await s.getBroadcast('B0000404')).toBeNull();
      expect(await s.dueBroadcasts(T0, LEASE, 10)).toEqual(['B0000001']);
      // Pushed out by the look: another poller passes it by until the lease could have lapsed.
      expect(await s.dueBroadcasts(T0 + 1, LEASE, 10)).toEqual([]);
      expect(await s.dueBroadcasts(T0 + LEASE, LEASE, 10)).toEqual(['B0000001']);
    });

    it('one lease holder at a time; a lapsed lease passes to another, and the old holder can take nobody', async () => {
      await create();
      expect(await s.leaseBroadcast('B0000001', 'a', T0, LEASE)).toBe(true);
      expect(await s.leaseBroadcast('B0000001', 'b', T0 + 10, LEASE)).toBe(false);
      expect(await s.takeRecipient('B0000001', 'telegram', 'b', T0 + 10)).toBe('lost');
      expect(await s.leaseBroadcast('B0000001', 'a', T0 + 500, LEASE)).toBe(true);
      expect(await s.leaseBroadcast('B0000001', 'b', T0 + 1_400, LEASE)).toBe(false);
      expect(await s.takeRecipient('B0000001', 'telegram', 'a', T0 + 600)).toEqual({ user: 'telegram:100' });
      // a stalls past its lease: b takes over, and a is fenced off.
      expect(await s.leaseBroadcast('B0000001', 'b', T0 + 1_501, LEASE)).toBe(true);
      expect(await s.takeRecipient('B0000001', 'telegram', 'a', T0 + 1_502)).toBe('lost');
      expect(await s.leaseBroadcast('B0000001', 'a', T0 + 1_502, LEASE)).toBe(false);
      expect(await s.takeRecipient('B0000001', 'telegram', 'b', T0 + 1_502)).toEqual({ user: 'telegram:101' });
      // b gives it up: a may take it at once.
      expect(await s.leaseBroadcast('B0000001', 'a', T0 + 1_600, 0)).toBe(false);
      expect(await s.leaseBroadcast('B0000001', 'b', T0 + 1_600, 0)).toBe(false);
      expect(await s.leaseBroadcast('B0000001', 'a', T0 + 1_601, LEASE)).toBe(true);
    });

    it('takes every recipient once, even with many takes at once, then says the lane ended', async () => {
      const many = users('telegram', 200);
      await create('B0000002', { telegram: many, whatsapp: [] });
      expect(await s.leaseBroadcast('B0000002', 'a', T0, 60_000)).toBe(true);
      const got = await Promise.all(Array.from({ length: 230 }, () => s.takeRecipient('B0000002', 'telegram', 'a', T0 + 1)));
      const taken = got.flatMap((r) => (typeof r === 'object' ? [r.user] : []));
      expect(taken.sort()).toEqual([...many].sort());
      expect(got.filter((r) => r === 'end')).toHaveLength(30);
      expect(await s.takeRecipient('B0000002', 'whatsapp', 'a', T0 + 1)).toBe('end');
      expect((await s.getBroadcast('B0000002'))?.taken).toBe(200);
    });

    it('counts an outcome once, only for a taken recipient', async () => {
      await create();
      await s.leaseBroadcast('B0000001', 'a', T0, LEASE);
      await s.takeRecipient('B0000001', 'telegram', 'a', T0);
      expect(await s.recordRecipient('B0000001', 'telegram:101', 'sent')).toBe(false);
      expect(await s.recordRecipient('B0000001', 'telegram:100', 'skipped')).toBe(true);
      expect(await s.recordRecipient('B0000001', 'telegram:100', 'sent')).toBe(false);
      expect(await s.getBroadcast('B0000001')).toMatchObject({ taken: 1, sent: 0, skipped: 1 });
    });

    it('finishes only with every lane empty, for its holder; taken without an outcome is failed and unconfirmed', async () => {
      await create();
      await s.leaseBroadcast('B0000001', 'a', T0, LEASE);
      const outcomes = ['sent', 'failed', 'skipped'] as const;
      for (let i = 0; i < 3; i++) {
        const r = await s.takeRecipient('B0000001', 'telegram', 'a', T0);
        if (typeof r === 'object') await s.recordRecipient('B0000001', r.user, outcomes[i]!);
      }
      expect(await s.finishBroadcast('B0000001', 'a', T0 + 1)).toBeNull();
      await s.takeRecipient('B0000001', 'whatsapp', 'a', T0);
      const last = await s.takeRecipient('B0000001', 'whatsapp', 'a', T0);
      await s.setBroadcastProgress('B0000001', { handle: '42', step: 8 });
      expect(await s.takeRecipient('B0000001', 'whatsapp', 'a', T0)).toBe('end');
      expect(await s.finishBroadcast('B0000001', 'b', T0 + 2)).toBeNull();
      const final = await s.finishBroadcast('B0000001', 'a', T0 + 3);
      // whatsapp:100 was taken and never counted (its process "died"): failed, unconfirmed.
      expect(final).toMatchObject({ state: 'done', total: 5, taken: 5, sent: 1, failed: 3, skipped: 1, unconfirmed: 2, finishedAt: T0 + 3, progress: '42', step: 8 });
      expect(await s.recordRecipient('B0000001', typeof last === 'object' ? last.user : '', 'sent')).toBe(false);
      expect(await s.finishBroadcast('B0000001', 'a', T0 + 4)).toBeNull();
      expect(await s.leaseBroadcast('B0000001', 'a', T0 + 5, LEASE)).toBe(false);
      expect(await s.dueBroadcasts(T0 + 10 * LEASE, LEASE, 10)).toEqual([]);
    });
  });
}
