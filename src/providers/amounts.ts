/**
 * Provider amounts become integer rupiah here and nowhere else.
 * Indonesian format: `.` groups thousands, `,` starts decimals ("18.182,00"). Numbers are taken as
 * they come (IAK sends JSON numbers such as 302500.0). Decimals round to the nearest rupiah.
 */
import { z } from 'zod';
import type { ProviderDebit } from '../bot/provider.ts';

const GROUPED = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/;
/** A dot followed by one or two digits cannot be a thousands group, so it is a decimal point ("302500.0"). */
const DOT_DECIMAL = /^(\d+)\.(\d{1,2})$/;

/** Integer rupiah from a provider's amount, or undefined when it is not an amount at all. */
export function parseRupiah(input: string | number): number | undefined {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return undefined;
    const rounded = Math.sign(input) * Math.round(Math.abs(input));
    return Number.isSafeInteger(rounded) ? rounded + 0 : undefined;
  }
  const plain = plainDigits(input);
  if (plain !== undefined) return plain;
  let text = input.trim().replace(/^rp\.?\s*/i, '');
  let sign = 1;
  if (text.startsWith('-')) {
    sign = -1;
    text = text.slice(1).trim();
  }
  const grouped = GROUPED.exec(text);
  const dotted = grouped ? undefined : DOT_DECIMAL.exec(text);
  const whole = grouped?.[1] ?? dotted?.[1];
  if (whole === undefined) return undefined;
  const fraction = grouped ? grouped[2] : dotted?.[2];
  // String arithmetic: the decimals decide rounding without ever becoming a float.
  const roundUp = fraction !== undefined && Number(fraction[0]) >= 5 ? 1 : 0;
  const value = Number(whole.replaceAll('.', '')) + roundUp;
  if (!Number.isSafeInteger(value)) return undefined;
  return sign * value + 0;
}

/** Most amounts are bare digits ("254300"): read without the regexes. At most 15 digits, so always a safe integer. */
function plainDigits(s: string): number | undefined {
  if (s.length === 0 || s.length > 15) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(s);
}

/** Providers mark "no value" with these instead of leaving the field out. */
export function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value !== 'string') return false;
  const t = value.trim();
  return t === '' || t === '-';
}

const amountInput = z.union([z.string(), z.number()]);

/** A required amount: integer rupiah. */
export const rupiah = amountInput.transform((input, ctx) => {
  const value = parseRupiah(input);
  if (value === undefined) {
    ctx.issues.push({ code: 'custom', message: `not an amount: ${JSON.stringify(input)}`, input });
    return z.NEVER;
  }
  return value;
});

/** An optional amount: missing, null, "" and "-" become undefined; anything else must be an amount. */
export const optionalRupiah = z
  .union([amountInput, z.null()])
  .optional()
  .transform((input, ctx): number | undefined => {
    if (input === undefined || input === null || isBlank(input)) return undefined;
    const value = parseRupiah(input);
    if (value === undefined) {
      ctx.issues.push({ code: 'custom', message: `not an amount: ${JSON.stringify(input)}`, input });
      return z.NEVER;
    }
    return value;
  });

/** MMBC PPOB writes "Tagihan + 700"; its multipayment list writes "amount+2000" (the top-up's nominal). */
const BILL_PLUS = /^(?:tagihan|amount|nominal)\s*(?:\+\s*(.+))?$/i;

/** The price list's debit: a fixed amount ("20.700"), the bill or nominal plus a fee ("Tagihan + 700"), or unknown. */
export function parseDebit(input: string | number): ProviderDebit {
  if (typeof input === 'string') {
    const plus = BILL_PLUS.exec(input.trim());
    if (plus) {
      const fee = plus[1] === undefined ? 0 : parseRupiah(plus[1]);
      return fee === undefined ? { kind: 'unknown' } : { kind: 'bill-plus', plus: fee };
    }
    if (isBlank(input)) return { kind: 'unknown' };
  }
  const amount = parseRupiah(input);
  return amount === undefined ? { kind: 'unknown' } : { kind: 'fixed', amount };
}

export const debit = z
  .union([amountInput, z.null()])
  .optional()
  .transform((input): ProviderDebit => (input === undefined || input === null ? { kind: 'unknown' } : parseDebit(input)));
