/** What every part of the Redis store shares: the connection, the key helper, and EVALSHA for its scripts. */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Keys } from '../keys.ts';

export type Arg = string | number;

export interface RedisContext {
  redis: Redis;
  k: Keys;
}

/** A flat `[field, value, field, value…]` reply (HGETALL in a script) as a hash, from position `from` on. */
export function hashOf(list: readonly string[], from = 0): Record<string, string> {
  const h: Record<string, string> = {};
  for (let i = from; i + 1 < list.length; i += 2) h[list[i]!] = list[i + 1]!;
  return h;
}

/** EVALSHA with a fallback to EVAL the first time a server has not seen the script. */
export function script(redis: Redis, lua: string) {
  const sha = createHash('sha1').update(lua).digest('hex');
  preload(redis, lua);
  return async (keyList: string[], args: Arg[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keyList.length, ...keyList, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return redis.eval(lua, keyList.length, ...keyList, ...args);
      throw err;
    }
  };
}

/** A Lua script whose KEYS and ARGV are named: the Lua reads `K.saldo`, `A.now`; the caller passes objects. */
export interface NamedScript<K extends string, A extends string> {
  keys: readonly K[];
  args: readonly A[];
  /** Lua over `K.<key>`, `A.<arg>`; arguments past the named ones are ARGV[NA + 1] on (NA: how many are named). */
  lua: string;
}

/**
 * Loads a named script: a prelude binds each name to its position, so no caller and no script counts
 * positions. `rest` goes after the named arguments (lists of varying length).
 */
export function namedScript<K extends string, A extends string>(redis: Redis, def: NamedScript<K, A>) {
  const bind = (names: readonly string[], from: string) => names.map((n, i) => `${n} = ${from}[${i + 1}]`).join(', ');
  const run = script(redis, `local K = {${bind(def.keys, 'KEYS')}}\nlocal A = {${bind(def.args, 'ARGV')}}\nlocal NA = ${def.args.length}\n${def.lua}`);
  return (keys: Record<K, string>, args: Record<A, Arg>, rest: readonly Arg[] = []): Promise<unknown> => {
    const keyList: string[] = [];
    for (const k of def.keys) keyList.push(keys[k]);
    const argList: Arg[] = [];
    for (const a of def.args) argList.push(args[a]);
    for (const r of rest) argList.push(r);
    return run(keyList, argList);
  };
}

const scriptsOf = new WeakMap<Redis, Set<string>>();

/**
 * Loads a connection's scripts whenever it becomes ready (a Redis restart empties its cache), so EVALSHA
 * rarely meets NOSCRIPT. That matters beyond a round trip: a schedule and a reserve are sent together in that
 * order, and if only the schedule's script were missing its EVAL would run after the reserve's debit. Loaded
 * with SCRIPT LOAD, a script is also never evicted (Redis 7.4 evicts those that came by EVAL).
 */
function preload(redis: Redis, lua: string): void {
  let all = scriptsOf.get(redis);
  if (!all) {
    const set = new Set<string>();
    all = set;
    scriptsOf.set(redis, set);
    redis.on('ready', () => {
      for (const l of set) load(redis, l);
    });
  }
  all.add(lua);
  if (redis.status === 'ready') load(redis, lua);
}

function load(redis: Redis, lua: string): void {
  // A failed load costs nothing: EVALSHA falls back to EVAL.
  redis.script('LOAD', lua).catch(() => {});
}
