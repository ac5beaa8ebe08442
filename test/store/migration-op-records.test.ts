/**
 * Migration 002 (src/store/migrations/002-op-records.ts) on a store written by schema 1's code (the frozen
 * fixture), with two transfers that code left half done: one debited and credited but not marked done, one
 * debited only. After the upgrade the worker finishes both, and credits each once: never the first again.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OP_RECORD_SECONDS } from '../../src/payments/ledger.ts';
import { recheckTransfer } from '../../src/payments/transfers.ts';
import { keys } from '../../src/store/keys.ts';
import { migrateRedis } from '../../src/store/migrate.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { createRedisClient } from '../../src/store/redis-client.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { captureLog } from '../helpers/log.ts';
import { assertRedis, dropPrefix, redisUrl, uniquePrefix } from '../helpers/redis.ts';
import { type DumpedKey, dumpKeys, loadKeys, readBack } from './schema-snapshot.ts';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/schema-1.json', import.meta.url), 'utf8')) as { keys: DumpedKey[]; reads: Record<string, unknown> };

const A = 'telegram:100000000001';
const B = 'whatsapp:6281200000002';
/** Debited and credited by schema 1's code, which stopped before it marked the transfer done. */
const CREDITED = 'TRF-00000AAAAAAAA';
/** Debited only: the old process stopped before the credit. */
const DEBITED = 'TRF-00000BBBBBBBB';
const AT = 1_796_528_697_690;

/** The two half-done transfers as schema 1 wrote them (keys without the prefix). */
function halfDone(saldoB: number): DumpedKey[] {
  const transfer = (id: string): DumpedKey => ({
    key: `{${A}}:transfer:${id}`, type: 'hash', value: { amount: '10000', at: String(AT), from: A, state: 'debited', to: B }, pttl: -1,
  });
  return [
    transfer(CREDITED),
    transfer(DEBITED),
    { key: `{${B}}:credited:${CREDITED}`, type: 'string', value: '1', pttl: -1 },
    // The credit it made: the receiver's saldo and ledger entry (added to the fixture's).
    { key: `{${B}}:saldo`, type: 'string', value: String(saldoB + 10_000), pttl: -1 },
    { key: `{g}:due`, type: 'zset', value: [[`${A}|${CREDITED}`, String(AT)], [`${A}|${DEBITED}`, String(AT)]], pttl: -1 },
  ];
}

let redis: Redis;
let prefix: string;
beforeEach(async () => {
  await assertRedis();
  redis = createRedisClient(redisUrl());
  prefix = uniquePrefix('migrate-002');
});
afterEach(async () => {
  await dropPrefix(redisUrl(), prefix);
  await redis.quit();
});

async function loadSchema1(): Promise<number> {
  await loadKeys(redis, prefix, fixture.keys);
  const saldoB = Number(await redis.get(`${prefix}{${B}}:saldo`));
  const entry = JSON.stringify({ at: AT, amount: 10_000, reason: 'transfer-in', saldoAfter: saldoB + 10_000, txId: CREDITED, note: A });
  for (const d of halfDone(saldoB)) {
    if (d.type === 'zset') await redis.zadd(prefix + d.key, ...(d.value as Array<[string, string]>).flatMap(([m, s]) => [s, m]));
    else await loadKeys(redis, prefix, [d]);
  }
  await redis.rpush(`${prefix}{${B}}:ledger`, entry);
  // The sender's debits of both (schema 1's transferOut wrote them with the transfer).
  const saldoA = Number(await redis.get(`${prefix}{${A}}:saldo`));
  for (const [i, id] of [CREDITED, DEBITED].entries()) {
    await redis.rpush(`${prefix}{${A}}:ledger`, JSON.stringify({ at: AT, amount: -10_000, reason: 'transfer-out', saldoAfter: saldoA - 10_000 * (i + 1), txId: id, note: B }));
  }
  await redis.set(`${prefix}{${A}}:saldo`, saldoA - 20_000);
  return saldoB;
}

