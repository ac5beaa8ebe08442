/**
 * Model-based test of the ledger port (src/payments/ledger.ts) on both stores (issue 17, item 4). fast-check
 * draws histories of money operations (credits, debits, quotes paid, transactions resolved, deposit tickets
 * accepted, transfers, uplines' commissions on settled sales and TUKAR KOMISI (issue 18), and earlier
 * operations sent again by the same sender or by another), drives them
 * through the store as the product does, and holds the store to the plain books of test/helpers/ledger-books.ts
 * after every step, and to the invariants of DESIGN.md, read from the store alone, after every history.
 *
 * Faults, drawn per step: the step's answer is lost after it ran, or the step never reaches the store. On
 * Redis a third of the histories lose them for real, through the relay of test/helpers/redis.ts that cuts the
 * connection; otherwise a wrapper throws StoreOutcomeUnknown as a lost connection does. Then either the retry
 * facade (withRetries) sends the same operation again, or the driver is "killed": everything it held in memory
 * (the retry, the biller's answer it was about to record, a transfer's credit it was about to make) is
 * forgotten, and a fresh driver carries on from what the store says: a transaction left SENDING is moved to
 * PENDING by the worker's step, a transfer debited and not credited is finished by completeTransfer, a settled
 * sale whose commissions are not all credited is finished by the worker's own creditCommissions. (For the
 * embedded store, whose books die with the process, a kill is a handler dying mid-way in a process that lives.)
 *
 * Reproduce a failure with LEDGER_MODEL_SEED=<seed> (and LEDGER_MODEL_PATH=<path>) from fast-check's report.
 */
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type LedgerEntry, type NetworkShare, type Quote, type Store, StoreOutcomeUnknown } from '../../src/bot/store.ts';
import { COMMISSION_SENDER, creditCommissions, owesCommission } from '../../src/payments/commissions.ts';
import { type Ledger, type Outcome, opIds } from '../../src/payments/ledger.ts';
import { withRetries } from '../../src/payments/retry.ts';
import { completeTransfer, TRANSFER_SENDER } from '../../src/payments/transfers.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { createRedisClient } from '../../src/store/redis-client.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { type Answer, answerOf, type BookEntry, Books, type Op } from '../helpers/ledger-books.ts';
import { type AnswerDropper, answerDropper, assertRedis, dropPrefix, redisUrl, uniquePrefix } from '../helpers/redis.ts';

/** Three accounts a history moves money between. */
const ACCOUNTS = 3;
const ADMIN = 'telegram:900000000001';
const HOUR = 3_600_000;
const ALL = 10_000;
const RUNS = 500;

/** How a step's answer goes: arrives; lost after the step ran; or the step never arrived. Then: sent again, or the driver dies. */
type Fault = 'none' | 'lost-retry' | 'lost-kill' | 'unsent-retry' | 'unsent-kill';

/** The store and the driver that moves money on it, as the product's handlers and worker do. */
interface World {
  store: Store;
  /** Answers are lost by cutting the real connection here (Redis); without it, by a wrapper. */
  relay?: AnswerDropper;
  /** The driver's memory: follow-ups it will send before its next step. A kill forgets them. */
  planned: Array<() => Promise<void>>;
  /** What the current step moved: checked against the books after it. */
  touched: Set<string>;
  touchedTx: Set<string>;
  /** This history's accounts: its own, so histories may share one store. */
  accounts: readonly string[];
  /** A fresh id for this history's quotes, tickets, transfers and messages, all of one length (none is part of another). */
  next(): string;
}

let histories = 0;

function newWorld(store: Store, relay?: AnswerDropper): World {
  const tag = String(++histories).padStart(6, '0');
  let n = 0;
  return {
    store,
    ...(relay ? { relay } : {}),
    planned: [],
    touched: new Set(),
    touchedTx: new Set(),
    accounts: Array.from({ length: ACCOUNTS }, (_, i) => `telegram:${tag}00000${i + 1}`),
    next: () => `${tag}-${String(++n).padStart(5, '0')}`,
  };
}

function call(ledger: Ledger, o: Op): Promise<Outcome<object>> {
  switch (o.kind) {
    case 'reserve':
      return ledger.reserve(o.op);
    case 'resolve':
      return ledger.resolve(o.op);
    case 'adjust':
      return ledger.adjust(o.op);
    case 'acceptTicket':
      return ledger.acceptTicket(o.op);
    case 'transferOut':
      return ledger.transferOut(o.op);
    case 'transferIn':
      return ledger.transferIn(o.op);
    case 'creditCommission':
      return ledger.creditCommission(o.op);
    case 'redeemCommission':
      return ledger.redeemCommission(o.op);
  }
}

