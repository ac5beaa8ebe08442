/** Contract rule 9: Redis is the book of record, so it must keep what it was told. */
import type { Redis } from 'ioredis';
import type { Log } from '../log.ts';

export async function checkRedisDurability(redis: Redis, log: Log): Promise<{ aof: boolean; noeviction: boolean }> {
  let aof = false;
  let noeviction = false;
  try {
    const a = (await redis.config('GET', 'appendonly')) as string[];
    const p = (await redis.config('GET', 'maxmemory-policy')) as string[];
    aof = a[1] === 'yes';
    noeviction = p[1] === 'noeviction';
  } catch (err) {
    // Managed Redis often forbids CONFIG: say so rather than guess.
    log.warn({ err: String(err) }, 'REDIS DURABILITY UNKNOWN: CONFIG GET is not allowed; make sure AOF is on and maxmemory-policy is noeviction');
    return { aof, noeviction };
  }
  if (!aof) log.warn('REDIS IS NOT DURABLE: appendonly is off, so an acknowledged debit can be lost in a crash; set appendonly yes (see compose.yaml)');
  if (!noeviction) log.warn('REDIS MAY EVICT MONEY: maxmemory-policy is not noeviction, so saldo or ledger keys can be dropped under memory pressure; set maxmemory-policy noeviction');
  return { aof, noeviction };
}
