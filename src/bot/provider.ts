/** The provider port: what the payment code needs from MMBC, IAK, or any other biller. */

export type ProviderName = 'mmbc' | 'iak' | 'iak-prepaid';

/** How a product's customer number looks and what is shown for it; see FORMS in src/bot/forms.ts. */
export type Family =
  | 'pln-postpaid'
  | 'pln-prepaid'
  | 'pln-nontaglis'
  | 'bpjs'
  | 'telkom'
  | 'pdam'
  | 'tv'
  | 'halo'
  | 'pgn'
  | 'multifinance'
  | 'ewallet'
  | 'pbb'
  /** A prepaid top-up to a mobile number (pulsa, data, e-money, vouchers): fixed price, the number's operator checked. */
  | 'pulsa'
  | 'other';

/** How much the provider debits us for a product. */
export type ProviderDebit =
  | { kind: 'fixed'; amount: number }
  /** "Tagihan + 700": the bill plus a fixed fee; `perSheet`: a fee for each bill sheet (month) paid, as IAK's. */
  | { kind: 'bill-plus'; plus: number; perSheet?: true }
  | { kind: 'unknown' };

export interface CatalogueEntry {
  provider: ProviderName;
  /** The provider's own code, e.g. `PLNS100`, `PDAM KOT MEDAN`, `PBBKOT.CIMAHI`. */
  code: string;
  name: string;
  group: string;
  family: Family;
  /** Face value for fixed-price products (token nominal). */
  nominal?: number;
  admin: number;
  debit: ProviderDebit;
  available: boolean;
  /** Least nominal a top-up accepts (MMBC e-wallets: Rp 50.000), refused before any call. */
  minAmount?: number;
}

/**
 * A labelled detail of a bill or receipt; `key` names a locale string `detail.<key>`.
 * Money details carry `amount` (integer rupiah) and are formatted by the core; others carry `value` as shown.
 */
export interface Detail {
  key: DetailKey;
  value?: string;
  amount?: number;
}

/** Every detail label the providers may give; each is a `detail.<key>` string in locales/. */
export const DETAIL_KEYS = [
  'tariff', 'standMeter', 'period', 'arrears', 'participants', 'participantNames', 'voucher', 'meterNo',
  'registrationNo', 'paymentType', 'billDetail', 'usage', 'installment', 'dueDate', 'plate', 'vehicle',
  'remainingTenor', 'remainingInstallment', 'penalty', 'kwh', 'ppn', 'ppj', 'stamp', 'instalmentCharge',
  'tokenValue', 'nominal', 'receiver', 'taxYear', 'location', 'landArea', 'buildingArea', 'sheets', 'sheetsLeft',
  'customerId',
] as const;
export type DetailKey = (typeof DETAIL_KEYS)[number];

/** An inquiry's answer, in integer rupiah. */
export interface Bill {
  product: string;
  productName: string;
  customerNo: string;
  customerName: string;
  period?: string;
  details: Detail[];
  /** The bill itself (tagihan) or the token's face value. */
  bill: number;
  admin: number;
  /** What the end customer pays (the provider's total). */
  total: number;
  /** What the provider debits us. */
  debit: number;
  /** Provider state the payment needs (IAK `tr_id`, the e-wallet amount). */
  ref?: Record<string, string>;
}

export interface Receipt {
  invoice?: string;
  reference?: string;
  /** Provider's transaction time as it said it. */
  at?: string;
  /** PLN prepaid stroom token, digits only. */
  token?: string;
  kwh?: string;
  footer?: string;
  customerName?: string;
  details: Detail[];
  debit?: number;
}

export interface InquiryRequest {
  product: CatalogueEntry;
  customerNo: string;
  /** E-wallet nominal. */
  amount?: number;
  /** Our unique reference for this inquiry (IAK `ref_id`). */
  refId: string;
  /** Billers not to ask (a product more than one sells, whose top-up one of them just refused). */
  exclude?: readonly ProviderName[];
}

export type InquiryOutcome =
  | { ok: true; bill: Bill }
  /** The provider said no (unknown customer, bill already paid, closed product): its reason for the user. */
  | { ok: false; kind: 'refused'; reason: string }
  /** Network, timeout, 5xx, unreadable answer. */
  | { ok: false; kind: 'unavailable'; reason: string };

export interface PayRequest {
  txId: string;
  product: string;
  customerNo: string;
  bill: Bill;
}

/**
 * Failure reasons an adapter words itself, where the biller said only a status word or nothing; the core
 * says them in the user's language (`reason.<key>`). A biller's own text is passed on as it came.
 */
export const OWN_REASONS = {
  refund: 'status REFUND',
  failed: 'status gagal',
  none: 'no reason given',
  /** A quote without what the biller needs to pay it (an e-wallet nominal, IAK's tr_id): nothing was sent. */
  incomplete: 'incomplete quote; nothing was sent',
  /** Debited, and the bot stopped before sending it: refunded on restart. */
  notSent: 'not sent: the bot stopped before paying',
} as const;

/**
 * Our words for what a provider's own reason means, where we have one: the adapter tags its text with it
 * (`[alreadyPaid] BILL HAS BEEN PAID (RC 34)`) and the core says it in the user's language before the
 * provider's words, which stay, as the contract asks ("the provider's reason included where it helps").
 */
export const REASON_KEYS = ['alreadyPaid', 'expired', 'notReceived', 'wrongNumber'] as const;
export type ReasonKey = (typeof REASON_KEYS)[number];

export function taggedReason(key: ReasonKey, text: string): string {
  return `[${key}] ${text}`;
}

/** The tag and the provider's text of a reason made by taggedReason; any other reason is all text. */
export function reasonTag(reason: string): { key?: ReasonKey; text: string } {
  const m = /^\[(\w+)\] ([\s\S]*)$/.exec(reason);
  return m && (REASON_KEYS as readonly string[]).includes(m[1]!) ? { key: m[1] as ReasonKey, text: m[2]! } : { text: reason };
}

/** The outcome of a payment or a status check, in our vocabulary. `raw` goes to the transaction's record. */
export type PayOutcome =
  | { status: 'settled'; receipt: Receipt; raw?: unknown }
  /**
   * Definite failure: money goes back. `notReceived`: a status answer that the biller has no record of the
   * payment (IAK's 42), which is definite only once the payment request can no longer be on its way.
   */
  | { status: 'failed'; reason: string; raw?: unknown; notReceived?: true }
  /** Unknown or in progress: never refunded, never sent again. `invoice` when the provider gave one. */
  | { status: 'pending'; reason: string; invoice?: string; raw?: unknown };

export interface StatusRequest {
  txId: string;
  product: string;
  customerNo: string;
  invoice?: string;
}

export interface Provider {
  readonly name: ProviderName;
  priceList(): Promise<CatalogueEntry[]>;
  inquire(req: InquiryRequest): Promise<InquiryOutcome>;
  pay(req: PayRequest): Promise<PayOutcome>;
  /** `unknowable` when the provider cannot be asked (MMBC without an invoice). */
  status(req: StatusRequest): Promise<PayOutcome | { status: 'unknowable'; reason: string }>;
  /**
   * Whether `status` can learn anything about a payment that has (or lacks) this invoice: when not, the admins
   * are told at once and settle it by hand.
   */
  canAskStatus(req: { invoice?: string }): boolean;
}
