/**
 * The store port: every piece of state the product keeps. Two implementations live in src/sessions/
 * (Redis, and an embedded in-memory one); both pass test/sessions/store-contract.ts.
 * Every step that moves money is the ledger's (`money`, src/payments/ledger.ts): one Lua script on Redis and
 * one synchronous block in memory, idempotent per operation id.
 */
import type { Ledger } from '../payments/ledger.ts';
import type { UserId } from './channel.ts';
import type { Bill, Family, ProviderName, Receipt } from './provider.ts';

export { isFinal } from '../payments/transitions.ts';

/** An inquiry's answer waiting for `YA`. One per user: a new inquiry replaces the open one. */
export interface Quote {
  id: string;
  /** The transaction this quote becomes when paid; also the provider's reference where one is asked (IAK ref_id). */
  txId: string;
  user: UserId;
  provider: ProviderName;
  product: string;
  family: Family;
  bill: Bill;
  /** The operator's margin over the provider's debit. */
  markup: number;
  /** What this user's saldo is debited: the provider's debit plus the markup. */
  price: number;
  createdAt: number;
  expiresAt: number;
  /** The PIN came with the inquiry (the one-line form): `YA` pays without asking it again. */
  pinOk?: boolean;
  /** Made in sandbox mode against a simulated biller: its summary and receipt say no payment is real. */
  sandbox?: true;
}

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
}

/** Fields a state change may set on a transaction. */
export interface TxPatch {
  invoice?: string;
  receipt?: Receipt;
  reason?: string;
  flagged?: string;
}

export type LedgerReason = 'payment' | 'refund' | 'deposit' | 'transfer-in' | 'transfer-out' | 'adjustment';

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

export interface UserRecord {
  id: UserId;
  reseller: boolean;
  name?: string;
  firstSeen: number;
  /** A transaction PIN is set: payments must pass the PIN gate. */
  hasPin?: boolean;
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

export interface PinState {
  /** `scrypt$<salt>$<hash>`, never the PIN. */
  hash?: string;
  fails: number;
  lockedUntil: number;
}

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

export type AcceptResult =
  | { ok: true; ticket: Ticket; saldo: number }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'replaced'; ticket?: Ticket };

/**
 * A PIN try claimed before the PIN is compared (`pinTry`). Refused when payments are locked, when no PIN is
 * set, or when the failures so far plus the tries being compared right now reach the maximum (`busy`).
 */
export type PinTry =
  | { ok: true; hash: string }
  | { ok: false; reason: 'locked'; lockedUntil: number }
  | { ok: false; reason: 'busy' | 'none' };

export interface Transfer {
  id: string;
  from: UserId;
  to: UserId;
  amount: number;
  /** debited: the sender's side is done; done: both sides. */
  state: 'debited' | 'done';
  at: number;
}

export interface DueItem {
  user: UserId;
  txId: string;
}

export type BroadcastAudience = 'all' | 'resellers';
export type BroadcastOutcome = 'sent' | 'failed' | 'skipped';

export interface NewBroadcast {
  id: string;
  /** The admin who sent it: told when it starts, of its progress and of its tally. */
  by: UserId;
  audience: BroadcastAudience;
  /** As the admin typed it. */
  text: string;
  createdAt: number;
}

export interface Broadcast extends NewBroadcast {
  /** Recipients per channel name, fixed when it was created. */
  lanes: Record<string, number>;
  total: number;
  state: 'running' | 'done';
  /** Recipients taken for sending so far: each one once, ever. */
  taken: number;
  sent: number;
  failed: number;
  /** Blocked the bot, or cannot be reached on their channel. */
  skipped: number;
  /** Taken by a process that died before it said how the send went: counted in `failed`, never sent again. */
  unconfirmed: number;
  /** The handle of the admin's progress message, where their channel can edit it in place. */
  progress?: string;
  /** The last tenth of the way the admin was shown (0–10). */
  step: number;
  finishedAt?: number;
}

/** One recipient taken for sending, or why none was: the lane is empty, or this worker no longer holds the lease. */
export type TakeResult = { user: UserId } | 'end' | 'lost';

/**
 * What a store step throws when its connection was lost after the step was sent and before it was answered:
 * the step may have happened or not. The store never sends it again by itself (a credit would be made twice):
 * the ledger's operations are sent again by withRetries (src/payments/retry.ts), each under its operation id,
 * so a repeat changes nothing; for any other step the user is told to look before doing it again.
 */
export class StoreOutcomeUnknown extends Error {
  override readonly name = 'StoreOutcomeUnknown';
  constructor(message = 'the store connection closed before the store answered: the step may or may not have happened') {
    super(message);
  }
}

