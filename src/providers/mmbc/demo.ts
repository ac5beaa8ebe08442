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
  { product: 'PLNNONTAGLIS', customerNo: '5392110012345', name: 'ELIAS BALA', note: 'registration number; MIGRASI PRABAYAR, IDPEL 532110987654, Rp 76.211' },
  { product: 'BPJSKS', customerNo: '888880123456789', name: 'LA ALU', note: '3 peserta, Rp 105.000' },
  { product: 'PDAM ATB BATAM', customerNo: '123456', name: 'RAMADHANUS', note: 'Rp 33.000' },
  { product: 'TELKOM', customerNo: '0216234567', name: 'WARIS SASTRA PERANGINANGIN', note: 'Rp 275.000, admin Rp 3.000' },
  { product: 'SPEEDY', customerNo: '122310012345', name: 'ISMET ZAINI', note: 'IndiHome, Rp 385.000' },
  { product: 'MNCVISION', customerNo: '401234567890', name: 'EKA OTAVIANI', note: 'Rp 361.400, period 24/10/2026-23/11/2026' },
  { product: 'TOPTV', customerNo: '1500123456', name: 'TRI ASTUTIK', note: 'Rp 99.000' },
  { product: 'HALO', customerNo: '08116550204', name: 'IGNXXXXXXXXXXXXXXXXNAN', note: 'Rp 165.000 (the name comes masked, as Telkomsel sends it)' },
  { product: 'MATRIX', customerNo: '081587654321', name: 'ARDXXXX', note: 'Rp 172.309' },
  { product: 'PGN', customerNo: '0110012345', name: 'LASMO', note: 'Rp 192.500, 23 M3' },
  { product: 'MCF', customerNo: '1234567890', name: 'AHYUDI', note: 'instalment 4, B 4512 KJT, due 15/11/2026, penalty Rp 15.000' },
  { product: 'WOM', customerNo: '801234567890', name: 'MIPTAHUL CHOIRI', note: 'instalment 9; empty plate and vehicle left out' },
];

/** E-wallet top-ups (MMBC multipayment): `<CODE> <phone> <nominal>`, at least Rp 50.000. */
export const MMBC_WALLET_DEMO: readonly MmbcDemoCustomer[] = [
  { product: 'GOPAY', customerNo: '081234567890', name: 'GOPAY BUDI SANTOSO', note: 'CONFIRM at once' },
  { product: 'OVO', customerNo: '081398765432', name: 'OVO SITI NURHALIZA', note: 'CONFIRM at once; fee Rp 1.500' },
  { product: 'DANA', customerNo: '085712345678', name: 'DANA AHMAD FAUZI', note: 'CONFIRM at once' },
  { product: 'GOPAY', customerNo: '081200000001', name: 'GOPAY RINA MARLINA', note: 'top-up answers PENDING; status_reload confirms it from the second check' },
  { product: 'GOPAY', customerNo: '081200000002', name: 'GOPAY YUDI PRATAMA', note: 'top-up hangs (MMBC still pays): pending without an invoice, the admins settle it' },
  { product: 'GOPAY', customerNo: '081200000003', name: 'GOPAY WULAN SARI', note: 'top-up answers REFUND: refunded at once' },
  { product: 'GOPAY', customerNo: '081200000004', name: 'GOPAY EKO SUSILO', note: 'top-up answers HTTP 502 (MMBC still pays): pending, admins told' },
  { product: 'GOPAY', customerNo: '081200000005', name: 'GOPAY FAJAR NUGROHO', note: 'top-up answers PENDING, then status_reload says REFUND: refunded' },
  { product: 'GOPAY', customerNo: '081200000006', name: 'GOPAY INDAH PERMATA', note: 'top-up refused (result: no): refunded' },
  { product: 'GOPAY', customerNo: '081200000009', name: '-', note: 'inquiry refused: the number is not registered' },
];
