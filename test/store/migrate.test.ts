/**
 * The store's schema version and its start-up migrations: a store written by schema 1's code is brought to the
 * code's version and reads as it did; each step runs once however many processes start together; a step that
 * fails runs again at the next start; a store newer than the code is refused; the embedded store has nothing
 * to migrate.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../src/store/keys.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { type Migration, type MigrationContext, migrateRedis, migrateStore, SCHEMA_VERSION, SchemaTooNew, schemaVersion } from '../../src/store/migrate.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { createRedisClient } from '../../src/store/redis-client.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { captureLog } from '../helpers/log.ts';
import { assertRedis, dropPrefix, redisUrl, uniquePrefix } from '../helpers/redis.ts';
import { type DumpedKey, dumpKeys, loadKeys, readBack } from './schema-snapshot.ts';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/schema-1.json', import.meta.url), 'utf8')) as { keys: DumpedKey[]; reads: Record<string, unknown> };

let redis: Redis;
let prefix: string;
const others: Redis[] = [];
beforeEach(async () => {
  await assertRedis();
  redis = createRedisClient(redisUrl());
  prefix = uniquePrefix('migrate');
});
afterEach(async () => {
  await dropPrefix(redisUrl(), prefix);
  for (const r of [redis, ...others.splice(0)]) await r.quit();
});

/** Steps that count their runs, each taking `ms` so that processes starting together overlap. */
function countingSteps(n: number, ms = 0): { steps: Migration[]; runs: number[] } {
  const runs = Array.from({ length: n }, () => 0);
  const steps = runs.map((_, i) => ({
    version: i + 1,
    name: `00${i + 1}-count`,
    async up() {
      runs[i]!++;
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
  }));
  return { steps, runs };
}

const version = async () => redis.get(keys(prefix).schema());

describe('start-up migrations on Redis', () => {
  it("bring a store written by schema 1's code to the current version, and it reads as it did", async () => {
    await loadKeys(redis, prefix, fixture.keys);
    const { log } = captureLog('info');
    const report = await migrateRedis(redis, prefix, log);
    expect(report).toEqual({ from: 0, to: SCHEMA_VERSION, ran: MIGRATIONS.map((m) => m.name) });
    expect(await version()).toBe(String(SCHEMA_VERSION));
    expect(await readBack(createRedisStore({ redis, prefix }), redis, prefix)).toEqual(fixture.reads);
  });

  it('step 1 moves no key: it stamps the version only', async () => {
    await loadKeys(redis, prefix, fixture.keys);
    const { log } = captureLog('info');
    await migrateRedis(redis, prefix, log, { migrations: MIGRATIONS.slice(0, 1) });
    const after = await dumpKeys(redis, prefix);
    const schema = after.find((d) => d.key === '{g}:schema');
    expect(schema).toMatchObject({ type: 'string', value: '1', pttl: -1 });
    const rest = after.filter((d) => d !== schema);
    expect(rest.map(({ pttl, ...d }) => ({ ...d, kept: pttl === -1 }))).toEqual(fixture.keys.map(({ pttl, ...d }) => ({ ...d, kept: pttl === -1 })));
  });

  it('logs each step, and a second start finds the store current and runs nothing', async () => {
    const { steps, runs } = countingSteps(2);
    const first = captureLog('info');
    expect(await migrateRedis(redis, prefix, first.log, { migrations: steps })).toEqual({ from: 0, to: 2, ran: ['001-count', '002-count'] });
    const done = first.lines.filter((l) => l.msg === 'store migration step done');
    expect(done.map((l) => [l.step, l.schema])).toEqual([['001-count', 1], ['002-count', 2]]);
    expect(first.lines.find((l) => l.msg === 'store schema is behind the code: migrating')).toMatchObject({ schema: 0, code: 2 });

    const second = captureLog('info');
    expect(await migrateRedis(redis, prefix, second.log, { migrations: steps })).toEqual({ from: 2, to: 2, ran: [] });
    expect(second.lines.map((l) => l.msg)).toEqual(['store schema is current']);
    expect(runs).toEqual([1, 1]);
  });

  it('runs each step once when several processes start together', async () => {
    const { steps, runs } = countingSteps(3, 100);
    const clients = [redis, ...Array.from({ length: 3 }, () => createRedisClient(redisUrl()))];
    others.push(...clients.slice(1));
    const reports = await Promise.all(clients.map((c) => migrateRedis(c, prefix, captureLog('info').log, { migrations: steps, pollMs: 20 })));
    expect(runs).toEqual([1, 1, 1]);
    expect(reports.flatMap((r) => r.ran).sort()).toEqual(['001-count', '002-count', '003-count']);
    for (const r of reports) expect(r.to).toBe(3);
    expect(await version()).toBe('3');
    expect(await redis.exists(keys(prefix).schemaLock())).toBe(0);
  });

  it('leaves the version where it was when a step fails, and runs that step again at the next start', async () => {
    let fail = true;
    const { steps, runs } = countingSteps(3);
    const flaky = steps.map((s) =>
      s.version === 2
        ? {
            ...s,
            async up(ctx: MigrationContext) {
              await s.up(ctx);
              if (fail) throw new Error('killed midway');
            },
          }
        : s,
    );
    const { log } = captureLog('info');
    await expect(migrateRedis(redis, prefix, log, { migrations: flaky })).rejects.toThrow('killed midway');
    expect(await version()).toBe('1');
    expect(await redis.exists(keys(prefix).schemaLock())).toBe(0);
    fail = false;
    expect(await migrateRedis(redis, prefix, log, { migrations: flaky })).toEqual({ from: 1, to: 3, ran: ['002-count', '003-count'] });
    expect(runs).toEqual([1, 2, 1]);
  });

  it('waits out the lock of a process that died migrating, then migrates', async () => {
    await redis.set(keys(prefix).schemaLock(), 'a dead process', 'PX', 300);
    const { steps, runs } = countingSteps(1);
    const { log, lines } = captureLog('info');
    expect(await migrateRedis(redis, prefix, log, { migrations: steps, pollMs: 50 })).toEqual({ from: 0, to: 1, ran: ['001-count'] });
    expect(runs).toEqual([1]);
    expect(lines[0]).toMatchObject({ msg: 'another process is migrating the store; waiting for it', schema: 0, code: 1 });
  });

  it('refuses to start on a store a newer build wrote, and changes nothing', async () => {
    await redis.set(keys(prefix).schema(), '3');
    const { steps, runs } = countingSteps(2);
    const { log } = captureLog('info');
    const refused = migrateRedis(redis, prefix, log, { migrations: steps });
    await expect(refused).rejects.toBeInstanceOf(SchemaTooNew);
    await expect(refused).rejects.toThrow(/schema version 3, and this build knows versions up to 2/);
    expect(runs).toEqual([0, 0]);
    expect(await version()).toBe('3');
    expect(await redis.exists(keys(prefix).schemaLock())).toBe(0);
  });

  it('migrateStore takes the Redis store as createRedisStore makes it', async () => {
    const store = createRedisStore({ redis, prefix });
    const { log } = captureLog('info');
    expect(await schemaVersion(store)).toBe(0);
    expect(await migrateStore(store, log)).toEqual({ from: 0, to: SCHEMA_VERSION, ran: MIGRATIONS.map((m) => m.name) });
    expect(await schemaVersion(store)).toBe(SCHEMA_VERSION);
  });
});

describe('start-up migrations on the embedded store', () => {
  it('has nothing to migrate: it starts empty at the current version', async () => {
    const { steps, runs } = countingSteps(2);
    const store = createMemoryStore();
    const { log, lines } = captureLog('info');
    expect(await migrateStore(store, log, { migrations: steps })).toEqual({ from: 2, to: 2, ran: [] });
    expect(runs).toEqual([0, 0]);
    expect(lines.map((l) => [l.msg, l.schema])).toEqual([['embedded store: starts empty at the current schema, nothing to migrate', 2]]);
    expect(await schemaVersion(store)).toBe(SCHEMA_VERSION);
  });
});
