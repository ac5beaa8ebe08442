/** The admin's money desk: open transactions, one transaction in full, and settling by hand. */
import type { Payments } from '../payments/payments.ts';
import type { Reply, UserId } from './channel.ts';
import { rupiah, signedRupiah, wibTime } from './format.ts';
import type { T } from './i18n.ts';
import { isTransferId } from '../payments/transfers.ts';
import { isFinal, type LedgerEntry, type Store, type Transaction, type TxEvent } from './store.ts';

const RAW_MAX = 400;

export interface AdminDeps {
  store: Store;
  payments: Payments;
  t: T;
}

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

export async function pendingList({ store, t }: AdminDeps): Promise<string> {
  const items = await store.scheduled(200);
  const txs = (await Promise.all(items.map((i) => store.getTx(i.user, i.txId))))
    .filter((tx): tx is Transaction => tx !== null && !isFinal(tx.status))
    .sort((a, b) => a.createdAt - b.createdAt);
  if (txs.length === 0) return t('admin.pendingNone');
  return [t('admin.pendingTitle', { n: txs.length }), ...txs.map((tx) => openLine(tx, t))].join('\n');
}

function eventLine(e: TxEvent): string {
  const data = JSON.stringify(e.data ?? {});
  return `${wibTime(e.at)} ${e.type} ${data.length > RAW_MAX ? `${data.slice(0, RAW_MAX)}…` : data}`;
}

export async function transactionInFull({ store, t }: AdminDeps, txId: string): Promise<string> {
  const user = await store.txOwner(txId);
  // A transfer is scheduled under its sender like a payment, so the same index finds it.
  if (user && isTransferId(txId)) return transferInFull(store, t, user, txId);
  const tx = user ? await store.getTx(user, txId) : null;
  if (!tx) return t('admin.notFound', { id: txId });
  const [log, ledger] = await Promise.all([store.txLog(tx.user, tx.id), store.ledger(tx.user, 100_000)]);
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
async function transferInFull(store: Store, t: T, from: UserId, id: string): Promise<string> {
  const tr = await store.getTransfer(from, id);
  if (!tr) return t('admin.notFound', { id });
  const [out, inn] = await Promise.all([store.ledger(from, 100_000), store.ledger(tr.to, 100_000)]);
  const entries = [...out.filter((e) => e.txId === id).map((e) => ledgerLine(e, t, from)), ...inn.filter((e) => e.txId === id).map((e) => ledgerLine(e, t, tr.to))];
  return [
    t('trx.transfer', { id, from, to: tr.to, amount: rupiah(tr.amount), time: wibTime(tr.at) }),
    t(tr.state === 'done' ? 'trx.transferDone' : 'trx.transferDebited'),
    t('trx.ledger'),
    ...entries,
  ].join('\n');
}

export async function settleByHand(
  deps: AdminDeps,
  admin: UserId,
  kind: 'settle' | 'fail',
  txId: string | undefined,
  note: string | undefined,
): Promise<Reply[]> {
  const { payments, t } = deps;
  if (!txId) return [{ text: t(kind === 'settle' ? 'admin.usageSettle' : 'admin.usageFail') }];
  const r = await payments.settleByHand(
    txId,
    admin,
    kind === 'settle'
      ? { status: 'settled', ...(note ? { serial: note } : {}) }
      : { status: 'failed', reason: note ?? t('admin.failedByAdmin') },
  );
  if (!r.ok) {
    if (r.reason === 'not-found') return [{ text: t('admin.notFound', { id: txId }) }];
    return [{ text: t('admin.final', { id: txId, status: r.tx ? t(`status.${r.tx.status}`) : '-' }) }];
  }
  const vars = { id: r.tx.id, user: r.tx.user, amount: rupiah(r.tx.quote.price) };
  return [{ text: t(kind === 'settle' ? 'admin.settled' : 'admin.failed', vars) }];
}
