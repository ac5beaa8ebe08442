import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bill, CatalogueEntry, Provider } from '../../../src/bot/provider.ts';
import { ProviderRefused } from '../../../src/providers/errors.ts';
import { createIakClient, type IakClient } from '../../../src/providers/iak/client.ts';
import { IAK_DEMO_CUSTOMERS } from '../../../src/providers/iak/demo.ts';
import { createIakProvider } from '../../../src/providers/iak/provider.ts';
import { type IakSimulator, startIakSimulator } from '../../../src/providers/iak/simulator.ts';

let sim: IakSimulator;
const clients: IakClient[] = [];
let iak: Provider;
/** For the tests that wait on a timeout. */
let quick: Provider;
let catalogue: Map<string, CatalogueEntry>;

function provider(apiKey: string, timeoutMs = 5000): Provider {
  const client = createIakClient({ baseUrl: sim.url, username: sim.username, apiKey, timeoutMs });
  clients.push(client);
  return createIakProvider(client);
}

beforeAll(async () => {
  sim = await startIakSimulator({ hangMs: 60_000 });
  iak = provider(sim.apiKey);
  quick = provider(sim.apiKey, 300);
  catalogue = new Map((await iak.priceList()).map((e) => [e.code, e]));
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await sim.close();
});

let ref = 0;
const product = (code: string) => catalogue.get(code === 'PLN' ? 'PLNPOSTPAID' : code)!;
const inquire = (code: string, customerNo: string, p = iak) => p.inquire({ product: product(code), customerNo, refId: `R${++ref}` });

async function quote(code: string, customerNo: string): Promise<{ bill: Bill; refId: string }> {
  const refId = `R${++ref}`;
  const out = await iak.inquire({ product: product(code), customerNo, refId });
  if (!out.ok) throw new Error(`inquiry refused: ${out.reason}`);
  return { bill: out.bill, refId };
}

async function payOf(code: string, customerNo: string, p = iak) {
  const { bill, refId } = await quote(code, customerNo);
  return { refId, bill, out: await p.pay({ txId: refId, product: bill.product, customerNo, bill }) };
}

const status = (refId: string, code = 'PLNPOSTPAID') => iak.status({ txId: refId, product: code, customerNo: '-' });

