/**
 * The Accounts port (src/bot/store/accounts.ts): which account an identity acts for, linking and unlinking
 * identities (TAUTKAN, LEPAS), link codes, and where an account's notices go. Run against both stores by
 * contract/index.ts. A link's two steps are atomic together on the embedded store; the crash between them on
 * Redis is test/store/redis-accounts.test.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/bot/store.ts';
import { opIds } from '../../../src/payments/ledger.ts';
import { credit } from '../../helpers/credit.ts';
import { makeQuote, newId, newUser, sleep } from './fixtures.ts';

export function accountsContract(store: () => Store): void {
  let s: Store;
  beforeEach(() => {
    s = store();
  });

  /** Everything a refused link or unlink must leave as it was, for both sides. */
  async function snapshot(...ids: string[]) {
    return Promise.all(ids.map(async (id) => ({
      id, account: await s.accountOf(id), rec: await s.getUser(id), reach: await s.reachOf(id), saldo: await s.getSaldo(id),
    })));
  }

  describe('accounts: link and unlink', () => {
    it('an identity never linked is its own account, reached at itself', async () => {
      const a = newUser();
      expect(await s.accountOf(a)).toBe(a);
      expect(await s.reachOf(a)).toBe(a);
      await s.touchUser(a, 1_000);
      expect(await s.accountOf(a)).toBe(a);
      expect((await s.getUser(a))?.account).toBeUndefined();
    });

    it('links an identity: it acts for the account, the account lists both, saldo is one', async () => {
      const a = newUser();
      const b = newUser();
      await s.touchUser(a, 1_000);
      await credit(s, a, 70_000);
      expect(await s.link(b, a, 2_000)).toBe('linked');
      expect(await s.accountOf(b)).toBe(a);
      expect(await s.accountOf(a)).toBe(a);
      expect((await s.getUser(a))?.identities).toEqual([a, b]);
      expect((await s.getUser(b))?.account).toBe(a);
      // The saldo is the account's, nothing moved: b's own books stay empty.
      expect(await s.getSaldo(a)).toBe(70_000);
      expect(await s.getSaldo(b)).toBe(0);
      expect(await s.ledger(b, 10)).toEqual([]);
      // Linked again (a retry after a lost answer): the same, listed once.
      expect(await s.link(b, a, 3_000)).toBe('linked');
      expect((await s.getUser(a))?.identities).toEqual([a, b]);
    });

    it.each([
      ['a saldo', async (st: Store, b: string) => void (await credit(st, b, 1_000))],
      ['a ledger that sums to nothing', async (st: Store, b: string) => {
        await credit(st, b, 1_000);
        await credit(st, b, -1_000);
      }],
      ['a commission', async (st: Store, b: string) => {
        const r = await st.money.creditCommission({ opId: opIds.commission(newId('T'), 1), by: 'w', now: Date.now(), user: b, amount: 500, txId: newId('T'), from: newUser(), via: newUser(), level: 1 });
        expect(r.ok).toBe(true);
      }],
      ['a transaction', async (st: Store, b: string) => {
        await credit(st, b, 10_000);
        const q = makeQuote(b, 10_000);
        await st.putQuote(q);
        const r = await st.money.reserve({ opId: opIds.reserve(q.txId), by: 'b', now: Date.now(), user: b, quoteId: q.id, txId: q.txId });
        expect(r.ok).toBe(true);
      }],
    ])('refuses to link an identity that holds %s of its own (holds-own), changing nothing', async (_what, give) => {
      const a = newUser();
      const b = newUser();
      await s.touchUser(a, 1_000);
      await s.touchUser(b, 1_000);
      await give(s, b);
      const before = await snapshot(a, b);
      const books = { saldo: await s.getSaldo(b), ledger: await s.ledger(b, 100), commission: await s.getCommission(b), txs: await s.listTx(b, 10) };
      expect(await s.link(b, a, 2_000)).toBe('holds-own');
      expect(await snapshot(a, b)).toEqual(before);
      expect(await s.accountOf(b)).toBe(b);
      expect({ saldo: await s.getSaldo(b), ledger: await s.ledger(b, 100), commission: await s.getCommission(b), txs: await s.listTx(b, 10) }).toEqual(books);
    });

    it('never unlinks the last identity; a stranger is not-linked; both change nothing', async () => {
      const a = newUser();
      const stranger = newUser();
      await s.touchUser(a, 1_000);
      await s.touchUser(stranger, 1_000);
      await credit(s, a, 5_000);
      const before = await snapshot(a, stranger);
      expect(await s.unlink(a, a, `acct:${newId('f')}`)).toBe('last');
      expect(await s.unlink(stranger, a, `acct:${newId('f')}`)).toBe('not-linked');
      expect(await snapshot(a, stranger)).toEqual(before);
      // Linked, then unlinked, the one left is the last again.
      const b = newUser();
      expect(await s.link(b, a, 2_000)).toBe('linked');
      expect(await s.unlink(b, a, `acct:${newId('f')}`)).toBe('unlinked');
      const after = await snapshot(a);
      expect(await s.unlink(a, a, `acct:${newId('f')}`)).toBe('last');
      expect(await snapshot(a)).toEqual(after);
      // An account no one ever wrote to has nothing to unlink.
      const ghost = newUser();
      expect(await s.unlink(ghost, ghost, `acct:${newId('f')}`)).toBe('not-linked');
    });

    it('unlinks a linked identity: it acts for itself again with empty books, the account keeps its saldo', async () => {
      const a = newUser();
      const b = newUser();
      await s.touchUser(a, 1_000);
      await credit(s, a, 40_000);
      await s.link(b, a, 2_000);
      expect(await s.unlink(b, a, `acct:${newId('f')}`)).toBe('unlinked');
      expect(await s.accountOf(b)).toBe(b);
      expect((await s.getUser(b))?.account).toBeUndefined();
      expect((await s.getUser(a))?.identities).toEqual([a]);
      expect(await s.getSaldo(b)).toBe(0);
      expect(await s.getSaldo(a)).toBe(40_000);
      // Unlinked again (a retry): not linked any more, nothing changes.
      expect(await s.unlink(b, a, `acct:${newId('f')}`)).toBe('not-linked');
      expect(await s.accountOf(b)).toBe(b);
    });

    it("unlinking the account's namesake gives it a fresh, empty account; the others keep the account", async () => {
      const a = newUser();
      const b = newUser();
      await s.touchUser(a, 1_000);
      await s.setReseller(a, true, 'Toko A', 1_000);
      await credit(s, a, 40_000);
      await s.link(b, a, 2_000);
      // The namesake wrote last: once it leaves, the account's notices go to the one left.
      await s.touchUser(a, 2_500);
      expect(await s.reachOf(a)).toBe(a);
      const fresh = `acct:${newId('f')}`;
      expect(await s.unlink(a, a, fresh)).toBe('unlinked');
      expect(await s.accountOf(a)).toBe(fresh);
      expect(await s.accountOf(b)).toBe(a);
      expect((await s.getUser(a))?.identities).toEqual([b]);
      expect(await s.getSaldo(a)).toBe(40_000);
      expect(await s.getSaldo(fresh)).toBe(0);
      expect(await s.reachOf(a)).toBe(b);
      // The namesake writing now touches its fresh account: a customer's, listing it alone.
      const rec = await s.touchAccount(fresh, a, 3_000);
      expect(rec).toMatchObject({ id: fresh, reseller: false, identities: [a] });
      expect(await s.reachOf(fresh)).toBe(a);
      // Its only identity: never unlinked from it.
      expect(await s.unlink(a, fresh, `acct:${newId('f')}`)).toBe('last');
      // And b, the one left on the account, is its last.
      expect(await s.unlink(b, a, `acct:${newId('f')}`)).toBe('last');
    });

    it("touchAccount lists an identity the account's list lacks, once, and notes it as the one last used", async () => {
      const a = newUser();
      const b = newUser();
      await s.touchUser(a, 1_000);
      const rec = await s.touchAccount(a, b, 2_000);
      expect(rec).toMatchObject({ id: a, identities: [a, b] });
      expect(await s.reachOf(a)).toBe(b);
      expect((await s.touchAccount(a, b, 3_000)).identities).toEqual([a, b]);
      expect((await s.getUser(a))?.identities).toEqual([a, b]);
    });

    it('notices go to the identity last written from: touchAccount for a linked one, touchUser for the namesake', async () => {
      const a = newUser();
      const b = newUser();
      await s.touchUser(a, 1_000);
      await s.link(b, a, 2_000);
      await s.touchUser(b, 3_000);
      await s.touchAccount(a, b, 3_000);
      expect(await s.reachOf(a)).toBe(b);
      await s.touchUser(a, 4_000);
      expect(await s.reachOf(a)).toBe(a);
      await s.touchAccount(a, b, 5_000);
      expect(await s.reachOf(a)).toBe(b);
      // The last one used unlinked: notices go to the one left.
      expect(await s.unlink(b, a, `acct:${newId('f')}`)).toBe('unlinked');
      expect(await s.reachOf(a)).toBe(a);
    });

    it('touchAccount answers the account with its PIN flag and role', async () => {
      const a = newUser();
      const b = newUser();
      await s.setReseller(a, true, 'Toko A', 1_000);
      await s.setPin(a, 'hash');
      await s.link(b, a, 2_000);
      expect(await s.touchAccount(a, b, 3_000)).toMatchObject({ id: a, reseller: true, name: 'Toko A', hasPin: true, identities: [a, b] });
    });
  });

  describe('accounts: link codes', () => {
    it('a code links to its account once: peek leaves it, take uses it up', async () => {
      const a = newUser();
      const code = newId('c');
      expect(await s.putLinkCode(code, a, 60_000)).toBe(true);
      expect(await s.peekLinkCode(code)).toBe(a);
      expect(await s.peekLinkCode(code)).toBe(a);
      expect(await s.takeLinkCode(code)).toBe(a);
      expect(await s.takeLinkCode(code)).toBeNull();
      expect(await s.peekLinkCode(code)).toBeNull();
    });

    it('a code in use is not handed out again; an unknown one is null', async () => {
      const a = newUser();
      const other = newUser();
      const code = newId('c');
      expect(await s.putLinkCode(code, a, 60_000)).toBe(true);
      expect(await s.putLinkCode(code, other, 60_000)).toBe(false);
      expect(await s.peekLinkCode(code)).toBe(a);
      expect(await s.takeLinkCode(newId('c'))).toBeNull();
      expect(await s.peekLinkCode(newId('c'))).toBeNull();
    });

    it('two takes at once: one gets the account, the other null', async () => {
      const a = newUser();
      const code = newId('c');
      await s.putLinkCode(code, a, 60_000);
      const got = await Promise.all([s.takeLinkCode(code), s.takeLinkCode(code), s.takeLinkCode(code)]);
      expect(got.filter((g) => g === a)).toHaveLength(1);
      expect(got.filter((g) => g === null)).toHaveLength(2);
    });

    it('a code expires after its time; then it can be made again', async () => {
      const a = newUser();
      const code = newId('c');
      expect(await s.putLinkCode(code, a, 80)).toBe(true);
      await sleep(200);
      expect(await s.peekLinkCode(code)).toBeNull();
      expect(await s.takeLinkCode(code)).toBeNull();
      expect(await s.putLinkCode(code, a, 60_000)).toBe(true);
      expect(await s.takeLinkCode(code)).toBe(a);
    });
  });
}
