/**
 * What the simulator bills a customer: the named demo customers, a few fault customers, and a
 * deterministic bill for any other well-formed number (so a benchmark can use many distinct ones).
 */
import type { Family } from '../../bot/provider.ts';
import { hash } from '../sim-kit.ts';
import { mmbcFamily } from './families.ts';
import { idr, idrCents, type SimProduct } from './sim-catalogue.ts';

export interface SimBill {
  name: string;
  bill: number;
  admin: number;
  total: number;
  debit: number;
  /** The family's ppob_* texts, as the inquiry shows them. */
  fields: Record<string, string>;
}

type Profile = { name: string; bill?: number; fields?: Record<string, string> };

const PROFILES: Record<string, Profile> = {
  'PLN|123456789': {
    name: 'SUYITNO',
    bill: 179_600,
    fields: { ppob_standmeter: '00018874 - 00018997', ppob_tarifdaya: 'R1M/900 VA', ppob_bulantagihan: 'OKT26' },
  },
  'PLN|532100112233': {
    name: 'SITI AMINAH',
    bill: 254_300,
    fields: { ppob_standmeter: '00041210 - 00041388', ppob_tarifdaya: 'R1/1300 VA', ppob_bulantagihan: 'OKT26' },
  },
  'PLN|500000000001': { name: 'BAMBANG SUTRISNO' },
  'PLN|500000000002': { name: 'DEWI LESTARI' },
  'PLN|500000000003': { name: 'HENDRA GUNAWAN' },
  'PLN|500000000004': { name: 'RATNA SARI' },
  'PLNS|14123456789': { name: 'AGUS SETIAWAN', fields: { ppob_tarifdaya: 'R1/1300 VA' } },
  'PLNS|123456789': { name: 'H. MAHRANI', fields: { ppob_tarifdaya: 'S2/4400 VA' } },
  'BPJSKS|8888801234567': {
    name: 'SRI WAHYUNI',
    bill: 105_000,
    fields: {
      ppob_jumlahpeserta: '03 ORANG',
      ppob_namapeserta: '1. SRI WAHYUNI 2. BAMBANG HERMAWAN 3. DWI LESTARI',
      ppob_bulantagihan: '01 BULAN',
    },
  },
  'PDAM KOT MEDAN|123456': {
    name: 'ZULKIFLI LUBIS',
    bill: 34_376,
    fields: { ppob_bulantagihan: '202610', ppob_volumepemakaian: '18 M3' },
  },
  'PDAM KOT MEDAN|0100234': {
    name: 'RAHMAT HIDAYAT NASUTION',
    bill: 87_250,
    fields: { ppob_bulantagihan: '202610', ppob_volumepemakaian: '41 M3' },
  },
  'PDAM ATB BATAM|123456': { name: 'RAMADHANUS', bill: 33_000, fields: { ppob_bulantagihan: '202610', ppob_volumepemakaian: '' } },
  // The typed number is the registration; MMBC answers with the customer's own IDPEL beside it.
  'PLNNONTAGLIS|5392110012345': {
    name: 'ELIAS BALA',
    bill: 76_211,
    fields: { ppob_nomorregistrasi: '5392110012345', ppob_nomorpelanggan: '532110987654', ppob_jenisbayar: 'MIGRASI PRABAYAR' },
  },
  'BPJSKS|888880123456789': {
    name: 'LA ALU',
    bill: 105_000,
    fields: { ppob_jumlahpeserta: '03 ORANG', ppob_namapeserta: '1. LA ALU 2. ROSTINA SIGALINGGING 3. ERI SETIAWAN', ppob_bulantagihan: '01 BULAN' },
  },
  'TELKOM|0216234567': { name: 'WARIS SASTRA PERANGINANGIN', bill: 275_000, fields: { ppob_bulantagihan: 'OKT', ppob_jumlahtunggakan: '1' } },
  'SPEEDY|122310012345': { name: 'ISMET ZAINI', bill: 385_000, fields: { ppob_bulantagihan: 'OKT', ppob_jumlahtunggakan: '1' } },
  'MNCVISION|401234567890': { name: 'EKA OTAVIANI', bill: 361_400, fields: { ppob_bulantagihan: '24/10/2026-23/11/2026' } },
  'TOPTV|1500123456': { name: 'TRI ASTUTIK', bill: 99_000, fields: { ppob_bulantagihan: '02/11/2026-01/12/2026' } },
  'HALO|08116550204': { name: 'IGNXXXXXXXXXXXXXXXXNAN', bill: 165_000 },
  'MATRIX|081587654321': { name: 'ARDXXXX', bill: 172_309 },
  'PGN|0110012345': { name: 'LASMO', bill: 192_500, fields: { ppob_bulantagihan: 'OKT2026', ppob_volumepemakaian: '23 M3' } },
  'MCF|1234567890': {
    name: 'AHYUDI',
    bill: 1_090_980,
    fields: {
      ppob_nomorpolisi: 'B 4512 KJT',
      ppob_kendaraan: 'HONDA VARIO 125',
      ppob_angsuranke: '4',
      ppob_sisatenor: '20',
      ppob_jatuhtempo: '20261115',
      ppob_angsuran: '1.075.980',
      ppob_denda: '15000',
    },
  },
  'WOM|801234567890': {
    name: 'MIPTAHUL CHOIRI',
    bill: 856_000,
    fields: { ppob_nomorpolisi: '', ppob_kendaraan: '', ppob_angsuranke: '9', ppob_sisatenor: '', ppob_jatuhtempo: '20261123', ppob_denda: '0' },
  },
};

