/**
 * Saldo and ledger, transactions and their schedule on Redis, as read and as written without moving money.
 * The steps that move money are the ledger's (redis/ledger.ts), each one Lua script on one account's hash tag.
 */
import type { UserId } from '../../bot/channel.ts';
import type { Schedule } from '../../bot/store/schedule.ts';
import type { LedgerEntry, Transaction, Transactions, TxEvent, TxPatch } from '../../bot/store/transactions.ts';
import { parseLedgerEntry, parseTransaction, parseTxEvent } from '../codec.ts';
import { dueMember, parseDueMember } from '../keys.ts';
import { CLAIM_DUE, PATCH_IF_EXISTS, SCHEDULE } from '../scripts.ts';
import { script, type RedisContext } from './context.ts';

function patchArgs(patch: TxPatch | undefined): string[] {
  if (!patch) return [];
  const out: string[] = [];
  if (patch.invoice !== undefined) out.push('invoice', patch.invoice);
  if (patch.receipt !== undefined) out.push('receipt', JSON.stringify(patch.receipt));
  if (patch.reason !== undefined) out.push('reason', patch.reason);
  if (patch.flagged !== undefined) out.push('flagged', patch.flagged);
  if (patch.commissioned) out.push('commissioned', '1');
  return out;
}

export function redisTransactions({ redis, k }: RedisContext): Transactions & Schedule {
  const claimDue = script(redis, CLAIM_DUE);
  const schedule = script(redis, SCHEDULE);
  const patch_ = script(redis, PATCH_IF_EXISTS);

  async function getTx(user: UserId, txId: string): Promise<Transaction | null> {
    const h = await redis.hgetall(k.tx(user, txId));
    return h.status ? parseTransaction(txId, h) : null;
  }

  return {
    async getSaldo(user) {
      return Number((await redis.get(k.saldo(user))) ?? 0);
    },

    async getCommission(account) {
      return Number((await redis.get(k.commission(account))) ?? 0);
    },

    async commissionLedger(account, limit) {
      if (limit <= 0) return [];
      const raw = await redis.lrange(k.commissionLedger(account), -limit, -1);
      return raw.reverse().map(parseLedgerEntry);
    },

    async ledger(user, limit): Promise<LedgerEntry[]> {
      if (limit <= 0) return [];
      const raw = await redis.lrange(k.ledger(user), -limit, -1);
      return raw.reverse().map(parseLedgerEntry);
    },

    async patchTx(user, txId, patch) {
      const args = patchArgs(patch);
      // One round trip: a transaction that is not there is not made up of the patch alone.
      if (args.length > 0) await patch_([k.tx(user, txId)], args);
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
  };
}
