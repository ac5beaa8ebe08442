/**
 * The ledger port (src/payments/ledger.ts) in the embedded store: each operation is one synchronous block (no
 * `await` between its reads and writes), so it is as atomic as its Lua script on Redis, with the same
 * outcomes: the op record is looked at first, refusals change nothing and are not recorded.
 */
import type { UserId } from '../../bot/channel.ts';
import type { Transaction, TxPatch } from '../../bot/store.ts';
import type { Ledger, Outcome, Refusal } from '../../payments/ledger.ts';
import { canMove, isFinal, RESERVED_AS } from '../../payments/transitions.ts';
import { TTL } from '../keys.ts';
import { listOf, type MemoryState } from './state.ts';

/** What an applied operation recorded: who sent it and what it answered. */
export interface OpRecord {
  by: string;
  saldo?: number;
  commission?: number;
  amount?: number;
  expiresAt: number;
}

const conflict = { ok: false, refusal: { code: 'op-conflict' } } as const;

function refused(refusal: Refusal): { ok: false; refusal: Refusal } {
  return { ok: false, refusal };
}

export function applyPatch(tx: Transaction, patch: TxPatch | undefined): void {
  if (!patch) return;
  if (patch.invoice !== undefined) tx.invoice = patch.invoice;
  if (patch.receipt !== undefined) tx.receipt = structuredClone(patch.receipt);
  if (patch.reason !== undefined) tx.reason = patch.reason;
  if (patch.flagged !== undefined) tx.flagged = patch.flagged;
  if (patch.commissioned) tx.commissioned = true;
}

