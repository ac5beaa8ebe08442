/**
 * Quotes, saldo and ledger, transactions and their schedule on Redis. Every money step is one Lua script
 * (scripts.ts) on keys of one user's hash tag.
 */
import type { UserId } from '../../bot/channel.ts';
import type { LedgerEntry, Quote, ReserveResult, Transaction, TxEvent, TxPatch, TxStatus } from '../../bot/store.ts';
import { parseLedgerEntry, parseQuote, parseTransaction, parseTxEvent } from '../codec.ts';
import { dueMember, parseDueMember, TTL } from '../keys.ts';
import type { PaymentsPart } from '../parts.ts';
import { ADJUST, CLAIM_DUE, FAIL, PUT_QUOTE, RESERVE, SCHEDULE, TRANSITION } from '../scripts.ts';
import { script, type RedisContext } from './context.ts';

/** How long the duplicate guard's day mark is kept. */
const DAY2 = 2 * 86400;

function patchArgs(patch: TxPatch | undefined): string[] {
  if (!patch) return [];
  const out: string[] = [];
  if (patch.invoice !== undefined) out.push('invoice', patch.invoice);
  if (patch.receipt !== undefined) out.push('receipt', JSON.stringify(patch.receipt));
  if (patch.reason !== undefined) out.push('reason', patch.reason);
  if (patch.flagged !== undefined) out.push('flagged', patch.flagged);
  return out;
}

/** Saldo keys read per round trip by `stats`. */
export const STATS_BATCH = 500;

export function redisPayments({ redis, k }: RedisContext): PaymentsPart {
  const reserve = script(redis, RESERVE);
  const transition = script(redis, TRANSITION);
  const fail = script(redis, FAIL);
  const adjust = script(redis, ADJUST);
  const claimDue = script(redis, CLAIM_DUE);
  const schedule = script(redis, SCHEDULE);
  const putQuote = script(redis, PUT_QUOTE);

  async function getTx(user: UserId, txId: string): Promise<Transaction | null> {
    const h = await redis.hgetall(k.tx(user, txId));
    return h.status ? parseTransaction(txId, h) : null;
  }

  return {
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

    async adjustSaldo(user, amount, reason, now, note, opId) {
      if (!Number.isSafeInteger(amount)) throw new Error('amount must be an integer');
      const mark = opId ? k.adjusted(user, opId) : k.saldo(user);
      const after = await adjust([k.saldo(user), k.ledger(user), mark], [amount, reason, now, note ?? '', opId ? TTL.messageSeconds : '']);
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
      // One script (one command, not two) on the store's one connection: a reserve issued after it is sent
      // behind it, and Redis runs a connection's commands in order, so one Redis never runs the debit without
      // the schedule entry before it. (On a Cluster `{g}` and the user's slot may sit on two nodes: that ordering
      // would need the schedule awaited first, one round trip more.)
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
      // Bounded work per round trip whatever the number of users: SSCAN hands out about STATS_BATCH users
      // at a time (a little more at times), and their saldos are read at most STATS_BATCH per pipeline, each
      // awaited before the next, so neither Redis nor the event loop is held for long. Saldo keys carry each
      // user's own hash tag, so they are read one by one in a pipeline, never MGET. It reads every user: a job
      // that runs now and then calls it, never a scrape.
      let cursor = '0';
      do {
        const [next, users] = await redis.sscan(k.users(), cursor, 'COUNT', STATS_BATCH);
        cursor = next;
        for (let i = 0; i < users.length; i += STATS_BATCH) {
          const p = redis.pipeline();
          for (const u of users.slice(i, i + STATS_BATCH)) p.get(k.saldo(u));
          for (const [, v] of (await p.exec()) ?? []) saldoTotal += Number(v ?? 0);
        }
      } while (cursor !== '0');
      return { pending, saldoTotal };
    },
  };
}
