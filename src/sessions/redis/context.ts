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
  return async (keyList: string[], args: Arg[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keyList.length, ...keyList, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return redis.eval(lua, keyList.length, ...keyList, ...args);
      throw err;
    }
  };
}
