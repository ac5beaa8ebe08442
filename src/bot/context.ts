/**
 * What a command gets: who sent the message, and the operations it may use, each narrow. There is no store
 * in it: saldo moves only through `payments` (the money rules of src/payments/), so a new command cannot
 * move money any other way; everything else is a read, or a write that moves none (a reseller's role, a
 * markup, a PIN, a deposit ticket, a complaint on a transaction's record).
 */
import type { Log } from '../log.ts';
import type { Payments } from '../payments/payments.ts';
import type { HandResult } from '../payments/auto-deposits.ts';
import type { Catalogue } from './catalogue.ts';
import type { Reply, UserId } from './channel.ts';
import type { Role } from './commands.ts';
import type { T } from './i18n.ts';
import { money, type Money } from './money.ts';
import type {
  BankMutation, MutationStatus, QrisDeposit,
  DueItem, LedgerEntry, OpenTicketResult, PinState, Quote, Store, Transaction, Transfer, TxEvent, UserRecord,
} from './store.ts';
import { pinGate } from './features/pin.ts';

export interface CommandContext {
  /** The account the message acts for: saldo, PIN, history and network are its. */
  user: UserId;
  /** The identity that wrote (`telegram:…`): the same as `user` unless it is linked to another account. */
  identity: UserId;
  /** The account's uplines, nearest first (empty for a reseller of the operator's). */
  chain: readonly UserId[];
  role: Role;
  /** Without a PIN there is no PIN state to read: the gate needs no store call. */
  hasPin: boolean;
  /** The channel's id of this delivery; a command that moves money acts once per id (the core already drops replays). */
  messageId?: string;
  /** The summary a button was tapped on. */
  ref?: string;
  /** A `YA`'s open quote, read with the message's first round trip (null: none open; absent: not read). */
  openQuote?: Quote | null;
  now: number;
  t: T;
  catalogue: Catalogue;
  admins: ReadonlySet<UserId>;
  log: Log;
  /** Reaches another account (at the identity it last wrote from) or an admin, on their own channel; never throws. */
  notify(user: UserId, reply: Reply): Promise<void>;

  /** Every step that moves money: payments, deposits, tickets accepted, transfers, settling by hand. */
  payments: PaymentOps;
  users: Users;
  accounts: Accounts;
  network: Network;
  quotes: Quotes;
  pins: Pins;
  markups: Markups;
  tickets: Tickets;
  complaints: Complaints;
  /** Reads of saldos, ledgers and transactions; nothing in it writes. */
  statements: Statements;
  /** Deposits that need no human (bank mutations, QRIS); absent where the app wires none (tests of the core). */
  deposits?: DepositOps;
}

export type QrisOpened =
  | { ok: true; deposit: QrisDeposit; qrPng?: Buffer }
  | { ok: false; reason: 'off' | 'unavailable' }
  | { ok: false; reason: 'range'; min: number; max: number };

/** What chat commands may do with automatic deposits; every credit goes through the ledger under the sender's id. */
export interface DepositOps {
  /** QRIS can be asked for (Tripay's credentials, or the sandbox). */
  readonly qris: boolean;
  /** Bank mutations come from Moota (its webhook secret, or the sandbox). */
  readonly moota: boolean;
  openQris(user: UserId, amount: number, now: number): Promise<QrisOpened>;
  /** `ACC <tiket> <mutation_id>`; `opBy`: the admin's message operation. */
  acceptByHand(ticketId: string, mutationId: string, admin: UserId, opBy: string, now: number): Promise<HandResult>;
  mutations(fromMs: number, toMs: number, statuses?: readonly MutationStatus[]): Promise<BankMutation[]>;
  /** The sandbox's payer: pays a ticket by a simulated bank transfer, or a QRIS deposit; absent outside the sandbox. */
  sandboxPay?(id: string): Promise<'bank' | 'qris' | 'unknown' | 'closed'>;
}

