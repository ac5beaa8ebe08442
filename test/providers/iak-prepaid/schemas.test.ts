/** IAK's own examples (github.com/iak-id/iak-api-reference-docs, docs/prepaid/…) through the schemas. */
import { describe, expect, it } from 'vitest';
import { statusVerdict, topUpVerdict } from '../../../src/providers/iak-prepaid/codes.ts';
import { outcomeOf } from '../../../src/providers/iak-prepaid/outcome.ts';
import {
  plnInquiryAnswer,
  prepaidCallback,
  prepaidPriceAnswer,
  prepaidTxAnswer,
  readPriceRows,
} from '../../../src/providers/iak-prepaid/schemas.ts';

const topUpProcess = {
  data: { ref_id: 'order001', status: 0, product_code: 'xld25000', customer_id: '0817777215', price: 25000, message: 'PROCESS', balance: 997061249, tr_id: 3482, rc: '39' },
};
const statusSuccess = {
  data: { ref_id: 'order001', status: 1, product_code: 'xld25000', customer_id: '0817777215', price: 25000, message: 'SUCCESS', sn: '123456789', balance: 997061249, tr_id: 3482, rc: '00' },
};
const statusFailed = {
  data: { ref_id: 'order001', status: 2, product_code: 'xld25000', customer_id: '0817777215', price: 25000, message: 'FAILED', balance: 997061249, tr_id: 3482, rc: '07' },
};
const callbackGameV1 = {
  data: {
    ref_id: 'order001', status: '1', code: 'hsteam12000', hp: '0817777215', price: '16500', message: 'SUCCESS', sn: 'ABCD-EFGH-IJKL-MNOP',
    pin: '123456789', balance: '996994749', tr_id: '3487', rc: '00', sign: '96e1028f6beaa817ee3670a39c01c69d',
  },
};
const callbackFailedV2 = {
  data: {
    ref_id: 'order003', status: '2', product_code: 'xld50000', customer_id: '0817777215', price: '50000', message: 'FAILED', balance: '997011249',
    tr_id: '3486', rc: '07', sign: '96e1028f6beaa817ee3670a39c01c69d',
  },
};

