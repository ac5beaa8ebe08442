/**
 * The store's money methods from before the ledger port, each one call of `money` (src/store/legacy-money.ts).
 * No code in src/ calls them any more; test and bench seeding still does (see the issue 17 report). Deprecated:
 * seed with `store.money` or createDesk (src/payments/desk.ts), and this port goes with the last caller.
 */
import type { UserId } from '../channel.ts';
import type { Ticket } from './tickets.ts';
import type { LedgerReason } from './transactions.ts';
import type { Transfer } from './transfers.ts';

export type AcceptResult =
  | { ok: true; ticket: Ticket; saldo: number }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'replaced'; ticket?: Ticket };

export interface LegacyMoney {
  /**
   * Adds (or with a negative amount takes, never below zero) saldo with a ledger entry; null when it would go
   * below zero. `opId` (an admin's message id) makes it idempotent: applied before, it returns the saldo after
   * that time and changes nothing, so it can be sent again when its answer was lost.
   * @deprecated One call of `money.adjust`; chat commands use depositCredit (src/payments/desk.ts).
   */
  adjustSaldo(user: UserId, amount: number, reason: LedgerReason, now: number, note?: string, opId?: string): Promise<number | null>;
  /**
   * Credits an open ticket's amount once, with a ledger entry; atomic per ticket. A replaced ticket is refused.
   * @deprecated One call of `money.acceptTicket`; chat commands use acceptDeposit (src/payments/desk.ts).
   */
  acceptTicket(id: string, now: number, by: UserId): Promise<AcceptResult>;
  /**
   * First half of a transfer: debits the sender and records the transfer, atomically; null when the saldo is short.
   * @deprecated One call of `money.transferOut`; chat commands use transfer (src/payments/desk.ts).
   */
  transferOut(t: Omit<Transfer, 'state'>): Promise<{ saldo: number } | null>;
  /**
   * Second half: credits the receiver once per transfer id (idempotent), then marks the transfer done.
   * @deprecated One call of `money.transferIn`; chat commands use transfer (src/payments/desk.ts).
   */
  transferIn(t: Omit<Transfer, 'state'>): Promise<{ saldo: number }>;
}
