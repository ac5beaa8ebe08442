/**
 * How Redis keeps a broadcast: under the prefix, in one hash slot, expiring once done. What the broadcast part
 * of the store port promises on both stores is its contract suite, test/store/contract/broadcasts.ts.
 */
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/bot/store.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { assertRedis, dropPrefix, hashTag, redisUrl, scanKeys, uniquePrefix } from '../helpers/redis.ts';

const LEASE = 1_000;
const T0 = 1_800_000_000_000;
const users = (lane: string, n: number) => Array.from({ length: n }, (_, i) => `${lane}:${100 + i}`);

describe('broadcasts in Redis', () => {
  let s: Store;
  let prefix: string;
  beforeEach(async () => {
    await assertRedis();
    prefix = uniquePrefix('bc-store');
    s = createRedisStore({ url: redisUrl(), prefix });
  });
  afterEach(async () => {
    await s.close();
    await dropPrefix(redisUrl(), prefix);
  });
  const create = () =>
    s.createBroadcast({ id: 'B0000001', by: 'telegram:1', audience: 'all', text: 'Halo', createdAt: T0 }, { telegram: users('telegram', 3), whatsapp: users('whatsapp', 2) });

  it('keeps a broadcast under the prefix, its keys in one hash slot, and lets them expire when done', async () => {
    await create();
    await s.leaseBroadcast('B0000001', 'a', T0, LEASE);
    const keys = (await scanKeys(redisUrl(), `${prefix}*`)).filter((k) => k.includes('{bc:'));
    expect(keys.length).toBe(3);
    expect(new Set(keys.map(hashTag))).toEqual(new Set(['bc:B0000001']));
    for (const lane of ['telegram', 'whatsapp']) {
      for (let r = await s.takeRecipient('B0000001', lane, 'a', T0); typeof r === 'object'; r = await s.takeRecipient('B0000001', lane, 'a', T0)) {
        await s.recordRecipient('B0000001', r.user, 'sent');
      }
    }
    expect(await s.finishBroadcast('B0000001', 'a', T0)).toMatchObject({ sent: 5, unconfirmed: 0 });
    const r = new Redis(redisUrl());
    try {
      for (const k of [`${prefix}{bc:B0000001}:meta`, `${prefix}{bc:B0000001}:done`]) expect(await r.ttl(k)).toBeGreaterThan(29 * 86400);
    } finally {
      r.disconnect();
    }
  });
});
