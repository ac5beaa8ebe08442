/**
 * The admin's money desk: `PENDING` (open transactions), `TRX <ID>` (one in full), and settling by hand with
 * `SUKSES <ID> [SN]` / `GAGAL <ID> [alasan]` what no status call can.
 */
import type { Reply, UserId } from '../channel.ts';
import { command } from '../commands.ts';
import type { CommandContext, Statements } from '../context.ts';
import { rupiah, signedRupiah, wibTime } from '../format.ts';
import type { T } from '../i18n.ts';
import { messageOp } from '../money.ts';
import { textAfter } from '../parse.ts';
import { isTransferId } from '../../payments/transfers.ts';
import { isFinal, type LedgerEntry, type Transaction, type TxEvent } from '../store.ts';

const RAW_MAX = 400;

type AdminDeps = Pick<CommandContext, 'statements' | 'payments' | 't'>;

function openLine(tx: Transaction, t: T): string {
  return t('admin.pendingLine', {
    id: tx.id,
    time: wibTime(tx.createdAt),
    user: tx.user,
    product: tx.quote.product,
    number: tx.quote.bill.customerNo,
    amount: rupiah(tx.quote.price),
    status: t(`status.${tx.status}`),
    invoice: tx.invoice ? ` · inv ${tx.invoice}` : '',
  });
}

async function pendingList({ statements, t }: AdminDeps): Promise<string> {
  const items = await statements.scheduled(200);
  const txs = (await Promise.all(items.map((i) => statements.tx(i.user, i.txId))))
    .filter((tx): tx is Transaction => tx !== null && !isFinal(tx.status))
    .sort((a, b) => a.createdAt - b.createdAt);
  if (txs.length === 0) return t('admin.pendingNone');
  return [t('admin.pendingTitle', { n: txs.length }), ...txs.map((tx) => openLine(tx, t))].join('\n');
}

function eventLine(e: TxEvent): string {
  const data = JSON.stringify(e.data ?? {});
  return `${wibTime(e.at)} ${e.type} ${data.length > RAW_MAX ? `${data.slice(0, RAW_MAX)}…` : data}`;
}

async function transactionInFull({ statements, t }: AdminDeps, txId: string): Promise<string> {
  const user = await statements.owner(txId);
  // A transfer is scheduled under its sender like a payment, so the same index finds it.
  if (user && isTransferId(txId)) return transferInFull(statements, t, user, txId);
  const tx = user ? await statements.tx(user, txId) : null;
  if (!tx) return t('admin.notFound', { id: txId });
  const [log, ledger] = await Promise.all([statements.txLog(tx.user, tx.id), statements.ledger(tx.user, 100_000)]);
  const entries = ledger.filter((e) => e.txId === tx.id).reverse();
  return [
    t('trx.head', { id: tx.id, user: tx.user, status: `${t(`status.${tx.status}`)} (${tx.status})` }),
    t('trx.times', { created: wibTime(tx.createdAt), updated: wibTime(tx.updatedAt) }),
    t('trx.what', {
      provider: tx.quote.provider.toUpperCase(), product: tx.quote.product, number: tx.quote.bill.customerNo,
      // An e-wallet's name is its receiver's, given as a detail.
      name: tx.quote.bill.customerName || tx.quote.bill.details.find((d) => d.key === 'receiver')?.value || '-', debit: rupiah(tx.quote.bill.debit), price: rupiah(tx.quote.price),
    }),
    t('trx.refs', { invoice: tx.invoice ?? '-', reference: tx.receipt?.reference ?? '-', reason: tx.reason ?? '-' }),
    t('trx.calls'),
    ...(log.length ? log.map(eventLine) : ['-']),
    t('trx.ledger'),
    ...entries.map((e) => ledgerLine(e, t)),
  ].join('\n');
}