export type PaymentOps = Pick<Payments, 'inquire' | 'confirm' | 'settleByHand'> & Money;

/** Linking identities to accounts (TAUTKAN, AKUN, LEPAS). */
export type Accounts = Pick<Store, 'accountOf' | 'putLinkCode' | 'peekLinkCode' | 'takeLinkCode' | 'link' | 'unlink'>;

/** The reseller network as commands change it; commissions move through `payments`. */
export type Network = Pick<Store, 'register' | 'downlines' | 'netMarkups' | 'setNetMarkup' | 'detach'>;

export interface Users {
  get(user: UserId): Promise<UserRecord | null>;
  /** Every user who has messaged the bot or was made a reseller. */
  all(): Promise<UserId[]>;
  resellers(): Promise<UserId[]>;
  setReseller(user: UserId, reseller: boolean, name: string | undefined, now: number): Promise<void>;
}

/** The user's open quote (an inquiry's answer waiting for YA). */
export interface Quotes {
  open(user: UserId): Promise<Quote | null>;
  /** False when none was open. */
  drop(user: UserId): Promise<boolean>;
}

export interface Pins {
  state(user: UserId): Promise<PinState>;
  set(user: UserId, hash: string): Promise<void>;
  /**
   * Why a payment may not go ahead, as a reply; undefined when it may. `pin`: what the user typed, if anything;
   * `checked`: it was checked already (the one-line form); `hasPin` false: none is set, nothing to read.
   */
  gate(user: UserId, pin: string | undefined, now: number, opts?: { checked?: boolean; hasPin?: boolean }): Promise<string | undefined>;
}

export interface Markups {
  all(): Promise<Record<string, number>>;
  set(code: string, amount: number | null): Promise<void>;
}

/** Deposit tickets asked for; accepting one is a payment (`payments.acceptTicket`). */
export interface Tickets {
  open(user: UserId, id: string, nominal: number, now: number, ttlMs: number, maxOpen: number): Promise<OpenTicketResult>;
}

export interface Complaints {
  /** Appends a complaint to a transaction's record, for `TRX`. */
  file(user: UserId, txId: string, at: number, ref: string, message: string): Promise<void>;
}

export interface Statements {
  saldo(user: UserId): Promise<number>;
  commission(account: UserId): Promise<number>;
  /** The commission book, newest first. */
  commissionLedger(account: UserId, limit: number): Promise<LedgerEntry[]>;
  /** Newest first. */
  ledger(user: UserId, limit: number): Promise<LedgerEntry[]>;
  tx(user: UserId, txId: string): Promise<Transaction | null>;
  /** Newest first. */
  txs(user: UserId, limit: number): Promise<Transaction[]>;
  /** Whose transaction (or transfer) an id is. */
  owner(txId: string): Promise<UserId | null>;
  txLog(user: UserId, txId: string): Promise<TxEvent[]>;
  transfer(from: UserId, id: string): Promise<Transfer | null>;
  /** Transactions and transfers still being carried to their end. */
  scheduled(limit: number): Promise<DueItem[]>;
}

/** What the core learnt of one message before its command runs. */
export type MessageFacts = Pick<
  CommandContext, 'user' | 'identity' | 'chain' | 'role' | 'hasPin' | 'messageId' | 'ref' | 'openQuote' | 'now' | 'catalogue'
>;

/**
 * One message's context: its facts and the bot's operations. Every field is named, so every context has the
 * same shape: built by spreading the operations it cost 20 µs of CPU per conversation (V8 copies a spread
 * that size on a slow path), a tenth of the core's own.
 */
