/**
 * The ledger port (src/payments/ledger.ts) on Redis: each operation is one Lua script with named KEYS and
 * ARGV, every key of it under one account's hash tag, and the script records the operation's outcome under its
 * id (keys.op, TTL.opSeconds) in the same step. The op record comes first in every script: applied before by
 * the same sender, the script answers the record and changes nothing; by another sender, `op-conflict`.
 * Refusals change nothing and are not recorded.
 *
 * Amounts are integers: they reach Lua as strings and leave it through `int` (string.format %d), never
 * through Lua's float formatting; ledger entries and op records are built as JSON strings for that reason.
 */
import type { Transaction, TxPatch } from '../../bot/store.ts';
import type { Ledger, Outcome, Refusal } from '../../payments/ledger.ts';
import { allowedFrom, isFinal, RESERVED_AS } from '../../payments/transitions.ts';
import { parseQuote, parseTransaction } from '../codec.ts';
import { TTL } from '../keys.ts';
import { hashOf, namedScript, type RedisContext } from './context.ts';
import { redisTickets } from './tickets.ts';

/** How long the duplicate guard's day mark is kept. */
const SAME_DAY_SECONDS = 2 * 86400;

const prelude = `
local function int(n) return string.format('%d', n) end
local function entry(at, amount, reason, txId, after, note)
  local s = '{"at":' .. at .. ',"amount":' .. amount .. ',"reason":' .. cjson.encode(reason) .. ',"saldoAfter":' .. int(after)
  if txId and txId ~= '' then s = s .. ',"txId":' .. cjson.encode(txId) end
  if note and note ~= '' then s = s .. ',"note":' .. cjson.encode(note) end
  return s .. '}'
end
-- The operation's record: nil when it was never applied, else the answer ({'repeat', record} or {'op-conflict'}).
local function prior(key, by)
  local rec = redis.call('GET', key)
  if not rec then return nil end
  if cjson.decode(rec).by ~= by then return {'op-conflict'} end
  return {'repeat', rec}
end
-- fields: the outcome's JSON members after "by", each starting with a comma. Kept TTL.opSeconds.
local function remember(key, by, fields)
  redis.call('SET', key, '{"by":' .. cjson.encode(by) .. fields .. '}', 'EX', ${TTL.opSeconds})
end
`;

/** A repeat of a step on a transaction also hands back the transaction as it is now. */
const priorWithTx = `
local seen = prior(K.op, A.by)
if seen then
  if seen[1] == 'repeat' then
    for _, v in ipairs(redis.call('HGETALL', K.tx)) do seen[#seen + 1] = v end
  end
  return seen
end
`;

/**
 * Takes the open quote, debits its price, writes the transaction in `status` and its ledger entry, sets the
 * duplicate guard's day mark. Returns {'ok', saldo[, quote]}, {'no-quote'}, {'insufficient', saldo, price}.
 */
const RESERVE = {
  keys: ['quote', 'saldo', 'ledger', 'tx', 'txs', 'sameDay', 'op'],
  args: ['quoteId', 'txId', 'now', 'messageId', 'sameDayTtl', 'status', 'sendQuote', 'by', 'paidBy'],
  lua: `${prelude}${priorWithTx}
local q = redis.call('GET', K.quote)
if not q then return {'no-quote'} end
local quote = cjson.decode(q)
if quote.id ~= A.quoteId or tonumber(quote.expiresAt) <= tonumber(A.now) or redis.call('EXISTS', K.tx) == 1 then
  return {'no-quote'}
end
local price = tonumber(quote.price)
local saldo = tonumber(redis.call('GET', K.saldo) or '0')
if saldo < price then return {'insufficient', int(saldo), int(price)} end
local after = redis.call('DECRBY', K.saldo, int(price))
redis.call('RPUSH', K.ledger, entry(A.now, '-' .. int(price), 'payment', A.txId, after, nil))
local fields = {'user', quote.user, 'status', A.status, 'quote', q, 'createdAt', A.now, 'updatedAt', A.now, 'saldoAfter', int(after)}
if A.messageId ~= '' then
  fields[#fields + 1] = 'messageId'
  fields[#fields + 1] = A.messageId
end
if A.paidBy ~= '' then
  fields[#fields + 1] = 'paidBy'
  fields[#fields + 1] = A.paidBy
end
redis.call('HSET', K.tx, unpack(fields))
redis.call('LPUSH', K.txs, A.txId)
redis.call('DEL', K.quote)
if tonumber(A.sameDayTtl) > 0 then redis.call('SET', K.sameDay, A.txId, 'EX', A.sameDayTtl) end
remember(K.op, A.by, ',"saldo":' .. int(after))
if A.sendQuote == '1' then return {'ok', int(after), q} end
return {'ok', int(after)}
`,
} as const;

