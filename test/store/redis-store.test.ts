import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../../src/bot/store.ts';
import { STATS_BATCH } from '../../src/store/redis/health.ts';
import { OP_RECORD_SECONDS, opIds } from '../../src/payments/ledger.ts';
import { keys } from '../../src/store/keys.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { assertRedis, dropPrefix, globEscape, hashTag, redisUrl, scanKeys, uniquePrefix } from '../helpers/redis.ts';
import { plantInRedis } from './legacy-data.ts';
import { makeQuote, newId, newUser, fresh, storeContract } from './contract/index.ts';
import { credit } from '../helpers/credit.ts';

const url = redisUrl();

// Fails (never skips) every test of this file when Redis does not answer.
beforeEach(async () => {
  await assertRedis(url);
});

function open(prefix: string) {
  return createRedisStore({ url, prefix });
}

/** A YA's reserve: the quote's transaction id, under the message's own sender name. */
function reserve(s: Store, user: string, quoteId: string, txId: string, by: string) {
  return s.money.reserve({ opId: opIds.reserve(txId), by, now: Date.now(), user, quoteId, txId });
}

storeContract('redis', async () => {
  const prefix = uniquePrefix('contract');
  const store = open(prefix);
  return {
    store,
    plant: plantInRedis(store.redis, prefix),
    async cleanup() {
      await store.close();
      await dropPrefix(url, prefix);
    },
  };
});

