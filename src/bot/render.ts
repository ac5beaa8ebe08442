/** Quotes, receipts and transaction states as text, in the user's language. Pure. */
import { moneyRows, period, rupiah, textRows, tokenGroups, wibTime } from './format.ts';
import type { T } from './i18n.ts';
import { type Bill, type Detail, type Family, OWN_REASONS, reasonTag } from './provider.ts';
import type { Quote, Transaction } from './store.ts';

/** Details that go on the name line rather than a line of their own. */
const HEADLINE: readonly string[] = ['tariff'];

function headline(bill: Bill, t: T): string[] {
  const second = [bill.customerName];
  for (const d of bill.details) if (HEADLINE.includes(d.key) && d.value) second.push(d.value);
  // IAK lists several months at once: `202607,202608`.
  if (bill.period) second.push(bill.period.split(',').map((p) => period(p, t)).join(', '));
  return [`${bill.productName} · ${bill.customerNo}`, second.filter(Boolean).join(' · ')].filter(Boolean);
}

function detailRows(details: readonly Detail[], t: T, skip: readonly string[] = HEADLINE): string[] {
  const rows: Array<[string, string]> = [];
  for (const d of details) {
    // The nominal is already the first money row.
    if (skip.includes(d.key) || d.key === 'nominal') continue;
    const v = d.amount !== undefined ? rupiah(d.amount) : shown(d.key, d.value?.trim());
    if (v && v !== '-') rows.push([t(`detail.${d.key}`), v]);
  }
  return textRows(rows);
}

/** MMBC writes a multifinance due date as `20210415`; the user reads `15/04/2021`, as IAK writes it. */
function shown(key: Detail['key'], value: string | undefined): string | undefined {
  const date = key === 'dueDate' && value ? /^(\d{4})(\d{2})(\d{2})$/.exec(value) : null;
  return date ? `${date[3]}/${date[2]}/${date[1]}` : value;
}

function billLabel(family: Family, t: T): string {
  return t(family === 'pln-prepaid' || family === 'ewallet' || family === 'pulsa' ? 'amount.nominal' : 'amount.bill');
}

/** A quote made against a simulated biller says so first, in every summary and receipt of it. */
function sandboxMark(quote: Quote, t: T): string[] {
  return quote.sandbox ? [t('sandbox.mark')] : [];
}

export function summary(quote: Quote, canPay: boolean, ttlSeconds: number, t: T): string {
  const b = quote.bill;
  const rows: Array<[string, number, string?]> = [
    [billLabel(quote.family, t), b.bill],
    [t('amount.admin'), b.admin],
    [t('amount.total'), b.total],
  ];
  if (canPay) {
    const margin = b.total - quote.price;
    // A debit above what the end customer pays (a biller fee on a bill with no admin fee, a large markup) is
    // said as plainly as a margin: the reseller must charge more than the total to break even.
    const note = margin > 0 ? t('summary.margin', { amount: rupiah(margin) }) : margin < 0 ? t('summary.loss', { amount: rupiah(-margin) }) : undefined;
    rows.push([t('amount.debit'), quote.price, note]);
  }
  const validity = ttlSeconds >= 60 && ttlSeconds % 60 === 0
    ? t('summary.validMinutes', { n: ttlSeconds / 60 })
    : t('summary.validSeconds', { n: ttlSeconds });
  const closing = canPay ? `${t('summary.confirm')} ${validity}` : t('summary.customer');
  return [...sandboxMark(quote, t), ...headline(b, t), ...detailRows(b.details, t), ...moneyRows(rows), closing].join('\n');
}

