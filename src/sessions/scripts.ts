/**
 * The Lua scripts behind the store's atomic steps. Each touches only keys of one hash tag.
 * Amounts are integers; cjson only reads the quote here, ledger entries are built as JSON strings
 * so their numbers never pass through Lua's float formatting.
 */

const ledgerEntry = `
local function entry(at, amount, reason, txId, after, note)
  local s = '{"at":' .. at .. ',"amount":' .. amount .. ',"reason":' .. cjson.encode(reason) .. ',"saldoAfter":' .. after
  if txId and txId ~= '' then s = s .. ',"txId":' .. cjson.encode(txId) end
  if note and note ~= '' then s = s .. ',"note":' .. cjson.encode(note) end
  return s .. '}'
end
`;

/** KEYS: quote, saldo, ledger, tx, txs. ARGV: quoteId, txId, now, messageId. */
export const RESERVE = `${ledgerEntry}
local q = redis.call('GET', KEYS[1])
if not q then return {'no-quote'} end
local quote = cjson.decode(q)
if quote.id ~= ARGV[1] or tonumber(quote.expiresAt) <= tonumber(ARGV[3]) or redis.call('EXISTS', KEYS[4]) == 1 then
  return {'no-quote'}
end
local price = tonumber(quote.price)
local saldo = tonumber(redis.call('GET', KEYS[2]) or '0')
if saldo < price then return {'insufficient', tostring(saldo), tostring(price)} end
local after = redis.call('DECRBY', KEYS[2], price)
redis.call('RPUSH', KEYS[3], entry(ARGV[3], -price, 'payment', ARGV[2], after, nil))
redis.call('HSET', KEYS[4], 'user', quote.user, 'status', 'RESERVED', 'quote', q, 'createdAt', ARGV[3],
  'updatedAt', ARGV[3], 'saldoAfter', after)
if ARGV[4] ~= '' then redis.call('HSET', KEYS[4], 'messageId', ARGV[4]) end
redis.call('LPUSH', KEYS[5], ARGV[2])
redis.call('DEL', KEYS[1])
return {'ok', tostring(after), q}
`;

/** KEYS: tx. ARGV: to, now, n, from_1..from_n, field, value, field, value… A final state never changes. */
export const TRANSITION = `
local s = redis.call('HGET', KEYS[1], 'status')
if not s or s == 'SETTLED' or s == 'FAILED' then return 0 end
local n = tonumber(ARGV[3])
local allowed = false
for i = 1, n do if ARGV[3 + i] == s then allowed = true end end
if not allowed then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'updatedAt', ARGV[2])
for i = 4 + n, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1
`;

/** KEYS: tx, saldo, ledger. ARGV: reason, now, txId, from_1..from_n. A final state is never refunded (again). */
export const FAIL = `${ledgerEntry}
local s = redis.call('HGET', KEYS[1], 'status')
if not s or s == 'SETTLED' or s == 'FAILED' then return 0 end
local allowed = false
for i = 4, #ARGV do if ARGV[i] == s then allowed = true end end
if not allowed then return 0 end
local price = tonumber(cjson.decode(redis.call('HGET', KEYS[1], 'quote')).price)
local after = redis.call('INCRBY', KEYS[2], price)
redis.call('RPUSH', KEYS[3], entry(ARGV[2], price, 'refund', ARGV[3], after, nil))
redis.call('HSET', KEYS[1], 'status', 'FAILED', 'updatedAt', ARGV[2], 'reason', ARGV[1])
return 1
`;

/** KEYS: saldo, ledger. ARGV: amount, reason, now, note. Returns the saldo after, or false when it would go below zero. */
export const ADJUST = `${ledgerEntry}
local amount = tonumber(ARGV[1])
local saldo = tonumber(redis.call('GET', KEYS[1]) or '0')
if saldo + amount < 0 then return false end
local after = redis.call('INCRBY', KEYS[1], amount)
redis.call('RPUSH', KEYS[2], entry(ARGV[3], amount, ARGV[2], nil, after, ARGV[4]))
return after
`;

/** KEYS: user. ARGV: now. Creates the record once; returns {created, reseller, name, firstSeen}. */
export const TOUCH = `
local created = redis.call('HSETNX', KEYS[1], 'firstSeen', ARGV[1])
local v = redis.call('HMGET', KEYS[1], 'reseller', 'name', 'firstSeen')
return {created, v[1] or '', v[2] or '', v[3]}
`;

/** KEYS: due. ARGV: now, lease, limit. Takes due members and leases them. */
export const CLAIM_DUE = `
local items = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local until_ = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, m in ipairs(items) do redis.call('ZADD', KEYS[1], until_, m) end
return items
`;
