/**
 * The WhatsApp login kept through real Redis: creds and Signal keys round-trip with their Buffers intact, a
 * `null` deletes, app-state-sync-key comes back as a proto object, one MULTI per set, and clear() forgets it all.
 * The in-memory twin behaves the same.
 */
import { proto } from '@whiskeysockets/baileys';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryWhatsAppAuth, createRedisWhatsAppAuth, type WhatsAppAuth } from '../../../src/store/whatsapp-auth.ts';
import { assertRedis, dropPrefix, hashTag, redisUrl, scanKeys, uniquePrefix, globEscape } from '../../helpers/redis.ts';

const prefix = uniquePrefix('wa-auth');
const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1, lazyConnect: true });
beforeEach(() => assertRedis());
afterEach(() => dropPrefix(redisUrl(), prefix));
afterAll(() => redis.disconnect());

const stores: Array<[string, () => WhatsAppAuth]> = [
  ['redis', () => createRedisWhatsAppAuth({ redis, prefix })],
  ['memory', () => createMemoryWhatsAppAuth()],
];

describe.each(stores)('the WhatsApp login (%s)', (kind, make) => {
  it('a first load is a new login; saved creds come back with their Buffers intact', async () => {
    const auth = make();
    const first = await auth.load();
    expect(first.state.creds.registered).toBe(false);
    first.state.creds.me = { id: '6280000000001:7@s.whatsapp.net', name: 'Bot' };
    first.state.creds.registered = true;
    await first.saveCreds();

    const again = await auth.load();
    expect(again.state.creds.me?.id).toBe('6280000000001:7@s.whatsapp.net');
    expect(again.state.creds.registered).toBe(true);
    const key = again.state.creds.noiseKey.private;
    expect(Buffer.isBuffer(key)).toBe(true);
    expect(Buffer.from(key).equals(Buffer.from(first.state.creds.noiseKey.private))).toBe(true);
    expect(again.state.creds.signedPreKey.signature).toEqual(first.state.creds.signedPreKey.signature);
    expect(again.state.creds.advSecretKey).toBe(first.state.creds.advSecretKey);
  });

  it('keys: only the ids asked for, Buffers intact, null deletes, app-state-sync-key revived as proto', async () => {
    const auth = make();
    const a = await auth.load();
    const preKey = { public: Buffer.from('a1b2c3', 'hex'), private: new Uint8Array([1, 2, 3, 250]) };
    await a.state.keys.set({
      'pre-key': { '1': preKey, '2': preKey },
      session: { '6281234567890.0': new Uint8Array([9, 8, 7]) },
      'app-state-sync-key': { AAAA: { keyData: new Uint8Array([5, 5, 5]), timestamp: 1700000000 } },
      'lid-mapping': { '6281234567890': '201234567890123', '201234567890123_reverse': '6281234567890' },
    });
    // A new load has an empty cache: what comes back came from the store.
    const b = await auth.load();
    const got = await b.state.keys.get('pre-key', ['1', '3']);
    expect(Object.keys(got)).toEqual(['1']);
    expect(Buffer.isBuffer(got['1']!.public)).toBe(true);
    expect(Buffer.from(got['1']!.public).toString('hex')).toBe('a1b2c3');
    expect([...got['1']!.private]).toEqual([1, 2, 3, 250]);
    expect([...(await b.state.keys.get('session', ['6281234567890.0']))['6281234567890.0']!]).toEqual([9, 8, 7]);
    const sync = (await b.state.keys.get('app-state-sync-key', ['AAAA'])).AAAA;
    expect(sync).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect([...sync!.keyData!]).toEqual([5, 5, 5]);
    expect((await b.state.keys.get('lid-mapping', ['201234567890123_reverse']))['201234567890123_reverse']).toBe('6281234567890');

    await b.state.keys.set({ 'pre-key': { '1': null } });
    const c = await auth.load();
    expect(await c.state.keys.get('pre-key', ['1', '2'])).toEqual({ '2': expect.anything() });
    if (kind === 'redis') expect(await redis.hkeys(`${prefix}{wa}:auth:keys:pre-key`)).toEqual(['2']);
  });

  it('clear() forgets the login and every key; a dropped socket cannot write the old login back', async () => {
    const auth = make();
    const old = await auth.load();
    old.state.creds.registered = true;
    await old.saveCreds();
    await old.state.keys.set({ session: { x: new Uint8Array([1]) } });
    await auth.clear();
    // The logged-out socket emits one more update after the clear.
    await old.saveCreds();
    await old.state.keys.set({ session: { y: new Uint8Array([2]) } });
    const fresh = await auth.load();
    expect(fresh.state.creds.registered).toBe(false);
    expect(fresh.state.creds.noiseKey.public).not.toEqual(old.state.creds.noiseKey.public);
    expect(await fresh.state.keys.get('session', ['x', 'y'])).toEqual({});
    if (kind === 'redis') expect(await scanKeys(redisUrl(), `${globEscape(prefix)}*`)).toEqual([]);
  });
});

describe('the WhatsApp login in Redis', () => {
  it('lives under the bot prefix and one hash tag, and each set is one MULTI', async () => {
    const auth = createRedisWhatsAppAuth({ redis, prefix });
    const login = await auth.load();
    await login.saveCreds();
    const multi = vi.spyOn(redis, 'multi');
    await login.state.keys.set({ 'pre-key': { '1': { public: Buffer.from([1]), private: Buffer.from([2]) } }, session: { a: new Uint8Array([3]) } });
    expect(multi).toHaveBeenCalledTimes(1);
    multi.mockRestore();
    const keys = await scanKeys(redisUrl(), `${globEscape(prefix)}*`);
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const k of keys) {
      expect(k.startsWith(prefix)).toBe(true);
      expect(hashTag(k)).toBe('wa');
    }
  });

  it('a second process (a new container) finds the same login', async () => {
    const one = await createRedisWhatsAppAuth({ redis, prefix }).load();
    one.state.creds.me = { id: '6280000000001:7@s.whatsapp.net' };
    await one.saveCreds();
    const other = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    try {
      const two = await createRedisWhatsAppAuth({ redis: other, prefix }).load();
      expect(two.state.creds.me?.id).toBe('6280000000001:7@s.whatsapp.net');
      expect(two.state.creds.signedIdentityKey.private).toEqual(one.state.creds.signedIdentityKey.private);
    } finally {
      other.disconnect();
    }
  });
});