/** The ledger whose first call loses its answer after running it (`lost`) or never runs it (`unsent`). */
function losing(ledger: Ledger, how: 'lost' | 'unsent'): Ledger {
  let armed = true;
  const lose = async <T>(step: () => Promise<T>): Promise<T> => {
    if (!armed) return step();
    armed = false;
    if (how === 'lost') await step();
    throw new StoreOutcomeUnknown(`test: the ${how === 'lost' ? 'answer' : 'request'} was lost with the connection`);
  };
  return {
    reserve: (op) => lose(() => ledger.reserve(op)),
    resolve: (op) => lose(() => ledger.resolve(op)),
    adjust: (op) => lose(() => ledger.adjust(op)),
    acceptTicket: (op) => lose(() => ledger.acceptTicket(op)),
    transferOut: (op) => lose(() => ledger.transferOut(op)),
    transferIn: (op) => lose(() => ledger.transferIn(op)),
    creditCommission: (op) => lose(() => ledger.creditCommission(op)),
    redeemCommission: (op) => lose(() => ledger.redeemCommission(op)),
  };
}

/**
 * Sends one operation as the product does (through withRetries when the fault says so) and holds its answer
 * to the books'. Undefined when the driver died waiting for it.
 */
async function send(m: Books, w: World, o: Op, fault: Fault = 'none'): Promise<Answer | undefined> {
  m.sent.push(o);
  const account = m.accountOf(o);
  if (account) w.touched.add(account);
  if (o.kind === 'transferOut' || o.kind === 'transferIn') w.touched.add(o.op.from).add(o.op.to);
  if (o.kind === 'reserve' || o.kind === 'resolve') w.touchedTx.add(o.op.txId);
  const [how, then] = fault === 'none' ? [undefined, undefined] : (fault.split('-') as ['lost' | 'unsent', 'retry' | 'kill']);

  let ledger = w.store.money;
  if (how && w.relay) {
    // Nothing else in flight on the connection, so the cut falls on this step's answer: the second ping goes
    // after the script loads a reconnection sends (on the tick after the first, queued one, went out).
    await w.store.ping();
    await w.store.ping();
    // The step's own op key carries the id; no other command of the step does before it.
    if (how === 'lost') w.relay.arm(`:op:${o.op.opId}`);
    else w.relay.armDrop(`:op:${o.op.opId}`);
  } else if (how) ledger = losing(ledger, how);
  if (then === 'retry') ledger = withRetries(ledger, { maxBackoffMs: 1 });

  if (how === 'lost') m.apply(o); // the first try ran; its answer never came
  const expected = then === 'kill' ? undefined : m.apply(o);
  const cuts = w.relay?.cuts ?? 0;
  const r = await call(ledger, o).then(
    (value) => ({ value }),
    (err: unknown) => ({ err }),
  );
  if (how && w.relay) expect(w.relay.cuts, 'the relay cut the connection once').toBe(cuts + 1);
  if (!expected) {
    expect('err' in r && r.err, `${o.kind} ${o.op.opId}: its answer was to be lost`).toBeInstanceOf(StoreOutcomeUnknown);
    await kill(m, w);
    return undefined;
  }
  if ('err' in r) throw r.err;
  const actual = answerOf(o.kind, r.value);
  expect(actual, `${o.kind} ${o.op.opId} by ${o.op.by}`).toEqual(expected);
  return actual;
}

async function drain(w: World): Promise<void> {
  for (let step = w.planned.shift(); step; step = w.planned.shift()) await step();
}

/** The driver dies; a fresh one finds in the store what was left half done and carries it on. */
async function kill(m: Books, w: World): Promise<void> {
  w.planned = [];
  const found = await Promise.all(w.accounts.map((user) => Promise.all([w.store.listTx(user, ALL), w.store.ledger(user, ALL)])));
  for (const [i, user] of w.accounts.entries()) {
    const [txs, entries] = found[i]!;
    for (const tx of txs) {
      // Perhaps sent by the driver that died: never sent again, the worker asks about it instead.
      if (tx.status !== 'SENDING') continue;
      const op = { opId: opIds.pending(tx.id), by: `worker:${w.next()}`, now: Date.now(), user, txId: tx.id, to: 'PENDING' as const, known: tx };
      await send(m, w, { kind: 'resolve', op });
    }
    const debits = entries.filter((e) => e.reason === 'transfer-out' && e.txId);
    for (const tr of await Promise.all(debits.map((e) => w.store.getTransfer(user, e.txId!)))) {
      if (tr?.state !== 'debited') continue;
      // The worker's way: completeTransfer sends the credit under its one id and sender.
      const o: Op = { kind: 'transferIn', op: { opId: opIds.transferIn(tr.id), by: TRANSFER_SENDER, now: tr.at, transferId: tr.id, from: user, to: tr.to, amount: tr.amount } };
      m.sent.push(o);
      w.touched.add(user).add(tr.to);
      const expected = m.apply(o);
      const done = await completeTransfer(w.store, user, tr.id);
      expect(done?.saldo, `completeTransfer ${tr.id}`).toBe(expected.ok ? expected.saldo : m.saldo(tr.to));
    }
  }
  await finishCommissions(m, w);
}

