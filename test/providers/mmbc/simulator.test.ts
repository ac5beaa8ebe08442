import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueEntry, PayOutcome } from '../../../src/bot/provider.ts';
import { ProviderRefused } from '../../../src/providers/errors.ts';
import { createMmbcClient, type MmbcClient } from '../../../src/providers/mmbc/client.ts';
import { MMBC_DEMO_CUSTOMERS } from '../../../src/providers/mmbc/demo.ts';
import { createMmbcProvider } from '../../../src/providers/mmbc/provider.ts';
import { type MmbcSimulator, startMmbcSimulator } from '../../../src/providers/mmbc/simulator.ts';

let sim: MmbcSimulator;
let client: MmbcClient;
/** For the tests that wait on a timeout; the rest get a generous one so a loaded machine does not flake them. */
let quick: MmbcClient;
let catalogue: Map<string, CatalogueEntry>;
const provider = () => createMmbcProvider(client);

beforeAll(async () => {
  sim = await startMmbcSimulator({ hangMs: 60_000 });
  client = createMmbcClient({ baseUrl: sim.url, username: 'sandbox', password: 'sandbox', timeoutMs: 5000 });
  quick = createMmbcClient({ baseUrl: sim.url, username: 'sandbox', password: 'sandbox', timeoutMs: 300 });
  catalogue = new Map((await provider().priceList()).map((e) => [e.code, e]));
});
afterAll(async () => {
  await client.close();
  await quick.close();
  await sim.close();
});
afterEach(() => sim.setDelay(0));

const product = (code: string) => {
  const e = catalogue.get(code);
  if (!e) throw new Error(`no ${code} in the simulator's price list`);
  return e;
};
const inquire = (code: string, customerNo: string) => provider().inquire({ product: product(code), customerNo, refId: 'r' });
const pay = (code: string, customerNo: string) => provider().pay({ txId: 't', product: code, customerNo, bill: {} as never });

