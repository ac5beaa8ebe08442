/**
 * IAK prepaid (API v2) signatures, one rule per call, as docs/iak-prepaid-notes.md cites them. The same
 * username and API key as the postpaid API (src/providers/iak/sign.ts); the simulator checks requests, and the
 * callback route checks IAK's callbacks, with these same rules.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IakCredentials } from '../iak/sign.ts';

export type { IakCredentials } from '../iak/sign.ts';

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** `api/top-up`: md5(username + api_key + ref_id). */
export const signTopUp = (c: IakCredentials, refId: string) => md5(c.username + c.apiKey + refId);
/** `api/check-status` (v2; v1 and the postpaid API use the standing "cs" instead): md5(username + api_key + ref_id). */
export const signCheckStatus = (c: IakCredentials, refId: string) => md5(c.username + c.apiKey + refId);
/** `api/pricelist`: md5(username + api_key + "pl"), the postpaid price list's too. */
export const signPriceList = (c: IakCredentials) => md5(`${c.username}${c.apiKey}pl`);
/** `api/inquiry-pln`: md5(username + api_key + customer_id). */
export const signPlnInquiry = (c: IakCredentials, customerId: string) => md5(c.username + c.apiKey + customerId);
/** What IAK puts in its callback's `sign`: md5(username + api_key + ref_id). */
export const signCallback = (c: IakCredentials, refId: string) => md5(c.username + c.apiKey + refId);

/** The signature that never changes (the price list's): as good as the key for that call, so never logged. */
export const standingSignatures = (c: IakCredentials) => [signPriceList(c)];

/** Whether a callback's `sign` is IAK's for this ref_id, compared in constant time (hex, either case). */
export function validCallbackSign(c: IakCredentials, refId: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(signCallback(c, refId), 'utf8');
  const actual = Buffer.from(given.trim().toLowerCase(), 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
