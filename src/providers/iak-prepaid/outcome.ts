/**
 * One IAK prepaid answer (top-up, check-status or callback) as our PayOutcome, the same whichever of them
 * brings it, so the callback and the status check cannot tell the user two different things.
 *
 * The receipt reads IAK's SN by its documented formats (docs/prepaid/sn-format.md of IAK's reference):
 * pulsa and data `123456789`; PLN `token/name/segment power[/kWh]`; voucher `code / expiry`; e-money
 * `NAME serial`; games the SN and, for some, a `pin`.
 */
import type { Detail, PayOutcome, Receipt } from '../../bot/provider.ts';
import { withoutUndefined } from '../outcomes.ts';
import { refusalReason, type Verdict } from './codes.ts';
import type { PrepaidTx } from './schemas.ts';

/**
 * A PLN token product by its code (`hpln20000`, `pln100000`), for a callback or status check that has no quote to
 * ask; IAK's reference shows no token code, so a token-shaped SN is read as one whatever the code (receiptOf).
 */
export const isPlnCode = (code: string | undefined) => /^h?pln\d+$/i.test(code?.trim() ?? '');

/** `0123-4567-8901-2345-6789/NAME/…`: twenty digits, dashed or not, then the rest of a PLN SN. */
const TOKEN_SN = /^\s*(?:\d[\s-]?){19}\d\s*\//;

export function outcomeOf(verdict: Verdict, a: PrepaidTx, raw: unknown, opts: { pln?: boolean; knownTrId?: string } = {}): PayOutcome {
  const invoice = a.trId ?? opts.knownTrId;
  const said = `${a.message ?? 'no message'} (RC ${a.rc ?? '?'})`;
  const pending = (reason: string): PayOutcome => ({ status: 'pending', reason, raw, ...(invoice ? { invoice } : {}) });
  if (verdict === 'failed') return { status: 'failed', reason: refusalReason(a.message, a.rc ?? '?'), raw };
  if (verdict === 'pending') return pending(said);
  const pln = opts.pln ?? isPlnCode(a.productCode);
  const receipt = receiptOf(a, pln, invoice);
  // A token purchase confirmed without the token is no use to the buyer: the status check will bring it.
  if (pln && !receipt.token) return pending(`${said}: confirmed without a token`);
  return { status: 'settled', receipt, raw };
}

function receiptOf(a: PrepaidTx, pln: boolean, invoice: string | undefined): Receipt {
  const sn = a.sn?.trim();
  const details: Detail[] = [];
  let token: string | undefined;
  let customerName: string | undefined;
  let kwh: string | undefined;
  if (sn && (pln || TOKEN_SN.test(sn))) {
    const [first = '', name, ...rest] = sn.split('/').map((s) => s.trim());
    const digits = first.replace(/\D/g, '');
    if (/^\d{20}$/.test(digits)) token = digits;
    customerName = name || undefined;
    // "R1 /000001300/66.2": the segment power's own slash splits it; its power is zero-padded, the kWh is not.
    const padded = rest[1] !== undefined && /^0\d{5,}$/.test(rest[1]);
    const segment = tariff(padded ? rest.slice(0, 2) : rest.slice(0, 1));
    const after = rest[padded ? 2 : 1];
    if (after !== undefined && /^\d+(?:[.,]\d+)?$/.test(after)) kwh = after;
    if (segment) details.push({ key: 'tariff', value: segment });
  } else if (sn?.includes(' / ')) {
    // A shopping voucher: "BA4B52862X7P / 2018-12-07", its code and its expiry.
    details.push({ key: 'voucher', value: sn.split(' / ')[0]!.trim() });
  }
  if (a.pin) details.push({ key: 'voucher', value: a.pin });
  return withoutUndefined({
    invoice,
    reference: sn || undefined,
    token,
    kwh,
    customerName,
    details,
    debit: a.price,
  });
}

/** `R1 ` and `000001300` → `R1/1300 VA`, as the PLN postpaid receipts write the tariff. */
export function tariff(parts: readonly string[]): string | undefined {
  const [klass, power] = [parts[0]?.trim(), parts[1]?.trim()];
  if (!klass) return undefined;
  const va = power && /^\d+$/.test(power) ? Number(power) : undefined;
  return va ? `${klass}/${va} VA` : [klass, power].filter(Boolean).join('/');
}
