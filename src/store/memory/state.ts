/**
 * What every part of the embedded store shares: its maps, its clock, and the ledger step. Every method body
 * runs without an `await` between its reads and writes, so each money step is as atomic here as its Lua
 * script is on Redis.
 */
import type { UserId } from '../../bot/channel.ts';
import type { OpRecord } from './ledger.ts';
import type { BankMutation, QrisDeposit } from '../../bot/store/deposits.ts';
import type { Broadcast, LedgerEntry, LedgerReason, PinState, Quote, Ticket, Transaction, Transfer, TxEvent, UserRecord } from '../../bot/store.ts';

/** One broadcast as the embedded store keeps it: the record, its lease, what is left per lane, who was taken. */
export interface HeldBroadcast {
  b: Broadcast;
  owner?: string;
  leaseUntil: number;
  todo: Map<string, UserId[]>;
  done: Map<UserId, string>;
}

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

export function listOf<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

export type MemoryState = ReturnType<typeof memoryState>;

export function memoryState(clock: () => number) {
  const saldos = new Map<UserId, number>();
  const ledgers = new Map<UserId, LedgerEntry[]>();

  /** The one way a saldo changes: the new saldo and its ledger entry together. */
  function pushLedger(user: UserId, amount: number, reason: LedgerReason, now: number, txId?: string, note?: string): number {
    const after = (saldos.get(user) ?? 0) + amount;
    saldos.set(user, after);
    const entry: LedgerEntry = { at: now, amount, reason, saldoAfter: after };
    if (txId) entry.txId = txId;
    if (note) entry.note = note;
    listOf(ledgers, user).push(entry);
    return after;
  }

  const commissions = new Map<UserId, number>();
  const commissionLedgers = new Map<UserId, LedgerEntry[]>();

  /** The one way a commission balance changes: the balance and its entry in the commission book together. */
  function pushCommission(user: UserId, amount: number, reason: LedgerReason, now: number, txId?: string, note?: string): number {
    const after = (commissions.get(user) ?? 0) + amount;
    commissions.set(user, after);
    const entry: LedgerEntry = { at: now, amount, reason, saldoAfter: after };
    if (txId) entry.txId = txId;
    if (note) entry.note = note;
    listOf(commissionLedgers, user).push(entry);
    return after;
  }

  const quotes = new Map<UserId, Quote>();

  /** The user's open quote, if it has not expired (an expired one is dropped on sight). */
  function liveQuote(user: UserId): Quote | undefined {
    const q = quotes.get(user);
    if (q && q.expiresAt <= clock()) {
      quotes.delete(user);
      return undefined;
    }
    return q;
  }

  return {
    clock,
    saldos,
    ledgers,
    pushLedger,
    pushCommission,
    quotes,
    liveQuote,
    messages: new Map<string, number>(),
    /** Each user's flood window: messages counted, and when the window ends. */
    floods: new Map<UserId, { count: number; until: number }>(),
    users: new Map<UserId, UserRecord>(),
    /** leases: when each PIN comparison claimed and not yet ended stops counting, oldest first (the Redis pinTryLeases). */
    pins: new Map<UserId, PinState & { leases: number[] }>(),
    markups: new Map<string, number>(),
    cache: new Map<string, Expiring<string>>(),
    /** `account|opId` → the money operation applied under that id (the Redis store's `op` key). */
    ops: new Map<string, OpRecord>(),
    txs: new Map<string, Transaction>(),
    txIds: new Map<UserId, string[]>(),
    logs: new Map<string, TxEvent[]>(),
    due: new Map<string, number>(),
    owners: new Map<string, UserId>(),
    sameDay: new Map<string, string>(),
    tickets: new Map<string, Ticket>(),
    /** Held ticket amount → the ticket holding it and when the hold lapses (the Redis ticketAmounts and ticketHolders). */
    ticketAmounts: new Map<number, { id: string; expiresAt: number }>(),
    /** Each reseller's open ticket ids, oldest first (may still list ones since paid or expired). */
    openTickets: new Map<UserId, string[]>(),
    transfers: new Map<string, Transfer>(),
    broadcasts: new Map<string, HeldBroadcast>(),
    broadcastDue: new Map<string, number>(),
    /** TAUTKAN codes: code → the account it links to, until it expires. */
    linkCodes: new Map<string, Expiring<UserId>>(),
    /** Each account's direct downlines. */
    downlines: new Map<UserId, Set<UserId>>(),
    /** Each upline's markups by key (markupKey). */
    netMarkups: new Map<UserId, Map<string, number>>(),
    /** Commission balances and their books, kept as saldos and ledgers are. */
    commissions,
    commissionLedgers,
    /** Bank mutations by Moota's id, and QRIS deposits by our id (src/bot/store/deposits.ts). */
    mutations: new Map<string, BankMutation>(),
    qris: new Map<string, QrisDeposit>(),
    /** The identity each account last wrote from. */
    lastIdentity: new Map<UserId, UserId>(),
  };
}
