/** Which family an MMBC product belongs to, and which of its answer's fields are worth showing. */
import type { Detail, DetailKey, Family } from '../../bot/provider.ts';
import { isBlank } from '../amounts.ts';

const BY_CODE: Record<string, Family> = {
  PLN: 'pln-postpaid',
  PLNNONTAGLIS: 'pln-nontaglis',
  TELKOM: 'telkom',
  SPEEDY: 'telkom',
  TELKOMVISION: 'telkom',
  MNCVISION: 'tv',
  TOPTV: 'tv',
  OKEVISION: 'tv',
  INDOVISION: 'tv',
  HALO: 'halo',
  MATRIX: 'halo',
  XPLOR: 'halo',
  PGN: 'pgn',
  MCF: 'multifinance',
  MAF: 'multifinance',
  WOM: 'multifinance',
  BAF: 'multifinance',
};

const PLN_TOKEN = /^PLNS(\d+)$/;

/** Multipayment merchants whose account is the customer's phone number (mmbc-multipayment-api.txt). */
export const PHONE_MERCHANTS: ReadonlySet<string> = new Set([
  'GOPAY', 'GRABPAY', 'OVO', 'DANA', 'SHOPEEPAY', 'LINKAJA', 'TCASH', 'ISAKU', 'SAKUKU',
]);

/**
 * Multipayment merchants topped up by card or member number (e-money cards, PAYTREN's `TNO…`). The e-wallet
 * form is a phone number, so these stay off the catalogue rather than refuse every number typed for them.
 */
export const CARD_MERCHANTS: ReadonlySet<string> = new Set([
  'EMONEY', 'KARTU EMONEY', 'MANDIRI EMONEY', 'BRIZZI', 'TAPCASH', 'BNI TAPCASH', 'BNI TAP CASH', 'PAYTREN',
]);

export function mmbcFamily(code: string, group = ''): Family {
  const c = code.trim().toUpperCase();
  const known = BY_CODE[c];
  if (known) return known;
  if (PHONE_MERCHANTS.has(c)) return 'ewallet';
  if (PLN_TOKEN.test(c)) return 'pln-prepaid';
  // BPJS Kesehatan's 88… virtual account; BPJS Ketenagakerjaan (BPJSTK) is paid by KPJ number.
  if (c.startsWith('BPJS') && !c.startsWith('BPJSTK')) return 'bpjs';
  if (c.startsWith('PDAM')) return 'pdam';
  // A product MMBC adds later is still placed by its group.
  const g = group.trim().toUpperCase();
  if (g.includes('PDAM')) return 'pdam';
  if (g.includes('BPJS')) return 'bpjs';
  if (g.includes('MULTIFINANCE')) return 'multifinance';
  if (g.includes('WALLET') || g.includes('MULTIPAYMENT')) return 'ewallet';
  return 'other';
}

/** A token's face value from its code (`PLNS100` → 100000), for when the price list leaves it out. */
export function tokenNominal(code: string): number | undefined {
  const m = PLN_TOKEN.exec(code.trim().toUpperCase());
  return m ? Number(m[1]) * 1000 : undefined;
}

type Field = { field: string; key: DetailKey; money?: true };

const f = (field: string, key: DetailKey): Field => ({ field: `ppob_${field}`, key });
const m = (field: string, key: DetailKey): Field => ({ field: `ppob_${field}`, key, money: true });

const ARREARS = f('jumlahtunggakan', 'arrears');

/** In the order a receipt shows them. `ppob_bulantagihan` is Bill.period, not a detail. */
const FIELDS: Record<Family, Field[]> = {
  'pln-postpaid': [f('tarifdaya', 'tariff'), f('standmeter', 'standMeter'), ARREARS],
  'pln-prepaid': [
    f('nomormeter', 'meterNo'),
    f('tarifdaya', 'tariff'),
    f('voucher', 'voucher'),
    m('nominal', 'nominal'),
    m('rptoken', 'tokenValue'),
    m('ppn', 'ppn'),
    m('ppj', 'ppj'),
    m('materai', 'stamp'),
    m('angsuran', 'instalmentCharge'),
    f('totalkwh', 'kwh'),
  ],
  // The number typed is the registration; MMBC answers with the customer's own IDPEL beside it.
  'pln-nontaglis': [f('nomorregistrasi', 'registrationNo'), f('nomorpelanggan', 'customerId'), f('jenisbayar', 'paymentType')],
  bpjs: [f('jumlahpeserta', 'participants'), f('namapeserta', 'participantNames'), ARREARS],
  telkom: [f('detailtagihan', 'billDetail'), ARREARS],
  pdam: [f('volumepemakaian', 'usage'), ARREARS],
  pgn: [f('volumepemakaian', 'usage'), f('metertagihan', 'usage'), ARREARS],
  tv: [],
  halo: [],
  multifinance: [
    f('nomorpolisi', 'plate'),
    f('kendaraan', 'vehicle'),
    f('angsuranke', 'installment'),
    f('sisatenor', 'remainingTenor'),
    f('jatuhtempo', 'dueDate'),
    m('angsuran', 'instalmentCharge'),
    m('sisaangsuran', 'remainingInstallment'),
    m('denda', 'penalty'),
  ],
  ewallet: [],
  pbb: [],
  pulsa: [],
  other: [],
};

// A product we cannot place still shows whatever it sends, each field once.
// (Not the customer number: the name line shows it already.)
FIELDS.other = dedupe(Object.values(FIELDS).flat()).filter((x) => x.key !== 'customerId');

function dedupe(fields: Field[]): Field[] {
  const seen = new Set<string>();
  return fields.filter((x) => !seen.has(x.field) && seen.add(x.field));
}

/** The answer's details for its family; empty and "-" fields are left out, money stays integer rupiah. */
export function mmbcDetails(family: Family, answer: Readonly<Record<string, unknown>>): Detail[] {
  const details: Detail[] = [];
  const taken = new Set<DetailKey>();
  for (const { field, key, money } of FIELDS[family]) {
    const raw = answer[field];
    if (isBlank(raw) || taken.has(key)) continue;
    if (money) {
      if (typeof raw !== 'number') continue;
      details.push({ key, amount: raw });
    } else {
      if (typeof raw !== 'string' && typeof raw !== 'number') continue;
      details.push({ key, value: String(raw).trim() });
    }
    taken.add(key);
  }
  return details;
}

/** Bill.period from `ppob_bulantagihan`, unless blank. */
export function mmbcPeriod(answer: { ppob_bulantagihan?: string | undefined }): string | undefined {
  const p = answer.ppob_bulantagihan;
  return isBlank(p) ? undefined : p!.trim();
}
