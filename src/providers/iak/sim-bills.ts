/**
 * What the IAK simulator sells and bills: its price list, the named demo customers, and a deterministic bill
 * for any other well-formed number. Amounts follow IAK: price = nominal + admin, selling_price = price - komisi.
 */
import { hash } from '../sim-kit.ts';

export interface IakSimProduct {
  code: string;
  name: string;
  type: string;
  fee: number;
  komisi: number;
  /** 1 active, 4 not. */
  status: 1 | 4;
}

/** PLN costs us Rp 300 more here than at MMBC, so `cheapest` sends PLN to MMBC unless it cannot serve. */
export const IAK_SIM_PRODUCTS: readonly IakSimProduct[] = [
  { code: 'PLNPOSTPAID', name: 'PLN Pascabayar', type: 'pln', fee: 2500, komisi: 1500, status: 1 },
  { code: 'PBBKOT.CIMAHI', name: 'PBB Kota Cimahi', type: 'pbb', fee: 5000, komisi: 0, status: 1 },
  { code: 'PBBKAB.BANDUNG', name: 'PBB Kabupaten Bandung', type: 'pbb', fee: 5000, komisi: 1000, status: 1 },
  { code: 'PBBKOT.BANDUNG', name: 'PBB Kota Bandung', type: 'pbb', fee: 5000, komisi: 1000, status: 4 },
  // Sold by IAK, not served by this bot: the provider leaves them off the catalogue.
  { code: 'BPJS', name: 'BPJS Kesehatan', type: 'bpjs', fee: 2500, komisi: 1150, status: 1 },
  { code: 'AETRA', name: 'AETRA', type: 'pdam', fee: 2500, komisi: 700, status: 1 },
];

type Month = { periode: string; nilai: number; denda?: number; awal: number; akhir: number };
type PlnProfile = { name: string; tarif: string; daya: number; months: Month[]; sisa?: number };
type PbbProfile = { name: string; year: string; lokasi: string; kelurahan: string; kecamatan: string; kota: string; tanah: string; gedung: string; due: string; nominal: number; denda: number };

const PLN: Record<string, PlnProfile> = {
  '123456789': { name: 'SUYITNO', tarif: 'R1M', daya: 900, months: [{ periode: '202610', nilai: 179_600, awal: 18_874, akhir: 18_997 }] },
  '531234567890': { name: 'SUPARMAN', tarif: 'R1', daya: 1300, months: [{ periode: '202610', nilai: 212_400, awal: 41_210, akhir: 41_388 }] },
  '532199887766': { name: 'YULIANA', tarif: 'R1', daya: 2200, months: [{ periode: '202610', nilai: 346_150, awal: 70_112, akhir: 70_301 }] },
  '537700112233': {
    name: 'NYOMAN ARIASA',
    tarif: 'R1',
    daya: 900,
    sisa: 1,
    months: [
      { periode: '202606', nilai: 98_300, denda: 5_000, awal: 30_100, akhir: 30_181 },
      { periode: '202607', nilai: 101_250, denda: 5_000, awal: 30_181, akhir: 30_265 },
      { periode: '202608', nilai: 97_800, denda: 5_000, awal: 30_265, akhir: 30_346 },
      { periode: '202609', nilai: 99_900, denda: 3_000, awal: 30_346, akhir: 30_429 },
    ],
  },
};

const PBB: Record<string, PbbProfile> = {
  '327703000401005610': {
    name: 'H. ASEP SUNANDAR', year: '2026', lokasi: 'KO. GRIYA ASRI CIPAGERAN', kelurahan: 'CIPAGERAN', kecamatan: 'CIMAHI UTARA',
    kota: 'PEMKOT CIMAHI', tanah: '113 M2', gedung: '47 M2', due: '31/08/2026', nominal: 203_857, denda: 0,
  },
  '320401000100200300': {
    name: 'DEDE KURNIASIH', year: '2026', lokasi: 'JL. RAYA BANJARAN NO. 21', kelurahan: 'BANJARAN WETAN', kecamatan: 'BANJARAN',
    kota: 'PEMKAB BANDUNG', tanah: '240 M2', gedung: '96 M2', due: '30/09/2026', nominal: 412_500, denda: 8_250,
  },
};

const FAULT_NAMES: Record<string, string> = {
  '539900000001': 'AGUNG PRAKOSO',
  '539900000002': 'SRI MULYANI',
  '539900000003': 'BAYU SAPUTRA',
  '539900000004': 'TUTI ALAWIYAH',
  '539900000005': 'HADI SUCIPTO',
  '539900000006': 'ROSITA DEWI',
};

