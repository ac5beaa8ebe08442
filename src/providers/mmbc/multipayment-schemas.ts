/**
 * The MMBC multipayment (e-wallet) answers (mmbc-multipayment-api.txt). Its keys have spaces
 * (`"merchant code"`), its descriptions use underscores (`merchant_code`) and its examples misspell them
 * (`"mercant code"`), so every key is normalised before the schema sees it. Amounts leave as integer rupiah.
 */
import { z } from 'zod';
import { debit, optionalRupiah, rupiah } from '../amounts.ts';
import { mmbcRefusal } from './schemas.ts';

const TYPOS: Record<string, string> = { mercant: 'merchant', marchant: 'merchant', reciever: 'receiver', debit: 'debet' };

/** `"Mercant_Code"`, `"merchant  code"` and `"merchant code"` are one key; stray symbols (`"debet"™`) go. */
export function normaliseKey(key: string): string {
  return key
    .toLowerCase()
    .replace(/[^a-z0-9_ ]/g, '')
    .split(/[\s_]+/)
    .filter(Boolean)
    .map((w) => TYPOS[w] ?? w)
    .join(' ');
}

function normaliseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normaliseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [normaliseKey(k), v]));
}

const text = z.union([z.string(), z.number()]).transform((v) => String(v).trim());
const optText = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === undefined || v === null ? undefined : String(v).trim()));

export const merchantRow = z.looseObject({
  'merchant code': text,
  /** `"amount+2000"`: the nominal plus a fee. */
  'merchant debet': debit,
  'merchant cashback': optionalRupiah,
});
export type MerchantRow = z.output<typeof merchantRow>;

export const merchantInquiry = z.looseObject({
  result: z.literal('ok'),
  'merchant code': optText,
  'receiver name': optText,
  'receiver accountnumber': optText,
  amount: rupiah,
  debet: rupiah,
  cashback: optionalRupiah,
});
export type MerchantInquiry = z.output<typeof merchantInquiry>;

/** reload_merchant and status_reload: lenient, like the PPOB payment, so a reload that went through stays readable. */
export const merchantReload = z.looseObject({
  result: z.literal('ok'),
  duration: optText,
  date: optText,
  invoice: optText,
  'merchant code': optText,
  'receiver name': optText,
  'receiver accountnumber': optText,
  amount: optionalRupiah,
  reference: optText,
  debet: optionalRupiah,
  cashback: optionalRupiah,
  status: optText,
});
export type MerchantReload = z.output<typeof merchantReload>;

const keyed = <T extends z.ZodType>(schema: T) => z.preprocess(normaliseKeys, schema);

export const merchantListAnswer = keyed(z.union([z.array(merchantRow), mmbcRefusal]));
export const merchantInquiryAnswer = keyed(z.discriminatedUnion('result', [merchantInquiry, mmbcRefusal]));
export const merchantReloadAnswer = keyed(z.discriminatedUnion('result', [merchantReload, mmbcRefusal]));
