/** Users, resellers, markups, PINs and cached provider data on Redis. */
import type { UsersPart } from '../parts.ts';
import { ADMIT, PIN_FAILED, PIN_PASSED, PIN_TRY, TOUCH } from '../scripts.ts';
import { parseQuote } from '../codec.ts';
import { script, type Arg, type RedisContext } from './context.ts';

export function redisUsers({ redis, k }: RedisContext): UsersPart {
  const admit = script(redis, ADMIT);
  const touch = script(redis, TOUCH);
  const pinTry = script(redis, PIN_TRY);
  const pinFailed = script(redis, PIN_FAILED);
  const pinPassed = script(redis, PIN_PASSED);
  return {
    async admit(user, messageId, { ttlSeconds, floodWindowMs = 0, openQuote = false }) {
      // One command for all of it: the replay claim, the flood count and a YA's open quote are the user's own,
      // so one script on the user's hash tag does what a SET NX, a rate limiter's script and a GET did.
      const [fresh, count, quote] = (await admit(
        [k.message(user, messageId ?? '-'), k.flood(user), k.quote(user)],
        [ttlSeconds, messageId ? '1' : '', floodWindowMs, openQuote ? '1' : ''],
      )) as [number, number, string | null | undefined];
      if (fresh !== 1) return { fresh: false, count };
      return openQuote ? { fresh: true, count, quote: quote ? parseQuote(quote) : null } : { fresh: true, count };
    },

    async touchUser(user, now) {
      const [created, reseller, name, firstSeen, pin] = (await touch([k.user(user)], [now])) as [number, string, string, string, string];
      if (created === 1) await redis.sadd(k.users(), user);
      return { id: user, reseller: reseller === '1', firstSeen: Number(firstSeen), ...(name ? { name } : {}), ...(pin ? { hasPin: true } : {}) };
    },

    async getUser(user) {
      const h = await redis.hgetall(k.user(user));
      if (!h.firstSeen) return null;
      return {
        id: user, reseller: h.reseller === '1', firstSeen: Number(h.firstSeen), ...(h.name ? { name: h.name } : {}), ...(h.pin ? { hasPin: true } : {}),
      };
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

    async getPin(user) {
      const [hash, fails, locked] = await redis.hmget(k.user(user), 'pin', 'pinFails', 'pinLockedUntil');
      return { ...(hash ? { hash } : {}), fails: Number(fails ?? 0), lockedUntil: Number(locked ?? 0) };
    },

    async setPin(user, hash) {
      await redis.hset(k.user(user), 'pin', hash, 'pinFails', 0);
    },

    async pinTry(user, now, max, leaseMs) {
      const r = (await pinTry([k.user(user)], [now, max, leaseMs])) as [string, (string | number)?];
      if (r[0] === 'ok') return { ok: true, hash: String(r[1]) };
      if (r[0] === 'locked') return { ok: false, reason: 'locked', lockedUntil: Number(r[1]) };
      return { ok: false, reason: r[0] === 'busy' ? 'busy' : 'none' };
    },

    async pinFailed(user, now, max, lockMs) {
      const [fails, locked] = (await pinFailed([k.user(user)], [now, max, lockMs])) as [number, number];
      return { fails, lockedUntil: Number(locked) };
    },

    async pinPassed(user) {
      await pinPassed([k.user(user)], []);
    },

    async getCache(name) {
      return redis.get(k.cache(name));
    },

    async setCache(name, value, ttlSeconds) {
      await redis.set(k.cache(name), value, 'EX', ttlSeconds);
    },
  };
}
