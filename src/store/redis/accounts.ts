/**
 * Accounts and their identities, and the reseller network, on Redis. Each step is one script on one hash
 * tag; a link or a registration that touches two tags is two idempotent steps, the identity's pointer (or the
 * downline's record) first, so a crash between them leaves nothing that moves money the wrong way, and the
 * list on the other side is mended when the step is sent again (or, for a link, by the identity's next message).
 */
import type { Accounts, UnlinkResult } from '../../bot/store/accounts.ts';
import type { Network } from '../../bot/store/network.ts';
import { hashOf, namedScript, type RedisContext } from './context.ts';
import { listField, userRecord } from './user-record.ts';

/** The account's identity list as stored, or as it starts: itself, when it is named as an identity still its own. */
const IDS = `
local function ids_of(key, account)
  local raw = redis.call('HGET', key, 'identities')
  if raw then return cjson.decode(raw) end
  if string.sub(account, 1, 5) == 'acct:' or redis.call('HEXISTS', key, 'account') == 1 then return {} end
  return {account}
end
local function has(list, x)
  for _, v in ipairs(list) do if v == x then return true end end
  return false
end
`;

const TOUCH_ACCOUNT = {
  keys: ['account'],
  args: ['id', 'identity', 'now'],
  lua: `${IDS}
redis.call('HSETNX', K.account, 'firstSeen', A.now)
local ids = ids_of(K.account, A.id)
if not has(ids, A.identity) then
  ids[#ids + 1] = A.identity
  redis.call('HSET', K.account, 'identities', cjson.encode(ids))
end
redis.call('HSET', K.account, 'last', A.identity)
return redis.call('HGETALL', K.account)
`,
} as const;

/** On the identity's tag: refuses an identity that holds money or history of its own, else points it at the account. */
const LINK = {
  keys: ['user', 'saldo', 'ledger', 'txs', 'commission', 'commissionLedger'],
  args: ['account', 'now'],
  lua: `
if tonumber(redis.call('GET', K.saldo) or '0') ~= 0 or tonumber(redis.call('GET', K.commission) or '0') ~= 0
  or redis.call('LLEN', K.ledger) > 0 or redis.call('LLEN', K.txs) > 0 or redis.call('LLEN', K.commissionLedger) > 0 then
  return 'holds-own'
end
redis.call('HSETNX', K.user, 'firstSeen', A.now)
redis.call('HSET', K.user, 'account', A.account)
return 'linked'
`,
} as const;

const LIST = {
  keys: ['account'],
  args: ['id', 'identity', 'now'],
  lua: `${IDS}
redis.call('HSETNX', K.account, 'firstSeen', A.now)
local ids = ids_of(K.account, A.id)
if not has(ids, A.identity) then ids[#ids + 1] = A.identity end
redis.call('HSET', K.account, 'identities', cjson.encode(ids))
return 'ok'
`,
} as const;

/** On the account's tag: takes the identity off the list (never the last); its notices move to the first left. */
const UNLIST = {
  keys: ['account'],
  args: ['id', 'identity'],
  lua: `${IDS}
if redis.call('EXISTS', K.account) == 0 then return 'not-linked' end
local ids = ids_of(K.account, A.id)
if not has(ids, A.identity) then return 'not-linked' end
if #ids <= 1 then return 'last' end
local left = {}
for _, v in ipairs(ids) do if v ~= A.identity then left[#left + 1] = v end end
redis.call('HSET', K.account, 'identities', cjson.encode(left))
if redis.call('HGET', K.account, 'last') == A.identity then redis.call('HSET', K.account, 'last', left[1]) end
return 'unlinked'
`,
} as const;

/** On the identity's tag: it acts for itself again (it is linked to this account no more). */
const POINT = {
  keys: ['user'],
  args: ['account'],
  lua: `
if redis.call('HGET', K.user, 'account') == A.account then redis.call('HDEL', K.user, 'account') end
return 'ok'
`,
} as const;

