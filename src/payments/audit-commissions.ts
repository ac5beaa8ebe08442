/**
 * The commission books, checked (DESIGN.md, invariants 1 and 5; CONTRACT, "Reseller network"):
 * - every commission balance equals the sum of its book, each entry's balance after follows from the one
 *   before, and it never goes below zero; the book holds only `komisi` and `tukar-komisi` entries;
 * - every `tukar-komisi` has its twin in the saldo ledger (one entry on each side, the same amount);
 * - every `komisi` names a SETTLED transaction whose price put this upline on its network with exactly that
 *   markup, through the downline the entry names, and at most one entry per (transaction, level): a FAILED
 *   or unfinished transaction earns no one anything, and a credit is never made twice;
 * - a SETTLED transaction that still owes commissions is on the schedule (otherwise they are lost: nothing
 *   would ever credit them); one marked `commissioned` has every level with a markup credited exactly once;
 * - overall, Σ commissions credited = Σ upline markups of SETTLED transactions whose commissions are done,
 *   credits already made on a transaction still being credited aside.
 */
import type { UserId } from '../bot/channel.ts';
import type { LedgerEntry, Store, Transaction } from '../bot/store.ts';

/** What the commission audit adds up, for the report. */
export interface CommissionFigures {
  /** Σ commission balances. */
  commissionTotal: number;
  /** Σ `komisi` entries, every book. */
  commissionsCredited: number;
  /** Σ upline markups of SETTLED transactions whose commissions are all credited. */
  commissionsEarned: number;
}

export interface CommissionInputs {
  accounts: readonly UserId[];
  /** Every transaction, by id, as read before any commission book. */
  txs: ReadonlyMap<string, Transaction>;
  /** `<owner>|<txId>` of everything on the schedule. */
  scheduled: ReadonlySet<string>;
  /** Each account's `tukar-komisi` credits in its saldo ledger, oldest first. */
  redeemed: ReadonlyMap<UserId, readonly number[]>;
}

/** One `komisi` entry, where it was found. */
interface Credit {
  upline: UserId;
  entry: LedgerEntry;
}

export async function auditCommissions(
  store: Store, input: CommissionInputs, report: CommissionFigures & { problems: string[] },
): Promise<void> {
  const credits: Credit[] = [];
  const books = await Promise.all(input.accounts.map((a) => Promise.all([store.getCommission(a), store.commissionLedger(a, Number.MAX_SAFE_INTEGER)])));
  for (const [i, account] of input.accounts.entries()) {
    const [balance, newest] = books[i]!;
    report.commissionTotal += balance;
    auditBook(account, balance, [...newest].reverse(), input.redeemed.get(account) ?? [], credits, report.problems);
  }
  // Each transaction's credits by level: the amounts credited there.
  const byTx = new Map<string, Map<number, number[]>>();
  for (const c of credits) {
    report.commissionsCredited += c.entry.amount;
    const level = await placeCredit(store, c, input.txs, report.problems);
    if (level === undefined) continue;
    const levels = byTx.get(c.entry.txId!) ?? new Map<number, number[]>();
    levels.set(level, [...(levels.get(level) ?? []), c.entry.amount]);
    byTx.set(c.entry.txId!, levels);
  }
  let inFlight = 0;
  for (const tx of input.txs.values()) {
    const levels = byTx.get(tx.id);
    const shares = tx.quote.network ?? [];
    const problem = (s: string) => report.problems.push(`${tx.user}: ${tx.id} ${s}`);
    for (const [level, made] of levels ?? []) {
      if (made.length > 1) problem(`has ${made.length} komisi entries at level ${level} (${shares[level - 1]!.account}): credited more than once`);
    }
    if (tx.commissioned && tx.status !== 'SETTLED') problem(`is ${tx.status} but marked commissioned`);
    if (tx.status !== 'SETTLED') continue;
    const owed = shares.flatMap((s, i) => (s.markup > 0 ? [i + 1] : []));
    if (tx.commissioned) {
      for (const level of owed) {
        if (!levels?.has(level)) problem(`is marked commissioned but level ${level} (${shares[level - 1]!.account}, ${shares[level - 1]!.markup}) was never credited`);
      }
      report.commissionsEarned += owed.reduce((sum, level) => sum + shares[level - 1]!.markup, 0);
    } else if (owed.length > 0) {
      for (const made of levels?.values() ?? []) inFlight += made.reduce((sum, a) => sum + a, 0);
      if (!input.scheduled.has(`${tx.user}|${tx.id}`)) problem(`is SETTLED and owes commissions, but is not scheduled: lost commission`);
    }
  }
  if (report.commissionsCredited - inFlight !== report.commissionsEarned) {
    report.problems.push(
      `Σ commissions credited ${report.commissionsCredited} (${inFlight} of it on transactions still being credited) ` +
        `≠ Σ upline markups of SETTLED transactions ${report.commissionsEarned}`,
    );
  }
}

