/**
 * The store's schema version, and the steps that bring data an older version wrote forward: run at start,
 * before the bot takes a message, so an operator who upgrades loses nothing.
 *
 * Redis keeps the version in `{g}:schema` (0, or no key: written before versions existed). The steps live one
 * per file under migrations/, listed in migrations/index.ts; the code's version is the last step's. At start:
 * - a store at the code's version: nothing runs;
 * - a store newer than the code (a newer build wrote it): the start is refused, since this code could misread it;
 * - a store behind: one process at a time (a lock, renewed while it works) runs the missing steps in order, each
 *   logged, and moves the version one step at a time by compare-and-set. A process that finds the lock taken
 *   waits, then finds the version current and runs nothing. A step must be idempotent: a process that dies in
 *   the middle of one leaves the version where it was, and the next start runs the step again.
 *
 * The embedded store starts empty in every process, so it is always at the code's version: nothing to migrate.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Store } from '../bot/store.ts';
import type { Log } from '../log.ts';
import { type Keys, keys } from './keys.ts';
import { MIGRATIONS } from './migrations/index.ts';

export interface MigrationContext {
  redis: Redis;
  prefix: string;
  k: Keys;
  log: Log;
  /**
   * Calls `each` with every batch of keys under the prefix that match `pattern` (a SCAN MATCH glob for what follows
   * the prefix, e.g. `{*}:adjusted:*`). SCAN may hand a key over twice: one more reason for steps to be idempotent.
   */
  scan(pattern: string, each: (keys: string[]) => Promise<void>): Promise<void>;
}

export interface Migration {
  /** The data's version once this step is done: the steps are versions 1, 2, 3… in order. */
  version: number;
  /** As its file is named, e.g. `001-stamp`. */
  name: string;
  /** Brings the data from `version - 1` to `version`. Idempotent: it may run again over its own work. */
  up(ctx: MigrationContext): Promise<void>;
}

export interface MigrationReport {
  /** The store's version at start. */
  from: number;
  /** Its version now: the code's. */
  to: number;
  /** The steps this process ran. */
  ran: string[];
}

/** The version of the data this code writes. */
export const SCHEMA_VERSION = codeVersion(MIGRATIONS);

/** The store was written by a newer build than this one. */
export class SchemaTooNew extends Error {
  override readonly name = 'SchemaTooNew';
}

export interface MigrateOptions {
  /** The steps; MIGRATIONS unless a test gives its own. */
  migrations?: readonly Migration[];
  /** How long the lock outlives a process that died holding it. */
  lockMs?: number;
  /** How often a waiting process looks again. */
  pollMs?: number;
}

/** Brings the store forward: the Redis store's data by its steps; the embedded store has nothing to migrate. */
export async function migrateStore(store: Store & { redis?: Redis; prefix?: string }, log: Log, opts: MigrateOptions = {}): Promise<MigrationReport> {
  if (store.kind === 'memory') {
    const version = codeVersion(opts.migrations ?? MIGRATIONS);
    log.info({ schema: version }, 'embedded store: starts empty at the current schema, nothing to migrate');
    return { from: version, to: version, ran: [] };
  }
  if (!store.redis || store.prefix === undefined) throw new Error('migrateStore: the Redis store must come with its connection and prefix, as createRedisStore gives them');
  return migrateRedis(store.redis, store.prefix, log, opts);
}

/** The version the store's data is at: what the embedded store always is, or what Redis holds. */
export async function schemaVersion(store: Store & { redis?: Redis; prefix?: string }): Promise<number> {
  if (store.kind === 'memory' || !store.redis || store.prefix === undefined) return SCHEMA_VERSION;
  return storedVersion(store.redis, keys(store.prefix));
}