/**
 * The account's namesake leaving it: one hash holds both the list and the namesake's pointer, so it is one step
 * (off the list, pointed at a fresh account). A namesake off the list yet pointing nowhere is what a two-step
 * unlink of an earlier version left when cut half way: that one is finished.
 */
const UNLINK_SELF = {
  keys: ['account'],
  args: ['id', 'fresh'],
  lua: `${IDS}
if redis.call('EXISTS', K.account) == 0 then return 'not-linked' end
local ids = ids_of(K.account, A.id)
if not has(ids, A.id) then
  if redis.call('HEXISTS', K.account, 'account') == 1 or redis.call('HEXISTS', K.account, 'identities') == 0 or #ids == 0 then
    return 'not-linked'
  end
elseif #ids <= 1 then return 'last'
end
local left = {}
for _, v in ipairs(ids) do if v ~= A.id then left[#left + 1] = v end end
redis.call('HSET', K.account, 'identities', cjson.encode(left), 'account', A.fresh)
if redis.call('HGET', K.account, 'last') == A.id then redis.call('HSET', K.account, 'last', left[1]) end
return 'unlinked'
`,
} as const;

/**
 * The record that makes a reseller, checked and set in one step: a reseller already, under another upline, is
 * `exists` (two uplines registering one user at once: the first keeps it). The same upline again is a resend.
 */
const REGISTER = {
  keys: ['user'],
  args: ['upline', 'chain', 'name', 'hasName', 'now'],
  lua: `
if redis.call('HGET', K.user, 'reseller') == '1' then
  local chain = redis.call('HGET', K.user, 'chain')
  local current = ''
  if chain then current = cjson.decode(chain)[1] or '' end
  if current ~= A.upline then return 'exists' end
end
redis.call('HSETNX', K.user, 'firstSeen', A.now)
redis.call('HSET', K.user, 'reseller', '1')
if A.hasName == '1' then redis.call('HSET', K.user, 'name', A.name) end
if A.chain ~= '' then redis.call('HSET', K.user, 'chain', A.chain) else redis.call('HDEL', K.user, 'chain') end
return 'registered'
`,
} as const;

