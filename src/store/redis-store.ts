/**
 * The Redis store: the book of record when REDIS_URL is set. One file per port or two under redis/, composed
 * into the one Store; the steps that move money are the ledger's, in redis/ledger.ts.
 */
import type { Redis } from 'ioredis';
import type { Store } from '../bot/store.ts';
import type { Log } from '../log.ts';
import { keys } from './keys.ts';
import { createRedisClient, logRedisErrors } from './redis-client.ts';
import { redisAccounts } from './redis/accounts.ts';
import { redisBroadcasts } from './redis/broadcasts.ts';
import { redisCaches } from './redis/caches.ts';
import { redisConversations } from './redis/conversations.ts';
import { redisDeposits } from './redis/deposits.ts';
import { redisDesk } from './redis/desk.ts';
import { redisHealth } from './redis/health.ts';
import { redisLedger } from './redis/ledger.ts';
import { redisPins } from './redis/pins.ts';
import { redisTransactions } from './redis/transactions.ts';
import { redisUsers } from './redis/users.ts';

export function createRedisStore(opts: { url?: string; redis?: Redis; prefix?: string; log?: Log }): Store & { redis: Redis; prefix: string } {
  const redis = opts.redis ?? createRedisClient(opts.url ?? 'redis://127.0.0.1:6379');
  if (opts.log) logRedisErrors(redis, opts.log, 'store');
  const prefix = opts.prefix ?? 'ppob:';
  const context = { redis, k: keys(prefix) };
  const money = redisLedger(context);
  return {
    kind: 'redis',
    redis,
    prefix,
    money,
    ...redisConversations(context),
    ...redisUsers(context),
    ...redisAccounts(context),
    ...redisPins(context),
    ...redisTransactions(context),
    ...redisDesk(context),
    ...redisDeposits(context),
    ...redisBroadcasts(context),
    ...redisCaches(context),
    ...redisHealth(context),
  };
}