export function messageContext(ops: Operations, m: MessageFacts): CommandContext {
  const ctx: CommandContext = {
    user: m.user, identity: m.identity, chain: m.chain, role: m.role, hasPin: m.hasPin, now: m.now, catalogue: m.catalogue,
    t: ops.t, admins: ops.admins, log: ops.log, notify: ops.notify,
    payments: ops.payments, users: ops.users, accounts: ops.accounts, network: ops.network, quotes: ops.quotes, pins: ops.pins, markups: ops.markups,
    tickets: ops.tickets, complaints: ops.complaints, statements: ops.statements,
  };
  if (ops.deposits) ctx.deposits = ops.deposits;
  if (m.messageId) ctx.messageId = m.messageId;
  if (m.ref) ctx.ref = m.ref;
  if (m.openQuote !== undefined) ctx.openQuote = m.openQuote;
  return ctx;
}

/** The operations every message's context shares, built once per bot. */
export type Operations = Pick<
  CommandContext,
  'payments' | 'users' | 'accounts' | 'network' | 'quotes' | 'pins' | 'markups' | 'tickets' | 'complaints' | 'statements' | 't' | 'admins' | 'log' | 'notify'
> & { deposits?: DepositOps };

export function operations(
  store: Store, payments: Payments, base: Pick<CommandContext, 't' | 'admins' | 'log' | 'notify'>, deposits?: DepositOps,
): Operations {
  const pinDeps = { store, t: base.t, admins: base.admins, notify: base.notify };
  return {
    ...base,
    ...(deposits ? { deposits } : {}),
    payments: {
      inquire: (...a) => payments.inquire(...a),
      confirm: (...a) => payments.confirm(...a),
      settleByHand: (...a) => payments.settleByHand(...a),
      ...money(store, payments.graceMs, base.log),
    },
    users: {
      get: (user) => store.getUser(user),
      all: () => store.allUsers(),
      resellers: () => store.resellers(),
      setReseller: (user, reseller, name, now) => store.setReseller(user, reseller, name, now),
    },
    accounts: {
      accountOf: (identity) => store.accountOf(identity),
      putLinkCode: (code, account, ttlMs) => store.putLinkCode(code, account, ttlMs),
      peekLinkCode: (code) => store.peekLinkCode(code),
      takeLinkCode: (code) => store.takeLinkCode(code),
      link: (identity, account, now) => store.link(identity, account, now),
      unlink: (identity, account, fresh) => store.unlink(identity, account, fresh),
    },
    network: {
      register: (account, upline, name, now) => store.register(account, upline, name, now),
      downlines: (account) => store.downlines(account),
      netMarkups: (account) => store.netMarkups(account),
      setNetMarkup: (account, key, amount) => store.setNetMarkup(account, key, amount),
      detach: (removed) => store.detach(removed),
    },
    quotes: {
      open: (user) => store.getQuote(user),
      drop: (user) => store.dropQuote(user),
    },
    pins: {
      state: (user) => store.getPin(user),
      set: (user, hash) => store.setPin(user, hash),
      gate: (user, pin, now, opts) => pinGate({ ...pinDeps, now }, user, pin, opts?.checked, opts?.hasPin),
    },
    markups: {
      all: () => store.markups(),
      set: (code, amount) => store.setMarkup(code, amount),
    },
    tickets: {
      open: (user, id, nominal, now, ttlMs, maxOpen) => store.openTicket(user, id, nominal, now, ttlMs, maxOpen),
    },
    complaints: {
      file: (user, txId, at, ref, message) => store.logTx(user, txId, { at, type: 'complaint', data: { ref, message } }),
    },
    statements: {
      saldo: (user) => store.getSaldo(user),
      commission: (account) => store.getCommission(account),
      commissionLedger: (account, limit) => store.commissionLedger(account, limit),
      ledger: (user, limit) => store.ledger(user, limit),
      tx: (user, txId) => store.getTx(user, txId),
      txs: (user, limit) => store.listTx(user, limit),
      owner: (txId) => store.txOwner(txId),
      txLog: (user, txId) => store.txLog(user, txId),
      transfer: (from, id) => store.getTransfer(from, id),
      scheduled: (limit) => store.scheduled(limit),
    },
  };
}
