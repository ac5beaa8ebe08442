/**
 * IAK prepaid (v2) answers, wrapped as `{ "data": … }` (docs/iak-prepaid-notes.md). Amounts come as JSON
 * numbers in answers and as strings in callbacks; they leave here as integer rupiah. The field names of
 * version 1 (`code`, `hp`), which IAK's own callback examples and real callbacks use, are read beside
 * version 2's (`product_code`, `customer_id`).
 */
import { z } from 'zod';
import { optionalRupiah, rupiah } from '../amounts.ts';
import { optInt, optText, text } from '../fields.ts';

const envelope = <T extends z.ZodType>(data: T) => z.looseObject({ data, meta: z.unknown().optional() });

/** One product of `api/pricelist`. */
export const prepaidPriceRow = z.looseObject({
  product_code: text,
  /** The operator or brand: `Telkomsel`, `Alfamart Voucher`, `Mobile Legend`. */
  product_description: optText,
  /** The denomination: `10000`, `Voucher Alfamart Rp 100.000`, `110 Diamonds`. */
  product_nominal: optText,
  product_details: optText,
  /** What IAK debits us. */
  product_price: rupiah,
  /** `pulsa`, `data`, `etoll`, `voucher`, `game`, `pln`, an international one. */
  product_type: optText,
  active_period: optText,
  /** `active` or `non active`. */
  status: optText,
  product_category: optText,
});
export type PrepaidPriceRow = z.output<typeof prepaidPriceRow>;

/**
 * The list's own envelope: IAK's reference shows `data` as the bare list in one example and as
 * `{ pricelist, rc, message }` in its attribute table and SDK; both are read. Rows are read one by one
 * (readPriceRows), so one product IAK writes oddly does not take the whole catalogue down.
 */
export const prepaidPriceAnswer = envelope(
  z.union([
    z.array(z.unknown()),
    z.looseObject({ pricelist: z.array(z.unknown()).optional(), rc: optText, message: optText }),
  ]),
);

export function readPriceRows(rows: readonly unknown[]): { rows: PrepaidPriceRow[]; skipped: number } {
  const out: PrepaidPriceRow[] = [];
  let skipped = 0;
  for (const row of rows) {
    const parsed = prepaidPriceRow.safeParse(row);
    if (parsed.success) out.push(parsed.data);
    else skipped++;
  }
  return { rows: out, skipped };
}

/** What top-up, check-status and the callback say about one transaction, under both versions' names. */
const prepaidTxFields = z.looseObject({
  ref_id: optText,
  /** 0 process, 1 success, 2 failed; a JSON number in answers, a string in callbacks. */
  status: optInt,
  product_code: optText,
  code: optText,
  customer_id: optText,
  hp: optText,
  price: optionalRupiah,
  message: optText,
  sn: optText,
  pin: optText,
  activation_code: optText,
  balance: optionalRupiah,
  tr_id: optText,
  rc: optText,
  sign: optText,
});

export interface PrepaidTx {
  refId?: string;
  status?: number;
  productCode?: string;
  customerId?: string;
  price?: number;
  message?: string;
  sn?: string;
  pin?: string;
  balance?: number;
  trId?: string;
  rc?: string;
}

const blankless = (v: string | undefined) => (v === undefined || v === '' || v === '-' ? undefined : v);

function toTx(d: z.output<typeof prepaidTxFields>): PrepaidTx {
  const out: PrepaidTx = {};
  const set = <K extends keyof PrepaidTx>(key: K, value: PrepaidTx[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('refId', blankless(d.ref_id));
  set('status', d.status);
  set('productCode', blankless(d.product_code) ?? blankless(d.code));
  set('customerId', blankless(d.customer_id) ?? blankless(d.hp));
  set('price', d.price);
  set('message', blankless(d.message));
  set('sn', blankless(d.sn));
  // An e-SIM's activation code is what a game voucher's pin is: the thing the buyer types in.
  set('pin', blankless(d.pin) ?? blankless(d.activation_code));
  set('balance', d.balance);
  set('trId', blankless(d.tr_id));
  set('rc', blankless(d.rc));
  return out;
}

export const prepaidTx = prepaidTxFields.transform(toTx);
export const prepaidTxAnswer = envelope(prepaidTx);

/**
 * IAK's callback: `{ "data": { …, "sign" } }`. A body without the wrapper is read too; the sign, checked
 * before this is parsed, is what makes it IAK's.
 */
const callbackData = prepaidTxFields.extend({ ref_id: text, sign: text });
export const prepaidCallback = z
  .union([z.looseObject({ data: callbackData }), callbackData])
  .transform((b) => {
    const d = 'data' in b ? (b.data as z.output<typeof callbackData>) : b;
    return { tx: toTx(d), refId: d.ref_id, sign: d.sign };
  });
export type PrepaidCallback = z.output<typeof prepaidCallback>;

/** `api/inquiry-pln`: whose meter it is. */
export const plnInquiry = z.looseObject({
  status: optInt,
  customer_id: optText,
  meter_no: optText,
  subscriber_id: optText,
  name: optText,
  /** `R1 /000001300`. */
  segment_power: optText,
  message: optText,
  rc: optText,
});
export type PlnInquiry = z.output<typeof plnInquiry>;
export const plnInquiryAnswer = envelope(plnInquiry);