/**
 * The worker's look at every settled sale still owing commissions (the schedule keeps them for it): the
 * product's own creditCommissions credits each level and marks the sale, its every credit held to the books.
 */
async function finishCommissions(m: Books, w: World): Promise<void> {
  const txs = (await Promise.all(w.accounts.map((user) => w.store.listTx(user, ALL)))).flat();
  const money = w.store.money;
  const held: Store = {
    ...w.store,
    money: {
      ...money,
      async creditCommission(op) {
        const o: Op = { kind: 'creditCommission', op };
        m.sent.push(o);
        w.touched.add(op.user);
        const expected = m.apply(o);
        const r = await money.creditCommission(op);
        expect(answerOf(o.kind, r), `creditCommission ${op.opId} by creditCommissions`).toEqual(expected);
        return r;
      },
    },
  };
  for (const tx of txs.filter(owesCommission)) {
    await creditCommissions(held, tx, Date.now());
    m.txs.get(tx.id)!.commissioned = true;
  }
}

function bookEntry(e: LedgerEntry): BookEntry {
  const b: BookEntry = { amount: e.amount, reason: e.reason, saldoAfter: e.saldoAfter };
  if (e.txId) b.txId = e.txId;
  if (e.note) b.note = e.note;
  return b;
}

/** After each step: what it touched is as the books say (so a refusal changed nothing, a repeat moved nothing). */
async function checkStep(m: Books, w: World): Promise<void> {
  const users = [...w.touched];
  const txIds = [...w.touchedTx].filter((id) => m.txs.has(id));
  const [books, txs] = await Promise.all([
    Promise.all(users.map((user) =>
      Promise.all([w.store.getSaldo(user), w.store.ledger(user, ALL), w.store.getCommission(user), w.store.commissionLedger(user, ALL)]))),
    Promise.all(txIds.map((id) => w.store.getTx(m.txs.get(id)!.user, id))),
  ]);
  for (const [i, user] of users.entries()) {
    const [saldo, entries, commission, commissionEntries] = books[i]!;
    expect(saldo, `saldo of ${user}`).toBe(m.saldo(user));
    expect(entries.reverse().map(bookEntry), `ledger of ${user}`).toEqual(m.ledger(user));
    expect(commission, `commission of ${user}`).toBe(m.commission(user));
    expect(commissionEntries.reverse().map(bookEntry), `commission book of ${user}`).toEqual(m.commissionBook(user));
  }
  for (const [i, id] of txIds.entries()) expect(txs[i]?.status, `status of ${id}`).toBe(m.txs.get(id)!.status);
}