describe('redis store', () => {
  const prefix = uniquePrefix('redis-store');
  const stores: Store[] = [];
  const mk = () => {
    const s = open(prefix);
    stores.push(s);
    return s;
  };

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await dropPrefix(url, prefix);
  });

  it('is kind redis', () => {
    expect(mk().kind).toBe('redis');
  });

  it('two bot processes (two connections) racing 50 reserves of one quote: exactly one ok', async () => {
    const a = mk();
    const b = mk();
    const u = newUser();
    await credit(a, u, 100_000);
    const q = makeQuote(u, 40_000);
    await b.putQuote(q);
    expect(await a.getQuote(u)).toEqual(q);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => reserve(i % 2 === 0 ? a : b, u, q.id, q.txId, `msg:${u}:upd-${i}`)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.refusal.code === 'op-conflict')).toHaveLength(49);
    expect(await a.getSaldo(u)).toBe(60_000);
    expect(await b.getSaldo(u)).toBe(60_000);
    const entries = await b.ledger(u, 100);
    expect(entries.filter((e) => e.reason === 'payment')).toHaveLength(1);
    expect(entries.reduce((s, e) => s + e.amount, 0)).toBe(60_000);
    expect(await a.listTx(u, 100)).toHaveLength(1);
  });

  it('two processes racing fail and settle on one transaction: one wins, at most one refund', async () => {
    const a = mk();
    const b = mk();
    const u = newUser();
    await credit(a, u, 10_000, { now: 1 });
    const q = makeQuote(u, 10_000);
    await a.putQuote(q);
    const txId = newId('T');
    expect((await reserve(a, u, q.id, txId, 'ya')).ok).toBe(true);
    expect((await b.money.resolve({ opId: opIds.pending(txId), by: 'ya', now: 2, user: u, txId, to: 'PENDING' })).ok).toBe(true);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).money.resolve(
          i % 3 === 0
            ? { opId: opIds.settle(txId), by: `w${i}`, now: 3, user: u, txId, to: 'SETTLED' }
            : { opId: opIds.fail(txId), by: `w${i}`, now: 3, user: u, txId, to: 'FAILED', reason: 'gagal' },
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const tx = await a.getTx(u, txId);
    const refunds = (await b.ledger(u, 100)).filter((e) => e.reason === 'refund');
    expect(refunds).toHaveLength(tx?.status === 'FAILED' ? 1 : 0);
    expect(await a.getSaldo(u)).toBe(tx?.status === 'FAILED' ? 10_000 : 0);
  });

  it("each operation's record is one key under its account's tag, kept OP_RECORD_SECONDS; a transfer's credit under the receiver's", async () => {
    const s = mk();
    const k = keys(prefix);
    const [a, b, owner] = [newUser(), newUser(), newUser()];
    const now = Date.now();
    await s.money.adjust({ opId: 'msg:admin:d1', by: 'msg:admin:d1', now, user: a, amount: 50_000, reason: 'deposit' });
    const id = `TRF-${newId('X')}`;
    const t = { transferId: id, from: a, to: b, amount: 20_000, now, by: 'transfer' };
    await s.money.transferOut({ ...t, opId: opIds.transferOut(id) });
    await s.money.transferIn({ ...t, opId: opIds.transferIn(id) });
    const opened = await s.openTicket(owner, newId('D'), 100_000, now, 86_400_000, 3);
    if (!opened.ok) throw new Error('no ticket');
    await s.money.acceptTicket({ opId: 'msg:admin:acc', by: 'msg:admin:acc', now, ticketId: opened.ticket.id, acceptedBy: 'admin' });
    const expected = [k.op(a, 'msg:admin:d1'), k.op(a, id), k.op(b, `credited:${id}`), k.op(owner, 'msg:admin:acc')];
    for (const key of expected) {
      const ttl = await s.redis.ttl(key);
      expect(ttl, key).toBeGreaterThan(OP_RECORD_SECONDS - 60);
      expect(ttl, key).toBeLessThanOrEqual(OP_RECORD_SECONDS);
    }
    expect(hashTag(k.op(b, `credited:${id}`))).toBe(b);
    expect(await s.redis.exists(k.op(a, `credited:${id}`))).toBe(0);
    expect(JSON.parse((await s.redis.get(k.op(b, `credited:${id}`)))!)).toEqual({ by: 'transfer', saldo: 20_000 });
  });

  it('a claimed message is seen by the other process', async () => {
    const a = mk();
    const b = mk();
    const u = newUser();
    expect(await fresh(a, u, '991', 86_400)).toBe(true);
    expect(await fresh(b, u, '991', 86_400)).toBe(false);
  });

  it('quote keys carry the quote expiry as a Redis TTL', async () => {
    const a = mk();
    const u = newUser();
    await a.putQuote(makeQuote(u, 1_000, { ttlMs: 300_000 }));
    const keys = (await scanKeys(url, `${globEscape(prefix)}*`)).filter((k) => k.includes(u));
    expect(keys.length).toBeGreaterThan(0);
    const { rawClient } = await import('../helpers/redis.ts');
    const c = rawClient(url);
    await c.connect();
    try {
      const ttls = await Promise.all(keys.map((k) => c.pttl(k)));
      const withTtl = ttls.filter((t) => t > 0);
      expect(withTtl).toHaveLength(1);
      expect(withTtl[0]).toBeGreaterThan(290_000);
      expect(withTtl[0]).toBeLessThanOrEqual(300_000);
    } finally {
      c.disconnect();
    }
  });

  it('stores under different prefixes share nothing', async () => {
    const p2 = uniquePrefix('redis-store-other');
    const other = open(p2);
    try {
      const a = mk();
      const u = newUser();
      await credit(a, u, 5_000, { now: 1 });
      await a.touchUser(u, 1);
      expect(await other.getSaldo(u)).toBe(0);
      expect(await other.getUser(u)).toBeNull();
    } finally {
      await other.close();
      await dropPrefix(url, p2);
    }
  });

  it('every key written for a user is under the prefix and hashes by the tag {<user>} (Redis Cluster)', async () => {
    const p = uniquePrefix('hashtag');
    const s = open(p);
    const users = [newUser(), newUser(), newUser()];
    try {
      for (const [i, u] of users.entries()) {
        const now = Date.now();
        await fresh(s, u, `m${i}`, 3_600);
        await s.touchUser(u, now);
        await s.setReseller(u, true, `Agen ${i}`, now);
        await credit(s, u, 100_000, { now, note: 'awal' });
        const q1 = makeQuote(u, 10_000);
        await s.putQuote(q1);
        const t1 = newId('T');
        expect((await reserve(s, u, q1.id, t1, `msg:${u}:m${i}`)).ok).toBe(true);
        await s.logTx(u, t1, { at: now, type: 'pay.request' });
        await s.money.resolve({ opId: opIds.pending(t1), by: 'w', now, user: u, txId: t1, to: 'PENDING', patch: { invoice: 'INV' } });
        await s.patchTx(u, t1, { flagged: 'x' });
        await s.schedule(u, t1, now + 30_000);
        await s.claimDue(now + 60_000, 1_000, 10);
        await s.money.resolve({ opId: opIds.fail(t1), by: 'w', now, user: u, txId: t1, to: 'FAILED', reason: 'gagal' });
        const q2 = makeQuote(u, 20_000);
        await s.putQuote(q2);
        const t2 = newId('T');
        expect((await reserve(s, u, q2.id, t2, 'ya')).ok).toBe(true);
        await s.money.resolve({ opId: opIds.settle(t2), by: 'w', now, user: u, txId: t2, to: 'SETTLED' });
        // A transfer out of this user and into the next: each half's record on its own account.
        const next = users[(i + 1) % users.length]!;
        const trf = { transferId: `TRF-${newId('X')}`, from: u, to: next, amount: 1_000, now, by: 'transfer' };
        await s.money.transferOut({ ...trf, opId: opIds.transferOut(trf.transferId) });
        await s.money.transferIn({ ...trf, opId: opIds.transferIn(trf.transferId) });
        await s.putQuote(makeQuote(u, 30_000)); // an open quote, so its key exists too
        await s.setCache(`cache-${i}`, 'v', 60);
        // Tickets: opened, one replaced at the cap, one accepted.
        const tickets = [];
        for (let n = 0; n < 4; n++) tickets.push(await s.openTicket(u, newId('D'), 100_000, now + n, 86_400_000, 3));
        const replacing = tickets[3]!;
        if (replacing.ok) {
          const opId = `acc:${replacing.ticket.id}`;
          expect((await s.money.acceptTicket({ opId, by: opId, now: now + 5, ticketId: replacing.ticket.id, acceptedBy: 'test:admin' })).ok).toBe(true);
        }
        expect(await s.pinTry(u, now, 3, 30_000)).toEqual({ ok: false, reason: 'none' });
      }
      const all = await scanKeys(url, `${globEscape(p)}*`);
      expect(all.length).toBeGreaterThan(0);
      for (const u of users) {
        const mine = all.filter((k) => k.includes(u));
        // quote, saldo, ledger, tx, txs, txlog, user, message at least
        expect(mine.length, `keys for ${u}: ${mine.join(', ')}`).toBeGreaterThanOrEqual(6);
        for (const k of mine) expect(hashTag(k), `key ${k}`).toBe(u);
      }
      // nothing for these users was written outside the prefix
      for (const u of users) {
        const anywhere = await scanKeys(url, `*${globEscape(u)}*`);
        for (const k of anywhere) expect(k.startsWith(p), `key ${k} outside prefix ${p}`).toBe(true);
      }
    } finally {
      await s.close();
      await dropPrefix(url, p);
    }
  });

  it('stats reads every saldo once, in round trips of at most STATS_BATCH keys (a job, not a scrape, calls it)', async () => {
    const p = uniquePrefix('stats');
    const s = createRedisStore({ url, prefix: p });
    try {
      const users = Array.from({ length: 1_300 }, () => newUser());
      await Promise.all(users.map((u, i) => credit(s, u, 1_000 + i, { now: 1 })));
      await s.schedule(users[0]!, 'T1', Date.now());
      const sizes: number[] = [];
      const pipeline = s.redis.pipeline.bind(s.redis);
      vi.spyOn(s.redis, 'pipeline').mockImplementation((...args: Parameters<typeof pipeline>) => {
        const pl = pipeline(...args);
        const exec = pl.exec.bind(pl);
        pl.exec = ((...a: Parameters<typeof exec>) => {
          sizes.push(pl.length);
          return exec(...a);
        }) as typeof pl.exec;
        return pl;
      });
      expect(await s.stats()).toEqual({ pending: 1, saldoTotal: 1_300 * 1_000 + (1_299 * 1_300) / 2 });
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(1_300);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(STATS_BATCH);
      expect(sizes.length).toBeGreaterThanOrEqual(3);
    } finally {
      await s.close();
      await dropPrefix(url, p);
    }
  });

  it('the default prefix is ppob:', async () => {
    const s = createRedisStore({ url });
    const u = newUser();
    try {
      await s.touchUser(u, 1);
      const keys = await scanKeys(url, `*${globEscape(u)}*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(k.startsWith('ppob:'), k).toBe(true);
    } finally {
      await s.close();
      // only this test's random user's keys
      const keys = await scanKeys(url, `*${globEscape(u)}*`);
      const { rawClient } = await import('../helpers/redis.ts');
      const c = rawClient(url);
      await c.connect();
      if (keys.length) await c.unlink(...keys);
      // touchUser may add the user to a global set of users (broadcasts); take the test user out again
      for (const g of await scanKeys(url, 'ppob:*users*')) if ((await c.type(g)) === 'set') await c.srem(g, u);
      c.disconnect();
    }
  });
});
