/**
 * A provider whose every answer has the configured secrets taken out (redact.ts): its refusals, reasons,
 * receipts, raw answers for the record and the errors it throws. The router wraps each provider in it, so
 * whatever a biller says reaches the reply, the transaction record and the log already clean.
 */
import type { Bill, CatalogueEntry, InquiryOutcome, PayOutcome, Provider, Receipt } from '../bot/provider.ts';
import type { Redactor } from './redact.ts';

export function redactingProvider(p: Provider, r: Redactor): Provider {
  if (!r.active) return p;
  const guard = async <T>(call: () => Promise<T>, clean: (v: T) => T): Promise<T> => {
    let value: T;
    try {
      value = await call();
    } catch (err) {
      throw r.error(err);
    }
    return clean(value);
  };

  return {
    name: p.name,
    canAskStatus: (req) => p.canAskStatus(req),
    priceList: () => guard(() => p.priceList(), (list) => list.map((e) => cleanEntry(e, r))),
    inquire: (req) => guard(() => p.inquire(req), (o) => cleanInquiry(o, r)),
    pay: (req) => guard(() => p.pay(req), (o) => cleanPay(o, r)),
    status: (req) => guard(() => p.status(req), (o) => (o.status === 'unknowable' ? { ...o, reason: r.text(o.reason) } : cleanPay(o, r))),
  };
}

/*
 * What is never rewritten: the identifiers a payment is made, asked about and delivered by (the product code,
 * the customer number, the biller's tr_id, the invoice, the token and the reference). They are numbers and
 * codes, not a biller's words; a secret of digits found inside one is a coincidence, and rewriting it would pay
 * the wrong bill, ask about the wrong payment or hand the buyer a broken token. Everything else, free text and
 * the raw answer on the record, is redacted. (A secret of digits may then mask part of a displayed detail such
 * as a meter number: the price of never showing it.)
 */

function cleanEntry(e: CatalogueEntry, r: Redactor): CatalogueEntry {
  const name = r.text(e.name);
  const group = r.text(e.group);
  return name === e.name && group === e.group ? e : { ...e, name, group };
}

function cleanInquiry(o: InquiryOutcome, r: Redactor): InquiryOutcome {
  if (!o.ok) return { ...o, reason: r.text(o.reason) };
  const bill = r.deep(o.bill);
  if (bill === o.bill) return o;
  const kept: Bill = { ...bill, product: o.bill.product, customerNo: o.bill.customerNo };
  if (o.bill.ref) kept.ref = o.bill.ref;
  return { ok: true, bill: kept };
}

function cleanPay(o: PayOutcome, r: Redactor): PayOutcome {
  const clean = r.deep(o);
  if (clean === o) return o;
  if (clean.status === 'settled' && o.status === 'settled') return { ...clean, receipt: keepIds(clean.receipt, o.receipt) };
  if (clean.status === 'pending' && o.status === 'pending' && o.invoice !== undefined) return { ...clean, invoice: o.invoice };
  return clean;
}

function keepIds(clean: Receipt, original: Receipt): Receipt {
  const out = { ...clean };
  for (const key of ['invoice', 'token', 'reference'] as const) if (original[key] !== undefined) out[key] = original[key];
  return out;
}
