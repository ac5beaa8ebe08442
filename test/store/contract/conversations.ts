/** The Conversations port (src/bot/store/conversations.ts): a message's admission (replay claim, flood count) and the open quote. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/bot/store.ts';
import { credit, fresh, makeQuote, newId, newUser, sleep, storeSteps } from './fixtures.ts';

export function conversationsContract(store: () => Store): void {
  let s: Store;
  beforeEach(() => {
    s = store();
  });
  const { reserve } = storeSteps(() => s);

  describe('admit: the replay claim', () => {
    it('is true the first time and false for a repeat of the same (user, messageId)', async () => {
      const u = newUser();
      expect(await fresh(s, u, 'm-1', 3600)).toBe(true);
      expect(await fresh(s, u, 'm-1', 3600)).toBe(false);
      expect(await fresh(s, u, 'm-1', 3600)).toBe(false);
    });

    it('is true for a different user with the same id, and for a different id', async () => {
      const u = newUser();
      const v = newUser();
      expect(await fresh(s, u, 'm-1', 3600)).toBe(true);
      expect(await fresh(s, v, 'm-1', 3600)).toBe(true);
      expect(await fresh(s, u, 'm-2', 3600)).toBe(true);
      expect(await fresh(s, v, 'm-1', 3600)).toBe(false);
    });

    it('lets exactly one of many concurrent deliveries of one message through', async () => {
      const u = newUser();
      const results = await Promise.all(Array.from({ length: 30 }, () => fresh(s, u, 'dup', 3600)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('forgets a message after its ttl', async () => {
      const u = newUser();
      expect(await fresh(s, u, 'short', 1)).toBe(true);
      expect(await fresh(s, u, 'short', 1)).toBe(false);
      await sleep(1_150);
      expect(await fresh(s, u, 'short', 1)).toBe(true);
    });
  });


  describe('admit: the flood count', () => {
    const admit = (u: string, id: string | undefined, windowMs = 60_000) => s.admit(u, id, { ttlSeconds: 3600, floodWindowMs: windowMs });

    it('counts each fresh message of a user in the window, per user; a message without an id counts too', async () => {
      const u = newUser();
      const v = newUser();
      expect(await admit(u, 'a')).toEqual({ fresh: true, count: 1 });
      expect(await admit(u, 'b')).toEqual({ fresh: true, count: 2 });
      expect(await admit(u, undefined)).toEqual({ fresh: true, count: 3 });
      expect(await admit(v, 'a')).toEqual({ fresh: true, count: 1 });
    });

    it('does not count a replayed delivery', async () => {
      const u = newUser();
      await admit(u, 'a');
      expect(await admit(u, 'a')).toEqual({ fresh: false, count: 0 });
      expect(await admit(u, 'b')).toEqual({ fresh: true, count: 2 });
    });

    it('counts nothing when no window is given', async () => {
      const u = newUser();
      expect(await s.admit(u, 'a', { ttlSeconds: 3600 })).toEqual({ fresh: true, count: 0 });
      expect(await admit(u, 'b')).toEqual({ fresh: true, count: 1 });
    });

    it('starts again once the window that began with the first message has passed', async () => {
      const u = newUser();
      await admit(u, 'a', 500);
      expect((await admit(u, 'b', 500)).count).toBe(2);
      await sleep(650);
      expect((await admit(u, 'c', 500)).count).toBe(1);
    });

    it('hands back the open quote when asked, in the same step; null when none is open; nothing for a replay', async () => {
      const u = newUser();
      const ask = (id: string) => s.admit(u, id, { ttlSeconds: 3600, openQuote: true });
      expect(await ask('q1')).toEqual({ fresh: true, count: 0, quote: null });
      const q = makeQuote(u, 10_000);
      await s.putQuote(q);
      expect(await ask('q2')).toEqual({ fresh: true, count: 0, quote: q });
      expect(await ask('q2')).toEqual({ fresh: false, count: 0 });
      expect(await s.admit(u, 'q3', { ttlSeconds: 3600 })).toEqual({ fresh: true, count: 0 });
      await s.putQuote(makeQuote(u, 10_000, { now: Date.now() - 10_000, expiresAt: Date.now() - 1 }));
      expect((await ask('q4')).quote).toBeNull();
    });

    it('counts every one of many concurrent messages once', async () => {
      const u = newUser();
      const counts = (await Promise.all(Array.from({ length: 40 }, (_, i) => admit(u, `c${i}`)))).map((r) => r.count);
      expect([...counts].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    });
  });

  describe('quotes', () => {
    it('put, get and drop', async () => {
      const u = newUser();
      expect(await s.getQuote(u)).toBeNull();
      const q = makeQuote(u, 256_000);
      await s.putQuote(q);
      expect(await s.getQuote(u)).toEqual(q);
      expect(await s.dropQuote(u)).toBe(true);
      expect(await s.getQuote(u)).toBeNull();
      expect(await s.dropQuote(u)).toBe(false);
    });

    it('a new quote replaces the open one', async () => {
      const u = newUser();
      const a = makeQuote(u, 10_000);
      const b = makeQuote(u, 20_000);
      await s.putQuote(a);
      await s.putQuote(b);
      expect(await s.getQuote(u)).toEqual(b);
      expect(await reserve(u, a.id, newId('T'), Date.now())).toEqual({ ok: false, refusal: { code: 'no-quote' } });
      expect(await s.getQuote(u)).toEqual(b);
    });

    it('quotes are per user', async () => {
      const u = newUser();
      const v = newUser();
      const a = makeQuote(u, 10_000);
      await s.putQuote(a);
      expect(await s.getQuote(v)).toBeNull();
      await credit(s, v, 50_000, Date.now());
      expect(await reserve(v, a.id, newId('T'), Date.now())).toEqual({ ok: false, refusal: { code: 'no-quote' } });
      expect(await s.getQuote(u)).toEqual(a);
      expect(await s.getSaldo(v)).toBe(50_000);
    });

    it('a quote whose expiresAt is already past is not there', async () => {
      const u = newUser();
      const q = makeQuote(u, 10_000, { now: Date.now() - 10_000, expiresAt: Date.now() - 5 });
      await s.putQuote(q);
      expect(await s.getQuote(u)).toBeNull();
      await credit(s, u, 50_000, Date.now());
      expect(await reserve(u, q.id, newId('T'), Date.now())).toEqual({ ok: false, refusal: { code: 'no-quote' } });
      expect(await s.getSaldo(u)).toBe(50_000);
    });

    it('a quote expires at expiresAt', async () => {
      const u = newUser();
      const q = makeQuote(u, 10_000, { ttlMs: 40 });
      await s.putQuote(q);
      await credit(s, u, 50_000, Date.now());
      await sleep(90);
      expect(await s.getQuote(u)).toBeNull();
      expect(await reserve(u, q.id, newId('T'), Date.now())).toEqual({ ok: false, refusal: { code: 'no-quote' } });
      expect(await s.getSaldo(u)).toBe(50_000);
      expect(await s.ledger(u, 10)).toHaveLength(1);
    });
  });

}
