/**
 * IAK's prepaid price list as catalogue entries, grouped by type and operator (`Pulsa Telkomsel`, `Data XL`,
 * `Token PLN`, `E-Money GoPay`, `Voucher Game Steam`, `Voucher Alfamart`), so `HARGA PULSA`, `HARGA DATA` and
 * `HARGA TELKOMSEL` each find theirs; what a product is and whom it tops up is read back from that group
 * (describe), since an entry may come from the store's cache rather than from this list.
 *
 * Left off, because the bot cannot take their customer number yet: international top-ups, e-money topped up by
 * card number (Mandiri e-Toll, Indomaret Card), and games topped up straight into a player account
 * (`{userid}|{zoneid}`, IAK's docs/prepaid/game-format.md). Game vouchers, redeemed by the buyer, are sold.
 */
import type { CatalogueEntry, Family } from '../../bot/provider.ts';
import { parseRupiah } from '../amounts.ts';
import { type Operator, OPERATOR_NAMES, type ProductOperator, normalisePhone, numberFits, operatorOf } from './phone.ts';
import type { PrepaidPriceRow } from './schemas.ts';

export type PrepaidKind = 'pulsa' | 'data' | 'pln' | 'emoney' | 'game' | 'voucher';

/** Kinds whose customer number is a mobile number. */
export const PHONE_KINDS: ReadonlySet<PrepaidKind> = new Set(['pulsa', 'data', 'emoney', 'game', 'voucher']);

/**
 * Every kind but PLN takes a phone number and pays a fixed price. The Family union has no such family yet: until
 * it has one (`pulsa`, see docs/iak-prepaid-notes.md "Open points"), they are `other`, the only family that
 * fits without changing how other products are read.
 */
export const PHONE_FAMILY: Family = 'pulsa';

const FAMILY: Readonly<Record<PrepaidKind, Family>> = {
  pulsa: PHONE_FAMILY,
  data: PHONE_FAMILY,
  pln: 'pln-prepaid',
  emoney: PHONE_FAMILY,
  game: PHONE_FAMILY,
  voucher: PHONE_FAMILY,
};

const BYU_LABEL = 'by.U Telkomsel';
export const PLN_GROUP = 'Token PLN';

const TYPE_KIND: Readonly<Record<string, PrepaidKind>> = {
  pulsa: 'pulsa',
  data: 'data',
  pln: 'pln',
  etoll: 'emoney',
  emoney: 'emoney',
  'e-money': 'emoney',
  game: 'game',
  voucher: 'voucher',
};

/** IAK's operator names and code stems (hbyu, htelkomsel/tseldata, hindosat/isatdata, xld/xldata, …), by.U first. */
const OPERATOR_WORDS: ReadonlyArray<[ProductOperator, RegExp]> = [
  ['byu', /by\.?\s?u\b|^hbyu/i],
  ['telkomsel', /telkomsel|^tsel|simpati|kartu ?as\b/i],
  ['indosat', /indosat|^isat|im3|mentari/i],
  ['axis', /axis/i],
  ['xl', /\bxl|^xld/i],
  ['tri', /\bthree\b|\btri\b|^hthree|^threedata/i],
  ['smartfren', /smart/i],
];

const CARD_EMONEY = /e-?toll|mandiri|card|kartu|brizzi|tap ?cash|flazz/i;
const DIRECT_TOPUP_GAME =
  /mobile ?legend|ragnarok|point ?blank|free ?fire|speed ?drifters|arena of valor|bleach|era of celestial|dragon ?nest|call of duty|marvel super war|light of thel|lords mobile|life ?after|genshin|wild ?rift/i;

export function kindOf(row: PrepaidPriceRow): PrepaidKind | undefined {
  const type = (row.product_type ?? row.product_category ?? '').trim().toLowerCase();
  const kind = TYPE_KIND[type];
  const brand = `${row.product_description ?? ''} ${row.product_code}`;
  if (kind === 'emoney' && CARD_EMONEY.test(brand)) return undefined;
  if (kind === 'game' && DIRECT_TOPUP_GAME.test(brand)) return undefined;
  return kind;
}

