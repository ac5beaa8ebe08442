/** The Pins port (src/bot/store/pins.ts): PIN tries, one atomic count whatever the number of processes. */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/bot/store.ts';
import { newUser } from './fixtures.ts';

const MAX = 3;
const LOCK_MS = 15 * 60_000;
const LEASE_MS = 30_000;

export function pinsContract(store: () => Store): void {
  describe('PIN tries', () => {
    async function withPin(u: string) {
      await store().setPin(u, 'scrypt$c2FsdA==$aGFzaA==');
    }

    it('a try is refused without a PIN, and hands back the hash with one', async () => {
      const u = newUser();
      expect(await store().pinTry(u, Date.now(), MAX, LEASE_MS)).toEqual({ ok: false, reason: 'none' });
      await withPin(u);
      expect(await store().pinTry(u, Date.now(), MAX, LEASE_MS)).toEqual({ ok: true, hash: 'scrypt$c2FsdA==$aGFzaA==' });
    });

    it('of many concurrent tries exactly the maximum is granted; their failures lock, and then every try is refused as locked', async () => {
      const u = newUser();
      await withPin(u);
      const now = Date.now();
      const tries = await Promise.all(Array.from({ length: 25 }, () => store().pinTry(u, now, MAX, LEASE_MS)));
      expect(tries.filter((t) => t.ok)).toHaveLength(MAX);
      expect(tries.filter((t) => !t.ok && t.reason === 'busy')).toHaveLength(25 - MAX);
      const after = await Promise.all(Array.from({ length: MAX }, () => store().pinFailed(u, now, MAX, LOCK_MS)));
      expect(after.map((a) => a.fails).sort()).toEqual([1, 2, 3]);
      expect((await store().getPin(u)).lockedUntil).toBe(now + LOCK_MS);
      expect(await store().pinTry(u, now + 1, MAX, LEASE_MS)).toEqual({ ok: false, reason: 'locked', lockedUntil: now + LOCK_MS });
      // After the lock, a fresh count of three.
      const later = now + LOCK_MS + 1;
      const again = await Promise.all(Array.from({ length: 5 }, () => store().pinTry(u, later, MAX, LEASE_MS)));
      expect(again.filter((t) => t.ok)).toHaveLength(MAX);
    });

    it('failures count against the tries still free; a right PIN ends its try and restarts the count', async () => {
      const u = newUser();
      await withPin(u);
      const now = Date.now();
      expect((await store().pinTry(u, now, MAX, LEASE_MS)).ok).toBe(true);
      expect((await store().pinFailed(u, now, MAX, LOCK_MS)).fails).toBe(1);
      expect((await store().pinTry(u, now, MAX, LEASE_MS)).ok).toBe(true);
      expect((await store().pinTry(u, now, MAX, LEASE_MS)).ok).toBe(true);
      expect(await store().pinTry(u, now, MAX, LEASE_MS)).toEqual({ ok: false, reason: 'busy' });
      await store().pinPassed(u);
      expect((await store().getPin(u)).fails).toBe(0);
      // One try still out, none failed: two are free again.
      expect((await store().pinTry(u, now, MAX, LEASE_MS)).ok).toBe(true);
      expect((await store().pinTry(u, now, MAX, LEASE_MS)).ok).toBe(true);
      expect((await store().pinTry(u, now, MAX, LEASE_MS)).ok).toBe(false);
      expect((await store().getPin(u)).lockedUntil).toBe(0);
    });

    it('tries whose process died lapse after the lease', async () => {
      const u = newUser();
      await withPin(u);
      const now = Date.now();
      for (let i = 0; i < MAX; i++) expect((await store().pinTry(u, now, MAX, LEASE_MS)).ok).toBe(true);
      expect((await store().pinTry(u, now + LEASE_MS - 1, MAX, LEASE_MS)).ok).toBe(false);
      expect((await store().pinTry(u, now + LEASE_MS, MAX, LEASE_MS)).ok).toBe(true);
    });

    it('a try a dead process left lapses on its own, however often its owner pays meanwhile', async () => {
      const u = newUser();
      await withPin(u);
      const now = Date.now();
      // Two tries claimed and never ended (the process died comparing).
      for (let i = 0; i < 2; i++) expect((await store().pinTry(u, now, MAX, LEASE_MS)).ok).toBe(true);
      // The owner keeps paying, one try at a time, each ended with the right PIN, every 10 s.
      for (let t = 10_000; t < LEASE_MS; t += 10_000) {
        expect((await store().pinTry(u, now + t, MAX, LEASE_MS)).ok).toBe(true);
        await store().pinPassed(u);
      }
      // Past the dead tries' lease, all the maximum is free again: two may compare at once, and a third too.
      const later = now + LEASE_MS + 1;
      const tries = await Promise.all(Array.from({ length: MAX }, () => store().pinTry(u, later, MAX, LEASE_MS)));
      expect(tries.every((t) => t.ok)).toBe(true);
    });
  });
}
