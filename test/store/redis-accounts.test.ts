/**
 * A link on Redis is two steps on two hash tags: the identity's pointer first, then the account's list. A
 * crash between them leaves an identity that acts for the account but is not on its list; the identity's next
 * message (touchAccount) mends the list. Redis only: the embedded store links in one step. The first step is
 * played here as the LINK script writes it (the `account` field of the identity's hash), nothing more.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../src/store/keys.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { assertRedis, dropPrefix, redisUrl, uniquePrefix } from '../helpers/redis.ts';
import { credit } from '../helpers/credit.ts';
import { newId, newUser } from './contract/index.ts';

const url = redisUrl();
let store: ReturnType<typeof createRedisStore> | undefined;

beforeEach(async () => {
  await assertRedis(url);
});
afterEach(async () => {
  if (!store) return;
  await store.close();
  await dropPrefix(url, store.prefix);
  store = undefined;
});

describe('a link cut between its two steps (redis)', () => {
  it("acts for the account at once, and the identity's next message lists it on the account", async () => {
    store = createRedisStore({ url, prefix: uniquePrefix('accounts') });
    const k = keys(store.prefix);
    const a = newUser();
    const b = newUser();
    await store.touchUser(a, 1_000);
    await credit(store, a, 25_000);
    // Step one only: the identity's pointer. The process dies before the account's list is written.
    await store.redis.hset(k.user(b), 'firstSeen', 2_000, 'account', a);
    expect(await store.accountOf(b)).toBe(a);
    expect((await store.getUser(a))?.identities).toBeUndefined();
    // The identity writes: the core touches its record, then its account's, which lists it.
    const rec = await store.touchUser(b, 3_000);
    expect(rec.account).toBe(a);
    expect(await store.touchAccount(a, b, 3_000)).toMatchObject({ id: a, identities: [a, b] });
    expect(await store.reachOf(a)).toBe(b);
    expect(await store.getSaldo(a)).toBe(25_000);
    // Now an ordinary link: LEPAS works, and the last one left stays.
    expect(await store.unlink(b, a, `acct:${newId('f')}`)).toBe('unlinked');
    expect(await store.accountOf(b)).toBe(b);
    expect(await store.unlink(a, a, `acct:${newId('f')}`)).toBe('last');
  });

  it('LEPAS of an identity whose link was cut (acting for the account, not yet listed) unlinks it', async () => {
    store = createRedisStore({ url, prefix: uniquePrefix('accounts') });
    const k = keys(store.prefix);
    const a = newUser();
    const b = newUser();
    await store.touchUser(a, 1_000);
    await store.redis.hset(k.user(b), 'firstSeen', 2_000, 'account', a);
    expect(await store.unlink(b, a, `acct:${newId('f')}`)).toBe('unlinked');
    expect(await store.accountOf(b)).toBe(b);
    // Someone else's identity is still not this account's to unlink.
    const c = newUser();
    await store.touchUser(c, 1_000);
    expect(await store.unlink(c, a, `acct:${newId('f')}`)).toBe('not-linked');
  });

  it('the link sent again after the cut finishes it, listing the identity once', async () => {
    store = createRedisStore({ url, prefix: uniquePrefix('accounts') });
    const k = keys(store.prefix);
    const a = newUser();
    const b = newUser();
    await store.touchUser(a, 1_000);
    await store.redis.hset(k.user(b), 'firstSeen', 2_000, 'account', a);
    expect(await store.link(b, a, 4_000)).toBe('linked');
    expect((await store.getUser(a))?.identities).toEqual([a, b]);
    expect(await store.link(b, a, 5_000)).toBe('linked');
    expect((await store.getUser(a))?.identities).toEqual([a, b]);
  });

  it('an unlink cut between its steps (off the list, pointer left): LEPAS sent again finishes it', async () => {
    store = createRedisStore({ url, prefix: uniquePrefix('accounts') });
    const k = keys(store.prefix);
    const a = newUser();
    const b = newUser();
    await store.touchUser(a, 1_000);
    await credit(store, a, 25_000);
    expect(await store.link(b, a, 2_000)).toBe('linked');
    // Step one of the unlink only: the account's list loses b; b's pointer stays, so b still spends a's saldo.
    await store.redis.hset(k.user(a), 'identities', JSON.stringify([a]));
    expect(await store.accountOf(b)).toBe(a);
    // The owner, told nothing, sends LEPAS again: it must finish, not answer "not yours" and leave b in.
    expect(await store.unlink(b, a, `acct:${newId('f')}`)).toBe('unlinked');
    expect(await store.accountOf(b)).toBe(b);
    expect((await store.getUser(a))?.identities).toEqual([a]);
    expect(await store.getSaldo(a)).toBe(25_000);
  });

  it("a namesake's unlink cut between its steps: LEPAS sent again gives it its fresh account", async () => {
    store = createRedisStore({ url, prefix: uniquePrefix('accounts') });
    const k = keys(store.prefix);
    const a = newUser();
    const b = newUser();
    await store.touchUser(a, 1_000);
    await credit(store, a, 25_000);
    expect(await store.link(b, a, 2_000)).toBe('linked');
    // What a two-step unlink of the namesake left after its first step: off the list, still acting for a.
    await store.redis.hset(k.user(a), 'identities', JSON.stringify([b]));
    expect(await store.accountOf(a)).toBe(a);
    const fresh = `acct:${newId('f')}`;
    expect(await store.unlink(a, a, fresh)).toBe('unlinked');
    expect(await store.accountOf(a)).toBe(fresh);
    expect(await store.accountOf(b)).toBe(a);
    expect((await store.getUser(a))?.identities).toEqual([b]);
  });
});