/** The transition table (transitions.ts) as a Lua table: FROM[to][from] is true where the step may be taken. */
const FROM_LUA = `local FROM = {${(['PENDING', 'SETTLED', 'FAILED'] as const)
  .map((to) => `${to} = {${allowedFrom(to).map((from) => `${from} = true`).join(', ')}}`)
  .join(', ')}}`;

/**
 * Moves the transaction to `to` if the transition table allows it from where it is, sets the field/value pairs
 * after the named arguments, appends `log`; with `refund` (the transaction id, '' for none) gives the price
 * back with a ledger entry. Returns {'ok', saldo or ''}, {'unknown-tx'}, {'refused', status}.
 */
const RESOLVE = {
  keys: ['tx', 'txLog', 'saldo', 'ledger', 'op'],
  args: ['to', 'now', 'log', 'refund', 'by'],
  lua: `${prelude}${FROM_LUA}${priorWithTx}
local s = redis.call('HGET', K.tx, 'status')
if not s then return {'unknown-tx'} end
if not FROM[A.to][s] then return {'refused', s} end
local fields = {'status', A.to, 'updatedAt', A.now}
for i = NA + 1, #ARGV do fields[#fields + 1] = ARGV[i] end
local after = ''
if A.refund ~= '' then
  local price = tonumber(cjson.decode(redis.call('HGET', K.tx, 'quote')).price)
  after = int(redis.call('INCRBY', K.saldo, int(price)))
  redis.call('RPUSH', K.ledger, entry(A.now, int(price), 'refund', A.refund, after, nil))
end
redis.call('HSET', K.tx, unpack(fields))
if A.log ~= '' then redis.call('RPUSH', K.txLog, A.log) end
remember(K.op, A.by, ',"status":' .. cjson.encode(A.to) .. (after ~= '' and (',"saldo":' .. after) or ''))
return {'ok', after}
`,
} as const;

/** Adds `amount` (signed) to the saldo with its ledger entry. Returns {'ok', saldo}, {'insufficient', saldo}. */
const ADJUST = {
  keys: ['saldo', 'ledger', 'op'],
  args: ['amount', 'reason', 'now', 'note', 'by'],
  lua: `${prelude}
local seen = prior(K.op, A.by)
if seen then return seen end
local saldo = tonumber(redis.call('GET', K.saldo) or '0')
if saldo + tonumber(A.amount) < 0 then return {'insufficient', int(saldo)} end
local after = redis.call('INCRBY', K.saldo, A.amount)
redis.call('RPUSH', K.ledger, entry(A.now, A.amount, A.reason, nil, after, A.note))
remember(K.op, A.by, ',"saldo":' .. int(after))
return {'ok', int(after)}
`,
} as const;

/**
 * Credits an open ticket's amount to its owner (whose tag every key carries) and marks it paid. A ticket
 * replaced is marked so in the owner's index (`r|…`) before its own hash says so. Returns {'ok', saldo},
 * {'unknown-ticket'}, {'ticket-used'}, {'ticket-replaced'}, {'ticket-expired'}.
 */
