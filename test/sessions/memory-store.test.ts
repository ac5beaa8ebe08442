import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/sessions/memory-store.ts';
import { makeQuote, newId, newUser, fresh, storeContract } from './store-contract.ts';

storeContract('memory', async () => {
  const store = createMemoryStore();
  return { store, cleanup: () => store.close() };
});

describe('memory store', () => {
  it('is kind memory', async () => {
    const store = createMemoryStore();
    expect(store.kind).toBe('memory');
    await store.close();
  });

  describe('follows the injected clock', () => {
    function clocked() {
      let t = 1_700_000_000_000;
      const store = createMemoryStore({ clock: () => t });
      const advance = (ms: number) => {
        t += ms;
      };
      return { store, advance, now: () => t };
    }

    it('a quote expires when the clock passes expiresAt', async () => {
      const { store, advance, now } = clocked();
      const u = newUser();
      await store.adjustSaldo(u, 50_000, 'deposit', now());
      const q = makeQuote(u, 10_000, { now: now(), ttlMs: 300_000 });
      await store.putQuote(q);
      advance(299_000);
      expect(await store.getQuote(u)).toEqual(q);
      advance(2_000);
      expect(await store.getQuote(u)).toBeNull();
      expect(await store.reserve(u, q.id, newId('T'), now())).toEqual({ ok: false, reason: 'no-quote' });
      expect(await store.getSaldo(u)).toBe(50_000);
    });

    it('an expired quote cannot be reserved even without a getQuote first', async () => {
      const { store, advance, now } = clocked();
      const u = newUser();
      await store.adjustSaldo(u, 50_000, 'deposit', now());
      const q = makeQuote(u, 10_000, { now: now(), ttlMs: 1_000 });
      await store.putQuote(q);
      advance(1_001);
      expect(await store.reserve(u, q.id, newId('T'), now())).toEqual({ ok: false, reason: 'no-quote' });
      expect(await store.getSaldo(u)).toBe(50_000);
    });

    it('a quote put already expired is not there', async () => {
      const { store, now } = clocked();
      const u = newUser();
      await store.putQuote(makeQuote(u, 10_000, { now: now() - 10_000, expiresAt: now() - 1 }));
      expect(await store.getQuote(u)).toBeNull();
    });

    it('message ids are remembered for ttl seconds of the clock', async () => {
      const { store, advance } = clocked();
      const u = newUser();
      expect(await fresh(store, u, 'm', 86_400)).toBe(true);
      advance(86_399_000);
      expect(await fresh(store, u, 'm', 86_400)).toBe(false);
      advance(2_000);
      expect(await fresh(store, u, 'm', 86_400)).toBe(true);
    });

    it('cache entries expire after ttl seconds of the clock', async () => {
      const { store, advance } = clocked();
      await store.setCache('c', 'v', 60);
      advance(59_000);
      expect(await store.getCache('c')).toBe('v');
      advance(2_000);
      expect(await store.getCache('c')).toBeNull();
    });
  });

  it('two memory stores share nothing', async () => {
    const a = createMemoryStore();
    const b = createMemoryStore();
    const u = newUser();
    await a.adjustSaldo(u, 1_000, 'deposit', 1);
    expect(await b.getSaldo(u)).toBe(0);
    await a.close();
    await b.close();
  });
});