/** After each history: everything the books hold, and DESIGN.md's invariants read from the store alone. */
async function checkHistory(m: Books, w: World): Promise<void> {
  const s = w.store;
  const read = await Promise.all(w.accounts.map((user) => Promise.all([s.getSaldo(user), s.ledger(user, ALL), s.listTx(user, ALL)])));
  /** An account's ledger as read above, oldest first. */
  const ledgerOf = (user: string): LedgerEntry[] => [...(read[w.accounts.indexOf(user)]?.[1] ?? [])].reverse();
  for (const [i, user] of w.accounts.entries()) {
    const [saldo, newest, txs] = read[i]!;
    const entries = [...newest].reverse();
    expect(saldo, `saldo of ${user}`).toBe(m.saldo(user));
    expect(entries.map(bookEntry), `ledger of ${user}`).toEqual(m.ledger(user));
    expect(new Map(txs.map((tx) => [tx.id, tx.status])), `transactions of ${user}`).toEqual(
      new Map([...m.txs].filter(([, tx]) => tx.user === user).map(([id, tx]) => [id, tx.status])),
    );

    // 1. The saldo is the sum of the ledger, every entry's saldoAfter follows from the one before, never below zero.
    let running = 0;
    for (const e of entries) {
      running += e.amount;
      expect(e.saldoAfter, `${user}: saldoAfter of ${JSON.stringify(e)}`).toBe(running);
      expect(running, `${user}: below zero at ${JSON.stringify(e)}`).toBeGreaterThanOrEqual(0);
    }
    expect(saldo, `${user}: saldo = Σ ledger`).toBe(running);

    // 2. One debit per transaction; one refund for a FAILED one and none for any other; none for nothing.
    const ids = new Set(txs.map((tx) => tx.id));
    for (const tx of txs) {
      const debits = entries.filter((e) => e.reason === 'payment' && e.txId === tx.id);
      const refunds = entries.filter((e) => e.reason === 'refund' && e.txId === tx.id);
      expect(debits.map((e) => e.amount), `${tx.id}: one debit`).toEqual([-tx.quote.price]);
      expect(refunds.map((e) => e.amount), `${tx.id} (${tx.status}): refunds`).toEqual(tx.status === 'FAILED' ? [tx.quote.price] : []);
    }
    for (const e of entries) if (e.reason === 'payment' || e.reason === 'refund') expect(ids.has(e.txId!), `${e.reason} of no transaction`).toBe(true);

    // 4. Each operation applied once: no two entries for one transaction, transfer, ticket or operation. (A
    // TUKAR KOMISI entry names none: each is held to its twin in the commission book, checkCommissions.)
    const seen = new Set<string>();
    for (const e of entries) {
      if (e.reason === 'tukar-komisi') continue;
      const what = e.note?.startsWith('ticket ') ? e.note.split(' ')[1] : e.note;
      const key = `${e.reason}|${e.txId ?? ''}|${what ?? ''}`;
      expect(seen.has(key), `${user}: applied twice: ${key}`).toBe(false);
      seen.add(key);
    }

    // Transfers: each debit has its record, credited once when done and not before; no credit without a debit.
    const debits = entries.filter((x) => x.reason === 'transfer-out');
    const transfers = await Promise.all(debits.map((e) => s.getTransfer(user, e.txId!)));
    for (const [j, e] of debits.entries()) {
      const tr = transfers[j];
      expect(tr, `transfer ${e.txId}`).toMatchObject({ from: user, to: e.note, amount: -e.amount, state: m.transfers.get(e.txId!)?.state });
      const credits = ledgerOf(tr!.to).filter((c) => c.reason === 'transfer-in' && c.txId === tr!.id);
      expect(credits.map((c) => c.amount), `${tr!.id} (${tr!.state}): credits`).toEqual(tr!.state === 'done' ? [tr!.amount] : []);
    }
    for (const e of entries.filter((x) => x.reason === 'transfer-in')) {
      const debit = ledgerOf(e.note!).find((d) => d.reason === 'transfer-out' && d.txId === e.txId);
      expect(debit?.amount, `${e.txId}: credited without its debit`).toBe(-e.amount);
    }
  }
  await checkCommissions(m, w, read.map(([, , txs]) => txs), ledgerOf);
  const tickets = [...m.tickets.values()];
  const stored = await Promise.all(tickets.map((t) => s.getTicket(t.id)));
  for (const [i, t] of tickets.entries()) expect(stored[i]?.status, `ticket ${t.id}`).toBe(t.status);
}

/**
 * DESIGN.md's invariants 1 and 5 on the commission books, read from the store alone (after the worker's last
 * look, so every settled sale is done): each book as the books say, its balance its sum and never below zero;
 * each TUKAR KOMISI with its twin in the saldo ledger; each settled sale's uplines credited their markups on the
 * quote once each, through the right downline, and nothing for any other sale; Σ credited = Σ markups settled.
 */
async function checkCommissions(m: Books, w: World, txsOf: Array<Awaited<ReturnType<Store['listTx']>>>, ledgerOf: (user: string) => LedgerEntry[]): Promise<void> {
  const s = w.store;
  const read = await Promise.all(w.accounts.map((user) => Promise.all([s.getCommission(user), s.commissionLedger(user, ALL)])));
  /** `<txId>|<upline>` → the commissions credited on that sale to that upline, with the downline each names. */
  const credited = new Map<string, Array<{ amount: number; via?: string }>>();
  let sum = 0;
  for (const [i, user] of w.accounts.entries()) {
    const [balance, newest] = read[i]!;
    const book = [...newest].reverse();
    expect(balance, `commission of ${user}`).toBe(m.commission(user));
    expect(book.map(bookEntry), `commission book of ${user}`).toEqual(m.commissionBook(user));
    let running = 0;
    for (const e of book) {
      running += e.amount;
      expect(e.saldoAfter, `${user}: commission after ${JSON.stringify(e)}`).toBe(running);
      expect(running, `${user}: commission below zero at ${JSON.stringify(e)}`).toBeGreaterThanOrEqual(0);
      if (e.reason !== 'komisi') continue;
      sum += e.amount;
      const key = `${e.txId}|${user}`;
      credited.set(key, [...(credited.get(key) ?? []), { amount: e.amount, ...(e.note ? { via: e.note } : {}) }]);
    }
    expect(balance, `${user}: commission = Σ its book`).toBe(running);
    const out = book.filter((e) => e.reason === 'tukar-komisi').map((e) => -e.amount);
    const into = ledgerOf(user).filter((e) => e.reason === 'tukar-komisi').map((e) => e.amount);
    expect(into, `${user}: each TUKAR KOMISI on both sides`).toEqual(out);
  }
  let owed = 0;
  for (const tx of txsOf.flat()) {
    expect(Boolean(tx.commissioned), `${tx.id} (${tx.status}) commissioned`).toBe(Boolean(m.txs.get(tx.id)?.commissioned));
    for (const [i, share] of (tx.quote.network ?? []).entries()) {
      const key = `${tx.id}|${share.account}`;
      const earns = tx.status === 'SETTLED' && share.markup > 0;
      if (earns) owed += share.markup;
      const via = i === 0 ? tx.user : tx.quote.network![i - 1]!.account;
      expect(credited.get(key) ?? [], `${tx.id} (${tx.status}) level ${i + 1}: commissions of ${share.account}`).toEqual(earns ? [{ amount: share.markup, via }] : []);
      credited.delete(key);
    }
  }
  expect([...credited.keys()], 'commissions on no sale of the history, or to no upline of it').toEqual([]);
  expect(sum, 'Σ commissions credited = Σ upline markups of settled sales').toBe(owed);
}

