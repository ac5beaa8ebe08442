/**
 * The ledger port's rules (src/payments/ledger.ts) written out as plain books, for the model-based test
 * (test/payments/ledger-model.test.ts): given the operations a store was sent, in order, what it must hold and
 * what it must answer to each. Deliberately naive, one map per thing, so it can be read against the port's
 * comments; it shares with the stores only the transition table, which the port names as the one source.
 *
 * The books know what the driver does not: whether an operation whose answer was lost ran. The test decides
 * that (it loses the answer itself), so the store's books can be held to an exact account, not to "either".
 */
import type { LedgerReason, NetworkShare, TxStatus } from '../../src/bot/store.ts';
import type { AcceptTicketOp, AdjustOp, CommissionOp, Outcome, RedeemOp, ReserveOp, ResolveOp, TransferOp } from '../../src/payments/ledger.ts';
import { canMove, isFinal } from '../../src/payments/transitions.ts';

/** One ledger operation as it was sent: which method, and its argument. */
export type Op =
  | { kind: 'reserve'; op: ReserveOp }
  | { kind: 'resolve'; op: ResolveOp }
  | { kind: 'adjust'; op: AdjustOp }
  | { kind: 'acceptTicket'; op: AcceptTicketOp }
  | { kind: 'transferOut'; op: TransferOp }
  | { kind: 'transferIn'; op: TransferOp }
  | { kind: 'creditCommission'; op: CommissionOp }
  | { kind: 'redeemCommission'; op: RedeemOp };

/** A ledger entry without its time: what the books can say of it. */
export interface BookEntry {
  amount: number;
  reason: LedgerReason;
  txId?: string;
  note?: string;
  saldoAfter: number;
}

/**
 * An answer reduced to what the port promises, for both the store's answer and the books' prediction:
 * applied now or before (`repeat`), or refused, with the figures each carries.
 */
export interface Answer {
  ok: boolean;
  repeat?: boolean;
  code?: string;
  saldo?: number;
  price?: number;
  /** The transaction's state as the answer gives it (reserve, resolve), or a refusal's `final` state. */
  status?: TxStatus;
  /** reserve: the saldo right after the debit, as the transaction records it. */
  saldoAfter?: number;
  from?: TxStatus;
  to?: TxStatus;
  /** `<id>:<status>` of the ticket the answer carries. */
  ticket?: string;
  /** creditCommission, redeemCommission: the commission balance after. */
  commission?: number;
  /** redeemCommission: how much was moved into saldo. */
  amount?: number;
}

export interface BookTx {
  user: string;
  price: number;
  status: TxStatus;
  saldoAfter: number;
  /** Each upline's markup on the sale, nearest first, as the quote fixed it. */
  network: NetworkShare[];
  /** The worker credited every upline's commission and marked it so. */
  commissioned?: true;
}

export interface BookTicket {
  id: string;
  user: string;
  amount: number;
  status: 'open' | 'paid' | 'replaced';
  expiresAt: number;
}

export interface BookTransfer {
  id: string;
  from: string;
  to: string;
  amount: number;
  state: 'debited' | 'done';
}

export interface BookQuote {
  id: string;
  txId: string;
  user: string;
  price: number;
  network?: NetworkShare[];
}

/** What an applied operation recorded under its id: who sent it and the figures it answered. */
interface OpRecord {
  by: string;
  saldo?: number;
  commission?: number;
  amount?: number;
}

/** The store's answer to `kind`, reduced to an Answer. */
export function answerOf(kind: Op['kind'], r: Outcome<object>): Answer {
  if (!r.ok) {
    const f = r.refusal;
    const a: Answer = { ok: false, code: f.code };
    if (f.code === 'insufficient') Object.assign(a, { saldo: f.saldo, price: f.price });
    if (f.code === 'final') a.status = f.status;
    if (f.code === 'illegal-transition') Object.assign(a, { from: f.from, to: f.to });
    if ('ticket' in f) a.ticket = `${f.ticket.id}:${f.ticket.status}`;
    return a;
  }
  const out = r as {
    repeat: boolean; saldo?: number; commission?: number; amount?: number; tx?: { status: TxStatus; saldoAfter: number }; ticket?: { id: string; status: string };
  };
  const a: Answer = { ok: true, repeat: out.repeat };
  if (out.saldo !== undefined) a.saldo = out.saldo;
  if (out.commission !== undefined) a.commission = out.commission;
  if (out.amount !== undefined) a.amount = out.amount;
  if (out.tx) a.status = out.tx.status;
  if (kind === 'reserve' && out.tx) a.saldoAfter = out.tx.saldoAfter;
  if (out.ticket) a.ticket = `${out.ticket.id}:${out.ticket.status}`;
  return a;
}