const ACCEPT_TICKET = {
  keys: ['ticket', 'saldo', 'ledger', 'tickets', 'op'],
  args: ['id', 'now', 'note', 'acceptedBy', 'by', 'allowExpired'],
  lua: `${prelude}
local seen = prior(K.op, A.by)
if seen then return seen end
local st = redis.call('HGET', K.ticket, 'status')
if not st then return {'unknown-ticket'} end
if st == 'paid' then return {'ticket-used'} end
local mark = redis.call('HGET', K.tickets, A.id)
if st == 'replaced' or (mark and string.sub(mark, 1, 2) == 'r|') then return {'ticket-replaced'} end
if A.allowExpired ~= '1' and tonumber(redis.call('HGET', K.ticket, 'expiresAt')) <= tonumber(A.now) then return {'ticket-expired'} end
local amount = redis.call('HGET', K.ticket, 'amount')
local after = redis.call('INCRBY', K.saldo, amount)
redis.call('RPUSH', K.ledger, entry(A.now, amount, 'deposit', nil, after, A.note))
redis.call('HSET', K.ticket, 'status', 'paid', 'paidAt', A.now, 'paidBy', A.acceptedBy)
redis.call('HDEL', K.tickets, A.id)
remember(K.op, A.by, ',"saldo":' .. int(after))
return {'ok', int(after)}
`,
} as const;

/** The sender's half: debits and records the transfer (state debited). Returns {'ok', saldo}, {'insufficient', saldo}. */
const TRANSFER_OUT = {
  keys: ['saldo', 'ledger', 'transfer', 'op'],
  args: ['id', 'from', 'to', 'amount', 'now', 'by'],
  lua: `${prelude}
local seen = prior(K.op, A.by)
if seen then return seen end
local saldo = tonumber(redis.call('GET', K.saldo) or '0')
if saldo < tonumber(A.amount) then return {'insufficient', int(saldo)} end
local after = redis.call('DECRBY', K.saldo, A.amount)
redis.call('RPUSH', K.ledger, entry(A.now, '-' .. A.amount, 'transfer-out', A.id, after, A.to))
redis.call('HSET', K.transfer, 'from', A.from, 'to', A.to, 'amount', A.amount, 'state', 'debited', 'at', A.now)
remember(K.op, A.by, ',"saldo":' .. int(after))
return {'ok', int(after)}
`,
} as const;

/** The receiver's half, on the receiver's tag: credits once per transfer. Returns {'ok', saldo}. */
const TRANSFER_IN = {
  keys: ['saldo', 'ledger', 'op'],
  args: ['id', 'from', 'amount', 'now', 'by'],
  lua: `${prelude}
local seen = prior(K.op, A.by)
if seen then return seen end
local after = redis.call('INCRBY', K.saldo, A.amount)
redis.call('RPUSH', K.ledger, entry(A.now, A.amount, 'transfer-in', A.id, after, A.from))
remember(K.op, A.by, ',"saldo":' .. int(after))
return {'ok', int(after)}
`,
} as const;

/** Credits the commission book once. Returns {'ok', commission}. */
const CREDIT_COMMISSION = {
  keys: ['commission', 'commissionLedger', 'op'],
  args: ['amount', 'txId', 'now', 'note', 'by'],
  lua: `${prelude}
local seen = prior(K.op, A.by)
if seen then return seen end
local after = redis.call('INCRBY', K.commission, A.amount)
redis.call('RPUSH', K.commissionLedger, entry(A.now, A.amount, 'komisi', A.txId, after, A.note))
remember(K.op, A.by, ',"commission":' .. int(after))
return {'ok', int(after)}
`,
} as const;

/**
 * Moves commission into saldo (all of it when amount is ''), one entry in each book. Returns {'ok', amount,
 * commission, saldo} or {'insufficient', commission, asked}.
 */
