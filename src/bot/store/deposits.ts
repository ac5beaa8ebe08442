/**
 * Deposits that need no human: the bank mutations Moota pushes and the QRIS payments Tripay reports. Each is
 * kept on arrival, before anything is credited, so the sender is answered only once what it carried is stored,
 * and listed by when it came (the back office reads them by date). Crediting is the ledger's: a mutation
 * through `acceptTicket` under the operation id `moota:<mutation_id>`, a QRIS payment through `adjust` under
 * `tripay:<reference>`.
 */
import type { UserId } from '../channel.ts';

/**
 * received: kept, not yet matched. credited: a ticket was credited with it. unmatched: no open ticket has its
 * amount (the admins settle it with ACC <tiket> <mutation_id>). expired-ticket: its ticket had expired (kept
 * for the admins, not credited). debit: money out, ignored.
 */
export type MutationStatus = 'received' | 'credited' | 'unmatched' | 'expired-ticket' | 'debit';

export interface BankMutation {
  /** Moota's `mutation_id`. */
  id: string;
  amount: number;
  type: 'CR' | 'DB';
  /** The bank's date as Moota sent it. */
  date: string;
  description: string;
  receivedAt: number;
  status: MutationStatus;
  /** The ticket it was matched to (or settled to by hand): set once, so one mutation never credits two tickets. */
  ticketId?: string;
  /** When its status last changed, and who changed it (`moota`, an admin). */
  updatedAt?: number;
  by?: string;
}

export type QrisStatus = 'open' | 'paid' | 'expired' | 'failed';

export interface QrisDeposit {
  /** Our id, sent to Tripay as `merchant_ref`. */
  id: string;
  user: UserId;
  /** What the saldo is credited when it is paid. */
  amount: number;
  /** What the payer pays (the amount, plus the fee when the reseller bears it). */
  pay: number;
  fee: number;
  feePaidBy: 'reseller' | 'operator';
  /** Tripay's reference. */
  reference: string;
  status: QrisStatus;
  createdAt: number;
  expiresAt: number;
  checkoutUrl?: string;
  paidAt?: number;
}

export interface Deposits {
  /** Keeps a pushed mutation unless it is kept already; answers the record as it is now (the first push's). */
  keepMutation(m: Omit<BankMutation, 'status' | 'receivedAt'>, now: number): Promise<BankMutation>;
  getMutation(id: string): Promise<BankMutation | null>;
  /**
   * Ties a mutation to a ticket, once: the ticket it is tied to now (an earlier tie wins). Null when the
   * mutation is not kept.
   */
  claimMutation(id: string, ticketId: string): Promise<string | null>;
  /** Moves a mutation to `to` if it is in one of `from`; true for the one caller that moved it. */
  moveMutation(id: string, from: readonly MutationStatus[], to: MutationStatus, now: number, by: string): Promise<boolean>;
  /** Mutations received in [fromMs, toMs), oldest first, optionally of some statuses only. */
  mutations(fromMs: number, toMs: number, statuses?: readonly MutationStatus[]): Promise<BankMutation[]>;
  /** The ticket that holds an amount (open, or expired and not yet let go), if any. */
  ticketHolding(amount: number): Promise<string | null>;

  putQris(d: QrisDeposit): Promise<void>;
  getQris(id: string): Promise<QrisDeposit | null>;
  /** Moves a QRIS deposit to `to` if it is in one of `from`; true for the one caller that moved it. */
  moveQris(id: string, from: readonly QrisStatus[], to: QrisStatus, now: number): Promise<boolean>;
  /** QRIS deposits made in [fromMs, toMs), oldest first. */
  qrisDeposits(fromMs: number, toMs: number): Promise<QrisDeposit[]>;
}