export class Books {
  readonly saldos = new Map<string, number>();
  readonly entries = new Map<string, BookEntry[]>();
  /** Commission balances and their books, kept as saldos and ledgers are. */
  readonly commissions = new Map<string, number>();
  readonly commissionEntries = new Map<string, BookEntry[]>();
  /** Each account's open quote (a new one replaces it, a reserve consumes it). */
  readonly open = new Map<string, BookQuote>();
  /** Every quote ever made, in order, for a YA naming an old one. */
  readonly quotes: BookQuote[] = [];
  readonly txs = new Map<string, BookTx>();
  readonly tickets = new Map<string, BookTicket>();
  readonly transfers = new Map<string, BookTransfer>();
  /** `account|opId` → the record of an applied operation. */
  private readonly ops = new Map<string, OpRecord>();
  /** Every operation sent, in order (refused and lost ones too): what a repeat picks from. */
  readonly sent: Op[] = [];

  saldo(user: string): number {
    return this.saldos.get(user) ?? 0;
  }

  ledger(user: string): BookEntry[] {
    return this.entries.get(user) ?? [];
  }

  commission(user: string): number {
    return this.commissions.get(user) ?? 0;
  }

  commissionBook(user: string): BookEntry[] {
    return this.commissionEntries.get(user) ?? [];
  }

  putQuote(q: BookQuote): void {
    this.open.set(q.user, q);
    this.quotes.push(q);
  }

  /** Applies `o` as the store must, and says what the store must answer. */
  apply(o: Op): Answer {
    switch (o.kind) {
      case 'reserve':
        return this.reserve(o.op);
      case 'resolve':
        return this.resolve(o.op);
      case 'adjust':
        return this.adjust(o.op);
      case 'acceptTicket':
        return this.acceptTicket(o.op);
      case 'transferOut':
        return this.transferOut(o.op);
      case 'transferIn':
        return this.transferIn(o.op);
      case 'creditCommission':
        return this.creditCommission(o.op);
      case 'redeemCommission':
        return this.redeemCommission(o.op);
    }
  }

  /** The account whose books `o` moves (both, for a transfer's halves only the one it names). */
  accountOf(o: Op): string | undefined {
    switch (o.kind) {
      case 'reserve':
      case 'resolve':
      case 'adjust':
      case 'creditCommission':
      case 'redeemCommission':
        return o.op.user;
      case 'acceptTicket':
        return this.tickets.get(o.op.ticketId)?.user;
      case 'transferOut':
        return o.op.from;
      case 'transferIn':
        return o.op.to;
    }
  }

  private push(user: string, amount: number, reason: LedgerReason, txId?: string, note?: string): number {
    return this.pushTo(this.saldos, this.entries, user, amount, reason, txId, note);
  }

  private pushCommission(user: string, amount: number, reason: LedgerReason, txId?: string, note?: string): number {
    return this.pushTo(this.commissions, this.commissionEntries, user, amount, reason, txId, note);
  }

  /** One entry in one book, and its balance moved with it. */
  private pushTo(
    balances: Map<string, number>, books: Map<string, BookEntry[]>, user: string, amount: number, reason: LedgerReason, txId?: string, note?: string,
  ): number {
    const after = (balances.get(user) ?? 0) + amount;
    balances.set(user, after);
    const e: BookEntry = { amount, reason, saldoAfter: after };
    if (txId) e.txId = txId;
    if (note) e.note = note;
    const list = books.get(user) ?? [];
    list.push(e);
    books.set(user, list);
    return after;
  }

  private record(account: string, opId: string): OpRecord | undefined {
    return this.ops.get(`${account}|${opId}`);
  }

  private remember(account: string, opId: string, by: string, saldo?: number, more: Omit<OpRecord, 'by' | 'saldo'> = {}): void {
    this.ops.set(`${account}|${opId}`, saldo === undefined ? { by, ...more } : { by, saldo, ...more });
  }

  /** An operation applied before: its first saldo to the same sender, `op-conflict` to another. */
  private again(rec: OpRecord, by: string): Answer {
    return rec.by === by ? { ok: true, repeat: true, saldo: rec.saldo ?? 0 } : { ok: false, code: 'op-conflict' };
  }

  private reserve(op: ReserveOp): Answer {
    const rec = this.record(op.user, op.opId);
    if (rec) {
      if (rec.by !== op.by) return { ok: false, code: 'op-conflict' };
      const tx = this.txs.get(op.txId)!;
      return { ok: true, repeat: true, status: tx.status, saldoAfter: tx.saldoAfter };
    }
    const q = this.open.get(op.user);
    if (!q || q.id !== op.quoteId || this.txs.has(op.txId)) return { ok: false, code: 'no-quote' };
    const saldo = this.saldo(op.user);
    if (saldo < q.price) return { ok: false, code: 'insufficient', saldo, price: q.price };
    const after = this.push(op.user, -q.price, 'payment', op.txId);
    this.txs.set(op.txId, { user: op.user, price: q.price, status: 'SENDING', saldoAfter: after, network: q.network ?? [] });
    this.open.delete(op.user);
    this.remember(op.user, op.opId, op.by, after);
    return { ok: true, repeat: false, status: 'SENDING', saldoAfter: after };
  }

