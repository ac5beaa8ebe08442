/**
 * IAK postpaid behind the Provider port. The inquiry is made with our transaction id as `ref_id`, the payment
 * with the inquiry's `tr_id` (carried in Bill.ref), and a pending payment is asked about by that `ref_id`, so
 * its status can always be asked: never `unknowable`. Unsure is pending; only a definite code is a failure.
 */
import { type Bill, type CatalogueEntry, type InquiryOutcome, OWN_REASONS, type PayOutcome, type Provider, type Receipt } from '../../bot/provider.ts';
import { isBlank } from '../amounts.ts';
import { errorRecord, messageOf, withoutUndefined } from '../outcomes.ts';
import type { IakClient } from './client.ts';
import { inquiryVerdict, payVerdict, refusalReason, statusVerdict, NOT_RECEIVED } from './codes.ts';
import { iakDetails, iakFamily } from './details.ts';
import type { IakBill } from './schemas.ts';

const GROUPS: Record<string, string> = { 'pln-postpaid': 'PLN Group', pbb: 'PBB' };

export function createIakProvider(client: IakClient): Provider {
  return {
    name: 'iak',

    // checkstatus asks by our own ref_id, which every payment has.
    canAskStatus: () => true,

    async priceList() {
      const rows = await client.priceList();
      const entries: CatalogueEntry[] = [];
      for (const row of rows) {
        const family = iakFamily(row.code, row.type);
        if (!family) continue;
        const fee = row.fee ?? 0;
        entries.push({
          provider: 'iak',
          code: row.code.toUpperCase(),
          name: row.name,
          group: GROUPS[family] ?? 'IAK',
          family,
          admin: fee,
          // selling_price = price - komisi = bill + fee - komisi, fee and komisi for each sheet (month) paid;
          // a PBB bill is one tax year, charged once
          debit: { kind: 'bill-plus', plus: fee - (row.komisi ?? 0), ...(family === 'pbb' ? {} : { perSheet: true as const }) },
          available: row.status === 1,
        });
      }
      return entries;
    },

    async inquire(req): Promise<InquiryOutcome> {
      const { product, customerNo, refId } = req;
      let a: IakBill;
      try {
        a = (await client.inquire(product.code, customerNo, refId)).answer;
      } catch (err) {
        return { ok: false, kind: 'unavailable', reason: messageOf(err) };
      }
      const code = a.response_code;
      const verdict = inquiryVerdict(code);
      if (verdict === 'unavailable') return { ok: false, kind: 'unavailable', reason: `iak inq-pasca: ${a.message ?? 'no response code'}` };
      if (verdict === 'refused') return { ok: false, kind: 'refused', reason: refusalReason(a.message, code!) };
      const { tr_id: trId, nominal, price, selling_price: debit } = a;
      // Without these there is nothing to pay or to quote: not a refusal, since IAK said yes.
      if (isBlank(trId) || nominal === undefined || price === undefined || debit === undefined) {
        return { ok: false, kind: 'unavailable', reason: 'iak inq-pasca: answer without tr_id, nominal, price or selling_price' };
      }
      // A PBB answer's period is the month it was asked in; the tax year is the period that matters (a detail).
      const period = product.family === 'pbb' ? undefined : text(a.period);
      const bill: Bill = {
        product: product.code,
        productName: product.name,
        customerNo,
        customerName: text(a.tr_name) ?? '',
        ...(period === undefined ? {} : { period }),
        details: iakDetails(product.family, a.desc),
        bill: nominal,
        admin: a.admin ?? price - nominal,
        total: price,
        debit,
        ref: { tr_id: trId! },
      };
      return { ok: true, bill };
    },

    async pay(req): Promise<PayOutcome> {
      const trId = req.bill.ref?.tr_id;
      if (!trId) return { status: 'failed', reason: OWN_REASONS.incomplete };
      let res: Awaited<ReturnType<IakClient['pay']>>;
      try {
        res = await client.pay(trId);
      } catch (err) {
        // Perhaps paid: checkstatus by our ref_id will tell.
        return { status: 'pending', reason: messageOf(err), invoice: trId, raw: errorRecord(err) };
      }
      return outcomeOf(req.product, payVerdict(res.answer.response_code), res.answer, res.raw, trId);
    },

    async status(req) {
      try {
        const res = await client.status(req.txId);
        const a = res.answer;
        const out = outcomeOf(req.product, statusVerdict(a.response_code, a.status), a, res.raw, req.invoice);
        return out.status === 'failed' && a.response_code === NOT_RECEIVED ? { ...out, notReceived: true } : out;
      } catch (err) {
        return { status: 'pending', reason: messageOf(err), raw: errorRecord(err), ...(req.invoice ? { invoice: req.invoice } : {}) };
      }
    },
  };
}

function outcomeOf(product: string, verdict: 'success' | 'pending' | 'failed', a: IakBill, raw: unknown, knownTrId?: string): PayOutcome {
  const invoice = text(a.tr_id) ?? knownTrId;
  const said = `${a.message?.trim() || 'no message'} (RC ${a.response_code ?? '?'})`;
  if (verdict === 'failed') return { status: 'failed', reason: a.response_code ? refusalReason(a.message?.trim() || 'no message', a.response_code) : said, raw };
  if (verdict === 'pending') return { status: 'pending', reason: said, raw, ...(invoice ? { invoice } : {}) };
  const receipt: Receipt = withoutUndefined({
    invoice,
    reference: text(a.noref) ?? text(a.no_ref),
    at: timeOf(a.datetime),
    customerName: text(a.tr_name),
    details: iakDetails(iakFamily(product), a.desc),
    debit: a.selling_price,
  });
  return { status: 'settled', receipt, raw };
}

/** IAK's `YmdHis` as MMBC writes time, `2018-08-03 17:18:44`; anything else as given. */
function timeOf(raw: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(raw?.trim() ?? '');
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` : text(raw);
}

function text(value: string | undefined): string | undefined {
  return isBlank(value) ? undefined : value!.trim();
}
