import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueEntry, Provider } from '../../../src/bot/provider.ts';
import { createMmbcClient, type MmbcClient } from '../../../src/providers/mmbc/client.ts';
import { MMBC_WALLET_DEMO } from '../../../src/providers/mmbc/demo.ts';
import { merchantEntries } from '../../../src/providers/mmbc/ewallet.ts';
import {
  merchantInquiryAnswer,
  merchantListAnswer,
  merchantReloadAnswer,
  normaliseKey,
} from '../../../src/providers/mmbc/multipayment-schemas.ts';
import { createMmbcProvider } from '../../../src/providers/mmbc/provider.ts';
import { type MmbcSimulator, startMmbcSimulator } from '../../../src/providers/mmbc/simulator.ts';
import { fixture } from '../iak/fixtures.ts';

const doc = (name: string) => fixture('mmbc-multipayment', name);

describe('MMBC multipayment documented answers (mmbc-multipayment-api.txt)', () => {
  it('list_merchant: keys with spaces, "amount+2000" as the nominal plus a fee, cashback as rupiah', () => {
    const rows = merchantListAnswer.parse(doc('list_merchant'));
    expect(rows).toEqual([
      { 'merchant code': 'GOPAY', 'merchant debet': { kind: 'bill-plus', plus: 2000 }, 'merchant cashback': 1500 },
      { 'merchant code': 'GRABPAY', 'merchant debet': { kind: 'bill-plus', plus: 2000 }, 'merchant cashback': 1500 },
      { 'merchant code': 'PAYTREN', 'merchant debet': { kind: 'bill-plus', plus: 2000 }, 'merchant cashback': 1500 },
    ]);
  });

  it('inquiry_merchant with the documents\' "mercant code" typo', () => {
    expect(merchantInquiryAnswer.parse(doc('inquiry_merchant'))).toEqual({
      result: 'ok', 'merchant code': 'GOPAY', 'receiver name': 'GOPAY MMBC TOUR TRAVEL', 'receiver accountnumber': '0812345678',
      amount: 100000, debet: 102000, cashback: 1500,
    });
  });

  it('reload_merchant and status_reload (its "debet"™ key included)', () => {
    expect(merchantReloadAnswer.parse(doc('reload_merchant'))).toMatchObject({
      result: 'ok', invoice: '123456789', reference: '101837139231331', amount: 100000, debet: 102000, cashback: 1500, status: 'CONFIRM', duration: '20 sec',
    });
    expect(merchantReloadAnswer.parse(doc('status_reload'))).toMatchObject({ invoice: '123456789', amount: 100000, debet: 102000, status: 'CONFIRM' });
  });

  it.each(['inquiry_merchant-no', 'reload_merchant-no', 'status_reload-no'])('%s is a refusal with its reason', (name) => {
    const schema = name.startsWith('inquiry') ? merchantInquiryAnswer : merchantReloadAnswer;
    expect(schema.parse(doc(name))).toMatchObject({ result: 'no', reason: 'Please, request with your user! No dummy!' });
  });

  it('keys: spaces, underscores, case, typos and stray symbols are one key', () => {
    for (const k of ['merchant code', 'merchant_code', 'Mercant Code', ' merchant  code ', 'MERCANT_CODE']) expect(normaliseKey(k)).toBe('merchant code');
    expect(normaliseKey('debet™')).toBe('debet');
    expect(normaliseKey('reciever_name')).toBe('receiver name');
    expect(normaliseKey('receiver accountnumber')).toBe('receiver accountnumber');
  });

  it('the catalogue: family ewallet, the Rp 50.000 minimum, PAYTREN (a member number) left out', () => {
    const entries = merchantEntries(merchantListAnswer.parse(doc('list_merchant')) as never);
    expect(entries).toEqual([
      { provider: 'mmbc', code: 'GOPAY', name: 'GoPay', group: 'E-Wallet', family: 'ewallet', admin: 2000, debit: { kind: 'bill-plus', plus: 2000 }, available: true, minAmount: 50000 },
      { provider: 'mmbc', code: 'GRABPAY', name: 'GrabPay', group: 'E-Wallet', family: 'ewallet', admin: 2000, debit: { kind: 'bill-plus', plus: 2000 }, available: true, minAmount: 50000 },
    ]);
  });
});

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('the multipayment client', () => {
  it('POSTs the documented form fields, with direct=0 on a reload', async () => {
    const seen: Array<{ url?: string; body: Record<string, string> }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({ url: req.url, body: Object.fromEntries(new URLSearchParams(body)) });
        res.end(JSON.stringify(doc('reload_merchant')));
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const c = createMmbcClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/json`, username: 'u', password: 'p', timeoutMs: 2000 });
    await c.reload('GOPAY', '081234567890', 100000);
    await c.reloadStatus('123456789');
    await c.close();
    expect(seen[0]).toEqual({
      url: '/json/multipayment/reload_merchant',
      body: { username: 'u', password: 'p', merchant_code: 'GOPAY', merchant_accountnumber: '081234567890', amount: '100000', direct: '0' },
    });
    expect(seen[1]).toEqual({ url: '/json/multipayment/status_reload', body: { username: 'u', password: 'p', invoice: '123456789' } });
  });
});

describe('e-wallet top-ups against the simulator over HTTP', () => {
  let sim: MmbcSimulator;
  let client: MmbcClient;
  let quickClient: MmbcClient;
  let mmbc: Provider;
  let quick: Provider;
  let gopay: CatalogueEntry;

  beforeAll(async () => {
    sim = await startMmbcSimulator({ hangMs: 60_000 });
    client = createMmbcClient({ baseUrl: sim.url, username: 'sandbox', password: 'sandbox', timeoutMs: 5000 });
    quickClient = createMmbcClient({ baseUrl: sim.url, username: 'sandbox', password: 'sandbox', timeoutMs: 300 });
    mmbc = createMmbcProvider(client);
    quick = createMmbcProvider(quickClient);
    const list = await mmbc.priceList();
    gopay = list.find((e) => e.code === 'GOPAY')!;
    await quick.priceList();
  });
  afterAll(async () => {
    await client.close();
    await quickClient.close();
    await sim.close();
  });

  const inquire = (accountNo: string, amount: number, code = 'GOPAY') => mmbc.inquire({ product: { ...gopay, code, name: code }, customerNo: accountNo, amount, refId: 'r' });

  async function topUp(accountNo: string, p = mmbc) {
    const q = await inquire(accountNo, 100_000);
    if (!q.ok) throw new Error(q.reason);
    return p.pay({ txId: 't', product: 'GOPAY', customerNo: accountNo, bill: q.bill });
  }

  it('the price list carries the bills and the e-wallets, each with the minimum', async () => {
    expect(gopay).toMatchObject({ family: 'ewallet', minAmount: 50_000, debit: { kind: 'bill-plus', plus: 2000 }, available: true });
    const codes = (await mmbc.priceList()).filter((e) => e.family === 'ewallet').map((e) => e.code);
    expect(codes).toEqual(['GOPAY', 'GRABPAY', 'OVO', 'DANA', 'SHOPEEPAY']);
  });

  it('every demo account inquires with its receiver name', async () => {
    for (const c of MMBC_WALLET_DEMO.filter((d) => d.name !== '-')) {
      expect(await inquire(c.customerNo, 100_000, c.product), c.customerNo).toMatchObject({
        ok: true, bill: { details: [{ key: 'receiver', value: c.name }] },
      });
    }
  });

  it('an inquiry: the nominal, MMBC\'s debit, the fee as admin, the nominal kept for the payment', async () => {
    expect(await inquire('081234567890', 100_000)).toEqual({
      ok: true,
      bill: {
        product: 'GOPAY', productName: 'GOPAY', customerNo: '081234567890', customerName: '',
        details: [{ key: 'receiver', value: 'GOPAY BUDI SANTOSO' }],
        bill: 100_000, admin: 2000, total: 102_000, debit: 102_000, ref: { amount: '100000' },
      },
    });
    expect(await inquire('081200000009', 100_000)).toMatchObject({ ok: false, kind: 'refused', reason: expect.stringContaining('tidak terdaftar') });
  });

  it('a nominal under Rp 50.000 is refused without a call', async () => {
    const before = sim.calls.inquiry_merchant;
    expect(await inquire('081234567890', 49_999)).toMatchObject({ ok: false, kind: 'refused' });
    expect(sim.calls.inquiry_merchant).toBe(before);
  });

  it('CONFIRM settles with invoice, reference and receiver; the simulator booked one top-up', async () => {
    const before = sim.reloads.length;
    expect(await topUp('081398765432')).toMatchObject({
      status: 'settled',
      receipt: { invoice: expect.any(String), reference: expect.any(String), debit: 102_000, details: [{ key: 'receiver', value: 'GOPAY SITI NURHALIZA' }] },
    });
    expect(sim.reloads.slice(before).map((r) => [r.accountNo, r.amount, r.status])).toEqual([['081398765432', 100_000, 'CONFIRM']]);
  });

  it('REFUND is a definite failure; result no too', async () => {
    expect(await topUp('081200000003')).toMatchObject({ status: 'failed', reason: 'status REFUND' });
    expect(await topUp('081200000006')).toMatchObject({ status: 'failed' });
  });

  it('PENDING carries the invoice; status_reload confirms it, or refunds it', async () => {
    const pending = await topUp('081200000001');
    expect(pending).toMatchObject({ status: 'pending', invoice: expect.any(String) });
    const invoice = pending.status === 'pending' ? pending.invoice : undefined;
    const ask = () => mmbc.status({ txId: 't', product: 'GOPAY', customerNo: '081200000001', ...(invoice ? { invoice } : {}) });
    expect(await ask()).toMatchObject({ status: 'pending' });
    expect(await ask()).toMatchObject({ status: 'settled', receipt: { invoice } });

    const later = await topUp('081200000005');
    const inv = later.status === 'pending' ? later.invoice : undefined;
    expect(await mmbc.status({ txId: 't', product: 'GOPAY', customerNo: '081200000005', ...(inv ? { invoice: inv } : {}) })).toMatchObject({ status: 'failed', reason: 'status REFUND' });
  });

  it('a hang, HTTP 502 or garbage is pending without an invoice, and then its status is unknowable (the admins settle it)', async () => {
    sim.setFault('081200000007', 'garbage');
    for (const [no, p] of [['081200000002', quick], ['081200000004', mmbc], ['081200000007', mmbc]] as const) {
      const out = await topUp(no, p);
      expect(out, no).toMatchObject({ status: 'pending' });
      expect(out.status === 'pending' && out.invoice).toBeFalsy();
      expect(sim.reloads.some((r) => r.accountNo === no)).toBe(true);
      expect(await mmbc.status({ txId: 't', product: 'GOPAY', customerNo: no })).toMatchObject({ status: 'unknowable' });
    }
  });
});
