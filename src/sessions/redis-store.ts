/** The Redis store: the book of record when REDIS_URL is set. Money steps are the Lua scripts in scripts.ts. */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { UserId } from '../bot/channel.ts';
import type { LedgerEntry, Quote, ReserveResult, Store, Transaction, TxEvent, TxPatch, TxStatus } from '../bot/store.ts';
import { dueMember, keys, parseDueMember, TTL } from './keys.ts';
import {
  ACCEPT_TICKET, ADJUST, CLAIM_DUE, FAIL, PIN_FAILED, PUT_QUOTE, RESERVE, SCHEDULE, TICKET_AMOUNT, TOUCH, TRANSFER_IN, TRANSFER_OUT, TRANSITION,
} from './scripts.ts';
import { BC_FINISH, BC_LEASE, BC_RECORD, BC_TAKE } from './scripts.ts';
import type { Broadcast, TakeResult } from '../bot/store.ts';
import type { Ticket, Transfer } from '../bot/store.ts';
import { parseLedgerEntry, parseQuote, parseTransaction, parseTxEvent } from './codec.ts';

type Arg = string | number;

/** EVALSHA with a fallback to EVAL the first time a server has not seen the script. */
function script(redis: Redis, lua: string) {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (keyList: string[], args: Arg[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keyList.length, ...keyList, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return redis.eval(lua, keyList.length, ...keyList, ...args);
      throw err;
    }
  };
}

function parseBroadcast(id: string, h: Record<string, string>): Broadcast | null {
  if (!h.state) return null;
  const n = (v: string | undefined) => Number(v ?? 0);
  const lanes = JSON.parse(h.lanes ?? '{}') as Record<string, number>;
  return {
    id, by: h.by ?? '', audience: h.audience === 'resellers' ? 'resellers' : 'all', text: h.text ?? '', createdAt: n(h.createdAt),
    lanes, total: n(h.total), state: h.state === 'done' ? 'done' : 'running',
    taken: n(h.taken), sent: n(h.sent), failed: n(h.failed), skipped: n(h.skipped), unconfirmed: n(h.unconfirmed), step: n(h.step),
    ...(h.progress ? { progress: h.progress } : {}), ...(h.finishedAt ? { finishedAt: n(h.finishedAt) } : {}),
  };
}

/** Recipients go in in slices, so a large audience never makes one huge command. */
const PUSH_SLICE = 1000;

function patchArgs(patch: TxPatch | undefined): string[] {
  if (!patch) return [];
  const out: string[] = [];
  if (patch.invoice !== undefined) out.push('invoice', patch.invoice);
  if (patch.receipt !== undefined) out.push('receipt', JSON.stringify(patch.receipt));
  if (patch.reason !== undefined) out.push('reason', patch.reason);
  if (patch.flagged !== undefined) out.push('flagged', patch.flagged);
  return out;
}

