import { describe, expect, it } from 'vitest';
import type { CatalogueEntry } from '../../../src/bot/provider.ts';
import { ProviderRefused, ProviderUnreachable, ProviderUnreadable } from '../../../src/providers/errors.ts';
import type { MmbcClient, MmbcResult } from '../../../src/providers/mmbc/client.ts';
import { createMmbcProvider } from '../../../src/providers/mmbc/provider.ts';
import {
  type MmbcBill,
  type MmbcPayment,
  mmbcInquiryAnswer,
  mmbcPaymentAnswer,
  mmbcPriceList,
} from '../../../src/providers/mmbc/schemas.ts';
import { fixture } from './fixtures.ts';

/** A client answering from parsed JSON, the way the HTTP client would after its schemas. */
function result<T>(schema: { parse(x: unknown): unknown }, json: unknown): MmbcResult<T> {
  const data = schema.parse(json) as { result?: string } & T;
  return data.result === 'no' ? { ok: false, refusal: data as never, raw: json } : { ok: true, answer: data, raw: json };
}

function fakeClient(answers: { price?: unknown; inquiry?: unknown; pay?: unknown | Error; status?: unknown | Error }): MmbcClient {
  const answer = async <T>(schema: { parse(x: unknown): unknown }, json: unknown): Promise<MmbcResult<T>> => {
    if (json instanceof Error) throw json;
    return result<T>(schema, json);
  };
  return {
    priceList: () => answer(mmbcPriceList, answers.price),
    inquire: () => answer<MmbcBill>(mmbcInquiryAnswer, answers.inquiry),
    pay: () => answer<MmbcPayment>(mmbcPaymentAnswer, answers.pay),
    status: () => answer<MmbcPayment>(mmbcPaymentAnswer, answers.status),
    // The PPOB tests have no multipayment: its list is simply unavailable.
    merchants: async () => Promise.reject(new Error('no multipayment here')),
    inquireMerchant: async () => Promise.reject(new Error('no multipayment here')),
    reload: async () => Promise.reject(new Error('no multipayment here')),
    reloadStatus: async () => Promise.reject(new Error('no multipayment here')),
    close: async () => {},
  };
}

const entry = (code: string, family: CatalogueEntry['family'], debit: CatalogueEntry['debit'] = { kind: 'bill-plus', plus: 700 }): CatalogueEntry => ({
  provider: 'mmbc', code, name: code, group: 'G', family, admin: 2500, debit, available: true,
});

