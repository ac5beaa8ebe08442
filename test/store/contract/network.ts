/**
 * The Network port (src/bot/store/network.ts): registering downlines, each upline's markups and what they add
 * to a sale down the chain, and RESELLER HAPUS moving downlines up. Run against both stores by contract/index.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/bot/store.ts';
import { markupKey } from '../../../src/bot/store/network.ts';
import { newUser } from './fixtures.ts';

export function networkContract(store: () => Store): void {
  let s: Store;
  beforeEach(() => {
    s = store();
  });

  /** A → B → C → D: A the operator's reseller, each next one the one before's downline. */
  async function tree(depth = 4): Promise<string[]> {
    const ids = Array.from({ length: depth }, () => newUser());
    for (let i = 0; i < depth; i++) {
      const upline = i === 0 ? null : { id: ids[i - 1]!, chain: ids.slice(0, i - 1).reverse() };
      await s.register(ids[i]!, upline, `Toko ${i}`, 1_000 + i);
    }
    return ids;
  }

  /** Where each one hangs: its upline, its chain, its direct downlines. */
  async function shape(...ids: string[]) {
    return Promise.all(ids.map(async (id) => {
      const rec = await s.getUser(id);
      return { id, reseller: rec?.reseller, upline: rec?.upline, chain: rec?.chain, downlines: (await s.downlines(id)).sort() };
    }));
  }

  describe('network: register and downlines', () => {
    it('two uplines registering one user at once: one keeps it, the other hears exists and lists nothing', async () => {
      const [a, b, x] = [newUser(), newUser(), newUser()];
      await s.register(a, null, 'Toko A', 1_000);
      await s.register(b, null, 'Toko B', 1_000);
      const answers = await Promise.all([s.register(x, { id: a, chain: [] }, 'X', 2_000), s.register(x, { id: b, chain: [] }, 'X', 2_000)]);
      expect([...answers].sort()).toEqual(['exists', 'registered']);
      const winner = answers[0] === 'registered' ? a : b;
      const loser = winner === a ? b : a;
      expect((await s.getUser(x))?.upline).toBe(winner);
      expect(await s.downlines(winner)).toEqual([x]);
      expect(await s.downlines(loser)).toEqual([]);
      // The winner sending it again (a resend after a cut) is no conflict.
      expect(await s.register(x, { id: winner, chain: [] }, 'X', 3_000)).toBe('registered');
    });

    it('registers a reseller of the operator: a reseller with its name, no upline', async () => {
      const a = newUser();
      await s.register(a, null, 'Toko A', 1_000);
      const rec = await s.getUser(a);
      expect(rec).toMatchObject({ id: a, reseller: true, name: 'Toko A' });
      expect(rec?.upline).toBeUndefined();
      expect(rec?.chain).toBeUndefined();
      expect(await s.resellers()).toContain(a);
      expect(await s.allUsers()).toContain(a);
      expect(await s.downlines(a)).toEqual([]);
    });

    it('a downline names its upline and every upline above, nearest first; each upline lists its direct ones only', async () => {
      const [a, b, c, d] = await tree();
      expect(await shape(a!, b!, c!, d!)).toEqual([
        { id: a, reseller: true, upline: undefined, chain: undefined, downlines: [b] },
        { id: b, reseller: true, upline: a, chain: [a], downlines: [c] },
        { id: c, reseller: true, upline: b, chain: [b, a], downlines: [d] },
        { id: d, reseller: true, upline: c, chain: [c, b, a], downlines: [] },
      ]);
      const e = newUser();
      await s.register(e, { id: a!, chain: [] }, undefined, 2_000);
      expect((await s.downlines(a!)).sort()).toEqual([b, e].sort());
      expect(await s.getUser(e)).toMatchObject({ reseller: true, upline: a, chain: [a] });
      expect((await s.getUser(e))?.name).toBeUndefined();
    });

    it("registering keeps a user's first sight and an earlier name when none is given", async () => {
      const a = newUser();
      const b = newUser();
      await s.register(a, null, 'Toko A', 1_000);
      await s.touchUser(b, 500);
      await s.setReseller(b, false, 'Nama Lama', 600);
      await s.register(b, { id: a, chain: [] }, undefined, 2_000);
      expect(await s.getUser(b)).toMatchObject({ reseller: true, name: 'Nama Lama', firstSeen: 500, upline: a });
    });
  });

  describe('network: markups and shares', () => {
    it('0 for every upline where none is set; nothing for a chain of none', async () => {
      const [a, b, c] = await tree(3);
      expect(await s.shares(c!, [b!, a!], 'PLN')).toEqual([{ account: b, markup: 0 }, { account: a, markup: 0 }]);
      expect(await s.shares(a!, [], 'PLN')).toEqual([]);
    });

    it("a downline's own beats the general one, a product beats *, each upline judged by the downline on the seller's side", async () => {
      const [a, b, c] = await tree(3);
      const share = async () => (await s.shares(c!, [b!, a!], 'PLN')).map((x) => x.markup);
      await s.setNetMarkup(a!, '*', 100);
      expect(await share()).toEqual([0, 100]);
      await s.setNetMarkup(a!, 'PLN', 200);
      expect(await share()).toEqual([0, 200]);
      // A's markup for B (the downline on C's side of A) beats A's general ones, * included.
      await s.setNetMarkup(a!, markupKey('*', b!), 300);
      expect(await share()).toEqual([0, 300]);
      await s.setNetMarkup(a!, markupKey('PLN', b!), 400);
      expect(await share()).toEqual([0, 400]);
      // A's markup for C is not A's for this sale: C is B's downline, not A's.
      await s.setNetMarkup(a!, markupKey('PLN', c!), 4_900);
      expect(await share()).toEqual([0, 400]);
      // Another product: A's own for B's * over the general product.
      expect((await s.shares(c!, [b!, a!], 'BPJSKS')).map((x) => x.markup)).toEqual([0, 300]);
      await s.setNetMarkup(b!, '*', 50);
      await s.setNetMarkup(b!, markupKey('PLN', c!), 70);
      expect(await s.shares(c!, [b!, a!], 'PLN')).toEqual([{ account: b, markup: 70 }, { account: a, markup: 400 }]);
      expect((await s.shares(c!, [b!, a!], 'BPJSKS')).map((x) => x.markup)).toEqual([50, 300]);
      // B selling itself: A's markup for B.
      expect(await s.shares(b!, [a!], 'PLN')).toEqual([{ account: a, markup: 400 }]);
    });

    it("a downline's own 0 beats a general markup; a markup taken off falls back to the next", async () => {
      const [a, b] = await tree(2);
      await s.setNetMarkup(a!, 'PLN', 500);
      await s.setNetMarkup(a!, markupKey('PLN', b!), 0);
      expect(await s.shares(b!, [a!], 'PLN')).toEqual([{ account: a, markup: 0 }]);
      await s.setNetMarkup(a!, markupKey('PLN', b!), null);
      expect(await s.shares(b!, [a!], 'PLN')).toEqual([{ account: a, markup: 500 }]);
      await s.setNetMarkup(a!, 'PLN', null);
      expect(await s.shares(b!, [a!], 'PLN')).toEqual([{ account: a, markup: 0 }]);
    });

    it('netMarkups lists an upline\'s markups by key; each upline has its own', async () => {
      const [a, b] = await tree(2);
      expect(await s.netMarkups(a!)).toEqual({});
      await s.setNetMarkup(a!, '*', 100);
      await s.setNetMarkup(a!, markupKey('PLN', b!), 2_500);
      await s.setNetMarkup(a!, 'PLN', 300);
      await s.setNetMarkup(a!, 'PLN', 350);
      expect(await s.netMarkups(a!)).toEqual({ '*': 100, PLN: 350, [`${b}|PLN`]: 2_500 });
      expect(await s.netMarkups(b!)).toEqual({});
    });
  });

  describe('network: detach (RESELLER HAPUS)', () => {
    it("moves the removed one's downlines to its upline; every chain below leaves it out", async () => {
      const [a, b, c, d] = await tree();
      const c2 = newUser();
      await s.register(c2, { id: b!, chain: [a!] }, undefined, 3_000);
      expect(await s.detach(b!)).toBe(2);
      expect(await shape(a!, b!, c!, c2, d!)).toEqual([
        { id: a, reseller: true, upline: undefined, chain: undefined, downlines: [c, c2].sort() },
        { id: b, reseller: true, upline: undefined, chain: undefined, downlines: [] },
        { id: c, reseller: true, upline: a, chain: [a], downlines: [d] },
        { id: c2, reseller: true, upline: a, chain: [a], downlines: [] },
        { id: d, reseller: true, upline: c, chain: [c, a], downlines: [] },
      ]);
      // Run again (after a crash part way, or a second HAPUS): nothing moves.
      const after = await shape(a!, b!, c!, c2, d!);
      expect(await s.detach(b!)).toBe(0);
      expect(await shape(a!, b!, c!, c2, d!)).toEqual(after);
    });

    it("removing a reseller of the operator's makes its downlines the operator's", async () => {
      const [a, b, c] = await tree(3);
      expect(await s.detach(a!)).toBe(1);
      expect(await shape(a!, b!, c!)).toEqual([
        { id: a, reseller: true, upline: undefined, chain: undefined, downlines: [] },
        { id: b, reseller: true, upline: undefined, chain: undefined, downlines: [c] },
        { id: c, reseller: true, upline: b, chain: [b], downlines: [] },
      ]);
      const after = await shape(a!, b!, c!);
      expect(await s.detach(a!)).toBe(0);
      expect(await shape(a!, b!, c!)).toEqual(after);
    });

    it('removing the deepest one moves nothing and takes it off its upline', async () => {
      const [a, b] = await tree(2);
      expect(await s.detach(b!)).toBe(0);
      expect(await shape(a!, b!)).toEqual([
        { id: a, reseller: true, upline: undefined, chain: undefined, downlines: [] },
        { id: b, reseller: true, upline: undefined, chain: undefined, downlines: [] },
      ]);
    });

    it("after a detach the shares follow the new chain: the removed one's markup is gone", async () => {
      const [a, b, c] = await tree(3);
      await s.setNetMarkup(a!, '*', 100);
      await s.setNetMarkup(b!, '*', 200);
      await s.detach(b!);
      const chain = (await s.getUser(c!))?.chain ?? [];
      expect(await s.shares(c!, chain, 'PLN')).toEqual([{ account: a, markup: 100 }]);
    });
  });
}
