/**
 * The Lua scripts behind the store's atomic steps that move no money (those are in redis/ledger.ts, one per
 * ledger operation). Each touches only keys of one hash tag.
 */

/**
 * KEYS: message (a dummy when the message has no id), flood, quote. ARGV: ttl seconds, '1' when the message
 * has an id, flood window ms (0: no count), '1' to read the open quote. Returns {fresh, count[, quote]}: a
 * replay is neither claimed again nor counted, and reads nothing.
 */
export const ADMIT = `
if ARGV[2] == '1' and not redis.call('SET', KEYS[1], '1', 'EX', ARGV[1], 'NX') then return {0, 0} end
local n = 0
if tonumber(ARGV[3]) > 0 then
  n = redis.call('INCR', KEYS[2])
  if n == 1 or redis.call('PTTL', KEYS[2]) < 0 then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
end
if ARGV[4] == '1' then return {1, n, redis.call('GET', KEYS[3])} end
return {1, n}
`;

/**
 * KEYS: user. ARGV: now, user. Creates the record once; returns {created, reseller, name, firstSeen, hasPin,
 * account, identities, chain}. An account with linked identities written to as itself is its last used.
 */
export const TOUCH = `
local created = redis.call('HSETNX', KEYS[1], 'firstSeen', ARGV[1])
local v = redis.call('HMGET', KEYS[1], 'reseller', 'name', 'firstSeen', 'pin', 'account', 'identities', 'chain')
if v[6] and not v[5] then redis.call('HSET', KEYS[1], 'last', ARGV[2]) end
return {created, v[1] or '', v[2] or '', v[3], v[4] and '1' or '', v[5] or '', v[6] or '', v[7] or ''}
`;

/** KEYS: owner, due. ARGV: txId, user, due member, due at. Who owns a transaction, and when to look at it. */
export const SCHEDULE = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
`;

/** KEYS: a hash. ARGV: field, value pairs. Sets them only on a hash that exists. */
export const PATCH_IF_EXISTS = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], unpack(ARGV)) end
`;

/** KEYS: due. ARGV: now, lease, limit. Takes due members and leases them. */
export const CLAIM_DUE = `
local items = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local until_ = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, m in ipairs(items) do redis.call('ZADD', KEYS[1], until_, m) end
return items
`;

/**
 * KEYS: user. ARGV: now, max, leaseMs. Claims one PIN comparison: {'locked', until}, {'none'} (no PIN),
 * {'busy'} (failures plus tries in flight reach max) or {'ok', hash}. Tries in flight lapse leaseMs after the
 * last one was granted, so a process that died mid-comparison blocks no one for long.
 * Each try has its own lease (`pinTryLeases`, end times in ms, comma-separated, oldest first): one lease shared
 * by all of them was pushed on by every new try, so a try left by a killed process never lapsed while its
 * owner kept paying, and refused them as busy.
 */
export const PIN_TRY = `
local h = redis.call('HMGET', KEYS[1], 'pin', 'pinFails', 'pinLockedUntil', 'pinTryLeases')
local now = tonumber(ARGV[1])
local locked = tonumber(h[3] or '0')
if locked > now then return {'locked', locked} end
if not h[1] then return {'none'} end
local live = {}
for t in string.gmatch(h[4] or '', '[^,]+') do
  if tonumber(t) > now then live[#live + 1] = t end
end
if tonumber(h[2] or '0') + #live >= tonumber(ARGV[2]) then return {'busy'} end
live[#live + 1] = string.format('%d', now + tonumber(ARGV[3]))
redis.call('HSET', KEYS[1], 'pinTryLeases', table.concat(live, ','))
return {'ok', h[1]}
`;

/**
 * Ends one try in flight: the newest lease goes. Which try ended is not known, only that one did; taking the
 * newest leaves an older lease (a try a dead process left) to lapse when its time comes, where taking the oldest
 * would let the newest tries keep the count up for as long as the owner keeps paying.
 */
const endTry = `
local leases = redis.call('HGET', KEYS[1], 'pinTryLeases')
if leases then redis.call('HSET', KEYS[1], 'pinTryLeases', string.match(leases, '^(.*),[^,]*$') or '') end
`;

