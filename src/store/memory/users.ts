/** Users, their roles and the operator's markups in the embedded store. */
import type { Markups } from '../../bot/store/markups.ts';
import type { Users } from '../../bot/store/users.ts';
import type { MemoryState } from './state.ts';

export function memoryUsers(s: MemoryState): Users & Markups {
  const { users, pins, markups, saldos } = s;
  return {
    async touchUser(user, now) {
      const rec = users.get(user) ?? { id: user, reseller: false, firstSeen: now };
      users.set(user, rec);
      // An account with linked identities that writes as itself is the one its notices go to now.
      if (rec.identities && !rec.account) s.lastIdentity.set(user, user);
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
  };
}
