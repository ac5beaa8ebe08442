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

export function mmbcFamily(code: string, group = ''): Family {
  const c = code.trim().toUpperCase();
  const known = BY_CODE[c];
  if (known) return known;
  if (PLN_TOKEN.test(c)) return 'pln-prepaid';
  if (c.startsWith('BPJS')) return 'bpjs';
  if (c.startsWith('PDAM')) return 'pdam';
  // A product MMBC adds later is still placed by its group.
  const g = group.trim().toUpperCase();
  if (g.includes('PDAM')) return 'pdam';
  if (g.includes('BPJS')) return 'bpjs';
  if (g.includes('MULTIFINANCE')) return 'multifinance';
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
  'pln-nontaglis': [f('nomorregistrasi', 'registrationNo'), f('jenisbayar', 'paymentType')],
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
  other: [],
};

// A product we cannot place still shows whatever it sends, each field once.
FIELDS.other = dedupe(Object.values(FIELDS).flat());

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
