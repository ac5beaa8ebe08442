/** The sandbox's named customers, for the README and for anyone trying the bot without credentials. */

export interface MmbcDemoCustomer {
  product: string;
  customerNo: string;
  name: string;
  note: string;
}

export const MMBC_DEMO_CUSTOMERS: readonly MmbcDemoCustomer[] = [
  { product: 'PLN', customerNo: '123456789', name: 'SUYITNO', note: 'R1M/900 VA, tagihan Rp 179.600 + admin Rp 2.500' },
  { product: 'PLN', customerNo: '532100112233', name: 'SITI AMINAH', note: 'R1/1300 VA, OKT26, stand meter 00041210 - 00041388, tagihan Rp 254.300' },
  { product: 'PLNS100', customerNo: '14123456789', name: 'AGUS SETIAWAN', note: 'token PLN, any PLNS code (PLNS20 … PLNS500); R1/1300 VA' },
  { product: 'PLNS100', customerNo: '123456789', name: 'H. MAHRANI', note: 'token PLN, any PLNS code; S2/4400 VA' },
  { product: 'BPJSKS', customerNo: '8888801234567', name: 'SRI WAHYUNI', note: '3 peserta, Rp 105.000' },
  { product: 'PDAM KOT MEDAN', customerNo: '123456', name: 'ZULKIFLI LUBIS', note: 'Rp 34.376, 18 M3' },
  { product: 'PDAM KOT MEDAN', customerNo: '0100234', name: 'RAHMAT HIDAYAT NASUTION', note: 'Rp 87.250, 41 M3' },
  { product: 'PLN', customerNo: '500000000001', name: 'BAMBANG SUTRISNO', note: 'payment answers pending; the status check confirms it from the second check' },
  { product: 'PLN', customerNo: '500000000002', name: 'DEWI LESTARI', note: 'payment hangs (the provider still pays): pending until an admin settles it' },
  { product: 'PLN', customerNo: '500000000003', name: 'HENDRA GUNAWAN', note: 'payment refused (result: no): refunded' },
  { product: 'PLN', customerNo: '500000000004', name: 'RATNA SARI', note: 'payment answers HTTP 502 (the provider still pays): pending' },
  { product: 'PLN', customerNo: '500000000009', name: '-', note: 'inquiry refused: IDPEL TIDAK DITEMUKAN' },
];
