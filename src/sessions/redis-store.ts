/**
 * The Redis store: the book of record when REDIS_URL is set. One file per concern under redis/, each
 * implementing its part of the port; the steps that move money are the ledger's, in redis/ledger.ts.
 */
import type { Redis } from 'ioredis';
import type { Store } from '../bot/store.ts';
import type { Log } from '../log.ts';
import { keys } from './keys.ts';
import { createRedisClient, logRedisErrors } from './redis-client.ts';
import { redisBroadcasts } from './redis/broadcasts.ts';
import { legacyMoney } from './legacy-money.ts';
import { redisDesk } from './redis/desk.ts';
import { redisLedger } from './redis/ledger.ts';
import { redisPayments } from './redis/payments.ts';
import { redisUsers } from './redis/users.ts';

export function createRedisStore(opts: { url?: string; redis?: Redis; prefix?: string; log?: Log }): Store & { redis: Redis; prefix: string } {
  const redis = opts.redis ?? createRedisClient(opts.url ?? 'redis://127.0.0.1:6379');
  if (opts.log) logRedisErrors(redis, opts.log, 'store');
  const prefix = opts.prefix ?? 'ppob:';
  const context = { redis, k: keys(prefix) };
  const money = redisLedger(context);
  const payments = redisPayments(context);
  return {
    kind: 'redis',
    redis,
    prefix,
    money,
    ...legacyMoney(money, payments.getSaldo),
    ...redisUsers(context),
    ...payments,
    ...redisDesk(context),
    ...redisBroadcasts(context),

    async ping() {
      try {
        return (await redis.ping()) === 'PONG';
      } catch {
        return false;
      }
    },

    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
