import { describe, expect, it } from 'vitest';
import { DETAIL_KEYS } from '../../../src/bot/provider.ts';
import { mmbcDetails, mmbcFamily, mmbcPeriod, tokenNominal } from '../../../src/providers/mmbc/families.ts';
import { mmbcInquiryAnswer, mmbcPaymentAnswer } from '../../../src/providers/mmbc/schemas.ts';
import { fixture } from './fixtures.ts';

describe('mmbcFamily', () => {
  it.each([
    ['PLN', 'pln-postpaid'],
    ['PLNS20', 'pln-prepaid'],
    ['plns100', 'pln-prepaid'],
    ['PLNS1000', 'pln-prepaid'],
    ['PLNNONTAGLIS', 'pln-nontaglis'],
    ['BPJSKS', 'bpjs'],
    // BPJS Ketenagakerjaan is paid by KPJ number, not the 88… virtual account of BPJS Kesehatan.
    ['BPJSTK', 'other'],
    ['PDAM KOT MEDAN', 'pdam'],
    ['PDAM ATB BATAM', 'pdam'],
    ['TELKOM', 'telkom'],
    ['SPEEDY', 'telkom'],
    ['TELKOMVISION', 'telkom'],
    ['MNCVISION', 'tv'],
    ['TOPTV', 'tv'],
    ['OKEVISION', 'tv'],
    ['INDOVISION', 'tv'],
    ['HALO', 'halo'],
    ['MATRIX', 'halo'],
    ['XPLOR', 'halo'],
    ['PGN', 'pgn'],
    ['MCF', 'multifinance'],
    ['MAF', 'multifinance'],
    ['WOM', 'multifinance'],
    ['BAF', 'multifinance'],
    ['PLNS', 'other'],
    ['PLNSX', 'other'],
    ['GOPAY', 'ewallet'],
    ['OVO', 'ewallet'],
    ['PAYTREN', 'other'],
  ])('%s → %s', (code, family) => {
    expect(mmbcFamily(code)).toBe(family);
  });

  it('places an unknown code by its group', () => {
    expect(mmbcFamily('AIR BERSIH X', 'PDAM')).toBe('pdam');
    expect(mmbcFamily('ADIRA', 'Multifinance')).toBe('multifinance');
    expect(mmbcFamily('ZZZ', 'Lainnya')).toBe('other');
  });

  it('token nominal from the code', () => {
    expect(tokenNominal('PLNS20')).toBe(20000);
    expect(tokenNominal('PLNS1000')).toBe(1000000);
    expect(tokenNominal('PLN')).toBeUndefined();
  });
});

const ok = (name: string, payment = true) => {
  const a = payment ? mmbcPaymentAnswer.parse(fixture(name)) : mmbcInquiryAnswer.parse(fixture(name));
  if (a.result !== 'ok') throw new Error(`${name} is not ok`);
  return a;
};

describe('mmbcDetails', () => {
  it('PLN postpaid inquiry: tariff, stand meter, arrears; the period is not a detail', () => {
    const a = ok('cektagihan-pln-bulanan', false);
    expect(mmbcDetails('pln-postpaid', a)).toEqual([
      { key: 'tariff', value: 'R1M/900 VA' },
      { key: 'standMeter', value: '00018874 - 00018997' },
      { key: 'arrears', value: '1' },
    ]);
    expect(mmbcPeriod(a)).toBe('APR21');
  });

  it('PLN token receipt: meter, tariff, money details as integer rupiah, kWh', () => {
    expect(mmbcDetails('pln-prepaid', ok('bayartagihan-pln-token'))).toEqual([
      { key: 'meterNo', value: '987654321' },
      { key: 'tariff', value: 'R1 /1300 VA' },
      { key: 'nominal', amount: 100000 },
      { key: 'tokenValue', amount: 181818 },
      { key: 'ppn', amount: 0 },
      { key: 'ppj', amount: 18182 },
      { key: 'stamp', amount: 0 },
      { key: 'instalmentCharge', amount: 0 },
      { key: 'kwh', value: '125,9' },
    ]);
    expect(mmbcDetails('pln-prepaid', ok('cektagihan-pln-token', false))).toEqual([
      { key: 'tariff', value: 'S2 /4400 VA' },
      { key: 'voucher', value: 'TOKEN PLN 100.000' },
    ]);
  });

  it('BPJS: participants; empty arrears and period left out', () => {
    const a = ok('cektagihan-bpjs', false);
    expect(mmbcDetails('bpjs', a)).toEqual([
      { key: 'participants', value: '03 ORANG' },
      { key: 'participantNames', value: '1. La Alu 2. Rostina Sigalingging 3. Eri...' },
    ]);
    expect(mmbcPeriod(a)).toBeUndefined();
  });

  it('nontaglis, telkom, PDAM, PGN', () => {
    expect(mmbcDetails('pln-nontaglis', ok('bayartagihan-plnnontaglis'))).toEqual([
      { key: 'registrationNo', value: '123456789' },
      { key: 'customerId', value: '987654321' },
      { key: 'paymentType', value: 'MIGRASI PRABAYAR' },
    ]);
    expect(mmbcDetails('telkom', ok('bayartagihan-telkom'))).toEqual([{ key: 'billDetail', value: 'APR Rp 275000' }]);
    expect(mmbcDetails('pdam', ok('bayartagihan-pdam'))).toEqual([]);
    expect(mmbcDetails('pgn', ok('bayartagihan-pgn'))).toEqual([{ key: 'usage', value: '0M3' }]);
    expect(mmbcDetails('pgn', ok('cekstatus-pgn'))).toEqual([{ key: 'usage', value: '0M3' }]);
    expect(mmbcPeriod(ok('bayartagihan-pgn'))).toBeUndefined();
  });

  it('multifinance: empty plate, vehicle and tenor left out, "-" due date left out', () => {
    expect(mmbcDetails('multifinance', ok('bayartagihan-mcf'))).toEqual([
      { key: 'installment', value: '9' },
      { key: 'dueDate', value: '20210423' },
      { key: 'remainingInstallment', amount: 856000 },
      { key: 'penalty', amount: 0 },
    ]);
    expect(mmbcDetails('multifinance', ok('cekstatus-mcf'))).toEqual([
      { key: 'installment', value: '9' },
      { key: 'instalmentCharge', amount: 856000 },
      { key: 'penalty', amount: 0 },
    ]);
  });

  it('an unplaced product shows every known field once; every key is a DETAIL_KEY', () => {
    const details = mmbcDetails('other', ok('bayartagihan-pln-token'));
    expect(details.map((d) => d.key)).toContain('tariff');
    for (const d of details) expect(DETAIL_KEYS).toContain(d.key);
    expect(new Set(details.map((d) => d.key)).size).toBe(details.length);
  });
});