describe('IAK client + provider against the simulator over HTTP', () => {
  it('price list: PLN postpaid and PBB (a code with a dot), a closed one, the rest of IAK left out', () => {
    expect(product('PLNPOSTPAID')).toEqual({
      provider: 'iak', code: 'PLNPOSTPAID', name: 'PLN Pascabayar', group: 'PLN Group', family: 'pln-postpaid', admin: 2500,
      debit: { kind: 'bill-plus', plus: 1000, perSheet: true }, available: true,
    });
    expect(product('PBBKOT.CIMAHI')).toMatchObject({ family: 'pbb', group: 'PBB', available: true });
    expect(product('PBBKOT.CIMAHI')?.debit).toEqual({ kind: 'bill-plus', plus: 5000 }); // one tax year: charged once, not per sheet
    expect(product('PBBKOT.BANDUNG')).toMatchObject({ available: false });
    expect([...catalogue.keys()].sort()).toEqual(['PBBKAB.BANDUNG', 'PBBKOT.BANDUNG', 'PBBKOT.CIMAHI', 'PLNPOSTPAID']);
  });

  it('every demo customer inquires with its name; the refusals carry their code', async () => {
    for (const c of IAK_DEMO_CUSTOMERS.filter((d) => d.name !== '-')) {
      expect(await inquire(c.product, c.customerNo), `${c.product} ${c.customerNo}`).toMatchObject({ ok: true, bill: { customerName: c.name } });
    }
    expect(await inquire('PLNPOSTPAID', '539900000008')).toEqual({ ok: false, kind: 'refused', reason: '[alreadyPaid] BILL HAS BEEN PAID (RC 34)' });
    expect(await inquire('PLNPOSTPAID', '539900000009')).toEqual({ ok: false, kind: 'refused', reason: '[wrongNumber] INCORRECT DESTINATION NUMBER (RC 14)' });
    expect(await inquire('PBBKOT.CIMAHI', '3277030004')).toMatchObject({ ok: false, kind: 'refused' });
  });

  it('a PLN inquiry: tr_id carried in Bill.ref, amounts as IAK gives them, the months as the period', async () => {
    const { bill } = await quote('PLNPOSTPAID', '537700112233');
    expect(bill).toMatchObject({
      product: 'PLNPOSTPAID', customerName: 'NYOMAN ARIASA', period: '202606,202607,202608,202609',
      bill: 415_250, admin: 10_000, total: 425_250, debit: 419_250, ref: { tr_id: expect.stringMatching(/^\d+$/) },
    });
    expect(bill.details).toEqual([
      { key: 'tariff', value: 'R1/900 VA' },
      { key: 'standMeter', value: '00030100 - 00030429' },
      { key: 'sheets', value: '4' },
      { key: 'sheetsLeft', value: '1' },
      { key: 'penalty', amount: 18_000 },
    ]);
  });

  it('pays with the inquiry\'s tr_id and settles with the receipt; the same tr_id never pays twice', async () => {
    const { bill, refId, out } = await payOf('PBBKOT.CIMAHI', '327703000401005610');
    expect(out).toMatchObject({
      status: 'settled',
      receipt: {
        invoice: bill.ref!.tr_id, reference: expect.stringMatching(/^SBX/), at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
        customerName: 'H. ASEP SUNANDAR', debit: 208_857,
        details: expect.arrayContaining([{ key: 'taxYear', value: '2026' }, { key: 'dueDate', value: '31/08/2026' }]),
      },
    });
    expect(sim.payments.filter((p) => p.refId === refId)).toHaveLength(1);
    const again = await iak.pay({ txId: refId, product: bill.product, customerNo: bill.customerNo, bill });
    expect(again).toMatchObject({ status: 'failed', reason: '[alreadyPaid] INVOICE HAS BEEN PAID (RC 01)' });
    expect(sim.payments.filter((p) => p.refId === refId)).toHaveLength(1);
    expect(await status(refId)).toMatchObject({ status: 'settled' });
  });

  it('39 is pending; checkstatus by our ref_id answers in process, then settled', async () => {
    const { refId, out } = await payOf('PLNPOSTPAID', '539900000001');
    expect(out).toMatchObject({ status: 'pending', reason: 'PENDING / TRANSACTION IN PROCESS (RC 39)' });
    expect(await status(refId)).toMatchObject({ status: 'pending' });
    expect(await status(refId)).toMatchObject({ status: 'settled', receipt: { customerName: 'AGUNG PRAKOSO' } });
  });

  it('a hang, HTTP 502 and garbage are pending, never failed; IAK did pay, and checkstatus settles them', async () => {
    for (const [hp, p] of [['539900000002', quick], ['539900000004', iak], ['539900000005', iak]] as const) {
      const { refId, out } = await payOf('PLNPOSTPAID', hp, p);
      expect(out.status, hp).toBe('pending');
      expect(sim.payments.some((x) => x.refId === refId), hp).toBe(true);
      expect(await status(refId), hp).toMatchObject({ status: 'settled' });
    }
  });

  it('a bill paid elsewhere (34) is a definite failure; a payment that never arrived is failed by checkstatus (42)', async () => {
    expect((await payOf('PLNPOSTPAID', '539900000003')).out).toMatchObject({ status: 'failed', reason: '[alreadyPaid] BILL HAS BEEN PAID (RC 34)' });
    const lost = await payOf('PLNPOSTPAID', '539900000006', quick);
    expect(lost.out.status).toBe('pending');
    expect(sim.payments.some((x) => x.refId === lost.refId)).toBe(false);
    expect(await status(lost.refId)).toMatchObject({ status: 'failed', reason: expect.stringContaining('(RC 42)') });
  });

  it('a pending payment is never unknowable: IAK is asked by ref_id, with or without an invoice', async () => {
    const out = await iak.status({ txId: 'NEVER-SEEN', product: 'PLNPOSTPAID', customerNo: '1' });
    expect(out.status).toBe('pending');
  });

  it('checks every signature: a wrong api key is refused (204) and nothing is paid', async () => {
    const wrong = provider('not-the-key');
    const before = sim.calls.badSign!;
    await expect(wrong.priceList()).rejects.toBeInstanceOf(ProviderRefused);
    expect(await inquire('PLNPOSTPAID', '531234567890', wrong)).toEqual({ ok: false, kind: 'refused', reason: 'WRONG AUTHENTICATION (RC 204)' });
    const { bill, refId } = await quote('PLNPOSTPAID', '531234567890');
    expect(await wrong.pay({ txId: refId, product: bill.product, customerNo: bill.customerNo, bill })).toMatchObject({
      status: 'failed', reason: 'WRONG AUTHENTICATION (RC 204)',
    });
    // A status request refused for its signature says nothing of the payment: pending, never refunded.
    expect((await wrong.status({ txId: refId, product: 'PLNPOSTPAID', customerNo: '1' })).status).toBe('pending');
    expect(sim.calls.badSign).toBe(before + 4);
    expect(sim.payments.some((x) => x.refId === refId)).toBe(false);
  });

  it('a quote without IAK\'s tr_id is never sent', async () => {
    const { bill } = await quote('PLNPOSTPAID', '531234567890');
    const calls = sim.calls['pay-pasca'];
    expect(await iak.pay({ txId: 'X', product: bill.product, customerNo: bill.customerNo, bill: { ...bill, ref: {} } })).toMatchObject({ status: 'failed' });
    expect(sim.calls['pay-pasca']).toBe(calls);
  });
});