const REDEEM_COMMISSION = {
  keys: ['commission', 'commissionLedger', 'saldo', 'ledger', 'op'],
  args: ['amount', 'now', 'by'],
  lua: `${prelude}
local seen = prior(K.op, A.by)
if seen then return seen end
local balance = tonumber(redis.call('GET', K.commission) or '0')
local amount = balance
if A.amount ~= '' then amount = tonumber(A.amount) end
if amount <= 0 or amount > balance then return {'insufficient', int(balance), int(amount)} end
local left = redis.call('DECRBY', K.commission, int(amount))
redis.call('RPUSH', K.commissionLedger, entry(A.now, '-' .. int(amount), 'tukar-komisi', nil, left, nil))
local after = redis.call('INCRBY', K.saldo, int(amount))
redis.call('RPUSH', K.ledger, entry(A.now, int(amount), 'tukar-komisi', nil, after, nil))
remember(K.op, A.by, ',"amount":' .. int(amount) .. ',"commission":' .. int(left) .. ',"saldo":' .. int(after))
return {'ok', int(amount), int(left), int(after)}
`,
} as const;

/** The recorded outcome of an operation applied before, as the script handed it back. */
interface Recorded {
  saldo?: number;
  commission?: number;
  amount?: number;
  status?: Transaction['status'];
}

type Reply = string[];

const conflict = { ok: false, refusal: { code: 'op-conflict' } } as const;

function refused(refusal: Refusal): { ok: false; refusal: Refusal } {
  return { ok: false, refusal };
}

/** A plain refusal by its code, for the scripts whose refusals carry nothing. */
function plain(code: string): Refusal {
  return { code } as Refusal;
}

/** The transaction the script sent back after a repeat's record (a flat HGETALL), or null when it is gone. */
function txAfter(txId: string, r: Reply): Transaction | null {
  const h = hashOf(r, 2);
  return h.status ? parseTransaction(txId, h) : null;
}

/** The patch's fields on the transaction the caller holds (as the script set them in the hash). */
function applyPatch(tx: Transaction, patch: TxPatch | undefined): void {
  if (!patch) return;
  if (patch.invoice !== undefined) tx.invoice = patch.invoice;
  if (patch.receipt !== undefined) tx.receipt = patch.receipt;
  if (patch.reason !== undefined) tx.reason = patch.reason;
  if (patch.flagged !== undefined) tx.flagged = patch.flagged;
  if (patch.commissioned) tx.commissioned = true;
}

function patchArgs(patch: TxPatch | undefined, reason: string | undefined): string[] {
  const out: string[] = [];
  if (patch?.invoice !== undefined) out.push('invoice', patch.invoice);
  if (patch?.receipt !== undefined) out.push('receipt', JSON.stringify(patch.receipt));
  if (patch?.flagged !== undefined) out.push('flagged', patch.flagged);
  const why = reason ?? patch?.reason;
  if (why !== undefined) out.push('reason', why);
  return out;
}

function integer(amount: number): string {
  if (!Number.isSafeInteger(amount)) throw new Error('an amount must be a whole number of rupiah');
  return String(amount);
}

