/**
 * When an inquiry at one provider may be retried at another. An inquiry moves no money, so trying the other
 * provider can never pay twice; it is still pointless, and slower, when the answer is about the customer's
 * bill (unknown number, already paid): the other provider asks the same biller and would say the same.
 *
 * - `unavailable` (timeout, network, 5xx, unreadable): falls over. Nothing was paid, and the other provider
 *   may well be up.
 * - `refused` about the provider (product down, its deposit, its credentials, a code we do not know): falls over.
 * - `refused` about the bill: final, shown to the user as it is.
 */
import type { InquiryOutcome, ProviderName } from '../bot/provider.ts';
import { codeOfReason, isAboutTheBill } from './iak/codes.ts';
import { mmbcRefusalIsAboutTheBill } from './mmbc/refusals.ts';
import { prepaidRefusalIsAboutTheNumber } from './iak-prepaid/codes.ts';

const ABOUT_THE_BILL: Record<ProviderName, (reason: string) => boolean> = {
  mmbc: mmbcRefusalIsAboutTheBill,
  iak: (reason) => {
    const code = codeOfReason(reason);
    return code !== undefined && isAboutTheBill(code);
  },
  'iak-prepaid': prepaidRefusalIsAboutTheNumber,
};

export function fallsOver(provider: ProviderName, outcome: InquiryOutcome): boolean {
  if (outcome.ok) return false;
  if (outcome.kind === 'unavailable') return true;
  return !ABOUT_THE_BILL[provider](outcome.reason);
}