function productOperator(row: PrepaidPriceRow): ProductOperator | undefined {
  for (const text of [row.product_description ?? '', row.product_code]) {
    for (const [op, words] of OPERATOR_WORDS) if (words.test(text)) return op;
  }
  return undefined;
}

const operatorLabel = (op: ProductOperator) => (op === 'byu' ? BYU_LABEL : OPERATOR_NAMES[op]);
const shown = (v: string | undefined) => (v === undefined || v.trim() === '' || v.trim() === '-' ? undefined : v.trim());

/** A denomination that is an amount of rupiah (`10000`, `Voucher Alfamart Rp 100.000`); not `110 Diamonds`. */
export function faceValue(nominal: string | undefined): number | undefined {
  const n = shown(nominal);
  if (n === undefined) return undefined;
  const plain = parseRupiah(n);
  if (plain !== undefined) return plain > 0 ? plain : undefined;
  const rp = /\brp\.?\s*([\d.,]+)/i.exec(n);
  const amount = rp ? parseRupiah(rp[1]!) : undefined;
  return amount !== undefined && amount > 0 ? amount : undefined;
}

/** The entries of IAK's price list that the bot can sell, in its order. */
export function prepaidEntries(rows: readonly PrepaidPriceRow[]): CatalogueEntry[] {
  const out: CatalogueEntry[] = [];
  for (const row of rows) {
    const entry = entryOf(row);
    if (entry) out.push(entry);
  }
  return out;
}

function entryOf(row: PrepaidPriceRow): CatalogueEntry | undefined {
  const kind = kindOf(row);
  if (!kind) return undefined;
  const brand = shown(row.product_description) ?? row.product_code;
  const details = shown(row.product_details);
  const nominalText = shown(row.product_nominal);
  let group: string;
  let name: string;
  // A data package's denomination is its quota, not rupiah.
  let nominal = kind === 'data' ? undefined : faceValue(row.product_nominal);
  if (kind === 'pulsa' || kind === 'data') {
    const op = productOperator(row);
    if (!op) return undefined;
    const label = operatorLabel(op);
    group = `${kind === 'pulsa' ? 'Pulsa' : 'Data'} ${label}`;
    name = kind === 'pulsa' ? `Pulsa ${label}` : `${label} ${details ?? nominalText ?? row.product_code}`;
    if (kind === 'pulsa' && nominal === undefined) name = `${name} ${nominalText ?? row.product_code}`;
  } else if (kind === 'pln') {
    group = PLN_GROUP;
    name = 'Token PLN';
  } else {
    group = `${kind === 'emoney' ? 'E-Money' : kind === 'game' ? 'Voucher Game' : 'Voucher'} ${brand.replace(/\s*voucher\s*/i, ' ').trim()}`;
    name = nominal === undefined ? `${brand} ${nominalText ?? ''}`.trim() : brand;
  }
  if (nominal !== undefined && nominal <= 0) nominal = undefined;
  const price = row.product_price;
  return {
    provider: 'iak-prepaid',
    code: row.product_code,
    name,
    group,
    family: FAMILY[kind],
    ...(nominal === undefined ? {} : { nominal }),
    // IAK's price over the face value, where it is above it: what a counter adds to a pulsa's nominal.
    admin: nominal === undefined ? 0 : Math.max(0, price - nominal),
    debit: { kind: 'fixed', amount: price },
    available: row.status?.trim().toLowerCase() === 'active',
  };
}

