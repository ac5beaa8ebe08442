/** Users, their roles and the operator's markups on Redis. */
import type { Markups } from '../../bot/store/markups.ts';
import type { Users } from '../../bot/store/users.ts';
import { TOUCH } from '../scripts.ts';
import { script, type Arg, type RedisContext } from './context.ts';
import { userRecord } from './user-record.ts';

export function redisUsers({ redis, k }: RedisContext): Users & Markups {
  const touch = script(redis, TOUCH);
  return {
    async touchUser(user, now) {
      const [created, reseller, name, firstSeen, pin, account, identities, chain] = (await touch([k.user(user)], [now, user])) as [
        number, string, string, string, string, string, string, string,
      ];
      if (created === 1) await redis.sadd(k.users(), user);
      return userRecord(user, { reseller, name, firstSeen, pin, account, identities, chain });
    },

    async getUser(user) {
      const h = await redis.hgetall(k.user(user));
      if (!h.firstSeen) return null;
      return userRecord(user, h);
    },

    async allUsers() {
      return redis.smembers(k.users());
    },

    async setReseller(user, reseller, name, now) {
      const fields: Arg[] = ['reseller', reseller ? '1' : '0'];
      if (name !== undefined) fields.push('name', name);
      await redis
        .multi()
        .hsetnx(k.user(user), 'firstSeen', now)
        .hset(k.user(user), ...fields)
        .exec();
      await redis.sadd(k.users(), user);
      if (reseller) await redis.sadd(k.resellers(), user);
      else await redis.srem(k.resellers(), user);
    },

    async resellers() {
      return redis.smembers(k.resellers());
    },

    async markups() {
      const h = await redis.hgetall(k.markups());
      return Object.fromEntries(Object.entries(h).map(([code, v]) => [code, Number(v)]));
    },

    async setMarkup(code, amount) {
      if (amount === null) await redis.hdel(k.markups(), code);
      else await redis.hset(k.markups(), code, amount);
    },
  };
}
