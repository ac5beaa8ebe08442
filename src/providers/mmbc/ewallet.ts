/**
 * E-wallet top-ups through MMBC multipayment, in our words. `CONFIRM` is settled and `REFUND` is a definite
 * failure (MMBC gave the money back, so we do too); anything else, or no answer, stays pending.
 */
import { type Bill, type CatalogueEntry, type InquiryOutcome, type InquiryRequest, OWN_REASONS, type PayOutcome, type PayRequest, type Receipt, type StatusRequest } from '../../bot/provider.ts';
import { isBlank } from '../amounts.ts';
import type { MmbcClient } from './client.ts';
import { CARD_MERCHANTS } from './families.ts';
import type { MerchantReload, MerchantRow } from './multipayment-schemas.ts';
import { errorRecord, messageOf } from '../outcomes.ts';

export const EWALLET_GROUP = 'E-Wallet';
/** "NOTE: minimal amount Rp. 50.000 / transaksi" */
export const EWALLET_MIN_AMOUNT = 50_000;

const NAMES: Record<string, string> = {
  GOPAY: 'GoPay', GRABPAY: 'GrabPay', OVO: 'OVO', DANA: 'DANA', SHOPEEPAY: 'ShopeePay', LINKAJA: 'LinkAja', TCASH: 'T-Cash',
};

export function merchantEntries(rows: readonly MerchantRow[]): CatalogueEntry[] {
  return rows
    .map((row) => ({ row, code: row['merchant code'].toUpperCase() }))
    .filter(({ code }) => code !== '' && !CARD_MERCHANTS.has(code))
    .map(({ row, code }): CatalogueEntry => ({
      provider: 'mmbc',
      code,
      name: NAMES[code] ?? code,
      group: EWALLET_GROUP,
      family: 'ewallet',
      admin: row['merchant debet'].kind === 'bill-plus' ? row['merchant debet'].plus : 0,
      debit: row['merchant debet'],
      // list_merchant has no status: a merchant it lists is on sale.
      available: true,
      minAmount: EWALLET_MIN_AMOUNT,
    }));
}

export async function inquireMerchant(client: MmbcClient, req: InquiryRequest): Promise<InquiryOutcome> {
  const { product, customerNo, amount } = req;
  if (amount === undefined || amount < (product.minAmount ?? EWALLET_MIN_AMOUNT)) {
    return { ok: false, kind: 'refused', reason: `nominal below ${product.minAmount ?? EWALLET_MIN_AMOUNT}` };
  }
  let res: Awaited<ReturnType<MmbcClient['inquireMerchant']>>;
  try {
    res = await client.inquireMerchant(product.code, customerNo, amount);
  } catch (err) {
    return { ok: false, kind: 'unavailable', reason: messageOf(err) };
  }
  if (!res.ok) return { ok: false, kind: 'refused', reason: res.refusal.reason };
  const a = res.answer;
  // A quote for another nominal than the one typed must never be offered.
  if (a.amount !== amount) return { ok: false, kind: 'unavailable', reason: `mmbc inquiry_merchant answered amount ${a.amount}, asked ${amount}` };
  const receiver = text(a['receiver name']);
  const bill: Bill = {
    product: product.code,
    productName: product.name,
    customerNo,
    customerName: '',
    details: receiver ? [{ key: 'receiver', value: receiver }] : [],
    bill: amount,
    admin: Math.max(0, a.debet - amount),
    total: a.debet,
    debit: a.debet,
    ref: { amount: String(amount) },
  };
  return { ok: true, bill };
}

export async function reloadMerchant(client: MmbcClient, req: PayRequest): Promise<PayOutcome> {
  const amount = Number(req.bill.ref?.amount ?? req.bill.bill);
  if (!Number.isSafeInteger(amount) || amount <= 0) return { status: 'failed', reason: OWN_REASONS.incomplete };
  let res: Awaited<ReturnType<MmbcClient['reload']>>;
  try {
    res = await client.reload(req.product, req.customerNo, amount);
  } catch (err) {
    // Sent or not, we cannot tell, and without the invoice status_reload cannot be asked: an admin settles it.
    return { status: 'pending', reason: messageOf(err), raw: errorRecord(err) };
  }
  if (!res.ok) return { status: 'failed', reason: res.refusal.reason, raw: res.raw };
  return reloadOutcome(res.answer, res.raw);
}

export async function reloadStatus(client: MmbcClient, req: StatusRequest): Promise<PayOutcome | { status: 'unknowable'; reason: string }> {
  if (!req.invoice) return { status: 'unknowable', reason: 'mmbc status_reload needs the invoice, which the top-up never returned' };
  const invoice = req.invoice;
  try {
    const res = await client.reloadStatus(invoice);
    // Like cekstatus: "not found" may only mean it is not booked yet, which is no reason to refund.
    if (!res.ok) return { status: 'pending', reason: res.refusal.reason, invoice, raw: res.raw };
    return reloadOutcome(res.answer, res.raw, invoice);
  } catch (err) {
    return { status: 'pending', reason: messageOf(err), invoice, raw: errorRecord(err) };
  }
}

function reloadOutcome(a: MerchantReload, raw: unknown, knownInvoice?: string): PayOutcome {
  const invoice = text(a.invoice) ?? knownInvoice;
  const status = a.status?.toUpperCase();
  if (status === 'REFUND') return { status: 'failed', reason: OWN_REASONS.refund, raw };
  if (status !== 'CONFIRM') {
    return { status: 'pending', reason: status ? `status ${status}` : 'no status', raw, ...(invoice ? { invoice } : {}) };
  }
  const receiver = text(a['receiver name']);
  const receipt: Receipt = {
    details: receiver ? [{ key: 'receiver', value: receiver }] : [],
    ...(invoice ? { invoice } : {}),
    ...(text(a.reference) ? { reference: text(a.reference)! } : {}),
    ...(text(a.date) ? { at: text(a.date)! } : {}),
    ...(a.debet === undefined ? {} : { debit: a.debet }),
  };
  return { status: 'settled', receipt, raw };
}

function text(value: string | undefined): string | undefined {
  return isBlank(value) ? undefined : value!.trim();
}