describe('MMBC provider mapping (documented answers)', () => {
  it('price list → catalogue', async () => {
    const p = createMmbcProvider(fakeClient({ price: fixture('daftarharga') }));
    expect(await p.priceList()).toEqual([
      { provider: 'mmbc', code: 'PLN', name: 'PLN Bulanan', group: 'PLN Group', family: 'pln-postpaid', admin: 2500, debit: { kind: 'bill-plus', plus: 700 }, available: true },
      { provider: 'mmbc', code: 'PLNS20', name: 'PLN Pra Bayar', group: 'PLN Group', family: 'pln-prepaid', nominal: 20000, admin: 2500, debit: { kind: 'fixed', amount: 20700 }, available: true },
      { provider: 'mmbc', code: 'PLNS50', name: 'PLN Pra Bayar', group: 'PLN Group', family: 'pln-prepaid', nominal: 50000, admin: 2500, debit: { kind: 'fixed', amount: 50700 }, available: true },
    ]);
  });

  it('price list refused → ProviderRefused', async () => {
    const p = createMmbcProvider(fakeClient({ price: { result: 'no', reason: 'Please, request with your user! No dummy!' } }));
    await expect(p.priceList()).rejects.toBeInstanceOf(ProviderRefused);
  });

  it('inquiry → Bill', async () => {
    const p = createMmbcProvider(fakeClient({ inquiry: fixture('cektagihan-pln-bulanan') }));
    const out = await p.inquire({ product: entry('PLN', 'pln-postpaid'), customerNo: '123456789', refId: 'r1' });
    expect(out).toEqual({
      ok: true,
      bill: {
        product: 'PLN', productName: 'PLN', customerNo: '123456789', customerName: 'SUYITNO', period: 'APR21',
        details: [
          { key: 'tariff', value: 'R1M/900 VA' },
          { key: 'standMeter', value: '00018874 - 00018997' },
          { key: 'arrears', value: '1' },
        ],
        bill: 179600, admin: 2500, total: 182100, debit: 181000,
      },
    });
  });

  it('inquiry refused and unavailable', async () => {
    const refused = createMmbcProvider(fakeClient({ inquiry: fixture('cektagihan-no') }));
    expect(await refused.inquire({ product: entry('PLN', 'pln-postpaid'), customerNo: '1', refId: 'r' })).toEqual({
      ok: false, kind: 'refused', reason: 'ERROR PLN 123456789: TRANSAKSI GAGAL',
    });
    const down = createMmbcProvider(fakeClient({ inquiry: new ProviderUnreachable('mmbc', 'cektagihan', { timedOut: true }) }));
    expect(await down.inquire({ product: entry('PLN', 'pln-postpaid'), customerNo: '1', refId: 'r' })).toMatchObject({ ok: false, kind: 'unavailable' });
  });

  it('inquiry without ppob_debet falls back to the catalogue debit', async () => {
    const p = createMmbcProvider(fakeClient({ inquiry: { result: 'ok', ppob_namapelanggan: 'X', ppob_totaltagihan: '10.000', ppob_totalbayar: '12.500' } }));
    const out = await p.inquire({ product: entry('PLN', 'pln-postpaid'), customerNo: '1', refId: 'r' });
    expect(out).toMatchObject({ ok: true, bill: { bill: 10000, total: 12500, admin: 0, debit: 10700 } });
    const unknown = createMmbcProvider(fakeClient({ inquiry: { result: 'ok', ppob_totaltagihan: '1', ppob_totalbayar: '1' } }));
    expect(await unknown.inquire({ product: entry('X', 'other', { kind: 'unknown' }), customerNo: '1', refId: 'r' })).toMatchObject({ ok: false, kind: 'unavailable' });
  });

  it('token payment settles with the token as digits, kWh, footer; "-" reference left out', async () => {
    const p = createMmbcProvider(fakeClient({ pay: fixture('bayartagihan-pln-token') }));
    const out = await p.pay({ txId: 't', product: 'PLNS100', customerNo: '123456789', bill: {} as never });
    expect(out.status).toBe('settled');
    if (out.status !== 'settled') return;
    expect(out.receipt).toMatchObject({
      invoice: '930769836', at: '2021-04-01 23:59:01', token: '73077393923533660168', kwh: '125,9',
      footer: 'Informasi Hubungi Call Center 123 Atau hubungi PLN Terdekat.', customerName: 'MUHAMMAD NASIR', debit: 100550,
    });
    expect(out.receipt).not.toHaveProperty('reference');
    expect(out.raw).toEqual(fixture('bayartagihan-pln-token'));
  });

  it('status with a dashed token', async () => {
    const p = createMmbcProvider(fakeClient({ status: fixture('cekstatus-pln-token') }));
    const out = await p.status({ txId: 't', product: 'PLNS100', customerNo: '123456789', invoice: '12345678' });
    expect(out).toMatchObject({ status: 'settled', receipt: { token: '36872935435159511014', reference: '10VJ1618536072353', kwh: '58,2' } });
  });

  it.each(['bayartagihan-pln-bulanan', 'bayartagihan-bpjs', 'bayartagihan-telkom', 'bayartagihan-pdam', 'bayartagihan-mncvision', 'bayartagihan-halo', 'bayartagihan-pgn', 'bayartagihan-mcf', 'bayartagihan-plnnontaglis'])(
    '%s settles with invoice and reference',
    async (name) => {
      const json = fixture(name) as { ppob_invoice: string; ppob_reff: string; ppob_kodeproduk?: string };
      const p = createMmbcProvider(fakeClient({ pay: json }));
      const out = await p.pay({ txId: 't', product: json.ppob_kodeproduk ?? 'HALO', customerNo: '1', bill: {} as never });
      expect(out).toMatchObject({ status: 'settled', receipt: { invoice: json.ppob_invoice, reference: json.ppob_reff } });
    },
  );

  it('pay: refusal → failed, gagal → failed, pending → pending with invoice, no status → pending', async () => {
    const pay = (answer: unknown) => createMmbcProvider(fakeClient({ pay: answer })).pay({ txId: 't', product: 'PLN', customerNo: '1', bill: {} as never });
    expect(await pay(fixture('bayartagihan-no'))).toMatchObject({ status: 'failed', reason: expect.stringContaining('tidak cukup') });
    const base = fixture('bayartagihan-pln-bulanan') as Record<string, unknown>;
    expect(await pay({ ...base, ppob_status: 'gagal' })).toMatchObject({ status: 'failed' });
    expect(await pay({ ...base, ppob_status: 'pending' })).toMatchObject({ status: 'pending', invoice: '198191781' });
    expect(await pay({ ...base, ppob_status: undefined })).toMatchObject({ status: 'pending', invoice: '198191781' });
    expect(await pay({ ...base, ppob_status: 'diproses' })).toMatchObject({ status: 'pending', invoice: '198191781' });
  });

  it('pay: a confirmed token without the token waits for the status check', async () => {
    const base = fixture('bayartagihan-pln-token') as Record<string, unknown>;
    const p = createMmbcProvider(fakeClient({ pay: { ...base, ppob_stroomtoken: '-' } }));
    expect(await p.pay({ txId: 't', product: 'PLNS100', customerNo: '1', bill: {} as never })).toMatchObject({ status: 'pending', invoice: '930769836' });
  });

  it('pay: every way of not knowing → pending without invoice, with a record', async () => {
    for (const err of [
      new ProviderUnreachable('mmbc', 'bayartagihan', { timedOut: true }),
      new ProviderUnreachable('mmbc', 'bayartagihan', { httpStatus: 502 }),
      new ProviderUnreadable('mmbc', 'bayartagihan', 'not JSON', '<html>'),
      new TypeError('bug'),
    ]) {
      const out = await createMmbcProvider(fakeClient({ pay: err })).pay({ txId: 't', product: 'PLN', customerNo: '1', bill: {} as never });
      expect(out.status).toBe('pending');
      expect(out).not.toHaveProperty('invoice');
      expect(out.raw).toMatchObject({ error: err.name });
    }
  });

  it('status: no invoice → unknowable; No Data! and errors → pending', async () => {
    const p = createMmbcProvider(fakeClient({ status: fixture('cekstatus-no') }));
    expect(await p.status({ txId: 't', product: 'PLN', customerNo: '1' })).toMatchObject({ status: 'unknowable' });
    expect(await p.status({ txId: 't', product: 'PLN', customerNo: '1', invoice: '9' })).toMatchObject({ status: 'pending', reason: 'No Data!', invoice: '9' });
    const down = createMmbcProvider(fakeClient({ status: new ProviderUnreachable('mmbc', 'cekstatus', { httpStatus: 500 }) }));
    expect(await down.status({ txId: 't', product: 'PLN', customerNo: '1', invoice: '9' })).toMatchObject({ status: 'pending', invoice: '9' });
  });
});
