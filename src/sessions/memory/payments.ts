/** Quotes, saldo and ledger, transactions and their schedule in the embedded store. */
import type { UserId } from '../../bot/channel.ts';
import { isFinal, type DueItem, type ReserveResult, type Transaction, type TxPatch, type TxStatus } from '../../bot/store.ts';
import { dueMember, parseDueMember, TTL } from '../keys.ts';
import type { PaymentsPart } from '../parts.ts';
import { listOf, type MemoryState } from './state.ts';

function applyPatch(tx: Transaction, patch: TxPatch | undefined): void {
  if (!patch) return;
  if (patch.invoice !== undefined) tx.invoice = patch.invoice;
  if (patch.receipt !== undefined) tx.receipt = structuredClone(patch.receipt);
  if (patch.reason !== undefined) tx.reason = patch.reason;
  if (patch.flagged !== undefined) tx.flagged = patch.flagged;
}

export function memoryPayments(s: MemoryState): PaymentsPart {
  const { quotes, saldos, ledgers, txs, txIds, logs, due, owners, sameDay, pushLedger, liveQuote } = s;
  const txKey = (user: UserId, id: string) => `${user}|${id}`;

  return {
    async putQuote(quote, mark) {
      quotes.set(quote.user, structuredClone(quote));
      return mark ? (sameDay.get(`${quote.user}|${mark.day}|${mark.product}|${mark.customerNo}`) ?? null) : null;
    },

    async getQuote(user) {
      const q = liveQuote(user);
      return q ? structuredClone(q) : null;
    },

    async dropQuote(user) {
      const had = liveQuote(user) !== undefined;
      quotes.delete(user);
      return had;
    },

    async getSaldo(user) {
      return saldos.get(user) ?? 0;
    },

    async adjustSaldo(user, amount, reason, now, note, opId) {
      const mark = opId ? `${user}|${opId}` : undefined;
      const done = mark ? s.adjusted.get(mark) : undefined;
      if (done && done.expiresAt > s.clock()) return done.value;
      if ((saldos.get(user) ?? 0) + amount < 0) return null;
      const after = pushLedger(user, amount, reason, now, undefined, note);
      if (mark) s.adjusted.set(mark, { value: after, expiresAt: s.clock() + TTL.messageSeconds * 1000 });
      return after;
    },

    async ledger(user, limit) {
      if (limit <= 0) return [];
      return (ledgers.get(user) ?? []).slice(-limit).reverse().map((e) => ({ ...e }));
    },

    async reserve(user, quoteId, txId, now, opts): Promise<ReserveResult> {
      const quote = liveQuote(user);
      if (!quote || quote.id !== quoteId || quote.expiresAt <= now || txs.has(txKey(user, txId))) return { ok: false, reason: 'no-quote' };
      const saldo = saldos.get(user) ?? 0;
      if (saldo < quote.price) return { ok: false, reason: 'insufficient', saldo, price: quote.price };
      const after = pushLedger(user, -quote.price, 'payment', now, txId);
      const tx: Transaction = { id: txId, user, quote, status: opts?.sending ? 'SENDING' : 'RESERVED', createdAt: now, updatedAt: now, saldoAfter: after };
      if (opts?.messageId) tx.messageId = opts.messageId;
      const mark = opts?.sameDay;
      txs.set(txKey(user, txId), tx);
      listOf(txIds, user).unshift(txId);
      quotes.delete(user);
      if (mark) sameDay.set(`${user}|${mark.day}|${mark.product}|${mark.customerNo}`, txId);
      return { ok: true, tx: structuredClone(tx) };
    },

    async transition(user, txId, from: readonly TxStatus[], to, now, patch, log) {
      const tx = txs.get(txKey(user, txId));
      if (!tx || isFinal(tx.status) || !from.includes(tx.status)) return false;
      tx.status = to;
      tx.updatedAt = now;
      applyPatch(tx, patch);
      if (log) listOf(logs, txKey(user, txId)).push(structuredClone(log));
      return true;
    },

    async fail(user, txId, from, reason, now, log) {
      const tx = txs.get(txKey(user, txId));
      if (!tx || isFinal(tx.status) || !from.includes(tx.status)) return false;
      pushLedger(user, tx.quote.price, 'refund', now, txId);
      tx.status = 'FAILED';
      tx.updatedAt = now;
      tx.reason = reason;
      if (log) listOf(logs, txKey(user, txId)).push(structuredClone(log));
      return true;
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

    async stats() {
      let saldoTotal = 0;
      for (const v of saldos.values()) saldoTotal += v;
      return { pending: due.size, saldoTotal };
    },
  };
}
