/**
 * The books, checked: every saldo equals the sum of its ledger and never went below zero; every transaction
 * has exactly one debit, a FAILED one exactly one refund and no other state any; every open transaction is
 * on the recheck schedule (otherwise nothing would ever finish it).
 */
import type { UserId } from '../bot/channel.ts';
import { isFinal, type Store } from '../bot/store.ts';

export interface AuditReport {
  users: number;
  transactions: number;
  byStatus: Record<string, number>;
  saldoTotal: number;
  problems: string[];
}

export async function audit(store: Store): Promise<AuditReport> {
  const report: AuditReport = { users: 0, transactions: 0, byStatus: {}, saldoTotal: 0, problems: [] };
  const scheduled = new Set((await store.scheduled(1_000_000)).map((d) => `${d.user}|${d.txId}`));
  for (const user of await store.allUsers()) {
    report.users++;
    await auditUser(store, user, scheduled, report);
  }
  return report;
}

async function auditUser(store: Store, user: UserId, scheduled: Set<string>, report: AuditReport): Promise<void> {
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
  }
  if (running !== saldo) problem(`saldo ${saldo} but the ledger sums to ${running}`);
  const txs = await store.listTx(user, Number.MAX_SAFE_INTEGER);
  for (const tx of txs) {
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
