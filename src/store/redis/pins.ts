/** Transaction PINs on Redis, in the user's hash: the lock and the tries in flight are one script each. */
import type { Pins } from '../../bot/store/pins.ts';
import { PIN_FAILED, PIN_PASSED, PIN_TRY } from '../scripts.ts';
import { script, type RedisContext } from './context.ts';

export function redisPins({ redis, k }: RedisContext): Pins {
  const pinTry = script(redis, PIN_TRY);
  const pinFailed = script(redis, PIN_FAILED);
  const pinPassed = script(redis, PIN_PASSED);
  return {
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
  };
}