describe('migration 002: transfer credit and deposit marks become operation records', () => {
  it('moves every mark to its record and leaves the rest as schema 1 wrote it, reading as it did', async () => {
    await loadKeys(redis, prefix, fixture.keys);
    const { log } = captureLog('info');
    await migrateRedis(redis, prefix, log);
    const k = keys(prefix);
    const after = await dumpKeys(redis, prefix);
    expect(after.filter((d) => /:(credited|adjusted):/.test(d.key) && !d.key.includes(':op:'))).toEqual([]);
    const credit = after.find((d) => d.key === `{${B}}:op:credited:X1`);
    expect(credit).toMatchObject({ type: 'string', value: '{"by":"migration:002"}' });
    expect(credit!.pttl).toBeGreaterThan((OP_RECORD_SECONDS - 60) * 1000);
    const deposit = after.find((d) => d.key === `{${A}}:op:adjusted:admin-msg-1`);
    expect(deposit).toMatchObject({ type: 'string', value: '{"by":"adjusted:admin-msg-1","saldo":1000000}' });
    // The deposit mark's own time left (26 h at most), not a week.
    expect(deposit!.pttl).toBeGreaterThan(0);
    expect(deposit!.pttl).toBeLessThanOrEqual(26 * 3600_000);
    // Nothing else moved.
    const moved = new Set([`{${B}}:credited:X1`, `{${A}}:adjusted:admin-msg-1`]);
    const added = new Set([credit!.key, deposit!.key, '{g}:schema']);
    const strip = (ds: DumpedKey[]) => ds.map(({ pttl, ...d }) => ({ ...d, kept: pttl === -1 }));
    expect(strip(after.filter((d) => !added.has(d.key)))).toEqual(strip(fixture.keys.filter((d) => !moved.has(d.key))));
    const store = createRedisStore({ redis, prefix });
    expect(await readBack(store, redis, prefix)).toEqual(fixture.reads);
    // A DEPOSIT sent again under that message id (the operation id the removed adjustSaldo gave it) is still credited once.
    const again = 'adjusted:admin-msg-1';
    expect(await store.money.adjust({ opId: again, by: again, now: Date.now(), user: A, amount: 1_000_000, reason: 'deposit', note: 'by admin' })).toMatchObject({
      ok: true,
      saldo: 1_000_000,
    });
    expect(await redis.exists(k.op(A, 'adjusted:admin-msg-1'))).toBe(1);
  });

  it('an upgraded worker finishes transfers schema 1 left half done, and credits each once', async () => {
    const saldoB = await loadSchema1();
    const { log } = captureLog('info');
    expect((await migrateRedis(redis, prefix, log)).ran).toEqual(MIGRATIONS.map((m) => m.name));
    const store = createRedisStore({ redis, prefix });
    const now = AT + 3_600_000;
    for (let pass = 0; pass < 2; pass++) {
      await recheckTransfer(store, A, CREDITED, now, 60_000);
      await recheckTransfer(store, A, DEBITED, now, 60_000);
    }
    // The one credited before the upgrade is not credited again; the other is, once.
    expect(await store.getSaldo(B)).toBe(saldoB + 20_000);
    const credits = (await store.ledger(B, 100)).filter((e) => e.reason === 'transfer-in').map((e) => e.txId);
    expect(credits.sort()).toEqual(['X1', CREDITED, DEBITED].sort());
    expect((await store.getTransfer(A, CREDITED))?.state).toBe('done');
    expect((await store.getTransfer(A, DEBITED))?.state).toBe('done');
    expect((await store.scheduled(10)).map((d) => d.txId)).not.toContain(CREDITED);
    expect((await store.scheduled(10)).map((d) => d.txId)).not.toContain(DEBITED);
  });

  it('is idempotent: run again over its own work, it moves nothing and changes nothing', async () => {
    await loadSchema1();
    const { log } = captureLog('info');
    await migrateRedis(redis, prefix, log);
    const once = await dumpKeys(redis, prefix);
    const ctx = { redis, prefix, k: keys(prefix), log, scan: scanner(redis, prefix) };
    await MIGRATIONS[1]!.up(ctx);
    const twice = await dumpKeys(redis, prefix);
    const strip = (ds: DumpedKey[]) => ds.map(({ pttl, ...d }) => d);
    expect(strip(twice)).toEqual(strip(once));
  });
});

function scanner(r: Redis, p: string) {
  return async (pattern: string, each: (keys: string[]) => Promise<void>) => {
    let cursor = '0';
    do {
      const [next, batch] = await r.scan(cursor, 'MATCH', p + pattern, 'COUNT', 1000);
      cursor = next;
      if (batch.length > 0) await each(batch);
    } while (cursor !== '0');
  };
}