const NAMES = [
  'BUDI SANTOSO', 'SRI RAHAYU', 'AHMAD FAUZI', 'DEWI KARTIKA', 'I KETUT SUARDANA', 'NURUL HIDAYAH',
  'JOKO PRASETYO', 'MARIA NATALIA SIMANJUNTAK', 'MUHAMMAD RIZKY', 'NI WAYAN SUDIARTI', 'YULIANTI',
  'ANDI MAPPAJANCI', 'SUTARMI', 'RUDI HARTONO', 'FITRIANI LUBIS', 'SLAMET RIYADI',
];

const WELL_FORMED = /^\d{6,20}$/;

/** A bill, or MMBC's reason for not giving one. */
export function simBill(product: SimProduct, customerNo: string, now: Date): SimBill | { refuse: string } {
  if (!WELL_FORMED.test(customerNo)) return { refuse: `ERROR ${product.code} ${customerNo}: NOMOR PELANGGAN SALAH` };
  const family = mmbcFamily(product.code, product.group);
  const key = family === 'pln-prepaid' ? `PLNS|${customerNo}` : `${product.code}|${customerNo}`;
  const profile = PROFILES[key];
  const h = hash(key);
  const bill = product.nominal ?? profile?.bill ?? 25_000 + (h % 9_500) * 50;
  const debit = 'fixed' in product.debit ? product.debit.fixed : bill + product.debit.plus;
  return {
    name: profile?.name ?? NAMES[h % NAMES.length]!,
    bill,
    admin: product.admin,
    total: bill + product.admin,
    debit,
    fields: { ...familyFields(family, product, customerNo, h, now), ...profile?.fields },
  };
}