/**
 * KEYS: user. ARGV: now, max, lockMs. Ends a try with a wrong PIN. Returns {fails, lockedUntil}; at max the
 * lock starts and the count restarts.
 */
export const PIN_FAILED = `${endTry}
local fails = redis.call('HINCRBY', KEYS[1], 'pinFails', 1)
local locked = tonumber(redis.call('HGET', KEYS[1], 'pinLockedUntil') or '0')
if fails >= tonumber(ARGV[2]) then
  locked = tonumber(ARGV[1]) + tonumber(ARGV[3])
  redis.call('HSET', KEYS[1], 'pinLockedUntil', locked, 'pinFails', 0)
end
return {fails, locked}
`;

/** KEYS: user. Ends a try with the right PIN: the failures count restarts. */
export const PIN_PASSED = `${endTry}
redis.call('HSET', KEYS[1], 'pinFails', 0)
`;

/**
 * How a ticket's unique amount is chosen, so that no nominal runs out (reseller's caps aside):
 * - the nominal is rounded UP to a thousand (the amount is never below the nominal: 99.999 → 100.xyz);
 * - the unique part is a suffix 1–999 on that thousand, picked at random among the suffixes no open ticket
 *   holds (ARGV random), so codes are spread and not guessable in order;
 * - when all 999 are held by open tickets, the next thousand up is tried, and so on for `steps` thousands
 *   (100.000 → 101.xyz …), still never below the nominal; only when all of those are held is it refused.
 * With at most TICKET_MAX_OPEN open tickets per reseller, filling 999 suffixes takes hundreds of resellers.
 * An amount is held from this claim until its ticket is paid or replaced (freed then) or expires (swept here).
 *
 * KEYS: ticketAmounts, ticketOwner, ticketHolders. ARGV: base (nominal rounded up to a thousand), now,
 * expiresAt, id, user, random (non-negative integer), steps. Returns the amount, or false.
 */
export const TICKET_CLAIM = `
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, 1000)
for _, m in ipairs(gone) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('HDEL', KEYS[3], m)
end
local base = tonumber(ARGV[1])
local r = tonumber(ARGV[6])
for step = 0, tonumber(ARGV[7]) - 1 do
  local thousand = base + step * 1000
  local free = {}
  for s = 1, 999 do
    if not redis.call('ZSCORE', KEYS[1], thousand + s) then free[#free + 1] = thousand + s end
  end
  if #free > 0 then
    local amount = free[(r % #free) + 1]
    redis.call('ZADD', KEYS[1], ARGV[3], amount)
    redis.call('HSET', KEYS[3], amount, ARGV[4])
    redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
    return amount
  end
end
return false
`;

/**
 * KEYS: ticketAmounts, ticketHolders, ticketOwner. ARGV: amount, ticket id, '1' to forget the ticket's owner
 * too (it never opened). Lets an amount go only if this ticket still holds it: an ACC sent again long after
 * never frees an amount a newer ticket holds.
 */
export const TICKET_RELEASE = `
if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
end
if ARGV[3] == '1' then redis.call('HDEL', KEYS[3], ARGV[2]) end
`;

/**
 * KEYS: the user's ticket index, the new ticket. ARGV: id, nominal, amount, now, expiresAt, keepMs, maxOpen.
 * Opens the ticket under the reseller's cap: at the cap its oldest open ticket of the same nominal is marked
 * replaced in the index (ACC reads the mark), or nothing is opened. Expired entries leave the index here.
 * Index entries: `o|createdAt|expiresAt|nominal` (open), `r|expiresAt|replacedBy` (replaced).
 * Returns {'ok'}, {'replaced', old id} or {'full', the open ids oldest first}.
 */
