/**
 * Quotes, saldo and ledger, transactions and their schedule on Redis. The steps that move money are the
 * ledger's (redis/ledger.ts), each one Lua script on keys of one account's hash tag.
 */
import type { UserId } from '../../bot/channel.ts';
import type { LedgerEntry, Quote, Transaction, TxEvent, TxPatch } from '../../bot/store.ts';
import { parseLedgerEntry, parseQuote, parseTransaction, parseTxEvent } from '../codec.ts';
import { dueMember, parseDueMember } from '../keys.ts';
import type { PaymentsPart } from '../parts.ts';
import { CLAIM_DUE, PUT_QUOTE, SCHEDULE } from '../scripts.ts';
import { script, type RedisContext } from './context.ts';

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

    async ledger(user, limit): Promise<LedgerEntry[]> {
      if (limit <= 0) return [];
      const raw = await redis.lrange(k.ledger(user), -limit, -1);
      return raw.reverse().map(parseLedgerEntry);
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
