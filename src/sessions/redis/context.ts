/** What every part of the Redis store shares: the connection, the key helper, and EVALSHA for its scripts. */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Keys } from '../keys.ts';

export type Arg = string | number;

export interface RedisContext {
  redis: Redis;
  k: Keys;
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