/**
 * Runs store steps that are idempotent together (keyed by an id made before the first run), and runs them
 * once more (`again` true) when an answer was lost with the connection: the second run moves nothing the
 * first one moved, and its answer is the one the user gets instead of "look before you repeat it".
 * @deprecated The chat handlers' money steps move to src/payments/desk.ts, whose ledger operations
 * withRetries sends again; this goes with the last handler that calls it.
 */
export async function againIfLost<T>(steps: (again: boolean) => Promise<T>): Promise<T> {
  try {
    return await steps(false);
  } catch (err) {
    if (!(err instanceof StoreOutcomeUnknown)) throw err;
    try {
      return await steps(true);
    } catch (again) {
      throw stillUnknown(again);
    }
  }
}

/**
 * Any failure of the work that follows a lost answer (Redis still down: ioredis refuses the command rather
 * than queue it) leaves the first run's outcome unknown; it must not reach the user as "try again".
 * @deprecated Goes with againIfLost; retrying (src/payments/retry.ts) ends in StoreOutcomeUnknown itself.
 */
export function stillUnknown(err: unknown): StoreOutcomeUnknown {
  if (err instanceof StoreOutcomeUnknown) return err;
  return new StoreOutcomeUnknown(`after a lost answer, the store failed again: ${err instanceof Error ? err.message : String(err)}`);
}

export interface Store {
  readonly kind: 'redis' | 'memory';

  /** Every step that moves money, each idempotent per operation id (src/payments/ledger.ts). */
  readonly money: Ledger;

  /**
   * A message's first store step, atomic: claims its delivery id (`fresh` false: seen within `ttlSeconds`, a
   * replay, and nothing is counted) and counts it in the user's flood window (`count`: messages in the window
   * that started with the first of them, `floodWindowMs` long; 0 when no window is given); for a `YA`, it
   * also hands back the open quote, one command for all three.
   */
  admit(user: UserId, messageId: string | undefined, opts: AdmitOptions): Promise<Admission>;

  /** Records that a user has messaged the bot; returns the record (created on first sight). */
  touchUser(user: UserId, now: number): Promise<UserRecord>;
  getUser(user: UserId): Promise<UserRecord | null>;
  /** Every user who has messaged the bot or was made a reseller (broadcasts, the audit). */
  allUsers(): Promise<UserId[]>;
  /** Users who are resellers now. */
  resellers(): Promise<UserId[]>;
  setReseller(user: UserId, reseller: boolean, name: string | undefined, now: number): Promise<void>;

  /**
   * Stores the user's open quote. Given a duplicate-guard mark, also returns the transaction that mark names
   * (what this user paid to that product and number that day), in the same step.
   */
  putQuote(quote: Quote, sameDay?: SameDayMark): Promise<string | null>;
  getQuote(user: UserId): Promise<Quote | null>;
  /** Removes the open quote; false when there was none. */
  dropQuote(user: UserId): Promise<boolean>;

  getSaldo(user: UserId): Promise<number>;
  /**
   * Adds (or with a negative amount takes, never below zero) saldo with a ledger entry; null when it would go
   * below zero. `opId` (an admin's message id) makes it idempotent: applied before, it returns the saldo after
   * that time and changes nothing, so it can be sent again when its answer was lost.
   * @deprecated One call of `money.adjust`; chat commands use depositCredit (src/payments/desk.ts).
   */
  adjustSaldo(user: UserId, amount: number, reason: LedgerReason, now: number, note?: string, opId?: string): Promise<number | null>;
  /** The last `limit` entries, newest first. */
  ledger(user: UserId, limit: number): Promise<LedgerEntry[]>;

  /** Sets fields without a state change (e.g. `flagged`). */
  patchTx(user: UserId, txId: string, patch: TxPatch): Promise<void>;
  getTx(user: UserId, txId: string): Promise<Transaction | null>;
  /** The owner of a transaction id, for admin look-ups; kept after `unschedule`. */
  txOwner(txId: string): Promise<UserId | null>;
  /** Newest first. */
  listTx(user: UserId, limit: number): Promise<Transaction[]>;
  logTx(user: UserId, txId: string, event: TxEvent): Promise<void>;
  txLog(user: UserId, txId: string): Promise<TxEvent[]>;

