/** Transaction PINs in the embedded store: the lock and the tries in flight. */
import type { Pins } from '../../bot/store/pins.ts';
import type { MemoryState } from './state.ts';

export function memoryPins(s: MemoryState): Pins {
  const { pins } = s;
  return {
    async getPin(user) {
      const p = pins.get(user);
      return p ? { ...(p.hash ? { hash: p.hash } : {}), fails: p.fails, lockedUntil: p.lockedUntil } : { fails: 0, lockedUntil: 0 };
    },

    async setPin(user, hash) {
      pins.set(user, { ...(pins.get(user) ?? { lockedUntil: 0, leases: [] }), hash, fails: 0 });
    },

    async pinTry(user, now, max, leaseMs) {
      const p = pins.get(user);
      if (p && p.lockedUntil > now) return { ok: false, reason: 'locked', lockedUntil: p.lockedUntil };
      if (!p?.hash) return { ok: false, reason: 'none' };
      // Each try has its own lease, as on Redis: one left by a failure in between lapses on its own.
      p.leases = p.leases.filter((until) => until > now);
      if (p.fails + p.leases.length >= max) return { ok: false, reason: 'busy' };
      p.leases.push(now + leaseMs);
      return { ok: true, hash: p.hash };
    },

    async pinFailed(user, now, max, lockMs) {
      const p = pins.get(user) ?? { fails: 0, lockedUntil: 0, leases: [] };
      pins.set(user, p);
      p.leases.pop();
      const fails = p.fails + 1;
      if (fails >= max) {
        p.fails = 0;
        p.lockedUntil = now + lockMs;
      } else {
        p.fails = fails;
      }
      return { ...(p.hash ? { hash: p.hash } : {}), fails, lockedUntil: p.lockedUntil };
    },

    async pinPassed(user) {
      const p = pins.get(user);
      if (!p) return;
      p.leases.pop();
      p.fails = 0;
    },
  };
}
