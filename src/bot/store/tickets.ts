/** Deposit tickets as opened and read; accepting one moves money, so it is the ledger's (`acceptTicket`). */
import type { UserId } from '../channel.ts';

export interface Ticket {
  id: string;
  user: UserId;
  /** What the reseller asked for (`TIKET <nominal>`): a new ticket replaces the oldest open one of the same nominal. */
  nominal: number;
  /** What the reseller transfers and what ACC credits: never below the nominal, unique among open tickets. */
  amount: number;
  /** replaced: a newer ticket of the same nominal took its place (the reseller was at the cap); ACC refuses it. */
  status: 'open' | 'paid' | 'replaced';
  createdAt: number;
  expiresAt: number;
  /** When ACC credited it, and which admin. */
  paidAt?: number;
  paidBy?: UserId;
  /** The ticket that replaced it. */
  replacedBy?: string;
}

export type OpenTicketResult =
  /** `replaced`: the reseller's oldest open ticket of this nominal, now unusable (it was at the cap). */
  | { ok: true; ticket: Ticket; replaced?: Ticket }
  /** At the cap with no open ticket of this nominal: its open tickets, oldest first. */
  | { ok: false; reason: 'full'; open: Ticket[] }
  /** No free unique amount near the nominal. */
  | { ok: false; reason: 'busy' };

export interface Tickets {
  /**
   * A deposit ticket whose amount no other open ticket has (see the scheme at TICKET_CLAIM in
   * src/store/scripts.ts). A reseller holds at most `maxOpen` open tickets: at the cap, the new one replaces
   * its oldest open ticket of the same nominal (status `replaced`, its amount free again), or is refused (`full`).
   * Atomic per reseller.
   */
  openTicket(user: UserId, id: string, nominal: number, now: number, ttlMs: number, maxOpen: number): Promise<OpenTicketResult>;
  getTicket(id: string): Promise<Ticket | null>;
}