/** `saldoNow`: the saldo as the receipt is sent, for one that comes later than its debit (a pending bill). */
export function receipt(tx: Transaction, t: T, saldoNow?: number): string {
  const b = tx.quote.bill;
  const r = tx.receipt ?? { details: [] };
  const ids: Array<[string, string]> = [[t('receipt.txId'), tx.id]];
  if (r.invoice) ids.push([t('receipt.invoice'), r.invoice]);
  // A prepaid top-up's reference is the operator's serial number (SN), which the customer asks for by that name.
  if (r.reference) ids.push([t(tx.quote.family === 'pulsa' ? 'receipt.sn' : 'receipt.reference'), r.reference]);
  ids.push([t('receipt.time'), wibTime(tx.updatedAt)]);
  const lines = [...sandboxMark(tx.quote, t), t('receipt.title'), ...textRows(ids), ...headline({ ...b, customerName: r.customerName || b.customerName }, t)];
  if (r.token) lines.push(`${t('receipt.token')}: ${tokenGroups(r.token)}`);
  if (r.kwh) lines.push(`${t('detail.kwh')}: ${r.kwh}`);
  // The receipt's details win; the inquiry's fill in what the payment answer left out.
  const seen = new Set(r.details.map((d) => d.key));
  lines.push(...detailRows([...r.details, ...b.details.filter((d) => !seen.has(d.key))], t, [...HEADLINE, 'kwh']));
  lines.push(
    ...moneyRows([
      [billLabel(tx.quote.family, t), b.bill],
      [t('amount.admin'), b.admin],
      [t('amount.total'), b.total],
      [t('amount.debit'), tx.quote.price],
      [t('amount.saldoAfter'), saldoNow ?? tx.saldoAfter],
    ]),
  );
  if (r.footer) lines.push(r.footer);
  return lines.join('\n');
}

export function pendingNotice(tx: Transaction, t: T): string {
  return t('payment.pending', { id: tx.id, product: tx.quote.bill.productName, number: tx.quote.bill.customerNo });
}

const OWN_REASON_KEYS = new Map<string, string>(Object.entries(OWN_REASONS).map(([key, text]) => [text, `reason.${key}`]));

/** Why a payment failed, for its payer: the biller's own words, or ours in the user's language. */
export function reasonText(reason: string | undefined, t: T): string {
  if (!reason) return '-';
  const own = OWN_REASON_KEYS.get(reason);
  if (own) return t(own);
  const { key, text } = reasonTag(reason);
  // The sentence around it ends itself: "… silakan coba lagi!." reads as a slip.
  const theirs = text.replace(/[\s.,;:!?]+$/, '') || text;
  return key ? t('reason.tagged', { what: t(`reason.${key}`), text: theirs }) : theirs;
}

/** `saldoNow`: the saldo as the notice is sent; other debits and credits may have come since this one's. */
export function failedNotice(tx: Transaction, t: T, saldoNow?: number): string {
  return t('payment.failed', {
    id: tx.id,
    product: tx.quote.bill.productName,
    number: tx.quote.bill.customerNo,
    reason: reasonText(tx.reason, t),
    amount: rupiah(tx.quote.price),
    saldo: rupiah(saldoNow ?? tx.saldoAfter + tx.quote.price),
  });
}

/** The user-facing text for a transaction in whatever state it is. */
export function outcome(tx: Transaction, t: T, saldoNow?: number): string {
  if (tx.status === 'SETTLED') return receipt(tx, t, saldoNow);
  if (tx.status === 'FAILED') return failedNotice(tx, t, saldoNow);
  return pendingNotice(tx, t);
}

export function statusLine(tx: Transaction, t: T): string {
  return t('status.line', {
    id: tx.id,
    time: wibTime(tx.createdAt),
    product: tx.quote.product,
    number: tx.quote.bill.customerNo,
    amount: rupiah(tx.quote.price),
    status: t(`status.${tx.status}`),
  });
}

/** What the admins need to look a transaction up on the provider's side. */
export function adminAlert(tx: Transaction, why: 'needs-admin' | 'stale', t: T): string {
  return t(why === 'stale' ? 'admin.stale' : 'admin.noInvoice', {
    id: tx.id,
    user: tx.user,
    provider: tx.quote.provider.toUpperCase(),
    product: tx.quote.product,
    number: tx.quote.bill.customerNo,
    amount: rupiah(tx.quote.bill.debit),
    time: wibTime(tx.createdAt),
  });
}
