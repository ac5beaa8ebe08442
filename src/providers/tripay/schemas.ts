/**
 * Tripay's answers and callback (docs/tripay-notes.md). Every answer is `{ success, message, data }`; `success:
 * false` is Tripay saying no, with its reason in `message`. Amounts are integer rupiah (JSON numbers in the
 * docs; strings read too) and leave here as such; a fee's `percent` comes as 0 or "0.70".
 */
import { z } from 'zod';
import { optionalRupiah, rupiah } from '../amounts.ts';
import { optText, text } from '../fields.ts';

export const tripayEnvelope = z.looseObject({
  success: z.boolean(),
  message: z.union([z.string(), z.null()]).optional(),
  data: z.unknown().optional(),
});

/** `"0.70"` or 0.7: a percent, as a number; blank is 0. */
const percent = z.union([z.string(), z.number(), z.null()]).optional().transform((v, ctx) => {
  if (v === undefined || v === null || v === '') return 0;
  const n = typeof v === 'number' ? v : Number(v.trim());
  if (!Number.isFinite(n) || n < 0 || n >= 100) {
    ctx.issues.push({ code: 'custom', message: `not a percent: ${JSON.stringify(v)}`, input: v });
    return z.NEVER;
  }
  return n;
});

const fee = z
  .looseObject({ flat: optionalRupiah, percent })
  .nullish()
  .transform((f) => ({ flat: f?.flat ?? 0, percent: f?.percent ?? 0 }));
export type TripayFee = z.output<typeof fee>;

/** One row of `merchant/payment-channel`. */
export const tripayChannel = z.looseObject({
  group: optText,
  code: text,
  name: optText,
  type: optText,
  fee_merchant: fee,
  fee_customer: fee,
  total_fee: fee,
  minimum_fee: optionalRupiah,
  maximum_fee: optionalRupiah,
  minimum_amount: optionalRupiah,
  maximum_amount: optionalRupiah,
  icon_url: optText,
  active: z.union([z.boolean(), z.number()]).transform(Boolean),
});
export type TripayChannelRow = z.output<typeof tripayChannel>;
export const tripayChannels = z.array(tripayChannel);

/** `transaction/create`'s `data` (closed payment). */
export const tripayTransaction = z.looseObject({
  reference: z.string().trim().min(1),
  merchant_ref: optText,
  payment_method: optText,
  payment_name: optText,
  amount: rupiah,
  fee_merchant: optionalRupiah,
  fee_customer: optionalRupiah,
  total_fee: optionalRupiah,
  amount_received: optionalRupiah,
  checkout_url: optText,
  status: optText,
  /** Unix seconds. */
  expired_time: z.number().int().positive(),
  qr_string: optText,
  qr_url: optText,
  /** Unix seconds, on a paid transaction (`transaction/detail`). */
  paid_at: z.number().int().nonnegative().nullish(),
});
export type TripayTransaction = z.output<typeof tripayTransaction>;

export const TRIPAY_STATUSES = ['UNPAID', 'PAID', 'EXPIRED', 'FAILED', 'REFUND'] as const;
export type TripayStatus = (typeof TRIPAY_STATUSES)[number];

/** Tripay's unix seconds; null where a field is not set yet. */
const unixSeconds = z.number().int().nonnegative();

/**
 * The callback body. Tripay documents status PAID, FAILED, EXPIRED and REFUND; another word is not a status
 * we can act on, and is refused (400) rather than guessed at.
 */
const callbackShape = z.looseObject({
  reference: z.string().trim().min(1).max(64),
  merchant_ref: z.union([z.string(), z.null()]).optional(),
  payment_method: optText,
  payment_method_code: optText,
  total_amount: rupiah,
  fee_merchant: optionalRupiah,
  fee_customer: optionalRupiah,
  total_fee: optionalRupiah,
  amount_received: optionalRupiah,
  is_closed_payment: z.union([z.literal(0), z.literal(1), z.boolean()]).optional(),
  status: z.enum(TRIPAY_STATUSES),
  paid_at: unixSeconds.nullish(),
  note: z.union([z.string(), z.null()]).optional(),
});

export interface TripayCallback {
  /** Tripay's reference: the operation key of what the callback does (`tripay:<reference>`). */
  reference: string;
  /** Ours, as sent at `transaction/create`. */
  merchantRef?: string;
  status: TripayStatus;
  /** What the payer paid. */
  totalAmount: number;
  feeMerchant: number;
  feeCustomer: number;
  totalFee: number;
  /** What reaches the merchant: totalAmount less the fees. */
  amountReceived?: number;
  closedPayment: boolean;
  /** Epoch ms. */
  paidAt?: number;
  paymentMethodCode?: string;
  note?: string;
}

export const tripayCallback = callbackShape.transform((c): TripayCallback => {
  const out: TripayCallback = {
    reference: c.reference,
    status: c.status,
    totalAmount: c.total_amount,
    feeMerchant: c.fee_merchant ?? 0,
    feeCustomer: c.fee_customer ?? 0,
    totalFee: c.total_fee ?? (c.fee_merchant ?? 0) + (c.fee_customer ?? 0),
    closedPayment: c.is_closed_payment === undefined ? true : Boolean(c.is_closed_payment),
  };
  if (typeof c.merchant_ref === 'string' && c.merchant_ref.trim() !== '') out.merchantRef = c.merchant_ref.trim();
  if (c.amount_received !== undefined) out.amountReceived = c.amount_received;
  if (typeof c.paid_at === 'number') out.paidAt = c.paid_at * 1000;
  if (c.payment_method_code !== undefined) out.paymentMethodCode = c.payment_method_code;
  if (typeof c.note === 'string' && c.note.trim() !== '') out.note = c.note.trim();
  return out;
});