export const TICKET_OPEN = `
local now = tonumber(ARGV[4])
local all = redis.call('HGETALL', KEYS[1])
local live = {}
for i = 1, #all, 2 do
  local id, v = all[i], all[i + 1]
  local c, e, n = string.match(v, '^o|(%d+)|(%d+)|(%d+)$')
  if not c then e = string.match(v, '^r|(%d+)|') end
  if not e or tonumber(e) <= now then
    redis.call('HDEL', KEYS[1], id)
  elseif c then
    live[#live + 1] = {id = id, c = tonumber(c), e = e, n = tonumber(n)}
  end
end
table.sort(live, function(x, y)
  if x.c ~= y.c then return x.c < y.c end
  return x.id < y.id
end)
local result = {'ok'}
if #live >= tonumber(ARGV[7]) then
  local old = nil
  for _, l in ipairs(live) do
    if l.n == tonumber(ARGV[2]) then
      old = l
      break
    end
  end
  if not old then
    result = {'full'}
    for _, l in ipairs(live) do result[#result + 1] = l.id end
    return result
  end
  redis.call('HSET', KEYS[1], old.id, 'r|' .. old.e .. '|' .. ARGV[1])
  result = {'replaced', old.id}
end
redis.call('HSET', KEYS[2], 'nominal', ARGV[2], 'amount', ARGV[3], 'status', 'open', 'createdAt', ARGV[4], 'expiresAt', ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('HSET', KEYS[1], ARGV[1], 'o|' .. ARGV[4] .. '|' .. ARGV[5] .. '|' .. ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return result
`;

/**
 * KEYS: broadcast. ARGV: owner, now, leaseMs. Takes or renews the lease: 1 held, 0 another holds it,
 * -1 not running. leaseMs 0 gives up the owner's own lease.
 */
export const BC_LEASE = `
local m = redis.call('HMGET', KEYS[1], 'state', 'owner', 'leaseUntil')
if m[1] ~= 'running' then return -1 end
local now = tonumber(ARGV[2])
local mine = m[2] == ARGV[1]
if tonumber(ARGV[3]) == 0 then
  if mine then redis.call('HSET', KEYS[1], 'leaseUntil', 0) end
  return 0
end
if not mine and m[2] and tonumber(m[3] or '0') > now then return 0 end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'leaseUntil', now + tonumber(ARGV[3]))
return 1
`;

/** KEYS: broadcast, todo (one lane), done. ARGV: owner, now. The next recipient, marked taken; {'end'} or {'lost'}. */
export const BC_TAKE = `
local m = redis.call('HMGET', KEYS[1], 'state', 'owner', 'leaseUntil')
if m[1] ~= 'running' or m[2] ~= ARGV[1] or tonumber(m[3] or '0') <= tonumber(ARGV[2]) then return {'lost'} end
while true do
  local r = redis.call('LPOP', KEYS[2])
  if not r then return {'end'} end
  if redis.call('HSETNX', KEYS[3], r, 'taken') == 1 then
    redis.call('HINCRBY', KEYS[1], 'taken', 1)
    return {'ok', r}
  end
end
`;

/** KEYS: broadcast, done. ARGV: user, outcome (sent | failed | skipped). Counts a taken recipient once. */
export const BC_RECORD = `
if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end
if redis.call('HGET', KEYS[2], ARGV[1]) ~= 'taken' then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
return 1
`;

/**
 * KEYS: broadcast, done, todo_1..todo_n. ARGV: owner, now, keepSeconds. Ends it once every lane is empty:
 * taken without an outcome counts as failed (and unconfirmed).
 */
export const BC_FINISH = `
local m = redis.call('HMGET', KEYS[1], 'state', 'owner', 'taken', 'sent', 'failed', 'skipped')
if m[1] ~= 'running' or m[2] ~= ARGV[1] then return 0 end
for i = 3, #KEYS do if redis.call('LLEN', KEYS[i]) > 0 then return 0 end end
local failed = tonumber(m[5] or '0')
local lost = tonumber(m[3] or '0') - tonumber(m[4] or '0') - failed - tonumber(m[6] or '0')
redis.call('HSET', KEYS[1], 'state', 'done', 'finishedAt', ARGV[2], 'unconfirmed', lost, 'failed', failed + lost, 'leaseUntil', 0)
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
`;

/** KEYS: quote, sameDay mark. ARGV: quote JSON, ttl ms (<= 0: already expired), read the mark ('1' or ''). */
export const PUT_QUOTE = `
if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) else redis.call('DEL', KEYS[1]) end
if ARGV[3] == '1' then return redis.call('GET', KEYS[2]) end
return false
`;