  /** Durable schedule of transactions that need a look (in flight, pending). Also indexes the owner. */
  schedule(user: UserId, txId: string, dueAt: number): Promise<void>;
  /** Takes up to `limit` items due by `now`, pushing each to `now + leaseMs` so no other process takes it meanwhile. */
  claimDue(now: number, leaseMs: number, limit: number): Promise<DueItem[]>;
  unschedule(user: UserId, txId: string): Promise<void>;
  /** Everything scheduled, soonest first (the open transactions). */
  scheduled(limit: number): Promise<DueItem[]>;

  /** The operator's margin per product code, `*` for every product without its own. */
  markups(): Promise<Record<string, number>>;
  /** Sets a product's (or `*`'s) markup; null removes it. */
  setMarkup(code: string, amount: number | null): Promise<void>;

  getPin(user: UserId): Promise<PinState>;
  setPin(user: UserId, hash: string): Promise<void>;
  /**
   * Claims one PIN comparison, atomically with the lock, so however many processes compare at once at most `max`
   * wrong PINs are ever compared before the lock: refused when locked, when no PIN is set, or when the failures
   * so far plus the tries claimed and not yet ended reach `max`. Every granted try ends with `pinFailed` or
   * `pinPassed`; one whose process died lapses `leaseMs` after the last try was granted.
   */
  pinTry(user: UserId, now: number, max: number, leaseMs: number): Promise<PinTry>;
  /** Ends a try with a wrong PIN: counts it; at `max` failures locks until `now + lockMs` and starts the count again. Atomic. */
  pinFailed(user: UserId, now: number, max: number, lockMs: number): Promise<PinState>;
  /** Ends a try with the right PIN: the failures count starts again. */
  pinPassed(user: UserId): Promise<void>;

  /**
   * A deposit ticket whose amount no other open ticket has (see the scheme at TICKET_CLAIM in
   * src/sessions/scripts.ts). A reseller holds at most `maxOpen` open tickets: at the cap, the new one replaces
   * its oldest open ticket of the same nominal (status `replaced`, its amount free again), or is refused (`full`).
   * Atomic per reseller.
   */
  openTicket(user: UserId, id: string, nominal: number, now: number, ttlMs: number, maxOpen: number): Promise<OpenTicketResult>;
  getTicket(id: string): Promise<Ticket | null>;
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
  getTransfer(from: UserId, id: string): Promise<Transfer | null>;

  /** For metrics: how many transactions are scheduled (not final) and the sum of every known user's saldo. */
  stats(): Promise<{ pending: number; saldoTotal: number }>;

  // Broadcasts: one worker at a time holds a broadcast's lease (it lapses when its process dies) and takes the
  // recipients one by one. Taking marks the recipient in the same atomic step, before the message is handed to a
  // channel, so no recipient is ever taken twice, whichever process takes them.
  /** Records a broadcast with its recipients by channel, and schedules it for a worker now. */
  createBroadcast(b: NewBroadcast, lanes: Record<string, UserId[]>): Promise<Broadcast>;
  getBroadcast(id: string): Promise<Broadcast | null>;
  /** Running broadcasts due for a look by `now`, each pushed to `now + leaseMs` so other pollers pass it by meanwhile. */
  dueBroadcasts(now: number, leaseMs: number, limit: number): Promise<string[]>;
  /**
   * Takes, or renews, the lease on a running broadcast for `owner` until `now + leaseMs`; false when another
   * owner holds it or it is not running. `leaseMs` 0 gives the owner's lease up, for another process at once.
   */
  leaseBroadcast(id: string, owner: string, now: number, leaseMs: number): Promise<boolean>;
  /** The next recipient of one channel's lane, marked taken in the same step, if `owner` holds the lease at `now`. */
  takeRecipient(id: string, lane: string, owner: string, now: number): Promise<TakeResult>;
  /** How a taken recipient's send went; counted once (false for a recipient not taken, already counted, or a finished broadcast). */
  recordRecipient(id: string, user: UserId, outcome: BroadcastOutcome): Promise<boolean>;
  /**
   * Ends a running broadcast whose lanes are empty, if `owner` holds it: recipients taken without an outcome
   * (their process died mid-send) count as failed and unconfirmed. The final record, or null.
   */
  finishBroadcast(id: string, owner: string, now: number): Promise<Broadcast | null>;
  /** Remembers the admin's progress message and the last step shown, for whichever process carries on. */
  setBroadcastProgress(id: string, progress: { handle?: string; step?: number }): Promise<void>;

  getCache(name: string): Promise<string | null>;
  setCache(name: string, value: string, ttlSeconds: number): Promise<void>;

  /** True when the store answers (Redis PING), for /healthz. */
  ping(): Promise<boolean>;

  close(): Promise<void>;
}
