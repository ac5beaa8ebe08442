import { describe, expect, it } from 'vitest';
import {
  mmbcInquiryAnswer,
  mmbcPaymentAnswer,
  mmbcPriceList,
} from '../../../src/providers/mmbc/schemas.ts';
import { fixture } from './fixtures.ts';

/** [fixture, totaltagihan, admin, totalbayar, debet] as the documents give them. */
const BILLS: [string, number, number, number, number][] = [
  ['cektagihan-pln-token', 100000, 2500, 102500, 100550],
  ['cektagihan-pln-bulanan', 179600, 2500, 182100, 181000],
  ['cektagihan-plnnontaglis', 76211, 2500, 78711, 76911],
  ['cektagihan-bpjs', 105000, 2500, 107500, 106400],
  ['cektagihan-telkom', 434501, 3000, 437501, 436001],
  ['cektagihan-pdam', 43560, 2500, 46060, 45660],
  ['cektagihan-mncvision', 361400, 0, 361400, 360900],
  ['cektagihan-halo', 165000, 2500, 167500, 165500],
  ['cektagihan-pgn', 192500, 2500, 195000, 194500],
  ['cektagihan-mcf', 1075980, 2000, 1077980, 1076480],
];

/** [fixture, invoice, totaltagihan, totalbayar, debet, saldo] */
const PAYMENTS: [string, string, number | undefined, number, number, number | undefined][] = [
  ['bayartagihan-pln-token', '930769836', undefined, 102500, 100550, 1359521],
  ['bayartagihan-pln-bulanan', '198191781', 241684, 244184, 242384, 664792],
  ['bayartagihan-plnnontaglis', '768806155', 76211, 78711, 76911, 753655],
  ['bayartagihan-bpjs', '791463199', 140000, 142500, 141400, 692855],
  ['bayartagihan-telkom', '039167885', 275000, 278000, 276500, 2048288],
  ['bayartagihan-pdam', '386087004', 34376, 36876, 36076, 4155205],
  ['bayartagihan-mncvision', '202881732', 224850, 224850, 224350, 398318],
  ['bayartagihan-halo', '299033799', 172309, 174809, 172809, 123682],
  ['bayartagihan-pgn', '961440351', 111000, 113500, 113000, 20527],
  ['bayartagihan-mcf', '840998599', 856000, 856000, 856500, 165338],
  ['cekstatus-pln-token', '12345678', undefined, 102500, 100550, undefined],
  ['cekstatus-pln-bulanan', '571350469', 178053, 180553, 178753, undefined],
  ['cekstatus-plnnontaglis', '768806155', 76211, 78711, 76911, undefined],
  ['cekstatus-bpjs', '419775046', 100000, 102500, 101400, undefined],
  ['cekstatus-telkom', '932279524', 769450, 772450, 770950, undefined],
  ['cekstatus-pdam', '047838853', 33000, 35500, 34600, undefined],
  ['cekstatus-mncvision', '316799647', 523900, 525900, 523900, undefined],
  ['cekstatus-halo', '513347627', 330000, 332500, 330500, undefined],
  ['cekstatus-pgn', '750556737', 17672, 20172, 19672, undefined],
  ['cekstatus-mcf', '840998599', 856000, 858000, 856500, undefined],
];

