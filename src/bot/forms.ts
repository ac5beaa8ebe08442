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
  /** A phone number (mobile or landline), which people write with dashes (0812-3456-7890, 021-5551234). */
  phone?: true;
}

/** An Indonesian mobile number: 10 to 13 digits after the leading 0 (0811… 0899…), or the same with 62. */
const phone = /^(08|628)\d{8,11}$/;

export const FORMS: Record<Family, Form> = {
  // IDPEL is 12 digits, a prepaid meter number 11; the MMBC documents' example is 9.
  'pln-postpaid': { pattern: /^\d{9,12}$/, hint: 'form.pln' },
  'pln-prepaid': { pattern: /^\d{9,12}$/, hint: 'form.plnPrepaid' },
  // The registration number PLN gives for a new connection or a power change: 13 digits (9 in the documents).
  'pln-nontaglis': { pattern: /^\d{9,13}$/, hint: 'form.nontaglis' },
  // The virtual account: 88888 and the card number's last digits (the documents show 13 and 15 digits).
  bpjs: { pattern: /^88\d{9,14}$/, hint: 'form.bpjs' },
  // A landline with its area code (021…, 0274…) or a 12-digit IndiHome/Speedy number.
  telkom: { pattern: /^\d{9,13}$/, hint: 'form.telkom', phone: true },
  // Each PDAM numbers its customers its own way; digits only, within reason.
  pdam: { pattern: /^\d{4,20}$/, hint: 'form.pdam' },
  // MNC Vision and OkeVision 12 digits, TopTV 10; the documents' example is 9.
  tv: { pattern: /^\d{6,16}$/, hint: 'form.tv' },
  // HALO, Matrix and Xplor are postpaid mobile numbers.
  halo: { pattern: phone, hint: 'form.phone', phone: true },
  pgn: { pattern: /^\d{6,20}$/, hint: 'form.generic' },
  // Contract (agreement) numbers of MCF, MAF, WOM, BAF: digits, 6 to 20.
  multifinance: { pattern: /^\d{6,20}$/, hint: 'form.contract' },
  // GoPay, OVO, DANA…: the wallet is the customer's mobile number (mmbc-multipayment-api.txt).
  ewallet: { pattern: phone, hint: 'form.phone', phone: true },
  // The NOP (Nomor Objek Pajak) is always 18 digits.
  pbb: { pattern: /^\d{18}$/, hint: 'form.nop' },
  // Pulsa, data, e-money and vouchers topped up to a mobile number (IAK prepaid), as 08… once read.
  pulsa: { pattern: /^08\d{8,11}$/, hint: 'form.phone', phone: true },
  other: { pattern: /^\d{4,20}$/, hint: 'form.generic' },
};

export function checkNumber(family: Family, customerNo: string): Form | null {
  const form = FORMS[family];
  return form.pattern.test(customerNo) ? null : form;
}