/** A quote priced as the payment code prices one: the biller's debit plus every upline's markup on it. */
function quoteOf(user: string, id: string, txId: string, debit: number, network: NetworkShare[]): Quote {
  const now = Date.now();
  const price = debit + network.reduce((sum, sh) => sum + sh.markup, 0);
  return {
    id, txId, user, provider: 'mmbc', product: 'PLN', family: 'pln-postpaid',
    bill: {
      product: 'PLN', productName: 'PLN Pascabayar', customerNo: '532100112233', customerName: 'SITI AMINAH', details: [],
      bill: debit - 2_500, admin: 2_500, total: debit, debit,
    },
    markup: 0, ...(network.length ? { network } : {}), price, createdAt: now, expiresAt: now + 10 * 60_000,
  };
}

/** One step of a history: the driver's planned follow-ups first (unless it dies now), then its own, then the check. */
class Step implements fc.AsyncCommand<Books, World> {
  constructor(
    private readonly label: string,
    private readonly act: (m: Books, w: World) => Promise<void>,
    private readonly can: (m: Readonly<Books>) => boolean = () => true,
    private readonly followUpsFirst = true,
  ) {}

  check(m: Readonly<Books>): boolean {
    return this.can(m);
  }

  async run(m: Books, w: World): Promise<void> {
    w.touched.clear();
    w.touchedTx.clear();
    if (this.followUpsFirst) await drain(w);
    await this.act(m, w);
    await checkStep(m, w);
  }

  toString(): string {
    return this.label;
  }
}

const account = fc.nat(ACCOUNTS - 1);
/**
 * Which earlier transaction, ticket or operation a step acts on: the latest is #0 (modulo how many there are).
 * Counted from the latest, a pick names the same thing when shrinking drops steps from before it.
 */
const which = fc.nat(63);
const latest = <T>(list: readonly T[], n: number): T => list[list.length - 1 - (n % list.length)]!;
const fault = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Fault>('none') },
  { weight: 1, arbitrary: fc.constantFrom<Fault>('lost-retry', 'lost-kill', 'unsent-retry', 'unsent-kill') },
);
const outcome = fc.constantFrom('SETTLED', 'FAILED', 'PENDING') as fc.Arbitrary<'SETTLED' | 'FAILED' | 'PENDING'>;
const price = fc.constantFrom(2_500, 5_000, 12_000, 30_000);
/** Each upline's markup on a sale, nearest first: none, some levels without one, one level, two. */
const markups = fc.constantFrom<readonly number[]>([], [], [0, 0], [100, 0], [0, 500], [300, 500], [200]);
const opIdFor = { PENDING: opIds.pending, SETTLED: opIds.settle, FAILED: opIds.fail } as const;
/** True one time in `n`. */
const oneIn = (n: number) => fc.nat(n - 1).map((k) => k === 0);

/** A resolve of `txId` to `to`, as the biller's answer, the worker or an admin sends it. */
function resolveOp(m: Books, txId: string, to: 'SETTLED' | 'FAILED' | 'PENDING', by: string): Op {
  const user = m.txs.get(txId)!.user;
  return { kind: 'resolve', op: { opId: opIdFor[to](txId), by, now: Date.now(), user, txId, to, ...(to === 'FAILED' ? { reason: 'gagal' } : {}) } };
}

/** A transfer's credit, as the TRANSFER handler sends it right after the debit. */
function creditOf(o: Extract<Op, { kind: 'transferOut' }>): Op {
  return { kind: 'transferIn', op: { ...o.op, opId: opIds.transferIn(o.op.transferId), by: TRANSFER_SENDER } };
}

/**
 * An inquiry: a new quote, replacing the account's open one. `markups`: what each upline adds, nearest first;
 * the account's uplines are the history's other accounts, in turn.
 */
