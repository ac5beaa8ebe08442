/**
 * Indonesian mobile numbers as people type them, and the operator a number belongs to.
 *
 * The prefix table is IAK's own (docs/prepaid/prefix-list.md in github.com/iak-id/iak-api-reference-docs, the
 * source of https://api.iak.id/docs/reference): a number outside it is answered `16 NUMBER NOT MATCH WITH
 * OPERATOR` by IAK, so refusing it here first costs the user nothing and IAK a call. It agrees with the public
 * tables (Wikipedia "Telephone numbers in Indonesia", Gadgetren's operator prefix list) except where IAK is
 * narrower: 0811 (Telkomsel's postpaid kartuHalo), 0833 and 0839 (Axis) and 0889 (Smartfren) are not in it,
 * and it adds 0837 to Axis. by.U is Telkomsel's digital brand on 085154–085158: a Telkomsel number for
 * Telkomsel products, and the only numbers IAK's by.U products take.
 */

export type Operator = 'telkomsel' | 'indosat' | 'xl' | 'axis' | 'tri' | 'smartfren';

/** How each operator is written for people (`HARGA TELKOMSEL`, a refusal saying whose number it is). */
export const OPERATOR_NAMES: Readonly<Record<Operator, string>> = {
  telkomsel: 'Telkomsel',
  indosat: 'Indosat',
  xl: 'XL',
  axis: 'Axis',
  tri: 'Tri',
  smartfren: 'Smartfren',
};

const PREFIXES: Readonly<Record<Operator, readonly string[]>> = {
  telkomsel: ['0812', '0813', '0821', '0822', '0823', '0851', '0852', '0853'],
  indosat: ['0814', '0815', '0816', '0855', '0856', '0857', '0858'],
  xl: ['0817', '0818', '0819', '0859', '0877', '0878'],
  axis: ['0831', '0832', '0837', '0838'],
  tri: ['0895', '0896', '0897', '0898', '0899'],
  smartfren: ['0881', '0882', '0883', '0884', '0885', '0886', '0887', '0888'],
};

const BY_PREFIX = new Map<string, Operator>(
  (Object.entries(PREFIXES) as Array<[Operator, readonly string[]]>).flatMap(([op, list]) => list.map((p) => [p, op] as const)),
);

const BYU_PREFIXES: readonly string[] = ['085154', '085155', '085156', '085157', '085158'];

/** 08 and 8 to 11 more digits: the 10 to 13 digits Indonesian mobile numbers have (as src/bot/forms.ts). */
const MOBILE = /^08\d{8,11}$/;

/**
 * `08…`, `628…` or `+628…`, with spaces and dashes anywhere (`+62 812-3456-7890`), as `08…`; undefined when it
 * is not a mobile number. `+62 0812…`, a common slip, is read as `0812…`.
 */
export function normalisePhone(input: string): string | undefined {
  let s = input.trim().replace(/[\s-]+/g, '');
  if (s.startsWith('+')) {
    if (!s.startsWith('+62')) return undefined;
    s = s.slice(3);
  } else if (s.startsWith('62')) {
    s = s.slice(2);
  } else if (s.startsWith('0')) {
    s = s.slice(1);
  } else {
    return undefined;
  }
  if (s.startsWith('0')) s = s.slice(1);
  const phone = `0${s}`;
  return MOBILE.test(phone) ? phone : undefined;
}

/** The operator a normalised number (`08…`) belongs to; by.U numbers are Telkomsel's. */
export function operatorOf(phone: string): Operator | undefined {
  return BY_PREFIX.get(phone.slice(0, 4));
}

export function isByU(phone: string): boolean {
  return BYU_PREFIXES.includes(phone.slice(0, 6));
}

/** Whom a product tops up: an operator, or by.U, whose products take by.U numbers only. */
export type ProductOperator = Operator | 'byu';

/** Whether a normalised number can be topped up with this operator's product. */
export function numberFits(product: ProductOperator, phone: string): boolean {
  return product === 'byu' ? isByU(phone) : operatorOf(phone) === product;
}