describe('IAK prepaid answers', () => {
  it('top-up PROCESS: amounts as integer rupiah, v2 names', () => {
    const a = prepaidTxAnswer.parse(topUpProcess).data;
    expect(a).toEqual({ refId: 'order001', status: 0, productCode: 'xld25000', customerId: '0817777215', price: 25000, message: 'PROCESS', balance: 997061249, trId: '3482', rc: '39' });
    expect(topUpVerdict(a)).toBe('pending');
  });

  it('check-status success and failure', () => {
    const ok = prepaidTxAnswer.parse(statusSuccess).data;
    expect(statusVerdict(ok)).toBe('success');
    expect(outcomeOf('success', ok, statusSuccess)).toEqual({
      status: 'settled', raw: statusSuccess, receipt: { invoice: '3482', reference: '123456789', details: [], debit: 25000 },
    });
    const no = prepaidTxAnswer.parse(statusFailed).data;
    expect(statusVerdict(no)).toBe('failed');
    expect(outcomeOf('failed', no, statusFailed)).toEqual({ status: 'failed', reason: 'FAILED (RC 07)', raw: statusFailed });
  });

  it('callbacks in version 1 (code, hp, strings) and version 2 names read the same', () => {
    const v1 = prepaidCallback.parse(callbackGameV1);
    expect(v1.refId).toBe('order001');
    expect(v1.sign).toBe('96e1028f6beaa817ee3670a39c01c69d');
    expect(v1.tx).toMatchObject({ status: 1, productCode: 'hsteam12000', customerId: '0817777215', price: 16500, balance: 996994749, sn: 'ABCD-EFGH-IJKL-MNOP', pin: '123456789', rc: '00' });
    expect(outcomeOf(statusVerdict(v1.tx), v1.tx, null)).toMatchObject({
      status: 'settled',
      receipt: { reference: 'ABCD-EFGH-IJKL-MNOP', details: [{ key: 'voucher', value: '123456789' }], debit: 16500 },
    });
    const v2 = prepaidCallback.parse(callbackFailedV2);
    expect(v2.tx).toMatchObject({ status: 2, productCode: 'xld50000', customerId: '0817777215', price: 50000, rc: '07' });
    expect(statusVerdict(v2.tx)).toBe('failed');
    // Without IAK's wrapper too.
    expect(prepaidCallback.parse(callbackFailedV2.data).tx).toEqual(v2.tx);
  });

  it('a PLN token: the SN is token/name/segment power/kWh', () => {
    const tx = prepaidTxAnswer.parse({
      data: { ...statusSuccess.data, product_code: 'hpln20000', customer_id: '12345678901', price: 20200, sn: '0123-4567-8901-2345-6789/PT INDOBEST ARTHA KREASI/R1 /000001300/66.2' },
    }).data;
    expect(outcomeOf('success', tx, null)).toMatchObject({
      status: 'settled',
      receipt: { token: '01234567890123456789', customerName: 'PT INDOBEST ARTHA KREASI', kwh: '66.2', details: [{ key: 'tariff', value: 'R1/1300 VA' }] },
    });
    // A token-shaped SN is read as one whatever IAK calls the product.
    const other = prepaidTxAnswer.parse({ data: { ...statusSuccess.data, product_code: 'plnprepaid20', sn: '01234567890123456789/BUDI/R1 /000000900' } }).data;
    expect(outcomeOf('success', other, null)).toMatchObject({ receipt: { token: '01234567890123456789', customerName: 'BUDI', details: [{ key: 'tariff', value: 'R1/900 VA' }] } });
    // Confirmed without a token: no use to the buyer, so still pending.
    const bare = prepaidTxAnswer.parse({ data: { ...statusSuccess.data, product_code: 'hpln20000', sn: '-' } }).data;
    expect(outcomeOf('success', bare, null).status).toBe('pending');
  });

  it('a voucher SN: its code and expiry', () => {
    const tx = prepaidTxAnswer.parse({ data: { ...statusSuccess.data, product_code: 'alfamart100', sn: 'BA4B52862X7P / 2018-12-07' } }).data;
    expect(outcomeOf('success', tx, null)).toMatchObject({ receipt: { reference: 'BA4B52862X7P / 2018-12-07', details: [{ key: 'voucher', value: 'BA4B52862X7P' }] } });
  });

  it('price list: both shapes IAK documents, a row it writes oddly skipped alone', () => {
    const row = {
      product_code: 'alfamart100', product_description: 'Alfamart Voucher', product_nominal: 'Voucher Alfamart Rp 100.000', product_details: '-',
      product_price: 100000, product_type: 'voucher', active_period: '0', status: 'active', icon_url: '-', product_category: 'voucher',
    };
    const bare = prepaidPriceAnswer.parse({ data: [row] }).data;
    const wrapped = prepaidPriceAnswer.parse({ data: { pricelist: [row, { ...row, product_price: 'free' }], rc: '00', message: 'SUCCESS' } }).data;
    expect(Array.isArray(bare)).toBe(true);
    expect(readPriceRows(bare as unknown[]).rows[0]).toMatchObject({ product_code: 'alfamart100', product_price: 100000, status: 'active' });
    const read = readPriceRows((wrapped as { pricelist: unknown[] }).pricelist);
    expect(read).toMatchObject({ skipped: 1, rows: [{ product_code: 'alfamart100' }] });
    expect(readPriceRows([{ ...row, product_price: 99750.0 }]).rows[0]!.product_price).toBe(99750);
  });

  it('inquiry-pln', () => {
    const a = plnInquiryAnswer.parse({
      data: { status: '1', customer_id: '12345678901', meter_no: '548933889287', subscriber_id: '12345678901', name: 'Sintya Oktaviani', segment_power: 'R1 /000001300', message: 'SUCCESS', rc: '00' },
    }).data;
    expect(a).toMatchObject({ status: 1, meter_no: '548933889287', name: 'Sintya Oktaviani', rc: '00' });
  });
});