describe('MMBC schemas on every documented answer', () => {
  it('daftarharga: amounts, debits and statuses', () => {
    const rows = mmbcPriceList.parse(fixture('daftarharga'));
    expect(Array.isArray(rows)).toBe(true);
    expect(rows).toMatchObject([
      { ppob_kodeproduk: 'PLN', ppob_nominal: undefined, ppob_admin: 2500, ppob_debet: { kind: 'bill-plus', plus: 700 }, ppob_status: 'Ready' },
      { ppob_kodeproduk: 'PLNS20', ppob_nominal: 20000, ppob_admin: 2500, ppob_debet: { kind: 'fixed', amount: 20700 } },
      { ppob_kodeproduk: 'PLNS50', ppob_nominal: 50000, ppob_admin: 2500, ppob_debet: { kind: 'fixed', amount: 50700 } },
    ]);
  });

  it.each(BILLS)('%s', (name, bill, admin, total, debet) => {
    const a = mmbcInquiryAnswer.parse(fixture(name));
    if (a.result !== 'ok') throw new Error('expected ok');
    expect([a.ppob_totaltagihan, a.ppob_admin, a.ppob_totalbayar, a.ppob_debet]).toEqual([bill, admin, total, debet]);
    expect(a.ppob_kodeagen).toBe('JKT-123456');
  });

  it.each(PAYMENTS)('%s', (name, invoice, bill, total, debet, saldo) => {
    const a = mmbcPaymentAnswer.parse(fixture(name));
    if (a.result !== 'ok') throw new Error('expected ok');
    expect(a.ppob_invoice).toBe(invoice);
    expect(a.ppob_status).toBe('confirm');
    expect([a.ppob_totaltagihan, a.ppob_totalbayar, a.ppob_debet, a.ppob_saldo]).toEqual([bill, total, debet, saldo]);
  });

  it('the token answers keep their decimal-comma amounts as integer rupiah', () => {
    const pay = mmbcPaymentAnswer.parse(fixture('bayartagihan-pln-token'));
    expect(pay).toMatchObject({ ppob_materai: 0, ppob_ppn: 0, ppob_ppj: 18182, ppob_angsuran: 0, ppob_rptoken: 181818, ppob_nominal: 100000 });
    const status = mmbcPaymentAnswer.parse(fixture('cekstatus-pln-token'));
    expect(status).toMatchObject({ ppob_ppn: 8404, ppob_ppj: 7564, ppob_rptoken: 84032, ppob_totalkwh: '58,2' });
    const inquiry = mmbcInquiryAnswer.parse(fixture('cektagihan-pln-token'));
    expect(inquiry).toMatchObject({ ppob_debet_token: 100550 });
  });

  it('multifinance: "856.000" instalment, "-" due date', () => {
    const a = mmbcPaymentAnswer.parse(fixture('cekstatus-mcf'));
    expect(a).toMatchObject({ ppob_angsuran: 856000, ppob_denda: 0, ppob_jatuhtempo: '-' });
    expect(mmbcPaymentAnswer.parse(fixture('bayartagihan-mcf'))).toMatchObject({ ppob_sisaangsuran: 856000 });
  });

  it.each([
    ['cektagihan-no', 'ERROR PLN 123456789: TRANSAKSI GAGAL', undefined],
    ['bayartagihan-no', 'Mohon maaf, sisa saldo anda JKT-12345 tidak cukup! Sisa saldo Rp. 100', 100],
    ['cekstatus-no', 'No Data!', undefined],
  ])('refusal %s', (name, reason, saldo) => {
    const a = mmbcPaymentAnswer.parse(fixture(name));
    expect(a).toEqual({ result: 'no', reason, saldo });
  });

  it('lets unknown keys through and accepts digits sent as numbers', () => {
    const a = mmbcInquiryAnswer.parse({
      result: 'ok',
      ppob_nomorpelanggan: 123456789,
      ppob_totaltagihan: 1000,
      ppob_totalbayar: '3.500',
      ppob_baru: 'x',
    });
    expect(a).toMatchObject({ ppob_nomorpelanggan: '123456789', ppob_totalbayar: 3500, ppob_baru: 'x' });
  });

  it('rejects an ok bill without its amounts, and an unknown result', () => {
    expect(mmbcInquiryAnswer.safeParse({ result: 'ok', ppob_totalbayar: '1' }).success).toBe(false);
    expect(mmbcInquiryAnswer.safeParse({ result: 'ok', ppob_totaltagihan: 'banyak', ppob_totalbayar: '1' }).success).toBe(false);
    expect(mmbcPaymentAnswer.safeParse({ result: 'maybe' }).success).toBe(false);
    expect(mmbcPriceList.safeParse({ error: 1 }).success).toBe(false);
  });
});
