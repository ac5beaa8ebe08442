/**
 * The ledger port: every step that moves money, and nothing else. Each step is an operation whose id the
 * caller makes before the first try (TigerBeetle's transfer ids, Stripe's idempotency keys) and sends
 * unchanged with every retry. A store applies it in one atomic step and records what it did under the id
 * (kept OP_RECORD_SECONDS); the same operation sent again changes nothing and answers the recorded outcome
 * with `repeat: true`. So an answer lost with the connection is always recovered the same way: send the same
 * operation again (withRetries, retry.ts). A refusal changes nothing and is not recorded: sent again, the
 * operation is judged afresh (a top-up may have come since an `insufficient`).
 *
 * `by` says who sends the operation (the worker, an admin's message, a webhook); it is recorded with the
 * outcome. The same id sent again by another sender is refused as `op-conflict` (Stripe refuses a key reused
 * with other parameters), which tells a second YA or an admin's SUKSES racing the worker that the step is
 * someone else's, while the sender whose answer was lost gets its own outcome back and carries on.
 *
 * Implemented by both stores (src/store/), each against the contract suite in test/store/.
 */
import type { UserId } from '../bot/channel.ts';
import type { AccountId } from '../bot/store/users.ts';
import type { LedgerReason, Quote, SameDayMark, Ticket, Transaction, TxEvent, TxPatch, TxStatus } from '../bot/store.ts';

export type { AccountId };

/** Made by the caller before the first try; the same for every retry of that operation. */
export type OpId = string;

/** How long an operation's outcome is kept: a retry within it is answered from the record. */
export const OP_RECORD_SECONDS = 7 * 86400;

/** The operation ids the money rules use, in one place. */
export const opIds = {
  /** The reserve of a payment: its transaction id, made with the quote. */
  reserve: (txId: string) => txId,
  pending: (txId: string) => `${txId}:pending`,
  settle: (txId: string) => `${txId}:settle`,
  fail: (txId: string) => `${txId}:fail`,
  /** A command typed in chat: one operation per delivered message of one user. */
  message: (user: UserId, messageId: string) => `msg:${user}:${messageId}`,
  transferOut: (transferId: string) => transferId,
  /** On the receiver's account: the credit of that transfer. */
  transferIn: (transferId: string) => `credited:${transferId}`,
  /** An upline's commission on a SETTLED transaction; level 1 is the nearest upline. */
  commission: (txId: string, level: number) => `${txId}:komisi:${level}`,
} as const;

/** Why an operation changed nothing. Typed, so a caller says the right sentence. */
export type Refusal =
  /** reserve: no open quote with that id (never made, expired, paid, cancelled, or replaced). */
  | { code: 'no-quote' }
  /** reserve, a debit, transferOut: the saldo is short. */
  | { code: 'insufficient'; saldo: number; price: number }
  | { code: 'unknown-tx' }
  /** resolve: the transaction is already SETTLED or FAILED, and stays so. */
  | { code: 'final'; status: TxStatus }
  /** resolve: the transition table has no such step from where the transaction is. */
  | { code: 'illegal-transition'; from: TxStatus; to: TxStatus }
  | { code: 'unknown-ticket' }
  | { code: 'ticket-used'; ticket: Ticket }
  | { code: 'ticket-expired'; ticket: Ticket }
  | { code: 'ticket-replaced'; ticket: Ticket }
  /** The id was applied before, sent by someone else: the step is theirs. */
  | { code: 'op-conflict' };

/** What an operation did: applied now, applied before (`repeat`), or refused with a reason. */
export type Outcome<T> = ({ ok: true; repeat: boolean } & T) | { ok: false; refusal: Refusal };

interface OpBase {
  opId: OpId;
  /** Who sends it: `worker`, `msg:<user>:<id>`, `moota`… Recorded; another sender's repeat is `op-conflict`. */
  by: string;
  now: number;
}

export interface ReserveOp extends OpBase {
  user: AccountId;
  quoteId: string;
  txId: string;
  /** The incoming message that paid: kept on the transaction. */
  messageId?: string;
  /** The identity that paid, when it is not the account itself: later notices go there. */
  paidBy?: UserId;
  /** The duplicate guard's mark to set. */
  sameDay?: SameDayMark;
  /** The quote as the caller read it (same id): the store need not send it back. */
  quote?: Quote;
}