const NAMES = ['WAHYU HIDAYAT', 'ENDANG SUSANTI', 'KOMANG ADI PUTRA', 'SITI KHODIJAH', 'BENNY SIREGAR', 'LINDA KUSUMA'];

export interface IakSimBill {
  name: string;
  period: string;
  nominal: number;
  admin: number;
  price: number;
  sellingPrice: number;
  desc: Record<string, unknown>;
}

/** A bill, or IAK's response code and message for not giving one. */
export function iakSimBill(product: IakSimProduct, hp: string): IakSimBill | { rc: string; message: string } {
  if (product.type === 'pln') {
    if (!/^\d{9,12}$/.test(hp)) return { rc: '14', message: 'INCORRECT DESTINATION NUMBER' };
    return plnBill(product, PLN[hp] ?? generatedPln(hp));
  }
  if (product.type === 'pbb') {
    if (!/^\d{18}$/.test(hp)) return { rc: '14', message: 'INCORRECT DESTINATION NUMBER' };
    return pbbBill(product, hp, PBB[hp] ?? generatedPbb(hp, product));
  }
  return { rc: '20', message: 'PRODUCT UNREGISTERED' };
}

function generatedPln(hp: string): PlnProfile {
  const h = hash(`PLNPOSTPAID|${hp}`);
  const awal = 10_000 + (h % 80_000);
  return {
    name: FAULT_NAMES[hp] ?? NAMES[h % NAMES.length]!,
    tarif: h % 2 ? 'R1' : 'R1M',
    daya: h % 2 ? 1300 : 900,
    months: [{ periode: '202610', nilai: 25_000 + (h % 9_500) * 50, awal, akhir: awal + 100 + (h % 300) }],
  };
}

function generatedPbb(hp: string, product: IakSimProduct): PbbProfile {
  const h = hash(`${product.code}|${hp}`);
  return {
    name: NAMES[h % NAMES.length]!, year: '2026', lokasi: `JL. MERDEKA NO. ${1 + (h % 200)}`, kelurahan: 'SUKAMAJU', kecamatan: 'SUKASARI',
    kota: product.name.replace(/^PBB /, 'PEM').toUpperCase(), tanah: `${60 + (h % 400)} M2`, gedung: `${36 + (h % 200)} M2`, due: '31/08/2026',
    nominal: 50_000 + (h % 4_000) * 100, denda: 0,
  };
}

const pad8 = (n: number) => String(n).padStart(8, '0');

function plnBill(product: IakSimProduct, p: PlnProfile): IakSimBill {
  const sheets = p.months.length;
  const nominal = p.months.reduce((s, m) => s + m.nilai + (m.denda ?? 0), 0);
  const admin = product.fee * sheets;
  const price = nominal + admin;
  return {
    name: p.name,
    period: p.months.map((m) => m.periode).join(','),
    nominal,
    admin,
    price,
    sellingPrice: price - product.komisi * sheets,
    desc: {
      tarif: p.tarif,
      daya: p.daya,
      lembar_tagihan: String(sheets),
      lembar_tagihan_sisa: p.sisa ?? 0,
      tagihan: {
        detail: p.months.map((m) => ({
          meter_awal: pad8(m.awal),
          meter_akhir: pad8(m.akhir),
          periode: m.periode,
          nilai_tagihan: String(m.nilai),
          admin: String(product.fee),
          denda: String(m.denda ?? 0),
          total: m.nilai + (m.denda ?? 0) + product.fee,
        })),
      },
    },
  };
}

function pbbBill(product: IakSimProduct, hp: string, p: PbbProfile): IakSimBill {
  const nominal = p.nominal + p.denda;
  const price = nominal + product.fee;
  return {
    name: p.name,
    period: '202610',
    nominal,
    admin: product.fee,
    price,
    sellingPrice: price - product.komisi,
    desc: {
      nop: hp,
      tahun_pajak: p.year,
      lokasi: p.lokasi,
      kelurahan: p.kelurahan,
      kecamatan: p.kecamatan,
      kode_kab_kota: '0023',
      kab_kota: p.kota,
      luas_tanah: p.tanah,
      luas_gedung: p.gedung,
      jatuh_tempo: p.due,
      total_tagihan: p.nominal,
      denda: p.denda,
      admin: product.fee,
      total_bayar: price,
    },
  };
}