  private resolve(op: ResolveOp): Answer {
    const tx = this.txs.get(op.txId);
    const rec = this.record(op.user, op.opId);
    if (rec) {
      if (rec.by !== op.by) return { ok: false, code: 'op-conflict' };
      const a: Answer = { ok: true, repeat: true, status: tx!.status };
      if (rec.saldo !== undefined) a.saldo = rec.saldo;
      return a;
    }
    if (!tx) return { ok: false, code: 'unknown-tx' };
    if (!canMove(tx.status, op.to)) {
      return isFinal(tx.status) ? { ok: false, code: 'final', status: tx.status } : { ok: false, code: 'illegal-transition', from: tx.status, to: op.to };
    }
    tx.status = op.to;
    if (op.to !== 'FAILED') {
      this.remember(op.user, op.opId, op.by);
      return { ok: true, repeat: false, status: op.to };
    }
    const saldo = this.push(op.user, tx.price, 'refund', op.txId);
    this.remember(op.user, op.opId, op.by, saldo);
    return { ok: true, repeat: false, status: op.to, saldo };
  }

  private adjust(op: AdjustOp): Answer {
    const rec = this.record(op.user, op.opId);
    if (rec) return this.again(rec, op.by);
    const saldo = this.saldo(op.user);
    if (saldo + op.amount < 0) return { ok: false, code: 'insufficient', saldo, price: -op.amount };
    const after = this.push(op.user, op.amount, op.reason, undefined, op.note);
    this.remember(op.user, op.opId, op.by, after);
    return { ok: true, repeat: false, saldo: after };
  }

  private acceptTicket(op: AcceptTicketOp): Answer {
    const t = this.tickets.get(op.ticketId);
    if (!t) return { ok: false, code: 'unknown-ticket' };
    const rec = this.record(t.user, op.opId);
    if (rec) {
      const a = this.again(rec, op.by);
      return a.ok ? { ...a, ticket: `${t.id}:${t.status}` } : a;
    }
    const refused = (code: string): Answer => ({ ok: false, code, ticket: `${t.id}:${t.status}` });
    if (t.status === 'paid') return refused('ticket-used');
    if (t.status === 'replaced') return refused('ticket-replaced');
    if (t.expiresAt <= op.now) return refused('ticket-expired');
    const saldo = this.push(t.user, t.amount, 'deposit', undefined, `ticket ${t.id} by ${op.acceptedBy}`);
    t.status = 'paid';
    this.remember(t.user, op.opId, op.by, saldo);
    return { ok: true, repeat: false, saldo, ticket: `${t.id}:paid` };
  }

  private transferOut(op: TransferOp): Answer {
    const rec = this.record(op.from, op.opId);
    if (rec) return this.again(rec, op.by);
    const saldo = this.saldo(op.from);
    if (saldo < op.amount) return { ok: false, code: 'insufficient', saldo, price: op.amount };
    const after = this.push(op.from, -op.amount, 'transfer-out', op.transferId, op.to);
    this.transfers.set(op.transferId, { id: op.transferId, from: op.from, to: op.to, amount: op.amount, state: 'debited' });
    this.remember(op.from, op.opId, op.by, after);
    return { ok: true, repeat: false, saldo: after };
  }

  private transferIn(op: TransferOp): Answer {
    const rec = this.record(op.to, op.opId);
    let a: Answer;
    if (rec) a = this.again(rec, op.by);
    else {
      const saldo = this.push(op.to, op.amount, 'transfer-in', op.transferId, op.from);
      this.remember(op.to, op.opId, op.by, saldo);
      a = { ok: true, repeat: false, saldo };
    }
    // Any record under the credit's id, another sender's too, means the credit was made: the transfer is done.
    const t = this.transfers.get(op.transferId);
    if (t) t.state = 'done';
    return a;
  }

  /**
   * An upline's commission, as the worker sends it for one level of a SETTLED sale. The port credits what it is
   * told (the worker decides what is owed); the books say so, and the model test holds the worker's choices to
   * the sales afterwards.
   */
  private creditCommission(op: CommissionOp): Answer {
    const rec = this.record(op.user, op.opId);
    if (rec) return rec.by === op.by ? { ok: true, repeat: true, commission: rec.commission ?? 0 } : { ok: false, code: 'op-conflict' };
    const commission = this.pushCommission(op.user, op.amount, 'komisi', op.txId, op.via);
    this.remember(op.user, op.opId, op.by, undefined, { commission });
    return { ok: true, repeat: false, commission };
  }

  /** `TUKAR KOMISI`: all of the commission (or `amount` of it) into saldo, one entry in each book. */
  private redeemCommission(op: RedeemOp): Answer {
    const rec = this.record(op.user, op.opId);
    if (rec) {
      if (rec.by !== op.by) return { ok: false, code: 'op-conflict' };
      return { ok: true, repeat: true, amount: rec.amount ?? 0, commission: rec.commission ?? 0, saldo: rec.saldo ?? 0 };
    }
    const balance = this.commission(op.user);
    const amount = op.amount ?? balance;
    if (amount <= 0 || amount > balance) return { ok: false, code: 'insufficient', saldo: balance, price: amount };
    const commission = this.pushCommission(op.user, -amount, 'tukar-komisi');
    const saldo = this.push(op.user, amount, 'tukar-komisi');
    this.remember(op.user, op.opId, op.by, saldo, { commission, amount });
    return { ok: true, repeat: false, amount, commission, saldo };
  }
}
