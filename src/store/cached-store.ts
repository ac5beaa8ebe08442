/**
 * A short read cache in front of the store for what every message reads and almost never changes: who a
 * user is (role, PIN set) and the markups. Writes through this process drop what they change at once; a
 * change made by another process shows here within `ttlMs`. Money is never cached.
 */
import type { UserId } from '../bot/channel.ts';
import { sharesFrom, type Store, type UserRecord } from '../bot/store.ts';

export function withReadCache(store: Store, opts: { ttlMs?: number; maxUsers?: number; clock?: () => number } = {}): Store {
  const ttl = opts.ttlMs ?? 5_000;
  const max = opts.maxUsers ?? 10_000;
  const clock = opts.clock ?? Date.now;
  const users = new Map<UserId, { rec: UserRecord; until: number }>();
  let markups: { value: Record<string, number>; until: number } | undefined;
  const netMarkups = new Map<UserId, { value: Record<string, number>; until: number }>();
  async function uplineTable(account: UserId): Promise<Record<string, number>> {
    const hit = netMarkups.get(account);
    if (hit && hit.until > clock()) return hit.value;
    const value = await store.netMarkups(account);
    if (netMarkups.size >= max) netMarkups.delete(netMarkups.keys().next().value as UserId);
    netMarkups.set(account, { value, until: clock() + ttl });
    return value;
  }

  return Object.assign(Object.create(null) as Store, store, {
    async touchUser(user: UserId, now: number) {
      const hit = users.get(user);
      // An account with linked identities writing as itself must reach the store: the touch notes it as the
      // identity last used, where its notices go.
      if (hit && hit.until > clock() && !(hit.rec.identities && !hit.rec.account)) return { ...hit.rec };
      const rec = await store.touchUser(user, now);
      // A Map keeps insertion order: dropping the first entry drops the oldest, a cheap bound on memory.
      if (users.size >= max) users.delete(users.keys().next().value as UserId);
      users.set(user, { rec, until: clock() + ttl });
      return { ...rec };
    },
    async setReseller(user: UserId, reseller: boolean, name: string | undefined, now: number) {
      users.delete(user);
      await store.setReseller(user, reseller, name, now);
    },
    // Links and the network change who acts for whom and what a price adds: dropped here at once, as roles are.
    async link(identity: UserId, account: UserId, now: number) {
      users.delete(identity);
      users.delete(account);
      return store.link(identity, account, now);
    },
    async unlink(identity: UserId, account: UserId, fresh: UserId) {
      users.delete(identity);
      users.delete(account);
      return store.unlink(identity, account, fresh);
    },
    async register(account: UserId, upline: { id: UserId; chain: UserId[] } | null, name: string | undefined, now: number) {
      users.delete(account);
      return store.register(account, upline, name, now);
    },
    async detach(removed: UserId) {
      // Every chain below it changes: too many records to name, so all are read afresh.
      users.clear();
      return store.detach(removed);
    },
    async setPin(user: UserId, hash: string) {
      users.delete(user);
      await store.setPin(user, hash);
    },
    async markups() {
      if (markups && markups.until > clock()) return { ...markups.value };
      const value = await store.markups();
      markups = { value, until: clock() + ttl };
      return { ...value };
    },
    // An upline's markups, as the operator's: read once per few seconds, dropped at once by a MARKUP here. A
    // downline's price at depth 5 then costs no store read for the four uplines.
    async netMarkups(account: UserId) {
      return { ...(await uplineTable(account)) };
    },
    async setNetMarkup(account: UserId, key: string, amount: number | null) {
      netMarkups.delete(account);
      await store.setNetMarkup(account, key, amount);
    },
    async shares(seller: UserId, chain: readonly UserId[], code: string) {
      return sharesFrom(await Promise.all(chain.map(uplineTable)), seller, chain, code);
    },
    async setMarkup(code: string, amount: number | null) {
      markups = undefined;
      await store.setMarkup(code, amount);
    },
  });
}
