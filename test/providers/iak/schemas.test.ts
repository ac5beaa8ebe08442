import { describe, expect, it } from 'vitest';
import { iakDetails, iakFamily } from '../../../src/providers/iak/details.ts';
import { iakBillAnswer } from '../../../src/providers/iak/schemas.ts';
import { fixture } from './fixtures.ts';

describe('IAK documented answers (iak-postpaid-pay-pln.txt, iak-postpaid-pay-pbb.txt)', () => {
  it('PLN postpaid payment: integer rupiah, tr_id as text, the bill sheets', () => {
    const { data } = iakBillAnswer.parse(fixture('iak', 'pay-pasca-pln'));
    expect(data).toMatchObject({
      tr_id: '9732792', code: 'PLNPOSTPAID', response_code: '00', nominal: 300000, admin: 2500, price: 302500,
      selling_price: 301900, balance: 997586108, ref_id: '09128374655', noref: '004212C9245F1BA43A77CEBD5CD5DA39',
    });
    expect(iakDetails(iakFamily(data.code!), data.desc)).toEqual([
      { key: 'tariff', value: 'R1/1300 VA' },
      { key: 'standMeter', value: '00080000 - 00080000' },
      { key: 'sheets', value: '1' },
    ]);
  });

  it('PBB payment: a code with a dot, tax year, location, areas, due date', () => {
    const { data } = iakBillAnswer.parse(fixture('iak', 'pay-pasca-pbb'));
    expect(data).toMatchObject({ tr_id: '24462730', code: 'PBBKOT.CIMAHI', nominal: 203857, admin: 5000, price: 208857, selling_price: 208857, balance: 274686 });
    expect(iakFamily(data.code!)).toBe('pbb');
    expect(iakDetails('pbb', data.desc)).toEqual([
      { key: 'taxYear', value: '2019' },
      { key: 'location', value: 'KO. GRIYA ASRI CIPAGERAN, CIPAGERAN, CIMAHI UTARA, PEMKOT CIMAHI' },
      { key: 'landArea', value: '113 M2' },
      { key: 'buildingArea', value: '47 M2' },
      { key: 'dueDate', value: '31/10/2019' },
    ]);
  });

  it('the documented requests are what the client sends: commands, username, tr_id as text, an md5 sign', () => {
    for (const name of ['pay-pasca-pln-request', 'pay-pasca-pbb-request']) {
      const body = fixture('iak', name) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['commands', 'sign', 'tr_id', 'username']);
      expect(body).toMatchObject({ commands: 'pay-pasca', username: '123123123', tr_id: expect.stringMatching(/^\d+$/), sign: expect.stringMatching(/^[0-9a-f]{32}$/) });
    }
  });

  it('amounts as strings or doubles are integer rupiah; an empty desc ([]) gives no details', () => {
    const { data } = iakBillAnswer.parse({ data: { tr_id: 1, nominal: '300000', admin: 2500.0, price: '302500.0', selling_price: 301899.6, response_code: '00', desc: [] }, meta: [] });
    expect([data.nominal, data.admin, data.price, data.selling_price]).toEqual([300000, 2500, 302500, 301900]);
    expect(iakDetails('pln-postpaid', data.desc)).toEqual([]);
  });

  it('lembar_tagihan_sisa above 0 and penalties are shown; other IAK products are not ours', () => {
    const desc = {
      tarif: 'R1', daya: '900', lembar_tagihan: '2', lembar_tagihan_sisa: '1',
      tagihan: { detail: [
        { meter_awal: '1', meter_akhir: '2', periode: '202608', nilai_tagihan: '1000', denda: '3000' },
        { meter_awal: '2', meter_akhir: '3', periode: '202609', nilai_tagihan: '1000', denda: 2000 },
      ] },
    };
    expect(iakDetails('pln-postpaid', desc)).toEqual([
      { key: 'tariff', value: 'R1/900 VA' },
      { key: 'standMeter', value: '1 - 3' },
      { key: 'sheets', value: '2' },
      { key: 'sheetsLeft', value: '1' },
      { key: 'penalty', amount: 5000 },
    ]);
    expect(iakFamily('BPJS', 'bpjs')).toBeUndefined();
    expect(iakFamily('PBBKAB.BANDUNG')).toBe('pbb');
  });
});