/** What an entry of this list is, read back from its group; undefined for another provider's entry. */
export function describe(entry: Pick<CatalogueEntry, 'provider' | 'group' | 'family'>): { kind: PrepaidKind; operator?: ProductOperator } | undefined {
  if (entry.provider !== 'iak-prepaid') return undefined;
  const g = entry.group;
  if (g === PLN_GROUP || entry.family === 'pln-prepaid') return { kind: 'pln' };
  const kind: PrepaidKind | undefined = g.startsWith('Pulsa ')
    ? 'pulsa'
    : g.startsWith('Data ')
      ? 'data'
      : g.startsWith('E-Money ')
        ? 'emoney'
        : g.startsWith('Voucher Game ')
          ? 'game'
          : g.startsWith('Voucher ')
            ? 'voucher'
            : undefined;
  if (!kind) return undefined;
  if (kind !== 'pulsa' && kind !== 'data') return { kind };
  const label = g.slice(g.indexOf(' ') + 1);
  if (label === BYU_LABEL) return { kind, operator: 'byu' };
  const op = (Object.keys(OPERATOR_NAMES) as Operator[]).find((o) => OPERATOR_NAMES[o] === label);
  return op ? { kind, operator: op } : { kind };
}

export type NumberCheck =
  | { ok: true; customerNo: string }
  /** Not a mobile number (or, for PLN, not a meter or customer number). */
  | { ok: false; reason: 'bad-number' }
  /** A mobile number of another operator than the product's (`belongsTo`), or of none IAK tops up. */
  | { ok: false; reason: 'wrong-operator'; belongsTo?: Operator; product: ProductOperator };

/** The customer number as IAK wants it for this entry, or why it cannot take it; no call is made. */
export function checkCustomerNo(entry: Pick<CatalogueEntry, 'provider' | 'group' | 'family'>, input: string): NumberCheck {
  const d = describe(entry);
  if (d?.kind === 'pln') {
    const digits = input.replace(/[\s-]/g, '');
    // IAK: the meter number, 11 digits; a 12-digit IDPEL is taken too.
    return /^\d{11,12}$/.test(digits) ? { ok: true, customerNo: digits } : { ok: false, reason: 'bad-number' };
  }
  const phone = normalisePhone(input);
  if (!phone) return { ok: false, reason: 'bad-number' };
  if (d?.operator && !numberFits(d.operator, phone)) {
    const belongsTo = operatorOf(phone);
    return { ok: false, reason: 'wrong-operator', product: d.operator, ...(belongsTo ? { belongsTo } : {}) };
  }
  return { ok: true, customerNo: phone };
}

export type PulsaPick =
  | { ok: true; entry: CatalogueEntry; customerNo: string }
  | { ok: false; reason: 'bad-number' | 'unknown-operator' }
  /** The operator sells no pulsa of this nominal, or (`closed`) only closed ones. */
  | { ok: false; reason: 'no-nominal' | 'closed'; operator: Operator };

/**
 * `PULSA <NOMOR> <NOMINAL>`: the operator from the number's prefix (a by.U number is Telkomsel's), then the
 * cheapest open pulsa of exactly that nominal.
 */
export function pickPulsa(entries: readonly CatalogueEntry[], input: string, nominal: number): PulsaPick {
  const phone = normalisePhone(input);
  if (!phone) return { ok: false, reason: 'bad-number' };
  const operator = operatorOf(phone);
  if (!operator) return { ok: false, reason: 'unknown-operator' };
  const offers = entries.filter((e) => {
    const d = describe(e);
    return d?.kind === 'pulsa' && d.operator === operator && e.nominal === nominal;
  });
  const open = offers.filter((e) => e.available);
  if (open.length === 0) return { ok: false, reason: offers.length ? 'closed' : 'no-nominal', operator };
  const cost = (e: CatalogueEntry) => (e.debit.kind === 'fixed' ? e.debit.amount : Number.MAX_SAFE_INTEGER);
  const best = open.reduce((a, b) => (cost(b) < cost(a) ? b : a));
  return { ok: true, entry: best, customerNo: phone };
}
