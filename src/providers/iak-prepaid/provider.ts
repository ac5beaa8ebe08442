/**
 * IAK prepaid behind the Provider port. A quote needs no call to IAK but for a PLN token, whose meter is looked
 * up with `api/inquiry-pln`; the rest is the price list's. The top-up is sent with our transaction id as
 * `ref_id`, so check-status can always ask after it (never `unknowable`) and IAK itself never tops up twice
 * under it. IAK answers PROCESS first: pending, and the callback or check-status brings the outcome.
 */
import type { Bill, CatalogueEntry, InquiryOutcome, PayOutcome, Provider } from '../../bot/provider.ts';
import { errorRecord, messageOf } from '../outcomes.ts';
import { checkCustomerNo, describe, type PrepaidKind, prepaidEntries } from './catalogue.ts';
import type { IakPrepaidClient } from './client.ts';
import { inquiryVerdict, NOT_FOUND, refusalReason, statusVerdict, topUpVerdict } from './codes.ts';
import { isPlnCode, outcomeOf, tariff } from './outcome.ts';
import { OPERATOR_NAMES } from './phone.ts';

const KIND = 'kind';

export function createIakPrepaidProvider(client: IakPrepaidClient): Provider {
  async function status(txId: string, knownTrId?: string, pln?: boolean): Promise<PayOutcome> {
    try {
      const res = await client.checkStatus(txId);
      const out = outcomeOf(statusVerdict(res.answer), res.answer, res.raw, { ...(knownTrId ? { knownTrId } : {}), ...(pln === undefined ? {} : { pln }) });
      // "Not found" may be a top-up still on its way: payments treats it as definite only after a grace.
      return out.status === 'failed' && res.answer.rc === NOT_FOUND ? { ...out, notReceived: true } : out;
    } catch (err) {
      return { status: 'pending', reason: messageOf(err), raw: errorRecord(err), ...(knownTrId ? { invoice: knownTrId } : {}) };
    }
  }

  return {
    name: 'iak-prepaid',

    // check-status asks by our own ref_id, which every top-up has.
    canAskStatus: () => true,

    async priceList() {
      return prepaidEntries(await client.priceList());
    },

    async inquire(req): Promise<InquiryOutcome> {
      const { product } = req;
      const d = describe(product);
      if (!d) return { ok: false, kind: 'unavailable', reason: `iak-prepaid: ${product.code} is not a product of this price list` };
      if (!product.available) return { ok: false, kind: 'refused', reason: refusalReason('PRODUCT IS TEMPORARILY OUT OF SERVICE', '106') };
      const checked = checkCustomerNo(product, req.customerNo);
      if (!checked.ok) {
        // IAK's own words and codes for these, so the user reads the same whether we or IAK said it.
        if (checked.reason === 'bad-number') return { ok: false, kind: 'refused', reason: refusalReason('INCORRECT DESTINATION NUMBER', '14') };
        const whose = checked.belongsTo ? `AN ${OPERATOR_NAMES[checked.belongsTo].toUpperCase()} NUMBER` : 'UNKNOWN PREFIX';
        return { ok: false, kind: 'refused', reason: refusalReason(`NUMBER NOT MATCH WITH OPERATOR: ${whose}`, '16') };
      }
      const price = product.debit.kind === 'fixed' ? product.debit.amount : undefined;
      if (price === undefined) return { ok: false, kind: 'unavailable', reason: `iak-prepaid: no price for ${product.code}` };
      const bill = billOf(product, checked.customerNo, price, d.kind);
      if (d.kind !== 'pln') return { ok: true, bill };
      return plnInquiry(client, bill);
    },

    async pay(req): Promise<PayOutcome> {
      const kind = req.bill.ref?.[KIND] as PrepaidKind | undefined;
      // A bill this provider did not quote carries no kind: the code decides, as for a status check.
      const pln = kind === undefined ? isPlnCode(req.product) || undefined : kind === 'pln';
      const customerId = req.bill.customerNo || req.customerNo;
      let res: Awaited<ReturnType<IakPrepaidClient['topUp']>>;
      try {
        res = await client.topUp({ refId: req.txId, customerId, productCode: req.product });
      } catch (err) {
        // Perhaps topped up: check-status by our ref_id will tell. Never sent again.
        return { status: 'pending', reason: messageOf(err), raw: errorRecord(err) };
      }
      const verdict = topUpVerdict(res.answer);
      // IAK already has this ref_id: what it did with it is check-status's to say.
      if (verdict === 'lookup') return status(req.txId, res.answer.trId, pln);
      return outcomeOf(verdict, res.answer, res.raw, pln === undefined ? {} : { pln });
    },

    // The product code says whether a token must come with the success; otherwise the answer's own code does.
    status: (req) => status(req.txId, req.invoice, isPlnCode(req.product) || undefined),
  };
}

function billOf(product: CatalogueEntry, customerNo: string, price: number, kind: PrepaidKind): Bill {
  const face = product.nominal;
  const bill = face ?? price;
  const admin = face === undefined ? 0 : Math.max(0, price - face);
  return {
    product: product.code,
    productName: product.name,
    customerNo,
    customerName: '',
    details: [],
    bill,
    admin,
    // What a counter charges at least: the face value, or IAK's price where it is above it.
    total: bill + admin,
    debit: price,
    // How pay() sends it and reads the answer; no IAK state is needed.
    ref: { [KIND]: kind },
  };
}

async function plnInquiry(client: IakPrepaidClient, bill: Bill): Promise<InquiryOutcome> {
  let res: Awaited<ReturnType<IakPrepaidClient['inquirePln']>>;
  try {
    res = await client.inquirePln(bill.customerNo);
  } catch (err) {
    return { ok: false, kind: 'unavailable', reason: messageOf(err) };
  }
  const a = res.answer;
  const verdict = inquiryVerdict(a);
  if (verdict === 'unavailable') return { ok: false, kind: 'unavailable', reason: `iak-prepaid inquiry-pln: ${a.message ?? 'no response code'}` };
  if (verdict === 'refused') return { ok: false, kind: 'refused', reason: refusalReason(a.message, a.rc ?? '?') };
  const details: Bill['details'] = [];
  if (a.meter_no) details.push({ key: 'meterNo', value: a.meter_no });
  if (a.subscriber_id && a.subscriber_id !== a.meter_no) details.push({ key: 'customerId', value: a.subscriber_id });
  const segment = a.segment_power ? tariff(a.segment_power.split('/')) : undefined;
  if (segment) details.push({ key: 'tariff', value: segment });
  return { ok: true, bill: { ...bill, customerName: a.name ?? '', details } };
}
