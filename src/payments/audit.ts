/**
 * The books, checked (DESIGN.md, invariants): every saldo equals the sum of its ledger and never went below
 * zero; every transaction has exactly one debit, a FAILED one exactly one refund and no other state any; every
 * open transaction is on the recheck schedule (otherwise nothing would ever finish it). The commission books
 * (invariants 1 and 5) are checked by audit-commissions.ts.
 *
 * Read in this order: the schedule, then every account's transactions, then the commission books. So a worker
 * still crediting while the audit runs is seen as work in flight, never as a difference: a transaction read
 * as done had its credits written before its books are read, and one read as owing was on the schedule read
 * before it.
 */
import type { UserId } from '../bot/channel.ts';
import { isFinal, type Store, type Transaction } from '../bot/store.ts';
import { auditCommissions, type CommissionFigures } from './audit-commissions.ts';

export interface AuditReport extends CommissionFigures {
  users: number;
  transactions: number;
  byStatus: Record<string, number>;
  saldoTotal: number;
  problems: string[];
}

export async function audit(store: Store): Promise<AuditReport> {
  const report: AuditReport = {
    users: 0, transactions: 0, byStatus: {}, saldoTotal: 0, commissionTotal: 0, commissionsCredited: 0, commissionsEarned: 0, problems: [],
  };
  const scheduled = new Set((await store.scheduled(1_000_000)).map((d) => `${d.user}|${d.txId}`));
  const txs = new Map<string, Transaction>();
  /** Every `tukar-komisi` credit to a saldo, oldest first: each must have its entry in the commission book. */
  const redeemed = new Map<UserId, number[]>();
  /** Every credit a webhook event made (invariant 6): `moota:<mutation id>`, `qris <deposit id>` → who got it. */
  const events = new Map<string, UserId>();
  const accounts = await everyAccount(store, txs, async (user) => {
    report.users++;
    await auditUser(store, user, scheduled, report, txs, redeemed, events);
  });
  await auditCommissions(store, { accounts, txs, scheduled, redeemed }, report);
  return report;
}

/**
 * Visits every account that holds books: every user, the account each linked identity acts for, and every
 * upline a transaction's price names (its commission book is owed to). `visit` is run once per account and
 * fills `txs`, from which further uplines are found.
 */
async function everyAccount(store: Store, txs: Map<string, Transaction>, visit: (user: UserId) => Promise<void>): Promise<UserId[]> {
  const seen = new Set<UserId>();
  let next = await store.allUsers();
  while (next.length > 0) {
    const round = next.filter((u) => !seen.has(u));
    for (const u of round) seen.add(u);
    const records = await Promise.all(round.map((u) => store.getUser(u)));
    for (const u of round) await visit(u);
    const more = new Set<UserId>();
    for (const rec of records) if (rec?.account && !seen.has(rec.account)) more.add(rec.account);
    for (const tx of txs.values()) for (const s of tx.quote.network ?? []) if (!seen.has(s.account)) more.add(s.account);
    next = [...more];
  }
  return [...seen];
}

async function auditUser(
  store: Store, user: UserId, scheduled: Set<string>, report: AuditReport, all: Map<string, Transaction>, redeemed: Map<UserId, number[]>,
  events: Map<string, UserId>,
): Promise<void> {
  const problem = (s: string) => report.problems.push(`${user}: ${s}`);
  const saldo = await store.getSaldo(user);
  report.saldoTotal += saldo;
  const ledger = (await store.ledger(user, Number.MAX_SAFE_INTEGER)).reverse();
  let running = 0;
  const perTx = new Map<string, { payment: number; refund: number }>();
  for (const e of ledger) {
    running += e.amount;
    if (e.saldoAfter !== running) problem(`ledger entry at ${e.at} says saldo ${e.saldoAfter}, the entries sum to ${running}`);
    if (running < 0) problem(`saldo below zero (${running}) at ${e.at}`);
    if (e.txId && (e.reason === 'payment' || e.reason === 'refund')) {
      const c = perTx.get(e.txId) ?? { payment: 0, refund: 0 };
      c[e.reason]++;
      perTx.set(e.txId, c);
    }
    if (e.reason === 'tukar-komisi') {
      const list = redeemed.get(user) ?? [];
      list.push(e.amount);
      redeemed.set(user, list);
    }
    // Invariant 6: a deposit a webhook made names its event (a bank mutation, a QRIS deposit), credited once.
    const event = e.reason === 'deposit' && e.note ? (/\b(moota:\S+)/.exec(e.note)?.[1] ?? /^(qris \S+)$/.exec(e.note)?.[1]) : undefined;
    if (event) {
      const earlier = events.get(event);
      if (earlier) report.problems.push(`${event} credited more than once (${earlier}, ${user})`);
      else events.set(event, user);
    }
    // A commission is earned in the commission book; one written straight into a saldo bypassed it.
    if (e.reason === 'komisi') problem(`ledger entry at ${e.at} is a komisi: commissions belong in the commission book`);
  }
  if (running !== saldo) problem(`saldo ${saldo} but the ledger sums to ${running}`);
  const txs = await store.listTx(user, Number.MAX_SAFE_INTEGER);
  for (const tx of txs) {
    all.set(tx.id, tx);
    report.transactions++;
    report.byStatus[tx.status] = (report.byStatus[tx.status] ?? 0) + 1;
    const c = perTx.get(tx.id) ?? { payment: 0, refund: 0 };
    perTx.delete(tx.id);
    if (c.payment !== 1) problem(`${tx.id} has ${c.payment} debits`);
    const refunds = tx.status === 'FAILED' ? 1 : 0;
    if (c.refund !== refunds) problem(`${tx.id} (${tx.status}) has ${c.refund} refunds, expected ${refunds}`);
    if (!isFinal(tx.status) && !scheduled.has(`${user}|${tx.id}`)) {
      problem(`${tx.id} is ${tx.status} but not scheduled for a check`);
    }
  }
  for (const id of perTx.keys()) problem(`ledger names transaction ${id}, which does not exist`);
}
