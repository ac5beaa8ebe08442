/**
 * IAK prepaid's response codes (docs/prepaid/response-code.md of IAK's reference) in our vocabulary. A top-up
 * is `failed` only on a code that says for certain nothing was or will be topped up; a code we do not know,
 * `39 PROCESS`, `201 UNDEFINED RESPONSE CODE`, or none, is `pending`, asked about by check-status and never
 * refunded. IAK answers a top-up sent again under a used ref_id with that transaction's status (its
 * documented rule), or, as its postpaid API does, with `11 DUPLICATE REF ID`: either way never a failure.
 */
import { type ReasonKey, taggedReason } from '../../bot/provider.ts';

export type Verdict = 'success' | 'pending' | 'failed';
/** `lookup`: IAK has this ref_id already; its status, not this answer, says what happened. */
export type TopUpVerdict = Verdict | 'lookup';

export const SUCCESS = '00';
export const PROCESS = '39';
export const NOT_FOUND = '06';

/** Still being worked on, or IAK does not know yet. */
const PENDING = new Set([PROCESS, '201', '05']);

/** About the transaction: the top-up was refused or failed, nothing was topped up. */
const TX_FAILURE = new Set([
  NOT_FOUND, '07', '10', '12', '13', '14', '16', '17', '18', '19', '20', '21', '106', '108', '109', '121', '131', '132', '141', '142',
  '202', '203', '206', '207',
]);

/**
 * About the request rather than any transaction (IP, body, maintenance, page, suspended account, sign,
 * command): a top-up answered so was not acted on; a check-status answered so says nothing about the top-up.
 */
const ABOUT_THE_REQUEST = new Set(['102', '107', '110', '117', '118', '204', '205']);

/** About the number typed: another biller would refuse it the same (src/providers/fallover.ts). */
const ABOUT_THE_NUMBER = new Set(['13', '14', '16', '203', '206']);

/** Postpaid's "DUPLICATE REF ID", and the words a prepaid answer may use for the same. */
const DUPLICATE_CODES = new Set(['11']);
const DUPLICATE_WORDS = /duplicate|ref_?\s?id .*(already|used|exist)|already (been )?(used|exist)/i;

export interface Said {
  rc?: string | undefined;
  status?: number | undefined;
  message?: string | undefined;
}

function isDuplicate(a: Said): boolean {
  return (a.rc !== undefined && DUPLICATE_CODES.has(a.rc)) || (a.rc !== SUCCESS && a.rc !== PROCESS && DUPLICATE_WORDS.test(a.message ?? ''));
}

/** `api/top-up`: a first answer is PROCESS; success or a definite refusal may also come at once. */
export function topUpVerdict(a: Said): TopUpVerdict {
  if (a.rc === SUCCESS) return a.status === 0 || a.status === 2 ? 'pending' : 'success';
  if (isDuplicate(a)) return 'lookup';
  if (a.status === 0 || a.status === 1 || a.rc === undefined || PENDING.has(a.rc)) return 'pending';
  if (TX_FAILURE.has(a.rc) || ABOUT_THE_REQUEST.has(a.rc)) return 'failed';
  return 'pending';
}

/**
 * `api/check-status` and IAK's callback: `rc` and `status` must agree. `00` with status 1 (or none) is a
 * success; a transaction code with status 2 (or none) a failure; `06 TRANSACTION NOT FOUND` says IAK never got
 * the top-up, and since the bot never sends one twice, never will. Status 2 with a code that is not a
 * failure's (`05 UNDEFINED ERROR`, which IAK's sandbox sends so) stays pending for an admin.
 */
export function statusVerdict(a: Said): Verdict {
  if (a.rc === SUCCESS) return a.status === undefined || a.status === 1 ? 'success' : 'pending';
  if (a.rc !== undefined && TX_FAILURE.has(a.rc) && (a.status === undefined || a.status === 2)) return 'failed';
  return 'pending';
}

/** `api/inquiry-pln`: nothing is paid at an inquiry, so any code but success and "in process" is a refusal. */
export function inquiryVerdict(a: Said): 'success' | 'unavailable' | 'refused' {
  if (a.rc === SUCCESS) return a.status === 2 ? 'refused' : 'success';
  if (a.rc === undefined || PENDING.has(a.rc)) return 'unavailable';
  return 'refused';
}

const WORDS: Readonly<Record<string, ReasonKey>> = { '14': 'wrongNumber', '16': 'wrongNumber', '203': 'wrongNumber' };

/** The refusal text the user sees, ending in its code so the router and an admin can tell what it was. */
export function refusalReason(message: string | undefined, code: string): string {
  const text = `${message?.trim() || 'IAK refused'} (RC ${code})`;
  const word = WORDS[code];
  return word ? taggedReason(word, text) : text;
}

export function codeOfReason(reason: string): string | undefined {
  return /\(RC (\d+)\)$/.exec(reason)?.[1];
}

/** For fallover.ts: an inquiry refusal about the meter or number typed, which MMBC would refuse as well. */
export function prepaidRefusalIsAboutTheNumber(reason: string): boolean {
  const code = codeOfReason(reason);
  return code !== undefined && ABOUT_THE_NUMBER.has(code);
}