describe('MMBC client + provider against the simulator over HTTP', () => {
  it('price list: every family, the documents\' debit styles, a closed token and PDAM', () => {
    expect(product('PLN')).toMatchObject({ family: 'pln-postpaid', admin: 2500, debit: { kind: 'bill-plus', plus: 700 }, available: true });
    expect(product('PLNS100')).toMatchObject({ family: 'pln-prepaid', nominal: 100000, debit: { kind: 'fixed', amount: 100700 } });
    expect(product('PLNS1000')).toMatchObject({ available: false });
    expect(product('PDAM KOT MEDAN')).toMatchObject({ family: 'pdam', available: true });
    expect(product('PDAM KAB LOMBOK TENGAH')).toMatchObject({ family: 'pdam', available: false });
    for (const code of ['PLNS20', 'PLNS50', 'PLNS200', 'PLNS500', 'BPJSKS', 'PDAM ATB BATAM', 'TELKOM', 'HALO', 'PGN', 'MNCVISION', 'MCF', 'PLNNONTAGLIS']) {
      expect(catalogue.has(code)).toBe(true);
    }
    expect(new Set([...catalogue.values()].map((e) => e.family))).toEqual(
      new Set(['pln-postpaid', 'pln-prepaid', 'pln-nontaglis', 'bpjs', 'pdam', 'telkom', 'halo', 'pgn', 'tv', 'multifinance', 'ewallet']),
    );
  });

  it('inquiry of the demo customers', async () => {
    expect(await inquire('PLN', '532100112233')).toMatchObject({
      ok: true,
      bill: {
        customerName: 'SITI AMINAH', period: 'OKT26', bill: 254300, admin: 2500, total: 256800, debit: 255000,
        details: expect.arrayContaining([{ key: 'standMeter', value: '00041210 - 00041388' }, { key: 'tariff', value: 'R1/1300 VA' }]),
      },
    });
    expect(await inquire('PLN', '123456789')).toMatchObject({ ok: true, bill: { customerName: 'SUYITNO', bill: 179600, total: 182100 } });
    expect(await inquire('PLNS50', '14123456789')).toMatchObject({ ok: true, bill: { bill: 50000, total: 52500, debit: 50700 } });
    expect(await inquire('BPJSKS', '8888801234567')).toMatchObject({
      ok: true, bill: { details: expect.arrayContaining([{ key: 'participants', value: '03 ORANG' }]) },
    });
    for (const c of MMBC_DEMO_CUSTOMERS.filter((d) => d.name !== '-')) {
      expect(await inquire(c.product, c.customerNo)).toMatchObject({ ok: true, bill: { customerName: c.name } });
    }
  });

  it('any other well-formed number gets the same bill every time; a malformed one is refused', async () => {
    const a = await inquire('PLN', '998877665544');
    expect(a).toMatchObject({ ok: true, bill: { bill: expect.any(Number) } });
    expect(await inquire('PLN', '998877665544')).toEqual(a);
    expect(await inquire('PLN', '12ab')).toMatchObject({ ok: false, kind: 'refused' });
    expect(await inquire('PLN', '500000000009')).toEqual({ ok: false, kind: 'refused', reason: 'ERROR PLN 500000000009: IDPEL TIDAK DITEMUKAN' });
  });

  it('token payment settles with a 20-digit token, and the simulator books it', async () => {
    const out = await pay('PLNS100', '14123456789');
    expect(out).toMatchObject({ status: 'settled', receipt: { token: expect.stringMatching(/^\d{20}$/), kwh: expect.stringMatching(/^\d+,\d$/), footer: expect.any(String), debit: 100700 } });
    if (out.status !== 'settled') return;
    const booked = sim.payments.find((x) => x.invoice === out.receipt.invoice);
    expect(booked).toMatchObject({ code: 'PLNS100', customerNo: '14123456789', debit: 100700, status: 'confirm', token: out.receipt.token });
  });

  it('postpaid payment settles with a reference', async () => {
    expect(await pay('PLN', '123456789')).toMatchObject({ status: 'settled', receipt: { reference: expect.any(String), debit: 180300, customerName: 'SUYITNO' } });
  });

  it('pending, then the status check confirms it on the second look', async () => {
    const out = await pay('PLN', '500000000001');
    expect(out).toMatchObject({ status: 'pending', invoice: expect.stringMatching(/^\d+$/) });
    const invoice = (out as Extract<PayOutcome, { status: 'pending' }>).invoice;
    const req = { txId: 't', product: 'PLN', customerNo: '500000000001', invoice };
    expect(await provider().status(req)).toMatchObject({ status: 'pending', invoice });
    expect(await provider().status(req)).toMatchObject({ status: 'settled', receipt: { invoice } });
  });

  it('a hung payment is pending within the timeout, and the simulator did pay it', async () => {
    const before = sim.payments.length;
    const started = Date.now();
    const out = await createMmbcProvider(quick).pay({ txId: 't', product: 'PLN', customerNo: '500000000002', bill: {} as never });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(out).toMatchObject({ status: 'pending', raw: { timedOut: true } });
    expect(out).not.toHaveProperty('invoice');
    expect(sim.payments.slice(before)).toMatchObject([{ customerNo: '500000000002', status: 'confirm' }]);
  });

  it('a slow answer to an inquiry is unavailable', async () => {
    sim.setDelay(5000);
    const started = Date.now();
    const out = await createMmbcProvider(quick).inquire({ product: product('PLN'), customerNo: '123456789', refId: 'r' });
    expect(out).toMatchObject({ ok: false, kind: 'unavailable', reason: expect.stringContaining('timed out') });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('502 → pending (and the simulator paid); refuse → failed; garbage → pending', async () => {
    expect(await pay('PLN', '500000000004')).toMatchObject({ status: 'pending', raw: { httpStatus: 502 } });
    expect(sim.payments.at(-1)).toMatchObject({ customerNo: '500000000004', status: 'confirm' });
    const count = sim.payments.length;
    expect(await pay('PLN', '500000000003')).toMatchObject({ status: 'failed', reason: expect.stringContaining('TRANSAKSI GAGAL') });
    expect(sim.payments.length).toBe(count);
    sim.setFault('777000111222', 'garbage');
    expect(await pay('PLN', '777000111222')).toMatchObject({ status: 'pending', raw: { error: 'ProviderUnreadable', excerpt: expect.stringContaining('Warning') } });
    sim.setFault('777000111222', null);
    expect(await pay('PLN', '777000111222')).toMatchObject({ status: 'settled' });
  });

  it('setFault works on any product and customer', async () => {
    sim.setFault('8888801234567', 'inquiry-refuse');
    expect(await inquire('BPJSKS', '8888801234567')).toMatchObject({ ok: false, kind: 'refused' });
    sim.setFault('8888801234567', 'refuse');
    expect(await inquire('BPJSKS', '8888801234567')).toMatchObject({ ok: true });
    expect(await pay('BPJSKS', '8888801234567')).toMatchObject({ status: 'failed' });
    sim.setFault('8888801234567', null);
  });

  it('status without an invoice is unknowable; an unknown invoice is still pending', async () => {
    expect(await provider().status({ txId: 't', product: 'PLN', customerNo: '500000000002' })).toMatchObject({ status: 'unknowable' });
    expect(await provider().status({ txId: 't', product: 'PLN', customerNo: '1', invoice: '1' })).toMatchObject({ status: 'pending', reason: 'No Data!' });
  });

  it('counts calls per endpoint', () => {
    expect(sim.calls.daftarharga).toBeGreaterThanOrEqual(1);
    expect(sim.calls.bayartagihan).toBeGreaterThan(0);
  });
});

describe('credentials and the simulator itself', () => {
  it('wrong credentials are refused, with MMBC\'s words', async () => {
    const other = createMmbcClient({ baseUrl: `${sim.url}/`, username: 'sandbox', password: 'wrong', timeoutMs: 1000 });
    try {
      const p = createMmbcProvider(other);
      expect(await p.inquire({ product: product('PLN'), customerNo: '123456789', refId: 'r' })).toEqual({
        ok: false, kind: 'refused', reason: 'Please, request with your user! No dummy!',
      });
      await expect(p.priceList()).rejects.toBeInstanceOf(ProviderRefused);
      expect(await p.pay({ txId: 't', product: 'PLN', customerNo: '123456789', bill: {} as never })).toMatchObject({ status: 'failed' });
    } finally {
      await other.close();
    }
  });

  it('accepts JSON bodies too', async () => {
    const res = await fetch(`${sim.url}/ppob/cektagihan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'sandbox', password: 'sandbox', ppob_kodeproduk: 'PDAM KOT MEDAN', ppob_nomorpelanggan: '0100234' }),
    });
    expect(await res.json()).toMatchObject({ result: 'ok', ppob_namapelanggan: 'RAHMAT HIDAYAT NASUTION', ppob_totaltagihan: '87250' });
  });

  it('writes amounts in the documents\' style', async () => {
    const res = await fetch(`${sim.url}/ppob/daftarharga`, { method: 'POST', body: new URLSearchParams({ username: 'sandbox', password: 'sandbox' }) });
    const rows = (await res.json()) as Record<string, string>[];
    expect(rows).toContainEqual({
      ppob_grup: 'PLN Group', ppob_produk: 'PLN Bulanan', ppob_kodeproduk: 'PLN', ppob_nominal: '-', ppob_admin: '2.500', ppob_debet: 'Tagihan + 700', ppob_status: 'Ready',
    });
    expect(rows).toContainEqual(expect.objectContaining({ ppob_kodeproduk: 'PLNS20', ppob_nominal: '20.000', ppob_debet: '20.700' }));
  });

  it('close() ends a hung request at once', async () => {
    const own = await startMmbcSimulator({ hangMs: 600_000, username: 'u', password: 'p' });
    const c = createMmbcClient({ baseUrl: own.url, username: 'u', password: 'p', timeoutMs: 30_000 });
    const pending = createMmbcProvider(c).pay({ txId: 't', product: 'PLN', customerNo: '500000000002', bill: {} as never });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await own.close();
    expect(await pending).toMatchObject({ status: 'pending' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(own.payments).toMatchObject([{ customerNo: '500000000002', status: 'confirm' }]);
    await c.close();
  });
});