function familyFields(family: Family, p: SimProduct, no: string, h: number, now: Date): Record<string, string> {
  const month = lastMonth(now);
  switch (family) {
    case 'pln-postpaid': {
      const start = 10_000 + (h % 80_000);
      const end = start + 100 + (h % 300);
      const pad = (n: number) => String(n).padStart(8, '0');
      return {
        ppob_standmeter: `${pad(start)} - ${pad(end)}`,
        ppob_tarifdaya: h % 2 ? 'R1/1300 VA' : 'R1M/900 VA',
        ppob_bulantagihan: month.short,
        ppob_jumlahtunggakan: '1',
      };
    }
    case 'pln-prepaid':
      return { ppob_tarifdaya: h % 2 ? 'R1/1300 VA' : 'R1/2200 VA', ppob_voucher: `TOKEN PLN ${idr(p.nominal ?? 0)}` };
    case 'pln-nontaglis':
      return { ppob_nomorregistrasi: no, ppob_jenisbayar: 'PENYAMBUNGAN BARU' };
    case 'bpjs':
      return { ppob_jumlahpeserta: '01 ORANG', ppob_namapeserta: `1. ${NAMES[h % NAMES.length]}`, ppob_bulantagihan: '01 BULAN', ppob_jumlahtunggakan: '' };
    case 'pdam':
      return { ppob_bulantagihan: month.numeric, ppob_volumepemakaian: `${10 + (h % 40)} M3`, ppob_jumlahtunggakan: '' };
    case 'telkom':
      return { ppob_bulantagihan: month.name, ppob_jumlahtunggakan: '1' };
    case 'tv':
      return { ppob_bulantagihan: month.range };
    case 'pgn':
      return { ppob_bulantagihan: '-', ppob_volumepemakaian: `${h % 30}M3`, ppob_jumlahtunggakan: '' };
    case 'multifinance':
      return { ppob_nomorpolisi: '', ppob_kendaraan: '', ppob_angsuranke: String(1 + (h % 30)), ppob_sisatenor: '', ppob_jatuhtempo: month.due };
    default:
      return {};
  }
}

/** The extra texts a payment's answer carries: for a token, the token itself and its breakdown. */
export function simPaymentFields(product: SimProduct, bill: SimBill, customerNo: string, invoice: string): Record<string, string> {
  const family = mmbcFamily(product.code, product.group);
  if (family === 'telkom') return { ppob_detailtagihan: `${bill.fields.ppob_bulantagihan ?? ''} Rp ${bill.bill}`.trim() };
  if (family !== 'pln-prepaid') return {};
  const nominal = product.nominal ?? bill.bill;
  const ppj = Math.floor((nominal * 24) / 1024);
  const rptoken = nominal - ppj;
  // Rp 1.444,70 per kWh, in tenths of a kWh so no float is involved.
  const kwhTenths = Math.floor((rptoken * 100) / 14_447);
  return {
    ppob_nomormeter: customerNo,
    ppob_materai: idrCents(0),
    ppob_ppn: idrCents(0),
    ppob_ppj: idrCents(ppj),
    ppob_angsuran: idrCents(0),
    ppob_rptoken: idrCents(rptoken),
    ppob_nominal: ` ${idr(nominal)}`,
    ppob_stroomtoken: stroomToken(invoice),
    ppob_totalkwh: `${Math.floor(kwhTenths / 10)},${kwhTenths % 10}`,
    ppob_footer: 'Informasi Hubungi Call Center 123 Atau hubungi PLN Terdekat.',
    ppob_sn: '',
  };
}

/** 20 digits in groups of four, as MMBC prints them. */
function stroomToken(invoice: string): string {
  let digits = '';
  let h = hash(`token|${invoice}`);
  while (digits.length < 20) {
    h = Math.imul(h ^ (h >>> 15), 2_246_822_507) >>> 0;
    digits += String(h % 10_000).padStart(4, '0');
  }
  return digits.match(/\d{4}/g)!.join(' ');
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MEI', 'JUN', 'JUL', 'AGU', 'SEP', 'OKT', 'NOV', 'DES'];

function lastMonth(now: Date) {
  const jakarta = new Date(now.getTime() + 7 * 3_600_000);
  const y = jakarta.getUTCFullYear();
  const m = jakarta.getUTCMonth(); // this month, 0-based; the bill is for the month before
  const [by, bm] = m === 0 ? [y - 1, 12] : [y, m];
  const mm = String(bm).padStart(2, '0');
  const [ny, nm] = bm === 12 ? [by + 1, 1] : [by, bm + 1];
  const nmm = String(nm).padStart(2, '0');
  return {
    short: `${MONTHS[bm - 1]}${String(by).slice(2)}`,
    name: MONTHS[bm - 1]!,
    numeric: `${by}${mm}`,
    range: `01/${mm}/${by}-01/${nmm}/${ny}`,
    due: `${ny}${nmm}15`,
  };
}