/** One account's commission book, oldest first: its sums, its kinds of entry, and its redemptions' twins. */
function auditBook(account: UserId, balance: number, entries: LedgerEntry[], redeemed: readonly number[], credits: Credit[], problems: string[]): void {
  const problem = (s: string) => problems.push(`${account}: ${s}`);
  let running = 0;
  const redemptions: number[] = [];
  for (const e of entries) {
    running += e.amount;
    if (e.saldoAfter !== running) problem(`commission entry at ${e.at} says commission ${e.saldoAfter}, the entries sum to ${running}`);
    if (running < 0) problem(`commission below zero (${running}) at ${e.at}`);
    if (e.reason === 'komisi') {
      if (e.amount <= 0 || !e.txId) problem(`komisi entry at ${e.at} of ${e.amount} ${e.txId ? `on ${e.txId}` : 'names no transaction'}`);
      else credits.push({ upline: account, entry: e });
    } else if (e.reason === 'tukar-komisi' && e.amount < 0) redemptions.push(-e.amount);
    else problem(`commission book holds a ${e.reason} entry of ${e.amount} at ${e.at}`);
  }
  if (running !== balance) problem(`commission ${balance} but its book sums to ${running}`);
  // One atomic step writes both twins, so the two books list them in the same order.
  if (redemptions.join() !== redeemed.join()) {
    problem(`tukar-komisi: the commission book moved [${redemptions.join(', ')}], the saldo ledger received [${redeemed.join(', ')}]`);
  }
}

/**
 * The level of the transaction's network a `komisi` entry is for: the one naming this upline (and, through the
 * entry's note, the downline on the payer's side of it) with exactly that markup. Undefined, and said, when
 * there is none.
 */
async function placeCredit(store: Store, c: Credit, txs: ReadonlyMap<string, Transaction>, problems: string[]): Promise<number | undefined> {
  const { upline, entry } = c;
  const txId = entry.txId!;
  const problem = (s: string) => problems.push(`${upline}: komisi ${entry.amount} at ${entry.at} on ${txId} ${s}`);
  const tx = txs.get(txId) ?? (await findTx(store, txId));
  if (!tx) return void problem('names a transaction that does not exist');
  if (tx.status !== 'SETTLED') return void problem(`names a ${tx.status} transaction, which earns no commission`);
  const shares = tx.quote.network ?? [];
  const viaOf = (i: number) => (i === 0 ? tx.user : shares[i - 1]!.account);
  const i = shares.findIndex((s) => s.account === upline);
  if (i < 0) return void problem(`names a transaction whose price has no markup of ${upline}'s`);
  if (shares[i]!.markup !== entry.amount) problem(`at level ${i + 1}, but the quote's markup there is ${shares[i]!.markup}`);
  if (entry.note !== viaOf(i)) problem(`at level ${i + 1} says it came through ${entry.note ?? 'nobody'}, not ${viaOf(i)}`);
  return i + 1;
}

/** A transaction whose owner the audit did not visit (it should have): found through the owner index. */
async function findTx(store: Store, txId: string): Promise<Transaction | null> {
  const owner = await store.txOwner(txId);
  return owner ? store.getTx(owner, txId) : null;
}
