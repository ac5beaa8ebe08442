/** Users, resellers, markups, PINs and cached provider data in the embedded store. */
import type { UsersPart } from '../parts.ts';
import type { MemoryState } from './state.ts';

export function memoryUsers(s: MemoryState): UsersPart {
  const { clock, messages, floods, adjusted, users, pins, markups, cache, saldos, liveQuote } = s;
  let sweepAt = 0;

  // Message ids (and the deposits marked with them) would otherwise pile up for the life of the process.
  function sweep(now: number): void {
    if (now < sweepAt) return;
    sweepAt = now + 60_000;
    for (const [k, exp] of messages) if (exp <= now) messages.delete(k);
    for (const [u, w] of floods) if (w.until <= now) floods.delete(u);
    for (const [k, a] of adjusted) if (a.expiresAt <= now) adjusted.delete(k);
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
      return { ...(pins.get(user) ?? { fails: 0, lockedUntil: 0 }) };
    },

    async setPin(user, hash) {
      pins.set(user, { ...(pins.get(user) ?? { lockedUntil: 0 }), hash, fails: 0 });
    },

    async pinFailed(user, now, max, lockMs) {
      const p = pins.get(user) ?? { fails: 0, lockedUntil: 0 };
      const fails = p.fails + 1;
      const next = fails >= max ? { ...p, fails: 0, lockedUntil: now + lockMs } : { ...p, fails };
      pins.set(user, next);
      return { ...next, fails };
    },

    async pinPassed(user) {
      const p = pins.get(user);
      if (p) p.fails = 0;
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
