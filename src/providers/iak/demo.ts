/** The IAK sandbox's named customers, for the README and for anyone trying the bot without credentials. */
import type { MmbcDemoCustomer } from '../mmbc/demo.ts';

export type IakDemoCustomer = MmbcDemoCustomer;

export const IAK_DEMO_CUSTOMERS: readonly IakDemoCustomer[] = [
  { product: 'PLNPOSTPAID', customerNo: '531234567890', name: 'SUPARMAN', note: 'R1/1300 VA, 1 sheet, Rp 212.400' },
  { product: 'PLNPOSTPAID', customerNo: '537700112233', name: 'NYOMAN ARIASA', note: 'R1/900 VA, 4 sheets with penalty, 1 sheet still owed after paying (on the receipt)' },
  { product: 'PLN', customerNo: '532199887766', name: 'YULIANA', note: 'MMBC answers this inquiry with HTTP 502: the router falls over to IAK, which serves it and is paid' },
  { product: 'PBBKOT.CIMAHI', customerNo: '327703000401005610', name: 'H. ASEP SUNANDAR', note: 'PBB 2026, 113 M2 / 47 M2, due 31/08/2026, Rp 203.857 + admin Rp 5.000' },
  { product: 'PBBKAB.BANDUNG', customerNo: '320401000100200300', name: 'DEDE KURNIASIH', note: 'PBB 2026 with a penalty' },
  { product: 'PLNPOSTPAID', customerNo: '539900000001', name: 'AGUNG PRAKOSO', note: 'payment answers 39 (pending); checkstatus by our ref_id settles it' },
  { product: 'PLNPOSTPAID', customerNo: '539900000002', name: 'SRI MULYANI', note: 'payment hangs (IAK still pays): pending, then checkstatus settles it' },
  { product: 'PLNPOSTPAID', customerNo: '539900000003', name: 'BAYU SAPUTRA', note: 'payment answers 34 (bill paid elsewhere): refunded' },
  { product: 'PLNPOSTPAID', customerNo: '539900000004', name: 'TUTI ALAWIYAH', note: 'payment answers HTTP 502 (IAK still pays): pending, then settled by checkstatus' },
  { product: 'PLNPOSTPAID', customerNo: '539900000005', name: 'HADI SUCIPTO', note: 'payment answers garbage (IAK still pays): pending, then settled' },
  { product: 'PLNPOSTPAID', customerNo: '539900000006', name: 'ROSITA DEWI', note: 'payment lost on the way (never reached IAK): checkstatus says 42, refunded' },
  { product: 'PLNPOSTPAID', customerNo: '539900000008', name: '-', note: 'inquiry refused: BILL HAS BEEN PAID (RC 34)' },
  { product: 'PLNPOSTPAID', customerNo: '539900000009', name: '-', note: 'inquiry refused: INCORRECT DESTINATION NUMBER (RC 14)' },
];