export function createRedisStore(opts: { url?: string; redis?: Redis; prefix?: string }): Store & { redis: Redis; prefix: string } {
  // Auto-pipelining sends every command issued in one tick in one write: with many conversations in flight,
  // one socket write per command was the bot's largest single cost.
  const redis = opts.redis ?? new Redis(opts.url ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 3, enableAutoPipelining: true });
  const prefix = opts.prefix ?? 'ppob:';
  const k = keys(prefix);
  const reserve = script(redis, RESERVE);
  const transition = script(redis, TRANSITION);
  const fail = script(redis, FAIL);
  const adjust = script(redis, ADJUST);
  const touch = script(redis, TOUCH);
  const claimDue = script(redis, CLAIM_DUE);
  const schedule = script(redis, SCHEDULE);
  const pinFailed = script(redis, PIN_FAILED);
  const ticketAmount = script(redis, TICKET_AMOUNT);
  const acceptTicket = script(redis, ACCEPT_TICKET);
  const transferOut = script(redis, TRANSFER_OUT);
  const transferIn = script(redis, TRANSFER_IN);
  const putQuote = script(redis, PUT_QUOTE);
  const bcLease = script(redis, BC_LEASE);
  const bcTake = script(redis, BC_TAKE);
  const bcRecord = script(redis, BC_RECORD);
  const bcFinish = script(redis, BC_FINISH);
  const DAY2 = 2 * 86400;
  const WEEK_MS = 7 * 86400_000;

  function ticketOf(id: string, user: UserId, h: Record<string, string>): Ticket | null {
    if (!h.status) return null;
    return {
      id, user, amount: Number(h.amount), status: h.status === 'paid' ? 'paid' : 'open',
      createdAt: Number(h.createdAt), expiresAt: Number(h.expiresAt),
    };
  }

  async function getTx(user: UserId, txId: string): Promise<Transaction | null> {
    const h = await redis.hgetall(k.tx(user, txId));
    return h.status ? parseTransaction(txId, h) : null;
  }

  return {
    kind: 'redis',
    redis,
    prefix,

    async claimMessage(user, messageId, ttlSeconds = TTL.messageSeconds) {
      return (await redis.set(k.message(user, messageId), '1', 'EX', ttlSeconds, 'NX')) === 'OK';
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

    async putQuote(quote: Quote, sameDay) {
      // Already expired (ttl <= 0): it replaces the open quote all the same, as a new inquiry does, and is gone.
      const mark = sameDay ? k.sameDay(quote.user, sameDay.day, sameDay.product, sameDay.customerNo) : k.sameDay(quote.user, '-', '-', '-');
      const earlier = await putQuote([k.quote(quote.user), mark], [JSON.stringify(quote), quote.expiresAt - Date.now(), sameDay ? '1' : '']);
      return typeof earlier === 'string' ? earlier : null;
    },

    async getQuote(user) {
      const raw = await redis.get(k.quote(user));
      return raw ? parseQuote(raw) : null;
    },

    async dropQuote(user) {
      return (await redis.del(k.quote(user))) === 1;
    },

    async getSaldo(user) {
      return Number((await redis.get(k.saldo(user))) ?? 0);
    },

    async adjustSaldo(user, amount, reason, now, note) {
      if (!Number.isSafeInteger(amount)) throw new Error('amount must be an integer');
      const after = await adjust([k.saldo(user), k.ledger(user)], [amount, reason, now, note ?? '']);
      if (after !== null) await redis.sadd(k.users(), user);
      return after === null ? null : Number(after);
    },

    async ledger(user, limit): Promise<LedgerEntry[]> {
      if (limit <= 0) return [];
      const raw = await redis.lrange(k.ledger(user), -limit, -1);
      return raw.reverse().map(parseLedgerEntry);
    },

    async reserve(user, quoteId, txId, now, opts = {}): Promise<ReserveResult> {
      const { messageId, sameDay, quote } = opts;
      const mark = sameDay ? k.sameDay(user, sameDay.day, sameDay.product, sameDay.customerNo) : k.sameDay(user, '-', '-', '-');
      const known = quote?.id === quoteId ? quote : undefined;
      const status = opts.sending ? 'SENDING' : 'RESERVED';
      const r = (await reserve(
        [k.quote(user), k.saldo(user), k.ledger(user), k.tx(user, txId), k.txs(user), mark],
        [quoteId, txId, now, messageId ?? '', sameDay ? DAY2 : 0, status, known ? '' : '1'],
      )) as string[];
      if (r[0] === 'insufficient') return { ok: false, reason: 'insufficient', saldo: Number(r[1]), price: Number(r[2]) };
      if (r[0] !== 'ok') return { ok: false, reason: 'no-quote' };
      // Built from what the script saw rather than read back: one round trip less on the hottest path.
      const tx: Transaction = {
        id: txId, user, quote: known ?? parseQuote(r[2]!), status, createdAt: now, updatedAt: now, saldoAfter: Number(r[1]),
      };
      if (messageId) tx.messageId = messageId;
      return { ok: true, tx };
    },

    async transition(user, txId, from: readonly TxStatus[], to, now, patch, log) {
      const r = await transition(
        [k.tx(user, txId), k.txLog(user, txId)],
        [to, now, log ? JSON.stringify(log) : '', from.length, ...from, ...patchArgs(patch)],
      );
      return r === 1;
    },

    async fail(user, txId, from, reason, now, log) {
      const r = await fail(
        [k.tx(user, txId), k.saldo(user), k.ledger(user), k.txLog(user, txId)],
        [reason, now, txId, log ? JSON.stringify(log) : '', ...from],
      );
      return r === 1;
    },

    async patchTx(user, txId, patch) {
      const args = patchArgs(patch);
      if (args.length > 0 && (await redis.exists(k.tx(user, txId)))) await redis.hset(k.tx(user, txId), ...args);
    },

    getTx,

    async txOwner(txId) {
      return redis.hget(k.owner(), txId);
    },

    async listTx(user, limit) {
      if (limit <= 0) return [];
      const ids = await redis.lrange(k.txs(user), 0, limit - 1);
      if (ids.length === 0) return [];
      const p = redis.pipeline();
      for (const id of ids) p.hgetall(k.tx(user, id));
      const res = (await p.exec()) ?? [];
      return res.flatMap(([err, h], i) =>
        !err && h && (h as Record<string, string>).status ? [parseTransaction(ids[i]!, h as Record<string, string>)] : [],
      );
    },

    async logTx(user, txId, event: TxEvent) {
      await redis.rpush(k.txLog(user, txId), JSON.stringify(event));
    },

    async txLog(user, txId) {
      return (await redis.lrange(k.txLog(user, txId), 0, -1)).map(parseTxEvent);
    },

    async schedule(user, txId, dueAt) {
      // One script (one command, not two), auto-pipelined in call order: a reserve issued right after it in the
      // same tick is written behind it, so Redis can never run the debit without the schedule entry before it.
      await schedule([k.owner(), k.due()], [txId, user, dueMember(user, txId), dueAt]);
    },

    async claimDue(now, leaseMs, limit) {
      const members = (await claimDue([k.due()], [now, leaseMs, limit])) as string[];
      return members.map(parseDueMember);
    },

    async unschedule(user, txId) {
      await redis.zrem(k.due(), dueMember(user, txId));
    },

    async scheduled(limit) {
      if (limit <= 0) return [];
      return (await redis.zrange(k.due(), 0, limit - 1)).map(parseDueMember);
    },

    async stats() {
      const pending = await redis.zcard(k.due());
      let saldoTotal = 0;
      // Saldo keys carry each user's own hash tag, so they are read one by one in a pipeline, never MGET.
      let cursor = '0';
      do {
        const [next, users] = await redis.sscan(k.users(), cursor, 'COUNT', 500);
        cursor = next;
        if (users.length === 0) continue;
        const p = redis.pipeline();
        for (const u of users) p.get(k.saldo(u));
        for (const [, v] of (await p.exec()) ?? []) saldoTotal += Number(v ?? 0);
      } while (cursor !== '0');
      return { pending, saldoTotal };
    },

    async getPin(user) {
      const [hash, fails, locked] = await redis.hmget(k.user(user), 'pin', 'pinFails', 'pinLockedUntil');
      return { ...(hash ? { hash } : {}), fails: Number(fails ?? 0), lockedUntil: Number(locked ?? 0) };
    },

    async setPin(user, hash) {
      await redis.hset(k.user(user), 'pin', hash, 'pinFails', 0);
    },

    async pinFailed(user, now, max, lockMs) {
      const [fails, locked] = (await pinFailed([k.user(user)], [now, max, lockMs])) as [number, number];
      return { fails, lockedUntil: Number(locked) };
    },

    async pinPassed(user) {
      await redis.hset(k.user(user), 'pinFails', 0);
    },

    async openTicket(user, id, nominal, now, ttlMs) {
      const base = Math.floor(nominal / 1000) * 1000;
      const start = 1 + Math.floor(Math.random() * 999);
      const amount = await ticketAmount([k.ticketAmounts(), k.ticketOwner()], [base, start, now, now + ttlMs, id, user]);
      if (amount === null) return null;
      const ticket: Ticket = { id, user, amount: Number(amount), status: 'open', createdAt: now, expiresAt: now + ttlMs };
      await redis
        .multi()
        .hset(k.ticket(user, id), 'amount', ticket.amount, 'status', 'open', 'createdAt', now, 'expiresAt', ticket.expiresAt)
        .pexpire(k.ticket(user, id), ttlMs + WEEK_MS)
        .exec();
      return ticket;
    },

    async getTicket(id) {
      const user = await redis.hget(k.ticketOwner(), id);
      return user ? ticketOf(id, user, await redis.hgetall(k.ticket(user, id))) : null;
    },

    async acceptTicket(id, now, by) {
      const user = await redis.hget(k.ticketOwner(), id);
      if (!user) return { ok: false, reason: 'unknown' };
      const r = (await acceptTicket([k.ticket(user, id), k.saldo(user), k.ledger(user)], [now, `ticket ${id} by ${by}`])) as string[];
      const ticket = ticketOf(id, user, await redis.hgetall(k.ticket(user, id)));
      if (r[0] !== 'ok' || !ticket) {
        const reason = r[0] === 'used' || r[0] === 'expired' ? r[0] : 'unknown';
        return ticket ? { ok: false, reason, ticket } : { ok: false, reason };
      }
      await redis.zrem(k.ticketAmounts(), String(ticket.amount));
      return { ok: true, ticket, saldo: Number(r[1]) };
    },

    async transferOut(t) {
      const r = (await transferOut([k.saldo(t.from), k.ledger(t.from), k.transfer(t.from, t.id)], [t.id, t.to, t.amount, t.at, t.from])) as string[];
      if (r[0] === 'short') return null;
      if (r[0] === 'dup') return { saldo: Number((await redis.get(k.saldo(t.from))) ?? 0) };
      return { saldo: Number(r[1]) };
    },

    async transferIn(t) {
      const after = await transferIn([k.credited(t.to, t.id), k.saldo(t.to), k.ledger(t.to)], [t.id, t.from, t.amount, t.at]);
      await redis.sadd(k.users(), t.to);
      await redis.hset(k.transfer(t.from, t.id), 'state', 'done');
      return { saldo: Number(after) };
    },

    async getTransfer(from, id): Promise<Transfer | null> {
      const h = await redis.hgetall(k.transfer(from, id));
      if (!h.state) return null;
      return { id, from, to: h.to!, amount: Number(h.amount), state: h.state === 'done' ? 'done' : 'debited', at: Number(h.at) };
    },

    async createBroadcast(b, lanes) {
      for (const [lane, users] of Object.entries(lanes)) {
        for (let i = 0; i < users.length; i += PUSH_SLICE) await redis.rpush(k.broadcastTodo(b.id, lane), ...users.slice(i, i + PUSH_SLICE));
      }
      const counts = Object.fromEntries(Object.entries(lanes).map(([lane, users]) => [lane, users.length]));
      const total = Object.values(counts).reduce((a, c) => a + c, 0);
      // The record is written after its recipients and scheduled last: a half-made broadcast is never worked.
      await redis.hset(k.broadcast(b.id), {
        by: b.by, audience: b.audience, text: b.text, createdAt: b.createdAt, lanes: JSON.stringify(counts), total,
        state: 'running', taken: 0, sent: 0, failed: 0, skipped: 0, unconfirmed: 0, step: 0,
      });
      await redis.zadd(k.broadcasts(), b.createdAt, b.id);
      return { ...b, lanes: counts, total, state: 'running', taken: 0, sent: 0, failed: 0, skipped: 0, unconfirmed: 0, step: 0 };
    },

    async getBroadcast(id) {
      return parseBroadcast(id, await redis.hgetall(k.broadcast(id)));
    },

    async dueBroadcasts(now, leaseMs, limit) {
      return (await claimDue([k.broadcasts()], [now, leaseMs, limit])) as string[];
    },

    async leaseBroadcast(id, owner, now, leaseMs) {
      const r = Number(await bcLease([k.broadcast(id)], [owner, now, leaseMs]));
      if (r === -1) await redis.zrem(k.broadcasts(), id);
      // The schedule follows the lease, so pollers look again only when it could have lapsed.
      else if (r === 1 || leaseMs === 0) await redis.zadd(k.broadcasts(), 'XX', now + leaseMs, id);
      return r === 1;
    },

    async takeRecipient(id, lane, owner, now): Promise<TakeResult> {
      const r = (await bcTake([k.broadcast(id), k.broadcastTodo(id, lane), k.broadcastDone(id)], [owner, now])) as string[];
      if (r[0] === 'ok') return { user: r[1]! };
      return r[0] === 'end' ? 'end' : 'lost';
    },

    async recordRecipient(id, user, outcome) {
      return Number(await bcRecord([k.broadcast(id), k.broadcastDone(id)], [user, outcome])) === 1;
    },

    async finishBroadcast(id, owner, now) {
      const lanes = JSON.parse((await redis.hget(k.broadcast(id), 'lanes')) ?? '{}') as Record<string, number>;
      const todo = Object.keys(lanes).map((lane) => k.broadcastTodo(id, lane));
      const r = Number(await bcFinish([k.broadcast(id), k.broadcastDone(id), ...todo], [owner, now, TTL.broadcastSeconds]));
      if (r !== 1) return null;
      await redis.zrem(k.broadcasts(), id);
      return parseBroadcast(id, await redis.hgetall(k.broadcast(id)));
    },

    async setBroadcastProgress(id, progress) {
      const fields: Arg[] = [];
      if (progress.handle !== undefined) fields.push('progress', progress.handle);
      if (progress.step !== undefined) fields.push('step', progress.step);
      if (fields.length > 0) await redis.hset(k.broadcast(id), ...fields);
    },

    async getCache(name) {
      return redis.get(k.cache(name));
    },

    async setCache(name, value, ttlSeconds) {
      await redis.set(k.cache(name), value, 'EX', ttlSeconds);
    },

    async ping() {
      try {
        return (await redis.ping()) === 'PONG';
      } catch {
        return false;
      }
    },

    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