function ledgerLine(e: LedgerEntry, t: T, who?: UserId): string {
  return `${wibTime(e.at)} ${who ? `${who} ` : ''}${signedRupiah(e.amount)} ${t(`ledger.${e.reason}`)} · ${t('trx.saldoAfter', { saldo: rupiah(e.saldoAfter) })}`;
}

/** A transfer in full: both sides, and the ledger entry on each (the receiver's only once it is credited). */
async function transferInFull(statements: Statements, t: T, from: UserId, id: string): Promise<string> {
  const tr = await statements.transfer(from, id);
  if (!tr) return t('admin.notFound', { id });
  const [out, inn] = await Promise.all([statements.ledger(from, 100_000), statements.ledger(tr.to, 100_000)]);
  const entries = [...out.filter((e) => e.txId === id).map((e) => ledgerLine(e, t, from)), ...inn.filter((e) => e.txId === id).map((e) => ledgerLine(e, t, tr.to))];
  return [
    t('trx.transfer', { id, from, to: tr.to, amount: rupiah(tr.amount), time: wibTime(tr.at) }),
    t(tr.state === 'done' ? 'trx.transferDone' : 'trx.transferDebited'),
    t('trx.ledger'),
    ...entries,
  ].join('\n');
}

async function settleByHand(ctx: CommandContext, kind: 'settle' | 'fail', txId: string | undefined, note: string | undefined): Promise<Reply[]> {
  const { payments, t } = ctx;
  if (!txId) return [{ text: t(kind === 'settle' ? 'admin.usageSettle' : 'admin.usageFail') }];
  const r = await payments.settleByHand(
    txId,
    ctx.user,
    kind === 'settle'
      ? { status: 'settled', ...(note ? { serial: note } : {}) }
      : { status: 'failed', reason: note ?? t('admin.failedByAdmin') },
    // The admin's message is the step's sender: sent again after a lost answer, it hears its own outcome.
    ctx.messageId ? messageOp(ctx.user, ctx.messageId) : undefined,
  );
  if (!r.ok) {
    if (r.reason === 'not-found') return [{ text: t('admin.notFound', { id: txId }) }];
    return [{ text: t('admin.final', { id: txId, status: r.tx ? t(`status.${r.tx.status}`) : '-' }) }];
  }
  const vars = { id: r.tx.id, user: r.tx.user, amount: rupiah(r.tx.quote.price) };
  return [{ text: t(kind === 'settle' ? 'admin.settled' : 'admin.failed', vars) }];
}

/** What SUKSES and GAGAL read: the id, and the serial number or reason kept as typed (dots and case matter in an SN). */
function handWords(args: string[], rest: () => string): { txId?: string; note?: string } {
  if (args.length === 0) return {};
  const note = textAfter(rest(), 1);
  return note ? { txId: args[0]!, note } : { txId: args[0]! };
}

export function deskCommands() {
  return [
    command({
      name: 'admin-pending',
      words: ['PENDING'],
      read: (args: string[]) => (args.length === 0 ? {} : undefined),
      role: 'admin',
      readsOnly: true,
      async run(_, ctx) {
        return [{ text: await pendingList(ctx) }];
      },
    }),
    command({
      name: 'admin-trx',
      words: ['TRX'],
      read: (args: string[]): { txId?: string } => (args.length === 1 ? { txId: args[0]! } : {}),
      role: 'admin',
      readsOnly: true,
      async run({ txId }, ctx) {
        return [{ text: txId ? await transactionInFull(ctx, txId) : ctx.t('admin.usageTrx') }];
      },
    }),
    command({
      name: 'admin-settle',
      words: ['SUKSES'],
      read: handWords,
      role: 'admin',
      run: ({ txId, note }, ctx) => settleByHand(ctx, 'settle', txId, note),
    }),
    command({
      name: 'admin-fail',
      words: ['GAGAL'],
      read: handWords,
      role: 'admin',
      run: ({ txId, note }, ctx) => settleByHand(ctx, 'fail', txId, note),
    }),
  ];
}
