import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/bot/store.ts';
import { OP_RECORD_SECONDS, opIds } from '../../src/payments/ledger.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { memoryState } from '../../src/store/memory/state.ts';
import { plantInMemory } from './legacy-data.ts';
import { makeQuote, newId, newUser, fresh, storeContract } from './contract/index.ts';
import { credit } from '../helpers/credit.ts';

storeContract('memory', async () => {
  const state = memoryState(Date.now);
  const store = createMemoryStore({ state });
  return { store, plant: plantInMemory(state), cleanup: () => store.close() };
});

function reserve(store: Store, user: string, quoteId: string, now: number) {
  const txId = newId('T');
  return store.money.reserve({ opId: opIds.reserve(txId), by: 'b', now, user, quoteId, txId });
}

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
      await credit(store, u, 50_000, { now: now() });
      const q = makeQuote(u, 10_000, { now: now(), ttlMs: 300_000 });
      await store.putQuote(q);
      advance(299_000);
      expect(await store.getQuote(u)).toEqual(q);
      advance(2_000);
      expect(await store.getQuote(u)).toBeNull();
      expect(await reserve(store, u, q.id, now())).toEqual({ ok: false, refusal: { code: 'no-quote' } });
      expect(await store.getSaldo(u)).toBe(50_000);
    });

    it('an expired quote cannot be reserved even without a getQuote first', async () => {
      const { store, advance, now } = clocked();
      const u = newUser();
      await credit(store, u, 50_000, { now: now() });
      const q = makeQuote(u, 10_000, { now: now(), ttlMs: 1_000 });
      await store.putQuote(q);
      advance(1_001);
      expect(await reserve(store, u, q.id, now())).toEqual({ ok: false, refusal: { code: 'no-quote' } });
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

    it("an operation's record is kept OP_RECORD_SECONDS of the clock: sent again within it, a repeat", async () => {
      const { store, advance, now } = clocked();
      const u = newUser();
      const op = { opId: 'msg:admin:1', by: 'msg:admin:1', now: now(), user: u, amount: 5_000, reason: 'deposit' as const };
      expect(await store.money.adjust(op)).toMatchObject({ ok: true, repeat: false });
      advance(OP_RECORD_SECONDS * 1000 - 1_000);
      expect(await store.money.adjust(op)).toMatchObject({ ok: true, repeat: true, saldo: 5_000 });
      advance(2_000);
      // Past it the record is gone, as on Redis (EX): the operation is new again.
      expect(await store.money.adjust(op)).toMatchObject({ ok: true, repeat: false, saldo: 10_000 });
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
    await credit(a, u, 1_000, { now: 1 });
    expect(await b.getSaldo(u)).toBe(0);
    await a.close();
    await b.close();
  });
});
