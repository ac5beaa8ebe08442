/** Saldo and ledger, transactions and their schedule in the embedded store, as read and as written without moving money (that is ledger.ts). */
import type { UserId } from '../../bot/channel.ts';
import type { DueItem, Schedule } from '../../bot/store/schedule.ts';
import type { Transactions } from '../../bot/store/transactions.ts';
import { dueMember, parseDueMember } from '../keys.ts';
import { applyPatch } from './ledger.ts';
import { listOf, type MemoryState } from './state.ts';

export function memoryTransactions(s: MemoryState): Transactions & Schedule {
  const { saldos, ledgers, txs, txIds, logs, due, owners } = s;
  const txKey = (user: UserId, id: string) => `${user}|${id}`;

  return {
    async getSaldo(user) {
      return saldos.get(user) ?? 0;
    },

    async getCommission(account) {
      return s.commissions.get(account) ?? 0;
    },

    async commissionLedger(account, limit) {
      if (limit <= 0) return [];
      return (s.commissionLedgers.get(account) ?? []).slice(-limit).reverse().map((e) => ({ ...e }));
    },

    async ledger(user, limit) {
      if (limit <= 0) return [];
      return (ledgers.get(user) ?? []).slice(-limit).reverse().map((e) => ({ ...e }));
    },

    async patchTx(user, txId, patch) {
      const tx = txs.get(txKey(user, txId));
      if (tx) applyPatch(tx, patch);
    },

    async getTx(user, txId) {
      const tx = txs.get(txKey(user, txId));
      return tx ? structuredClone(tx) : null;
    },

    async txOwner(txId) {
      return owners.get(txId) ?? null;
    },

    async listTx(user, limit) {
      if (limit <= 0) return [];
      return (txIds.get(user) ?? []).slice(0, limit).map((id) => structuredClone(txs.get(txKey(user, id))!));
    },

    async logTx(user, txId, event) {
      listOf(logs, txKey(user, txId)).push(structuredClone(event));
    },

    async txLog(user, txId) {
      return structuredClone(logs.get(txKey(user, txId)) ?? []);
    },

    async schedule(user, txId, dueAt) {
      owners.set(txId, user);
      due.set(dueMember(user, txId), dueAt);
    },

    async claimDue(now, leaseMs, limit): Promise<DueItem[]> {
      if (limit <= 0) return [];
      const ready = [...due].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]).slice(0, limit);
      for (const [m] of ready) due.set(m, now + leaseMs);
      return ready.map(([m]) => parseDueMember(m));
    },

    async unschedule(user, txId) {
      due.delete(dueMember(user, txId));
    },

    async scheduled(limit) {
      if (limit <= 0) return [];
      return [...due].sort((a, b) => a[1] - b[1]).slice(0, limit).map(([m]) => parseDueMember(m));
    },
  };
}
