/** Conversation state: a message's admission (replay claim, flood count) and the open quote waiting for `YA`. */
import type { UserId } from '../channel.ts';
import type { Bill, Family, ProviderName } from '../provider.ts';

/** An inquiry's answer waiting for `YA`. One per user: a new inquiry replaces the open one. */
export interface Quote {
  id: string;
  /** The transaction this quote becomes when paid; also the provider's reference where one is asked (IAK ref_id). */
  txId: string;
  user: UserId;
  provider: ProviderName;
  product: string;
  /** The code the user asked for when it is a product several billers sell (`PLNS20`), for a fall-over after a refused top-up. */
  asked?: string;
  family: Family;
  bill: Bill;
  /** The operator's margin over the provider's debit. */
  markup: number;
  /**
   * Each upline's markup on this sale, nearest upline first (level 1), fixed when the quote is made: a later
   * MARKUP changes no open quote, and the commissions of a SETTLED transaction need no look-up of today's.
   */
  network?: NetworkShare[];
  /** What this user's saldo is debited: the provider's debit, the operator's markup and every upline's. */
  price: number;
  createdAt: number;
  expiresAt: number;
  /** The PIN came with the inquiry (the one-line form): `YA` pays without asking it again. */
  pinOk?: boolean;
  /** Made in sandbox mode against a simulated biller: its summary and receipt say no payment is real. */
  sandbox?: true;
}

/** One upline's part of a downline's price. */
export interface NetworkShare {
  account: UserId;
  markup: number;
}

/** What a payment's reserve also records: the duplicate guard's mark for that day, product and number. */
export interface SameDayMark {
  day: string;
  product: string;
  customerNo: string;
}

export interface AdmitOptions {
  ttlSeconds: number;
  floodWindowMs?: number;
  /** Also read the user's open quote in the same step (a `YA` is about to pay it). */
  openQuote?: boolean;
}

export interface Admission {
  fresh: boolean;
  count: number;
  /** The open quote, when asked for and the message is fresh (null: none open). */
  quote?: Quote | null;
}

export interface Conversations {
  /**
   * A message's first store step, atomic: claims its delivery id (`fresh` false: seen within `ttlSeconds`, a
   * replay, and nothing is counted) and counts it in the user's flood window (`count`: messages in the window
   * that started with the first of them, `floodWindowMs` long; 0 when no window is given); for a `YA`, it
   * also hands back the open quote, one command for all three.
   */
  admit(user: UserId, messageId: string | undefined, opts: AdmitOptions): Promise<Admission>;
  /**
   * Stores the user's open quote. Given a duplicate-guard mark, also returns the transaction that mark names
   * (what this user paid to that product and number that day), in the same step.
   */
  putQuote(quote: Quote, sameDay?: SameDayMark): Promise<string | null>;
  getQuote(user: UserId): Promise<Quote | null>;
  /** Removes the open quote; false when there was none. */
  dropQuote(user: UserId): Promise<boolean>;
}