export interface ResolveOp extends OpBase {
  user: AccountId;
  txId: string;
  to: 'PENDING' | 'SETTLED' | 'FAILED';
  /**
   * The transaction as the caller read it (same id): the answer is built from it and the step's changes, so
   * the store need not send the transaction back (as ReserveOp's `quote`).
   */
  known?: Transaction;
  /** Fields set in the same step (the receipt, the invoice, why it is pending). */
  patch?: TxPatch;
  /** FAILED: why; shown to the user with the refund. */
  reason?: string;
  /** Appended to the transaction's record in the same step. */
  log?: TxEvent;
}

export interface AdjustOp extends OpBase {
  user: AccountId;
  /** Signed rupiah: a credit is positive. A debit below zero is refused as `insufficient`. */
  amount: number;
  reason: LedgerReason;
  note?: string;
}

export interface AcceptTicketOp extends OpBase {
  ticketId: string;
  /** The admin (or the webhook) that accepted it. */
  acceptedBy: string;
  /** A bank mutation proves the money arrived: an expired ticket is credited all the same (ACC <tiket> <mutation>). */
  allowExpired?: boolean;
}

export interface TransferOp extends OpBase {
  /** The transfer's own id (`TRF-…`); both halves name it. */
  transferId: string;
  from: AccountId;
  to: AccountId;
  amount: number;
}

export interface CommissionOp extends OpBase {
  /** The upline earning it. */
  user: AccountId;
  amount: number;
  /** The SETTLED transaction it is earned on, and the downline that paid it. */
  txId: string;
  from: AccountId;
  /** The upline's direct downline on the payer's side (the payer itself at level 1): the entry's note. */
  via: AccountId;
  level: number;
}

export interface RedeemOp extends OpBase {
  user: AccountId;
  /** How much commission to move into saldo; absent: all of it. */
  amount?: number;
}

export interface Ledger {
  /**
   * QUOTED → SENDING, the one claim to call the biller: consumes the open quote `quoteId`, checks and debits
   * the saldo, writes the transaction and its ledger entry. opId: opIds.reserve(txId). A repeat answers the
   * transaction as it is now (it may have moved since), so a sender whose answer was lost sends the payment
   * only while it is still SENDING.
   */
  reserve(op: ReserveOp): Promise<Outcome<{ tx: Transaction }>>;
  /**
   * Moves a transaction as the transition table allows; to FAILED it refunds in the same step. `saldo` is
   * the saldo after a refund. opId: opIds.pending / settle / fail (txId). A repeat answers the transaction as
   * it is now.
   */
  resolve(op: ResolveOp): Promise<Outcome<{ tx: Transaction; saldo?: number }>>;
  /** Credits (or debits, never below zero) a saldo for a reason, with its ledger entry. */
  adjust(op: AdjustOp): Promise<Outcome<{ saldo: number }>>;
  /** Credits an open deposit ticket's amount to its owner, once. */
  acceptTicket(op: AcceptTicketOp): Promise<Outcome<{ ticket: Ticket; saldo: number }>>;
  /** First half of a transfer: debits the sender and records the transfer. opId: opIds.transferOut(id). */
  transferOut(op: TransferOp): Promise<Outcome<{ saldo: number }>>;
  /** Second half: credits the receiver and marks the transfer done. opId: opIds.transferIn(id). */
  transferIn(op: TransferOp): Promise<Outcome<{ saldo: number }>>;
  /** Credits an upline's commission book (reason `komisi`, the transaction on the entry). opId: opIds.commission. */
  creditCommission(op: CommissionOp): Promise<Outcome<{ commission: number }>>;
  /**
   * `TUKAR KOMISI`: moves commission into saldo, one entry in each book. Refused as `insufficient` (its `saldo`
   * the commission balance) when there is less than asked, or nothing at all.
   */
  redeemCommission(op: RedeemOp): Promise<Outcome<{ amount: number; commission: number; saldo: number }>>;
}
