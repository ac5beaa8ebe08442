/** Users, resellers, markups, PINs and cached provider data in the embedded store. */
import type { UsersPart } from '../parts.ts';
import type { MemoryState } from './state.ts';

export function memoryUsers(s: MemoryState): UsersPart {
  const { clock, messages, floods, ops, users, pins, markups, cache, saldos, liveQuote } = s;
  let sweepAt = 0;

  // Message ids and money operations' records would otherwise pile up for the life of the process.
  function sweep(now: number): void {
    if (now < sweepAt) return;
    sweepAt = now + 60_000;
    for (const [k, exp] of messages) if (exp <= now) messages.delete(k);
    for (const [u, w] of floods) if (w.until <= now) floods.delete(u);
    for (const [k, o] of ops) if (o.expiresAt <= now) ops.delete(k);
  }

  return {
    async admit(user, messageId, { ttlSeconds, floodWindowMs = 0, openQuote = false }) {
      const now = clock();
      sweep(now);
      // As on Redis: an empty id is no id.
      if (messageId) {
        const k = `${user}|${messageId}`;
        const exp = messages.get(k);
        if (exp !== undefined && exp > now) return { fresh: false, count: 0 };
        messages.set(k, now + ttlSeconds * 1000);
      }
      let count = 0;
      if (floodWindowMs > 0) {
        const w = floods.get(user);
        const window = w && w.until > now ? w : { count: 0, until: now + floodWindowMs };
        count = ++window.count;
        floods.set(user, window);
      }
      if (!openQuote) return { fresh: true, count };
      const q = liveQuote(user);
      return { fresh: true, count, quote: q ? structuredClone(q) : null };
    },

    async touchUser(user, now) {
      const rec = users.get(user) ?? { id: user, reseller: false, firstSeen: now };
      users.set(user, rec);
      return { ...rec, ...(pins.get(user)?.hash ? { hasPin: true } : {}) };
    },

    async getUser(user) {
      const rec = users.get(user);
      return rec ? { ...rec, ...(pins.get(user)?.hash ? { hasPin: true } : {}) } : null;
    },

    async allUsers() {
      return [...new Set([...users.keys(), ...saldos.keys()])];
    },

    async setReseller(user, reseller, name, now) {
      const rec = users.get(user) ?? { id: user, reseller: false, firstSeen: now };
      rec.reseller = reseller;
      if (name !== undefined) rec.name = name;
      users.set(user, rec);
    },

    async resellers() {
      return [...users.values()].filter((u) => u.reseller).map((u) => u.id);
    },

    async markups() {
      return Object.fromEntries(markups);
    },

    async setMarkup(code, amount) {
      if (amount === null) markups.delete(code);
      else markups.set(code, amount);
    },

    async getPin(user) {
      const p = pins.get(user);
      return p ? { ...(p.hash ? { hash: p.hash } : {}), fails: p.fails, lockedUntil: p.lockedUntil } : { fails: 0, lockedUntil: 0 };
    },

    async setPin(user, hash) {
      pins.set(user, { ...(pins.get(user) ?? { lockedUntil: 0, tries: 0, triesUntil: 0 }), hash, fails: 0 });
    },

    async pinTry(user, now, max, leaseMs) {
      const p = pins.get(user);
      if (p && p.lockedUntil > now) return { ok: false, reason: 'locked', lockedUntil: p.lockedUntil };
      if (!p?.hash) return { ok: false, reason: 'none' };
      const tries = p.triesUntil > now ? p.tries : 0;
      if (p.fails + tries >= max) return { ok: false, reason: 'busy' };
      p.tries = tries + 1;
      p.triesUntil = now + leaseMs;
      return { ok: true, hash: p.hash };
    },

    async pinFailed(user, now, max, lockMs) {
      const p = pins.get(user) ?? { fails: 0, lockedUntil: 0, tries: 0, triesUntil: 0 };
      pins.set(user, p);
      p.tries = Math.max(0, p.tries - 1);
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
      p.tries = Math.max(0, p.tries - 1);
      p.fails = 0;
    },

    async getCache(name) {
      const c = cache.get(name);
      if (!c || c.expiresAt <= clock()) return null;
      return c.value;
    },

    async setCache(name, value, ttlSeconds) {
      cache.set(name, { value, expiresAt: clock() + ttlSeconds * 1000 });
    },
  };
}
