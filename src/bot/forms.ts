/**
 * What a customer number must look like, per product family: checked before any provider call.
 * Taken from the provider documents and real-world practice. PLN is generous at 9 digits because the
 * MMBC documents (and our sandbox's demo customer `123456789`) use a 9-digit example; real IDPELs are 12
 * and meter numbers 11.
 */
import type { Family } from './provider.ts';

export interface Form {
  pattern: RegExp;
  /** Locale key naming the expected form for the user. */
  hint: string;
}

const phone = /^(08|628)\d{7,12}$/;

export const FORMS: Record<Family, Form> = {
  'pln-postpaid': { pattern: /^\d{9,12}$/, hint: 'form.pln' },
  'pln-prepaid': { pattern: /^\d{9,12}$/, hint: 'form.plnPrepaid' },
  'pln-nontaglis': { pattern: /^\d{9,13}$/, hint: 'form.nontaglis' },
  bpjs: { pattern: /^88\d{9,14}$/, hint: 'form.bpjs' },
  telkom: { pattern: /^\d{9,13}$/, hint: 'form.telkom' },
  pdam: { pattern: /^\d{4,20}$/, hint: 'form.pdam' },
  tv: { pattern: /^\d{6,16}$/, hint: 'form.tv' },
  halo: { pattern: phone, hint: 'form.phone' },
  pgn: { pattern: /^\d{6,20}$/, hint: 'form.generic' },
  multifinance: { pattern: /^\d{6,20}$/, hint: 'form.contract' },
  ewallet: { pattern: phone, hint: 'form.phone' },
  pbb: { pattern: /^\d{18}$/, hint: 'form.nop' },
  other: { pattern: /^\d{4,20}$/, hint: 'form.generic' },
};

export function checkNumber(family: Family, customerNo: string): Form | null {
  const form = FORMS[family];
  return form.pattern.test(customerNo) ? null : form;
}
