/**
 * IAK's request signatures, one rule per call, each one line (IAK has changed them before; see
 * iak-postpaid-notes.md). The simulator checks requests with these same rules.
 */
import { createHash } from 'node:crypto';

export interface IakCredentials {
  username: string;
  apiKey: string;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export const signInquiry = (c: IakCredentials, refId: string) => md5(c.username + c.apiKey + refId);
export const signPayment = (c: IakCredentials, trId: string) => md5(c.username + c.apiKey + trId);
export const signStatus = (c: IakCredentials, _refId: string) => md5(`${c.username}${c.apiKey}cs`);
export const signPriceList = (c: IakCredentials) => md5(`${c.username}${c.apiKey}pl`);

/** The signatures that never change (status, price list): as good as the key for those calls, so never logged. */
export const standingSignatures = (c: IakCredentials) => [signStatus(c, ''), signPriceList(c)];