export function redisLedger({ redis, k }: RedisContext): Ledger {
  const reserve = namedScript(redis, RESERVE);
  const resolve = namedScript(redis, RESOLVE);
  const adjust = namedScript(redis, ADJUST);
  const acceptTicket = namedScript(redis, ACCEPT_TICKET);
  const transferOut = namedScript(redis, TRANSFER_OUT);
  const transferIn = namedScript(redis, TRANSFER_IN);
  const creditCommission = namedScript(redis, CREDIT_COMMISSION);
  const redeemCommission = namedScript(redis, REDEEM_COMMISSION);
  const { read: readTicket, release: releaseAmount } = redisTickets({ redis, k });

  /** The answers every script shares: a repeat's record, another sender's id, or a saldo. */
  function saldoOutcome(r: Reply): Outcome<{ saldo: number }> {
    if (r[0] === 'op-conflict') return conflict;
    if (r[0] === 'repeat') return { ok: true, repeat: true, saldo: (JSON.parse(r[1]!) as Recorded).saldo ?? 0 };
    return { ok: true, repeat: false, saldo: Number(r[1]) };
  }

  return {
    async reserve(op) {
      const { user, txId, quoteId, sameDay, messageId } = op;
      const day = sameDay ? k.sameDay(user, sameDay.day, sameDay.product, sameDay.customerNo) : k.sameDay(user, '-', '-', '-');
      const known = op.quote?.id === quoteId ? op.quote : undefined;
      const r = (await reserve(
        { quote: k.quote(user), saldo: k.saldo(user), ledger: k.ledger(user), tx: k.tx(user, txId), txs: k.txs(user), sameDay: day, op: k.op(user, op.opId) },
        {
          quoteId, txId, now: op.now, messageId: messageId ?? '', sameDayTtl: sameDay ? SAME_DAY_SECONDS : 0, status: RESERVED_AS,
          sendQuote: known ? '' : '1', by: op.by, paidBy: op.paidBy ?? '',
        },
      )) as Reply;
      if (r[0] === 'op-conflict') return conflict;
      if (r[0] === 'no-quote') return refused({ code: 'no-quote' });
      if (r[0] === 'insufficient') return refused({ code: 'insufficient', saldo: Number(r[1]), price: Number(r[2]) });
      if (r[0] === 'repeat') {
        const tx = txAfter(txId, r);
        return tx ? { ok: true, repeat: true, tx } : refused({ code: 'unknown-tx' });
      }
      // Built from what the script saw rather than read back: one round trip less on the hottest path.
      const tx: Transaction = {
        id: txId, user, quote: known ?? parseQuote(r[2]!), status: RESERVED_AS, createdAt: op.now, updatedAt: op.now, saldoAfter: Number(r[1]),
      };
      if (messageId) tx.messageId = messageId;
      if (op.paidBy) tx.paidBy = op.paidBy;
      return { ok: true, repeat: false, tx };
    },

    async resolve(op) {
      const { user, txId, to } = op;
      const reason = to === 'FAILED' ? (op.reason ?? '') : undefined;
      const r = (await resolve(
        { tx: k.tx(user, txId), txLog: k.txLog(user, txId), saldo: k.saldo(user), ledger: k.ledger(user), op: k.op(user, op.opId) },
        { to, now: op.now, log: op.log ? JSON.stringify(op.log) : '', refund: to === 'FAILED' ? txId : '', by: op.by },
        patchArgs(op.patch, reason),
      )) as Reply;
      if (r[0] === 'op-conflict') return conflict;
      if (r[0] === 'unknown-tx') return refused({ code: 'unknown-tx' });
      if (r[0] === 'refused') {
        const status = r[1] as Transaction['status'];
        return refused(isFinal(status) ? { code: 'final', status } : { code: 'illegal-transition', from: status, to });
      }
      if (r[0] === 'repeat') {
        const tx = txAfter(txId, r);
        const { saldo } = JSON.parse(r[1]!) as Recorded;
        if (!tx) return refused({ code: 'unknown-tx' });
        return saldo === undefined ? { ok: true, repeat: true, tx } : { ok: true, repeat: true, tx, saldo };
      }
      // The answer is the transaction as the caller knew it with this step's changes: not read back.
      const tx: Transaction = { ...(op.known?.id === txId ? op.known : (await readTx(user, txId))!) };
      tx.status = to;
      tx.updatedAt = op.now;
      applyPatch(tx, op.patch);
      if (reason) tx.reason = reason;
      else if (reason !== undefined) delete tx.reason;
      return r[1] ? { ok: true, repeat: false, tx, saldo: Number(r[1]) } : { ok: true, repeat: false, tx };
    },

    async adjust(op) {
      const { user } = op;
      const r = (await adjust(
        { saldo: k.saldo(user), ledger: k.ledger(user), op: k.op(user, op.opId) },
        { amount: integer(op.amount), reason: op.reason, now: op.now, note: op.note ?? '', by: op.by },
      )) as Reply;
      if (r[0] === 'insufficient') return refused({ code: 'insufficient', saldo: Number(r[1]), price: -op.amount });
      // Every holder of a saldo is a known user (the audit and the broadcasts go by that set).
      if (r[0] === 'ok') await redis.sadd(k.users(), user);
      return saldoOutcome(r);
    },

    async acceptTicket(op) {
      const { ticketId: id } = op;
      const user = await redis.hget(k.ticketOwner(), id);
      if (!user) return refused({ code: 'unknown-ticket' });
      const r = (await acceptTicket(
        { ticket: k.ticket(user, id), saldo: k.saldo(user), ledger: k.ledger(user), tickets: k.tickets(user), op: k.op(user, op.opId) },
        { id, now: op.now, note: `ticket ${id} by ${op.acceptedBy}`, acceptedBy: op.acceptedBy, by: op.by, allowExpired: op.allowExpired ? '1' : '' },
      )) as Reply;
      const ticket = await readTicket(user, id);
      // Its unique amount is free again once it is paid, also when the ACC that paid it lost its answer.
      if (ticket?.status === 'paid') await releaseAmount(ticket.amount, id);
      if (!ticket) return refused({ code: 'unknown-ticket' });
      if (r[0] === 'ticket-used' || r[0] === 'ticket-expired' || r[0] === 'ticket-replaced') return refused({ code: r[0], ticket });
      if (r[0] !== 'ok' && r[0] !== 'repeat' && r[0] !== 'op-conflict') return refused(plain(r[0]!));
      const out = saldoOutcome(r);
      return out.ok ? { ...out, ticket } : out;
    },

    async transferOut(op) {
      const { from, to, transferId: id } = op;
      const r = (await transferOut(
        { saldo: k.saldo(from), ledger: k.ledger(from), transfer: k.transfer(from, id), op: k.op(from, op.opId) },
        { id, from, to, amount: integer(op.amount), now: op.now, by: op.by },
      )) as Reply;
      if (r[0] === 'insufficient') return refused({ code: 'insufficient', saldo: Number(r[1]), price: op.amount });
      return saldoOutcome(r);
    },

    async transferIn(op) {
      const { from, to, transferId: id } = op;
      const r = (await transferIn(
        { saldo: k.saldo(to), ledger: k.ledger(to), op: k.op(to, op.opId) },
        { id, from, amount: integer(op.amount), now: op.now, by: op.by },
      )) as Reply;
      // The sender's record (another tag) says done once the credit is made, whoever made it: a record under
      // this id, another sender's included, means it was made.
      await Promise.all([redis.sadd(k.users(), to), redis.hset(k.transfer(from, id), 'state', 'done')]);
      return saldoOutcome(r);
    },

    async creditCommission(op) {
      const { user } = op;
      if (op.amount <= 0) throw new Error('a commission must be a positive whole number of rupiah');
      const r = (await creditCommission(
        { commission: k.commission(user), commissionLedger: k.commissionLedger(user), op: k.op(user, op.opId) },
        { amount: integer(op.amount), txId: op.txId, now: op.now, note: op.via, by: op.by },
      )) as Reply;
      if (r[0] === 'op-conflict') return conflict;
      if (r[0] === 'repeat') return { ok: true, repeat: true, commission: (JSON.parse(r[1]!) as Recorded).commission ?? 0 };
      return { ok: true, repeat: false, commission: Number(r[1]) };
    },

    async redeemCommission(op) {
      const { user } = op;
      const r = (await redeemCommission(
        { commission: k.commission(user), commissionLedger: k.commissionLedger(user), saldo: k.saldo(user), ledger: k.ledger(user), op: k.op(user, op.opId) },
        { amount: op.amount === undefined ? '' : integer(op.amount), now: op.now, by: op.by },
      )) as Reply;
      if (r[0] === 'op-conflict') return conflict;
      if (r[0] === 'insufficient') return refused({ code: 'insufficient', saldo: Number(r[1]), price: Number(r[2]) });
      if (r[0] === 'repeat') {
        const rec = JSON.parse(r[1]!) as Recorded;
        return { ok: true, repeat: true, amount: rec.amount ?? 0, commission: rec.commission ?? 0, saldo: rec.saldo ?? 0 };
      }
      return { ok: true, repeat: false, amount: Number(r[1]), commission: Number(r[2]), saldo: Number(r[3]) };
    },
  };

  async function readTx(user: string, txId: string): Promise<Transaction | null> {
    const h = await redis.hgetall(k.tx(user, txId));
    return h.status ? parseTransaction(txId, h) : null;
  }
}
