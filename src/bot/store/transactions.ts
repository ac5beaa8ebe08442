/**
 * Transactions, saldo and the ledger as read, and the writes that move no money (provider events, flags).
 * Every step that moves money is the ledger's (src/payments/ledger.ts).
 */
import type { UserId } from '../channel.ts';
import type { Receipt } from '../provider.ts';
import type { Quote } from './conversations.ts';

/**
 * SENDING: debited, and the one process allowed to call the provider is calling it (the reserve writes it).
 * PENDING: outcome unknown, being checked. SETTLED / FAILED (refunded) are final. RESERVED (debited, not yet
 * sent) is only read: versions before the reserve wrote SENDING left it. Moves: src/payments/transitions.ts.
 */
export type TxStatus = 'RESERVED' | 'SENDING' | 'PENDING' | 'SETTLED' | 'FAILED';

export interface Transaction {
  id: string;
  user: UserId;
  quote: Quote;
  status: TxStatus;
  createdAt: number;
  updatedAt: number;
  /** Saldo right after the debit. */
  saldoAfter: number;
  /** The incoming message that paid it. */
  messageId?: string;
  invoice?: string;
  receipt?: Receipt;
  /** Why it failed, or why it is pending. */
  reason?: string;
  /** Admins were told this needs a hand (no status call possible, or 24 h old). */
  flagged?: string;
  /** The identity that paid it (`telegram:…`): later notices (receipt, refund) go there. Absent: the account itself. */
  paidBy?: UserId;
  /** Every upline's commission on it is credited (SETTLED only): the worker has nothing left to do for it. */
  commissioned?: true;
}

/** Fields a state change may set on a transaction. */
export interface TxPatch {
  invoice?: string;
  receipt?: Receipt;
  reason?: string;
  flagged?: string;
  /** Set by the worker once every upline's commission on it is credited. */
  commissioned?: true;
}

/**
 * Why a saldo (or a commission balance) changed. `komisi`: an upline's commission on a downline's SETTLED
 * transaction, in the commission book; `tukar-komisi`: commission moved into saldo, one entry in each book.
 */
export type LedgerReason =
  | 'payment' | 'refund' | 'deposit' | 'transfer-in' | 'transfer-out' | 'adjustment' | 'komisi' | 'tukar-komisi';

export interface LedgerEntry {
  at: number;
  /** Signed rupiah: a debit is negative. */
  amount: number;
  reason: LedgerReason;
  txId?: string;
  saldoAfter: number;
  note?: string;
}

/** One provider call or answer, or a state change, for `TRX <ID>`. */
export interface TxEvent {
  at: number;
  type: string;
  data?: unknown;
}

export interface Transactions {
  getSaldo(user: UserId): Promise<number>;
  /** The account's commission balance (what its downlines' sales earned it and it has not moved to saldo). */
  getCommission(account: UserId): Promise<number>;
  /** The last `limit` entries of the commission book, newest first; `saldoAfter` is the commission balance after. */
  commissionLedger(account: UserId, limit: number): Promise<LedgerEntry[]>;
  /** The last `limit` ledger entries, newest first. */
  ledger(user: UserId, limit: number): Promise<LedgerEntry[]>;
  getTx(user: UserId, txId: string): Promise<Transaction | null>;
  /** Newest first. */
  listTx(user: UserId, limit: number): Promise<Transaction[]>;
  /** The owner of a transaction id, for admin look-ups; kept after `unschedule`. */
  txOwner(txId: string): Promise<UserId | null>;
  /** Sets fields without a state change (e.g. `flagged`). */
  patchTx(user: UserId, txId: string, patch: TxPatch): Promise<void>;
  logTx(user: UserId, txId: string, event: TxEvent): Promise<void>;
  txLog(user: UserId, txId: string): Promise<TxEvent[]>;
}