async function inquire(m: Books, w: World, user: string, amount: number, markups: readonly number[] = []): Promise<void> {
  const n = w.next();
  const at = w.accounts.indexOf(user);
  const network = markups.map((markup, i) => ({ account: w.accounts[(at + 1 + i) % ACCOUNTS]!, markup }));
  const q = quoteOf(user, `Q${n}`, `T${n}`, amount, network);
  await w.store.putQuote(q);
  m.putQuote({ id: q.id, txId: q.txId, user, price: q.price, ...(network.length ? { network } : {}) });
}

/**
 * YA on quote `q`: the reserve, then (the driver's next moves) the biller's answer recorded under the YA's sender
 * and, for a settled sale, its commissions.
 */
async function pay(m: Books, w: World, user: string, q: { id: string; txId: string }, biller: 'SETTLED' | 'FAILED' | 'PENDING', f: Fault, kick: Fault = 'none'): Promise<void> {
  const message = w.next();
  const by = opIds.message(user, message);
  const paid = await send(m, w, { kind: 'reserve', op: { opId: opIds.reserve(q.txId), by, now: Date.now(), user, quoteId: q.id, txId: q.txId, messageId: message } }, f);
  // The reserve is the one claim to call the biller: only a transaction still SENDING is sent.
  if (!paid?.ok || paid.status !== 'SENDING') return;
  w.planned.push(async () => {
    // Then, as the payment code does once the receipt is on its way, the sale's commissions. (A sale settled by
    // the worker's status check or an admin, a resolve step, waits for the worker's look: a commissions step.)
    if ((await send(m, w, resolveOp(m, q.txId, biller, by)))?.status === 'SETTLED') w.planned.push(() => commissions(m, w, q.txId, kick));
  });
}

/**
 * The worker's credits of a settled sale's commissions, level by level (`fault` on the first), then its mark; as
 * creditCommissions sends them. Nothing for a sale that owes none.
 */
async function commissions(m: Books, w: World, txId: string, fault: Fault = 'none'): Promise<void> {
  const tx = m.txs.get(txId)!;
  // What the worker finds owing: a settled sale, not yet marked, with a markup somewhere on it.
  if (tx.status !== 'SETTLED' || tx.commissioned || !tx.network.some((sh) => sh.markup > 0)) return;
  let first = true;
  for (const [i, share] of tx.network.entries()) {
    if (share.markup <= 0) continue;
    const via = i === 0 ? tx.user : tx.network[i - 1]!.account;
    const level = i + 1;
    const op = { opId: opIds.commission(txId, level), by: COMMISSION_SENDER, now: Date.now(), user: share.account, amount: share.markup, txId, from: tx.user, via, level };
    // Killed: the fresh driver's look (kill) has finished them.
    if (!(await send(m, w, { kind: 'creditCommission', op }, first ? fault : 'none'))) return;
    first = false;
  }
  await w.store.patchTx(tx.user, txId, { commissioned: true });
  tx.commissioned = true;
}

