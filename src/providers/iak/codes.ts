import { type ReasonKey, taggedReason } from '../../bot/provider.ts';

/**
 * IAK's response codes in our vocabulary. A payment is only ever `failed` on a code that says for certain
 * that nothing was paid; a code we do not know, or none, is `pending` and asked about by checkstatus.
 */

/** In process: the answer is still to come. */
const PENDING = new Set(['05', '39', '201']);

/** The bill was paid already (by someone else: we never send a payment twice). */
export const ALREADY_PAID: ReadonlySet<string> = new Set(['01', '34', '40']);

/** The inquiry's tr_id is too old to pay: inquire again. */
export const EXPIRED = '04';

/** The payment request never reached IAK. */
export const NOT_RECEIVED = '42';

/** Codes that say nothing was paid, from IAK's postpaid response-code list. */
const DEFINITE_FAILURE = new Set([
  ...ALREADY_PAID,
  '02', '03', EXPIRED, '06', '07', '08', '09', '10', '13', '14', '16', '17', '20',
  '30', '31', '32', '33', '35', '36', '37', '38', '41', NOT_RECEIVED,
  // request-level refusals: IAK read nothing it could act on
  '106', '107', '108', '109', '202', '204', '208',
]);

/** About this customer's bill rather than about IAK: asking another provider would hear the same. */
const ABOUT_THE_BILL = new Set([...ALREADY_PAID, '08', '10', '13', '14', '16', '30', '31', '32', '35', '36', '41']);

export type Verdict = 'success' | 'pending' | 'failed';

/** pay-pasca. `11` (duplicate) is deliberately absent: on a payment it could mean ours went through. */
export function payVerdict(code: string | undefined): Verdict {
  if (code === '00') return 'success';
  if (code !== undefined && DEFINITE_FAILURE.has(code)) return 'failed';
  return 'pending';
}

/**
 * What checkstatus may call a failure: the payment itself failed or never arrived. Its other codes may be about
 * the status request (a rotated key answers 204) or say "paid" without saying by whom: those stay pending.
 */
const STATUS_FAILURE = new Set(['07', '37', '38', NOT_RECEIVED]);

/**
 * checkstatus: the response code decides, the `status` field (1 success, 2 failed, 3 in process) may only
 * hold it back: where the two disagree the transaction stays pending for the next check or an admin.
 */
export function statusVerdict(code: string | undefined, status: number | undefined): Verdict {
  if (code === '00') return status === 2 || status === 3 ? 'pending' : 'success';
  if (code !== undefined && STATUS_FAILURE.has(code) && status !== 1 && status !== 3) return 'failed';
  return 'pending';
}

/** inq-pasca: nothing is paid at inquiry, so any code but success and "in process" is a refusal. */
export function inquiryVerdict(code: string | undefined): 'success' | 'unavailable' | 'refused' {
  if (code === '00') return 'success';
  if (code === undefined || PENDING.has(code)) return 'unavailable';
  return 'refused';
}

export function isAboutTheBill(code: string): boolean {
  return ABOUT_THE_BILL.has(code);
}

/** The codes we have a word for (provider.ts REASON_KEYS), so the user reads them in their language. */
const WORDS: Readonly<Record<string, ReasonKey>> = {
  ...Object.fromEntries([...ALREADY_PAID].map((c) => [c, 'alreadyPaid' as const])),
  [EXPIRED]: 'expired',
  [NOT_RECEIVED]: 'notReceived',
  '14': 'wrongNumber',
};

/**
 * The refusal text the user sees, carrying the code so the router (and an admin) can tell what it was, and
 * tagged with our word for it where we have one.
 */
export function refusalReason(message: string | undefined, code: string): string {
  const text = `${message?.trim() || 'IAK refused'} (RC ${code})`;
  const word = WORDS[code];
  return word ? taggedReason(word, text) : text;
}

/** The code back from a refusal text made by refusalReason. */
export function codeOfReason(reason: string): string | undefined {
  return /\(RC (\d+)\)$/.exec(reason)?.[1];
}