export async function migrateRedis(redis: Redis, prefix: string, log: Log, opts: MigrateOptions = {}): Promise<MigrationReport> {
  const steps = opts.migrations ?? MIGRATIONS;
  const target = codeVersion(steps);
  const lockMs = opts.lockMs ?? 60_000;
  const pollMs = opts.pollMs ?? 500;
  const k = keys(prefix);
  const start = await storedVersion(redis, k);
  refuseNewer(start, target, prefix);
  if (start === target) {
    log.info({ schema: start }, 'store schema is current');
    return { from: start, to: target, ran: [] };
  }

  const token = `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
  let told = false;
  while ((await redis.set(k.schemaLock(), token, 'PX', lockMs, 'NX')) === null) {
    if (!told) log.info({ schema: start, code: target }, 'another process is migrating the store; waiting for it');
    told = true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const now = await storedVersion(redis, k);
    refuseNewer(now, target, prefix);
    if (now === target) return { from: start, to: target, ran: [] };
  }
  const renew = setInterval(() => {
    redis.eval(RENEW, 1, k.schemaLock(), token, lockMs).catch(() => {});
  }, lockMs / 3);
  renew.unref();

  const ran: string[] = [];
  try {
    let at = await storedVersion(redis, k);
    refuseNewer(at, target, prefix);
    if (at < target) log.warn({ schema: at, code: target }, 'store schema is behind the code: migrating');
    const ctx: MigrationContext = { redis, prefix, k, log, scan: (pattern, each) => scanKeys(redis, globEscape(prefix) + pattern, each) };
    for (const step of steps) {
      if (step.version <= at) continue;
      const began = performance.now();
      log.info({ schema: at, step: step.name }, 'store migration step starting');
      await step.up(ctx);
      if ((await redis.eval(ADVANCE, 1, k.schema(), step.version - 1, step.version)) !== 1) {
        // The lock lapsed and another process ran this step too (steps are idempotent); it moved the version.
        const now = await storedVersion(redis, k);
        if (now < step.version) throw new Error(`store migration ${step.name}: the schema version moved to ${now} under it`);
        log.warn({ schema: now, step: step.name }, 'store migration step was also run by another process');
      }
      at = step.version;
      ran.push(step.name);
      log.info({ schema: at, step: step.name, ms: Math.round(performance.now() - began) }, 'store migration step done');
    }
    return { from: start, to: at, ran };
  } finally {
    clearInterval(renew);
    await redis.eval(RELEASE, 1, k.schemaLock(), token).catch(() => {});
  }
}

/** KEYS[1] schema; ARGV from, to. Moves the version only from where this step expects it. */
const ADVANCE = `if tonumber(redis.call('GET', KEYS[1]) or '0') ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2]) return 1`;
/** KEYS[1] lock; ARGV token, ms. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
/** KEYS[1] lock; ARGV token. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

async function storedVersion(redis: Redis, k: Keys): Promise<number> {
  const raw = await redis.get(k.schema());
  const version = raw === null ? 0 : Number(raw);
  if (!Number.isSafeInteger(version) || version < 0) throw new Error(`the store's schema version is not a version: ${JSON.stringify(raw)}`);
  return version;
}

function refuseNewer(stored: number, code: number, prefix: string): void {
  if (stored > code) {
    throw new SchemaTooNew(
      `the store under prefix "${prefix}" holds data at schema version ${stored}, and this build knows versions up to ${code}: ` +
        'a newer build wrote it. Run that build or a newer one; this one could misread the money.',
    );
  }
}

function codeVersion(steps: readonly Migration[]): number {
  steps.forEach((step, i) => {
    if (step.version !== i + 1) throw new Error(`store migrations out of order: ${step.name} is version ${step.version} at position ${i + 1}`);
  });
  return steps.length;
}

/** The prefix taken literally in a SCAN MATCH pattern. */
function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

async function scanKeys(redis: Redis, match: string, each: (keys: string[]) => Promise<void>): Promise<void> {
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    cursor = next;
    if (batch.length > 0) await each(batch);
  } while (cursor !== '0');
}