/** The kinds of step, each as often as its weight. */
const kinds: Array<[number, fc.Arbitrary<Step>]> = [
  // DEPOSIT by an admin.
  [3, fc.record({ a: account, amount: fc.constantFrom(10_000, 50_000, 100_000), fault }).map(({ a, amount, fault: f }) =>
    new Step(`credit(${a}, ${amount}, ${f})`, async (m, w) => {
      const opId = opIds.message(ADMIN, w.next());
      await send(m, w, { kind: 'adjust', op: { opId, by: opId, now: Date.now(), user: w.accounts[a]!, amount, reason: 'deposit', note: opId } }, f);
    }),
  )],
  // A correction by an admin, refused below zero.
  [1, fc.record({ a: account, amount: fc.constantFrom(1_000, 10_000, 50_000), fault }).map(({ a, amount, fault: f }) =>
    new Step(`debit(${a}, ${amount}, ${f})`, async (m, w) => {
      const opId = opIds.message(ADMIN, w.next());
      await send(m, w, { kind: 'adjust', op: { opId, by: opId, now: Date.now(), user: w.accounts[a]!, amount: -amount, reason: 'adjustment', note: opId } }, f);
    }),
  )],
  // An inquiry never paid: it replaces the open quote, whose YA then finds none.
  [1, fc.record({ a: account, price }).map(({ a, price: p }) =>
    new Step(`inquiry(${a}, ${p})`, (m, w) => inquire(m, w, w.accounts[a]!, p)),
  )],
  // An inquiry and its YA; with uplines, the fault `kick` falls on the first commission credited after a settle.
  [4, fc.record({ a: account, price, shares: markups, biller: outcome, fault, kick: fault }).map(({ a, price: p, shares, biller, fault: f, kick }) =>
    new Step(`buy(${a}, ${p}${shares.length ? `, uplines ${shares.join('/')}, commissions ${kick}` : ''}, biller ${biller}, ${f})`, async (m, w) => {
      const user = w.accounts[a]!;
      await inquire(m, w, user, p, shares);
      await pay(m, w, user, m.open.get(user)!, biller, f, kick);
    }),
  )],
  // A YA on the open quote, or (`old`) on the account's first: gone, paid or replaced, or never made.
  [1, fc.record({ a: account, old: fc.boolean(), biller: outcome, fault }).map(({ a, old, biller, fault: f }) =>
    new Step(`ya(${a}, ${old ? 'first quote' : 'open quote'}, biller ${biller}, ${f})`, async (m, w) => {
      const user = w.accounts[a]!;
      const mine = m.quotes.filter((q) => q.user === user);
      const q = (old ? mine[0] : (m.open.get(user) ?? mine.at(-1))) ?? { id: `Qnone${w.next()}`, txId: `Tnone${w.next()}` };
      await pay(m, w, user, q, biller, f);
    }),
  )],
  // The worker's look or an admin's SUKSES / GAGAL, on any transaction, final ones included.
  [3, fc.record({ pick: which, to: outcome, admin: fc.boolean(), fault }).map(({ pick, to, admin, fault: f }) =>
    new Step(
      `resolve(#${pick}, ${to}, by ${admin ? 'admin' : 'worker'}, ${f})`,
      async (m, w) => {
        const txId = latest([...m.txs.keys()], pick);
        await send(m, w, resolveOp(m, txId, to, admin ? opIds.message(ADMIN, w.next()) : `worker:${w.next()}`), f);
      },
      (m) => m.txs.size > 0,
    ),
  )],
  // TIKET: one open per account at most, so a second of the same nominal replaces the first.
  [1, fc.record({ a: account, nominal: fc.constantFrom(10_000, 20_000) }).map(({ a, nominal }) =>
    new Step(`ticket(${a}, ${nominal})`, async (m, w) => {
      const user = w.accounts[a]!;
      const r = await w.store.openTicket(user, `TK${w.next()}`, nominal, Date.now(), HOUR, 1);
      if (!r.ok) return;
      expect(r.ticket.amount).toBeGreaterThanOrEqual(nominal);
      m.tickets.set(r.ticket.id, { id: r.ticket.id, user, amount: r.ticket.amount, status: 'open', expiresAt: r.ticket.expiresAt });
      const old = r.replaced && m.tickets.get(r.replaced.id);
      if (old) old.status = 'replaced';
    }),
  )],
  // ACC: an admin accepts a ticket; now and then (`late`) two hours on, when it has expired.
  [2, fc.record({ pick: which, late: oneIn(5), fault }).map(({ pick, late, fault: f }) =>
    new Step(
      `accept(#${pick}${late ? ', late' : ''}, ${f})`,
      async (m, w) => {
        const ticketId = latest([...m.tickets.keys()], pick);
        const opId = opIds.message(ADMIN, w.next());
        await send(m, w, { kind: 'acceptTicket', op: { opId, by: opId, now: Date.now() + (late ? 2 * HOUR : 0), ticketId, acceptedBy: ADMIN } }, f);
      },
      (m) => m.tickets.size > 0,
    ),
  )],
  // TRANSFER: the sender's debit, then (the driver's next move) the receiver's credit.
  [2, fc.record({ a: account, other: fc.nat(1), amount: fc.constantFrom(1_000, 5_000, 25_000), fault }).map(({ a, other, amount, fault: f }) =>
    new Step(`transfer(${a} → ${(a + 1 + other) % ACCOUNTS}, ${amount}, ${f})`, async (m, w) => {
      const from = w.accounts[a]!;
      const transferId = `TRF-${w.next()}`;
      const to = w.accounts[(a + 1 + other) % ACCOUNTS]!;
      const o = { kind: 'transferOut' as const, op: { opId: opIds.transferOut(transferId), by: opIds.message(from, w.next()), now: Date.now(), transferId, from, to, amount } };
      if ((await send(m, w, o, f))?.ok) w.planned.push(async () => void (await send(m, w, creditOf(o))));
    }),
  )],
  // The worker's look at a sale settled by a status check or an admin: its commissions, the fault on the first.
  [2, fc.record({ pick: which, fault }).map(({ pick, fault: f }) =>
    new Step(
      `commissions(#${pick}, ${f})`,
      async (m, w) => {
        await commissions(m, w, latest([...m.txs.keys()], pick), f);
      },
      (m) => m.txs.size > 0,
    ),
  )],
  // TUKAR KOMISI: all of the commission, or a nominal; refused over the balance. Mostly (`earner`) by an account
  // that has commission, as long as one has.
  [3, fc.record({ a: account, earner: oneIn(4).map((k) => !k), amount: fc.constantFrom<number | undefined>(undefined, 100, 100, 500, 2_000), fault }).map(
    ({ a, earner, amount, fault: f }) =>
      new Step(`redeem(${earner ? `earner ${a}` : a}, ${amount ?? 'all'}, ${f})`, async (m, w) => {
        const earners = w.accounts.filter((u) => m.commission(u) > 0);
        const user = earner && earners.length > 0 ? earners[a % earners.length]! : w.accounts[a]!;
        const opId = opIds.message(user, w.next());
        await send(m, w, { kind: 'redeemCommission', op: { opId, by: opId, now: Date.now(), user, ...(amount === undefined ? {} : { amount }) } }, f);
      }),
  )],
  // An operation sent before, sent again: a redelivered message (same sender), or someone else's (another).
  [3, fc.record({ pick: which, same: fc.boolean(), fault }).map(({ pick, same, fault: f }) =>
    new Step(
      `repeat(#${pick}, ${same ? 'same sender' : 'another sender'}, ${f})`,
      async (m, w) => {
        const o = latest(m.sent, pick);
        const again = { ...o, op: { ...o.op, by: same ? o.op.by : `other:${w.next()}` } } as Op;
        const r = await send(m, w, again, f);
        if (r?.ok && again.kind === 'transferOut') w.planned.push(async () => void (await send(m, w, creditOf(again))));
      },
      (m) => m.sent.length > 0,
    ),
  )],
  // The driver dies between two steps.
  [1, fc.constant(new Step('kill', kill, () => true, false))],
];
const steps = kinds.flatMap(([weight, arb]) => Array.from({ length: weight }, () => arb));