export function redisAccounts({ redis, k }: RedisContext): Accounts & Network {
  const registerRecord = namedScript(redis, REGISTER);
  const touchAccount = namedScript(redis, TOUCH_ACCOUNT);
  const link = namedScript(redis, LINK);
  const list = namedScript(redis, LIST);
  const unlist = namedScript(redis, UNLIST);
  const point = namedScript(redis, POINT);
  const unlinkSelf = namedScript(redis, UNLINK_SELF);

  return {
    async accountOf(identity) {
      return (await redis.hget(k.user(identity), 'account')) ?? identity;
    },

    async touchAccount(account, identity, now) {
      const flat = (await touchAccount({ account: k.user(account) }, { id: account, identity, now })) as string[];
      return userRecord(account, hashOf(flat));
    },

    async reachOf(account) {
      const [last, identities] = await redis.hmget(k.user(account), 'last', 'identities');
      if (last) return last;
      const first = listField(identities ?? undefined)?.[0];
      return first ?? account;
    },

    async putLinkCode(code, account, ttlMs) {
      return (await redis.set(k.linkCode(code), account, 'PX', ttlMs, 'NX')) === 'OK';
    },

    async peekLinkCode(code) {
      return redis.get(k.linkCode(code));
    },

    async takeLinkCode(code) {
      return redis.getdel(k.linkCode(code));
    },

    async link(identity, account, now) {
      const r = (await link(
        {
          user: k.user(identity), saldo: k.saldo(identity), ledger: k.ledger(identity), txs: k.txs(identity),
          commission: k.commission(identity), commissionLedger: k.commissionLedger(identity),
        },
        { account, now },
      )) as 'linked' | 'holds-own';
      if (r === 'linked') await list({ account: k.user(account) }, { id: account, identity, now });
      return r;
    },

    async unlink(identity, account, fresh) {
      if (identity === account) return (await unlinkSelf({ account: k.user(account) }, { id: account, fresh })) as UnlinkResult;
      let r = (await unlist({ account: k.user(account) }, { id: account, identity })) as UnlinkResult;
      // Off the list but still pointing here: an unlink cut after its first step (or a link before its second).
      // Sent again it must finish, or the identity would go on spending the account's saldo, LEPAS saying "not yours".
      if (r === 'not-linked' && (await redis.hget(k.user(identity), 'account')) === account) r = 'unlinked';
      if (r === 'unlinked') await point({ user: k.user(identity) }, { account });
      return r;
    },

    async register(account, upline, name, now) {
      // The lists first, the record that makes it a reseller last: cut between them, it is no reseller yet, so
      // DAFTAR sent again is not refused as "already a reseller" and finishes it (the lists only add).
      await Promise.all([
        redis.sadd(k.resellers(), account),
        redis.sadd(k.users(), account),
        upline ? redis.sadd(k.downlines(upline.id), account) : undefined,
      ]);
      const r = (await registerRecord(
        { user: k.user(account) },
        { upline: upline?.id ?? '', chain: upline ? JSON.stringify([upline.id, ...upline.chain]) : '', name: name ?? '', hasName: name === undefined ? '' : '1', now },
      )) as 'registered' | 'exists';
      // Another upline registered it first: this one's list lets it go again.
      if (r === 'exists' && upline) await redis.srem(k.downlines(upline.id), account);
      return r;
    },

    async downlines(account) {
      return redis.smembers(k.downlines(account));
    },

    async netMarkups(account) {
      const h = await redis.hgetall(k.netMarkups(account));
      return Object.fromEntries(Object.entries(h).map(([key, v]) => [key, Number(v)]));
    },

    async setNetMarkup(account, key, amount) {
      if (amount === null) await redis.hdel(k.netMarkups(account), key);
      else await redis.hset(k.netMarkups(account), key, amount);
    },

    async shares(seller, chain, code) {
      if (chain.length === 0) return [];
      const p = redis.pipeline();
      chain.forEach((upline, i) => {
        const below = i === 0 ? seller : chain[i - 1]!;
        p.hmget(k.netMarkups(upline), `${below}|${code}`, `${below}|*`, code, '*');
      });
      const res = (await p.exec()) ?? [];
      return chain.map((account, i) => {
        const [err, values] = res[i] ?? [new Error('no answer')];
        if (err) throw err;
        const found = (values as Array<string | null>).find((v) => v !== null);
        return { account, markup: found ? Number(found) : 0 };
      });
    },

    async detach(removed) {
      const [chainRaw, moved] = await Promise.all([redis.hget(k.user(removed), 'chain'), redis.smembers(k.downlines(removed))]);
      const up = listField(chainRaw ?? undefined)?.[0];
      // Everyone below leaves the removed one out of their chain; the direct ones then hang under its upline.
      const stack = [...moved];
      while (stack.length) {
        const n = stack.pop()!;
        const [raw, below] = await Promise.all([redis.hget(k.user(n), 'chain'), redis.smembers(k.downlines(n))]);
        const chain = (listField(raw ?? undefined) ?? []).filter((c) => c !== removed);
        if (chain.length > 0) await redis.hset(k.user(n), 'chain', JSON.stringify(chain));
        else await redis.hdel(k.user(n), 'chain');
        stack.push(...below);
      }
      if (up && moved.length > 0) await redis.sadd(k.downlines(up), ...moved);
      await Promise.all([
        redis.del(k.downlines(removed)),
        up ? redis.srem(k.downlines(up), removed) : undefined,
        redis.hdel(k.user(removed), 'chain'),
      ]);
      return moved.length;
    },
  };
}
