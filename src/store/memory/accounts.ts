/** Accounts and their identities, and the reseller network, in the embedded store. */
import type { Accounts } from '../../bot/store/accounts.ts';
import { type Network, sharesFrom } from '../../bot/store/network.ts';
import type { UserRecord } from '../../bot/store/users.ts';
import type { MemoryState } from './state.ts';

/** An account named as an identity starts out listing it; a fresh `acct:…` one, or one whose namesake left, does not. */
export function identitiesOf(rec: UserRecord | undefined, account: string): string[] {
  if (rec?.identities) return [...rec.identities];
  return account.startsWith('acct:') || rec?.account ? [] : [account];
}

export function memoryAccounts(s: MemoryState): Accounts & Network {
  const { users, saldos, ledgers, txIds, commissions, commissionLedgers, linkCodes, downlines, netMarkups, lastIdentity } = s;
  const record = (id: string, now: number): UserRecord => {
    let rec = users.get(id);
    if (!rec) {
      rec = { id, reseller: false, firstSeen: now };
      users.set(id, rec);
    }
    return rec;
  };
  const copy = (rec: UserRecord): UserRecord => structuredClone(rec);
  const downlinesOf = (account: string): Set<string> => {
    const set = downlines.get(account) ?? new Set<string>();
    downlines.set(account, set);
    return set;
  };
  const liveCode = (code: string) => {
    const c = linkCodes.get(code);
    if (c && c.expiresAt <= s.clock()) linkCodes.delete(code);
    return linkCodes.get(code);
  };

  return {
    async accountOf(identity) {
      return users.get(identity)?.account ?? identity;
    },

    async touchAccount(account, identity, now) {
      const rec = record(account, now);
      const ids = identitiesOf(rec, account);
      if (!ids.includes(identity)) rec.identities = [...ids, identity];
      lastIdentity.set(account, identity);
      return { ...copy(rec), ...(s.pins.get(account)?.hash ? { hasPin: true } : {}) };
    },

    async reachOf(account) {
      const last = lastIdentity.get(account);
      if (last) return last;
      return identitiesOf(users.get(account), account)[0] ?? account;
    },

    async putLinkCode(code, account, ttlMs) {
      if (liveCode(code)) return false;
      linkCodes.set(code, { value: account, expiresAt: s.clock() + ttlMs });
      return true;
    },

    async peekLinkCode(code) {
      return liveCode(code)?.value ?? null;
    },

    async takeLinkCode(code) {
      const c = liveCode(code);
      linkCodes.delete(code);
      return c?.value ?? null;
    },

    async link(identity, account, now) {
      const holds = (saldos.get(identity) ?? 0) !== 0 || (commissions.get(identity) ?? 0) !== 0
        || (ledgers.get(identity)?.length ?? 0) > 0 || (txIds.get(identity)?.length ?? 0) > 0
        || (commissionLedgers.get(identity)?.length ?? 0) > 0;
      if (holds) return 'holds-own';
      record(identity, now).account = account;
      const acc = record(account, now);
      const ids = identitiesOf(acc, account);
      if (!ids.includes(identity)) acc.identities = [...ids, identity];
      return 'linked';
    },

    async unlink(identity, account, fresh) {
      const acc = users.get(account);
      const ids = identitiesOf(acc, account);
      if (!acc || !ids.includes(identity)) return 'not-linked';
      if (ids.length <= 1) return 'last';
      acc.identities = ids.filter((i) => i !== identity);
      if (lastIdentity.get(account) === identity) lastIdentity.set(account, acc.identities[0]!);
      const own = users.get(identity)!;
      if (identity === account) own.account = fresh;
      else delete own.account;
      return 'unlinked';
    },

    async register(account, upline, name, now) {
      const rec = record(account, now);
      // A reseller already, under another upline: two uplines registered it at once, and the first keeps it.
      if (rec.reseller && (rec.upline ?? '') !== (upline?.id ?? '')) return 'exists';
      rec.reseller = true;
      if (name !== undefined) rec.name = name;
      if (upline) {
        rec.upline = upline.id;
        rec.chain = [upline.id, ...upline.chain];
        downlinesOf(upline.id).add(account);
      } else {
        delete rec.upline;
        delete rec.chain;
      }
      return 'registered';
    },

    async downlines(account) {
      return [...(downlines.get(account) ?? [])];
    },

    async netMarkups(account) {
      return Object.fromEntries(netMarkups.get(account) ?? []);
    },

    async setNetMarkup(account, key, amount) {
      const m = netMarkups.get(account) ?? new Map<string, number>();
      netMarkups.set(account, m);
      if (amount === null) m.delete(key);
      else m.set(key, amount);
    },

    async shares(seller, chain, code) {
      return sharesFrom(chain.map((u) => Object.fromEntries(netMarkups.get(u) ?? [])), seller, chain, code);
    },

    async detach(removed) {
      const rec = users.get(removed);
      const moved = [...(downlines.get(removed) ?? [])];
      const up = rec?.upline;
      for (const d of moved) {
        const drec = users.get(d);
        if (!drec) continue;
        if (up) {
          drec.upline = up;
          downlinesOf(up).add(d);
        } else delete drec.upline;
      }
      // Everyone below leaves the removed one out of their chain.
      const stack = [...moved];
      while (stack.length) {
        const n = stack.pop()!;
        const nrec = users.get(n);
        if (nrec?.chain) {
          nrec.chain = nrec.chain.filter((c) => c !== removed);
          if (nrec.chain.length === 0) delete nrec.chain;
        }
        stack.push(...(downlines.get(n) ?? []));
      }
      downlines.delete(removed);
      if (up) downlines.get(up)?.delete(removed);
      if (rec) {
        delete rec.upline;
        delete rec.chain;
      }
      return moved.length;
    },
  };
}