function seedOptions(): Pick<fc.Parameters<unknown>, 'seed' | 'path'> {
  const seed = process.env.LEDGER_MODEL_SEED;
  const path = process.env.LEDGER_MODEL_PATH;
  return { ...(seed ? { seed: Number(seed) } : {}), ...(path ? { path } : {}) };
}

/** Each history opens with saldo for two of the accounts (the third starts empty), so most YAs can pay. */
async function fund(m: Books, w: World): Promise<void> {
  for (const user of w.accounts.slice(0, 2)) {
    const opId = opIds.message(ADMIN, w.next());
    await send(m, w, { kind: 'adjust', op: { opId, by: opId, now: Date.now(), user, amount: 50_000, reason: 'deposit', note: opId } });
  }
}

/**
 * Up to 25 steps (12 on average; fewer run when a step has nothing to act on: no transaction to resolve yet).
 * fc.commands shrinks a failing history to the few steps that matter.
 */
const history = fc.commands(steps, { maxCommands: 25, size: 'max' });

/** RUNS histories, each in the world `open` gives it (`relay`: answers lost through the relay). */
async function run(open: (relay: boolean) => Promise<World>, relayShare: number): Promise<void> {
  const losing = fc.integer({ min: 1, max: 100 }).map((n) => (n <= relayShare ? 'answers lost by the relay' : 'answers lost by a wrapper'));
  await fc.assert(
    fc.asyncProperty(losing, history, async (how, cmds) => {
      const w = await open(how === 'answers lost by the relay');
      const m = new Books();
      await fund(m, w);
      await fc.asyncModelRun(() => ({ model: m, real: w }), cmds);
      // The worker's last look: every settled sale's commissions are credited before the books are closed.
      await finishCommissions(m, w);
      await checkHistory(m, w);
    }),
    { numRuns: RUNS, ...seedOptions() },
  );
}

describe('the ledger under random histories with lost answers and killed drivers', () => {
  it(`keeps its books on the embedded store (${RUNS} histories)`, async () => {
    await run(async () => newWorld(createMemoryStore()), 0);
  }, 120_000);

  describe('on Redis', () => {
    const url = redisUrl();
    const prefix = uniquePrefix('ledger-model');
    let direct: Redis | undefined;
    let relayed: Redis | undefined;
    let relay: AnswerDropper | undefined;

    afterAll(async () => {
      for (const r of [direct, relayed]) await r?.quit().catch(() => r.disconnect());
      await relay?.close();
      await dropPrefix(url, prefix);
    });

    it(`keeps its books on Redis, a third of them losing answers through a relay (${RUNS} histories)`, async () => {
      await assertRedis(url);
      relay = await answerDropper(url);
      direct = createRedisClient(url);
      // Reconnects at once after a cut: a lost answer costs a reconnection, not ioredis's default wait.
      relayed = createRedisClient(relay.url, { retryStrategy: () => 1 });
      relayed.on('error', () => {});
      // One store per connection: each history has its own accounts and ids.
      const plain = createRedisStore({ redis: direct, prefix });
      const lossy = createRedisStore({ redis: relayed, prefix });
      const through = relay;
      await run(async (viaRelay) => (viaRelay ? newWorld(lossy, through) : newWorld(plain)), 33);
    }, 180_000);
  });
});