export function memoryLedger(s: MemoryState): Ledger {
  const { saldos, txs, txIds, logs, sameDay, tickets, openTickets, ticketAmounts, transfers, ops, pushLedger, liveQuote, quotes } = s;
  const txKey = (user: UserId, id: string) => `${user}|${id}`;
  const opKey = (account: UserId, opId: string) => `${account}|${opId}`;

  /** The record of an operation applied before (and not yet expired), if any. */
  function prior(account: UserId, opId: string): OpRecord | undefined {
    const rec = ops.get(opKey(account, opId));
    if (rec && rec.expiresAt <= s.clock()) {
      ops.delete(opKey(account, opId));
      return undefined;
    }
    return rec;
  }

  function remember(account: UserId, opId: string, by: string, saldo?: number, more?: Pick<OpRecord, 'commission' | 'amount'>): void {
    ops.set(opKey(account, opId), { by, ...(saldo === undefined ? {} : { saldo }), ...more, expiresAt: s.clock() + TTL.opSeconds * 1000 });
  }

  /** The answer to an operation applied before: its record's saldo to the same sender, a conflict to another. */
  function again(rec: OpRecord, by: string): Outcome<{ saldo: number }> {
    return rec.by === by ? { ok: true, repeat: true, saldo: rec.saldo ?? 0 } : conflict;
  }

  return {
    async reserve(op) {
      const { user, txId } = op;
      const rec = prior(user, op.opId);
      if (rec) {
        if (rec.by !== op.by) return conflict;
        const tx = txs.get(txKey(user, txId));
        return tx ? { ok: true, repeat: true, tx: structuredClone(tx) } : refused({ code: 'unknown-tx' });
      }
      const quote = liveQuote(user);
      if (!quote || quote.id !== op.quoteId || quote.expiresAt <= op.now || txs.has(txKey(user, txId))) return refused({ code: 'no-quote' });
      const saldo = saldos.get(user) ?? 0;
      if (saldo < quote.price) return refused({ code: 'insufficient', saldo, price: quote.price });
      const after = pushLedger(user, -quote.price, 'payment', op.now, txId);
      const tx: Transaction = { id: txId, user, quote, status: RESERVED_AS, createdAt: op.now, updatedAt: op.now, saldoAfter: after };
      if (op.messageId) tx.messageId = op.messageId;
      if (op.paidBy) tx.paidBy = op.paidBy;
      txs.set(txKey(user, txId), tx);
      listOf(txIds, user).unshift(txId);
      quotes.delete(user);
      const mark = op.sameDay;
      if (mark) sameDay.set(`${user}|${mark.day}|${mark.product}|${mark.customerNo}`, txId);
      remember(user, op.opId, op.by, after);
      return { ok: true, repeat: false, tx: structuredClone(tx) };
    },

    async resolve(op) {
      const { user, txId, to } = op;
      const tx = txs.get(txKey(user, txId));
      const rec = prior(user, op.opId);
      if (rec) {
        if (rec.by !== op.by) return conflict;
        if (!tx) return refused({ code: 'unknown-tx' });
        return rec.saldo === undefined ? { ok: true, repeat: true, tx: structuredClone(tx) } : { ok: true, repeat: true, tx: structuredClone(tx), saldo: rec.saldo };
      }
      if (!tx) return refused({ code: 'unknown-tx' });
      if (!canMove(tx.status, to)) {
        return refused(isFinal(tx.status) ? { code: 'final', status: tx.status } : { code: 'illegal-transition', from: tx.status, to });
      }
      const saldo = to === 'FAILED' ? pushLedger(user, tx.quote.price, 'refund', op.now, txId) : undefined;
      tx.status = to;
      tx.updatedAt = op.now;
      applyPatch(tx, op.patch);
      // As on Redis, where an empty reason reads back as none.
      if (to === 'FAILED' && op.reason) tx.reason = op.reason;
      else if (to === 'FAILED') delete tx.reason;
      if (op.log) listOf(logs, txKey(user, txId)).push(structuredClone(op.log));
      remember(user, op.opId, op.by, saldo);
      return saldo === undefined ? { ok: true, repeat: false, tx: structuredClone(tx) } : { ok: true, repeat: false, tx: structuredClone(tx), saldo };
    },

    async adjust(op) {
      if (!Number.isSafeInteger(op.amount)) throw new Error('an amount must be a whole number of rupiah');
      const rec = prior(op.user, op.opId);
      if (rec) return again(rec, op.by);
      const saldo = saldos.get(op.user) ?? 0;
      if (saldo + op.amount < 0) return refused({ code: 'insufficient', saldo, price: -op.amount });
      const after = pushLedger(op.user, op.amount, op.reason, op.now, undefined, op.note);
      remember(op.user, op.opId, op.by, after);
      return { ok: true, repeat: false, saldo: after };
    },

    async acceptTicket(op) {
      const t = tickets.get(op.ticketId);
      if (!t) return refused({ code: 'unknown-ticket' });
      const rec = prior(t.user, op.opId);
      if (rec) {
        const out = again(rec, op.by);
        return out.ok ? { ...out, ticket: { ...t } } : out;
      }
      if (t.status === 'paid') return refused({ code: 'ticket-used', ticket: { ...t } });
      if (t.status === 'replaced') return refused({ code: 'ticket-replaced', ticket: { ...t } });
      if (t.expiresAt <= op.now && !op.allowExpired) return refused({ code: 'ticket-expired', ticket: { ...t } });
      const saldo = pushLedger(t.user, t.amount, 'deposit', op.now, undefined, `ticket ${t.id} by ${op.acceptedBy}`);
      t.status = 'paid';
      t.paidAt = op.now;
      t.paidBy = op.acceptedBy;
      if (ticketAmounts.get(t.amount)?.id === t.id) ticketAmounts.delete(t.amount);
      const open = openTickets.get(t.user);
      if (open?.includes(t.id)) open.splice(open.indexOf(t.id), 1);
      remember(t.user, op.opId, op.by, saldo);
      return { ok: true, repeat: false, ticket: { ...t }, saldo };
    },

    async transferOut(op) {
      const { from, to, transferId: id, amount } = op;
      const rec = prior(from, op.opId);
      if (rec) return again(rec, op.by);
      const saldo = saldos.get(from) ?? 0;
      if (saldo < amount) return refused({ code: 'insufficient', saldo, price: amount });
      const after = pushLedger(from, -amount, 'transfer-out', op.now, id, to);
      transfers.set(`${from}|${id}`, { id, from, to, amount, at: op.now, state: 'debited' });
      remember(from, op.opId, op.by, after);
      return { ok: true, repeat: false, saldo: after };
    },

    async transferIn(op) {
      const { from, to, transferId: id, amount } = op;
      const rec = prior(to, op.opId);
      let out: Outcome<{ saldo: number }>;
      if (rec) out = again(rec, op.by);
      else {
        const saldo = pushLedger(to, amount, 'transfer-in', op.now, id, from);
        remember(to, op.opId, op.by, saldo);
        out = { ok: true, repeat: false, saldo };
      }
      // A record under this id, another sender's included, means the credit was made: the transfer is done.
      const t = transfers.get(`${from}|${id}`);
      if (t) t.state = 'done';
      return out;
    },

    async creditCommission(op) {
      if (!Number.isSafeInteger(op.amount) || op.amount <= 0) throw new Error('a commission must be a positive whole number of rupiah');
      const rec = prior(op.user, op.opId);
      if (rec) return rec.by === op.by ? { ok: true, repeat: true, commission: rec.commission ?? 0 } : conflict;
      const commission = s.pushCommission(op.user, op.amount, 'komisi', op.now, op.txId, op.via);
      remember(op.user, op.opId, op.by, undefined, { commission });
      return { ok: true, repeat: false, commission };
    },

    async redeemCommission(op) {
      const rec = prior(op.user, op.opId);
      if (rec) {
        if (rec.by !== op.by) return conflict;
        return { ok: true, repeat: true, amount: rec.amount ?? 0, commission: rec.commission ?? 0, saldo: rec.saldo ?? 0 };
      }
      const balance = s.commissions.get(op.user) ?? 0;
      const amount = op.amount ?? balance;
      if (!Number.isSafeInteger(amount)) throw new Error('an amount must be a whole number of rupiah');
      if (amount <= 0 || amount > balance) return refused({ code: 'insufficient', saldo: balance, price: amount });
      const commission = s.pushCommission(op.user, -amount, 'tukar-komisi', op.now);
      const saldo = pushLedger(op.user, amount, 'tukar-komisi', op.now);
      remember(op.user, op.opId, op.by, saldo, { commission, amount });
      return { ok: true, repeat: false, amount, commission, saldo };
    },
  };
}
