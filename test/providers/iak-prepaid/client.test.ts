/** The IAK prepaid client and provider against the simulator, over real HTTP: every demo number, and the faults. */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bill, CatalogueEntry, PayOutcome, Provider } from '../../../src/bot/provider.ts';
import { closeServers, listenLocal } from '../../helpers/http.ts';
import { createIakPrepaidClient, type IakPrepaidClient } from '../../../src/providers/iak-prepaid/client.ts';
import { createIakPrepaidProvider } from '../../../src/providers/iak-prepaid/provider.ts';
import { signTopUp } from '../../../src/providers/iak-prepaid/sign.ts';
import { DEMO_NUMBERS, type IakPrepaidSimulator, startIakPrepaidSimulator } from '../../../src/providers/iak-prepaid/simulator.ts';

const DELAY_MS = 150;
const sims: IakPrepaidSimulator[] = [];
const clients: IakPrepaidClient[] = [];
let sim: IakPrepaidSimulator;
let iak: Provider;
/** Gives up after 300 ms: the tests that lose an answer. */
let quick: Provider;
let catalogue: Map<string, CatalogueEntry>;

function provider(s: IakPrepaidSimulator, apiKey = s.apiKey, timeoutMs = 5000): Provider {
  const client = createIakPrepaidClient({ baseUrl: s.url, username: s.username, apiKey, timeoutMs });
  clients.push(client);
  return createIakPrepaidProvider(client);
}

async function simulator(opts: Parameters<typeof startIakPrepaidSimulator>[0] = {}) {
  const s = await startIakPrepaidSimulator({ callbackDelayMs: DELAY_MS, hangMs: 60_000, ...opts });
  sims.push(s);
  return s;
}

beforeAll(async () => {
  sim = await simulator();
  iak = provider(sim);
  quick = provider(sim, sim.apiKey, 300);
  catalogue = new Map((await iak.priceList()).map((e) => [e.code, e]));
});
afterAll(async () => {
  for (const c of clients) await c.close();
  for (const s of sims) await s.close();
});

let tx = 0;
const product = (code: string) => catalogue.get(code)!;

async function quote(code: string, customerNo: string, p = iak): Promise<Bill> {
  const out = await p.inquire({ product: product(code), customerNo, refId: `Q${++tx}` });
  if (!out.ok) throw new Error(`inquiry refused: ${out.reason}`);
  return out.bill;
}

async function pay(code: string, customerNo: string, p = iak): Promise<{ txId: string; bill: Bill; out: PayOutcome }> {
  const bill = await quote(code, customerNo);
  const txId = `TX${Date.now()}${++tx}`;
  return { txId, bill, out: await p.pay({ txId, product: bill.product, customerNo: bill.customerNo, bill }) };
}

const status = (txId: string, code = 'htelkomsel10000', p = iak) => p.status({ txId, product: code, customerNo: '-' });

/** Asks until the answer is final, as the background check would. */
async function final(txId: string, code?: string): Promise<PayOutcome> {
  for (let i = 0; i < 60; i++) {
    const o = await status(txId, code);
    if (o.status !== 'pending') return o as PayOutcome;
    await sleep(50);
  }
  throw new Error(`${txId} still pending`);
}

const demo = (fault?: string) => DEMO_NUMBERS.find((d) => d.fault === fault && (fault || d.product === 'htelkomsel10000'))!.number;

describe('IAK prepaid over HTTP', () => {
  it('price list: the products the bot sells, the closed one closed', () => {
    expect(product('htelkomsel10000')).toMatchObject({ provider: 'iak-prepaid', debit: { kind: 'fixed', amount: 10_850 }, available: true });
    expect(product('htelkomsel150000').available).toBe(false);
    expect(catalogue.has('hmobilelegend110')).toBe(false);
    expect(catalogue.size).toBe(31);
  });

  it('a quote for pulsa costs IAK no call; a wrong operator or a closed product is refused before any call', async () => {
    const before = { ...sim.calls };
    const bill = await quote('htelkomsel10000', '+62 812-3456-7890');
    expect(bill).toMatchObject({ product: 'htelkomsel10000', customerNo: '081234567890', bill: 10_000, admin: 850, total: 10_850, debit: 10_850 });
    const wrong = await iak.inquire({ product: product('htelkomsel10000'), customerNo: '081712345678', refId: 'Q-wrong' });
    expect(wrong).toEqual({ ok: false, kind: 'refused', reason: '[wrongNumber] NUMBER NOT MATCH WITH OPERATOR: AN XL NUMBER (RC 16)' });
    const closed = await iak.inquire({ product: product('htelkomsel150000'), customerNo: '081234567890', refId: 'Q-closed' });
    expect(closed).toMatchObject({ ok: false, kind: 'refused', reason: 'PRODUCT IS TEMPORARILY OUT OF SERVICE (RC 106)' });
    const notPhone = await iak.inquire({ product: product('gopay20000'), customerNo: '12345', refId: 'Q-bad' });
    expect(notPhone).toMatchObject({ ok: false, kind: 'refused', reason: '[wrongNumber] INCORRECT DESTINATION NUMBER (RC 14)' });
    expect(sim.calls).toEqual(before);
  });

  it('a success: PROCESS (pending), then check-status finds it done with its SN', async () => {
    const { txId, out } = await pay('htelkomsel10000', demo());
    expect(out).toMatchObject({ status: 'pending', reason: 'PROCESS (RC 39)' });
    expect((out as { invoice?: string }).invoice).toMatch(/^\d+$/);
    expect(await status(txId)).toMatchObject({ status: 'pending' });
    const done = await final(txId);
    expect(done).toMatchObject({ status: 'settled', receipt: { reference: expect.stringMatching(/^\d{18}$/), debit: 10_850 } });
    expect(sim.topUps.get(txId)?.state).toBe('success');
  });

  it('IAK fails it later: failed with its reason, refunded', async () => {
    const { txId, out } = await pay('htelkomsel10000', demo('callback-fail'));
    expect(out.status).toBe('pending');
    expect(await final(txId)).toMatchObject({ status: 'failed', reason: 'FAILED (RC 07)' });
  });

  it('pending until a status check, which finds it done', async () => {
    const { txId, out } = await pay('htelkomsel10000', demo('pending'));
    expect(out.status).toBe('pending');
    await sleep(DELAY_MS * 2);
    expect(sim.topUps.get(txId)?.state).toBe('process');
    expect(await status(txId)).toMatchObject({ status: 'settled' });
  });

  it('garbage or HTTP 502 after IAK took it: pending, never failed, then settled', async () => {
    for (const fault of ['garbage', 'http502']) {
      const { txId, out } = await pay('htelkomsel10000', demo(fault));
      expect(out, fault).toMatchObject({ status: 'pending', reason: fault === 'garbage' ? expect.stringMatching(/unreadable: not JSON/) : expect.stringMatching(/HTTP 502/) });
      expect((await final(txId)).status, fault).toBe('settled');
    }
  });

  it('a refusal at once: failed', async () => {
    const { txId, out } = await pay('htelkomsel10000', demo('refuse'));
    expect(out).toMatchObject({ status: 'failed', reason: 'CUSTOMER NUMBER BLOCKED (RC 13)' });
    expect(await status(txId)).toMatchObject({ status: 'failed', reason: 'CUSTOMER NUMBER BLOCKED (RC 13)' });
  });

  it('the answer is lost (timeout): pending, never sent again, and check-status finds it done', async () => {
    const started = Date.now();
    const { txId, out } = await pay('htelkomsel10000', demo('timeout'), quick);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(out).toMatchObject({ status: 'pending', raw: { timedOut: true } });
    expect(sim.topUps.get(txId)).toBeDefined();
    expect(await final(txId)).toMatchObject({ status: 'settled' });
    expect(sim.repeats).toBe(0);
  });

  it('a top-up that never reached IAK: pending, then TRANSACTION NOT FOUND, refunded', async () => {
    const { txId, out } = await pay('htelkomsel10000', demo('lost'), quick);
    expect(out.status).toBe('pending');
    expect(sim.topUps.has(txId)).toBe(false);
    expect(await status(txId)).toMatchObject({ status: 'failed', reason: 'TRANSACTION NOT FOUND (RC 06)' });
  });

  it('the same ref_id twice is one top-up: the second answer is its status', async () => {
    const bill = await quote('xld25000', '081712345678');
    const req = { txId: `TX-twice-${++tx}`, product: bill.product, customerNo: bill.customerNo, bill };
    const repeats = sim.repeats;
    const first = await iak.pay(req);
    const second = await iak.pay(req);
    expect(first.status).toBe('pending');
    expect(second.status).toBe('pending');
    await sleep(DELAY_MS * 2);
    expect(await iak.pay(req)).toMatchObject({ status: 'settled' });
    expect([...sim.topUps.values()].filter((t) => t.refId === req.txId)).toHaveLength(1);
    expect(sim.repeats - repeats).toBe(2);
  });

  it('IAK answering a used ref_id with DUPLICATE REF ID: looked up by check-status, never failed', async () => {
    const dup = await simulator({ duplicateAnswer: 'refusal' });
    const p = provider(dup);
    const entry = (await p.priceList()).find((e) => e.code === 'htelkomsel10000')!;
    const out = await p.inquire({ product: entry, customerNo: '081234567890', refId: 'Q-dup' });
    if (!out.ok) throw new Error(out.reason);
    const req = { txId: 'TX-dup', product: entry.code, customerNo: out.bill.customerNo, bill: out.bill };
    expect((await p.pay(req)).status).toBe('pending');
    const checks = dup.calls['check-status'];
    expect(await p.pay(req)).toMatchObject({ status: 'pending', reason: 'PROCESS (RC 39)' });
    expect(dup.calls['check-status']).toBe(checks! + 1);
    expect(dup.topUps.size).toBe(1);
  });

  it('a PLN token: the meter looked up, then the token with the outcome', async () => {
    const bill = await quote('hpln20000', '12345678901');
    expect(bill).toMatchObject({
      customerNo: '12345678901', customerName: 'SINTYA OKTAVIANI', bill: 20_000, admin: 1_500, total: 21_500, debit: 21_500,
      details: [{ key: 'meterNo', value: '548933889287' }, { key: 'customerId', value: '12345678901' }, { key: 'tariff', value: 'R1/1300 VA' }],
    });
    const txId = `TX-pln-${++tx}`;
    expect((await iak.pay({ txId, product: 'hpln20000', customerNo: '12345678901', bill })).status).toBe('pending');
    expect(await final(txId, 'hpln20000')).toMatchObject({
      status: 'settled', receipt: { token: expect.stringMatching(/^\d{20}$/), customerName: 'SINTYA OKTAVIANI', details: [{ key: 'tariff', value: 'R1/1300 VA' }] },
    });
  });

  it('a PLN meter IAK does not know is refused; an inquiry that fails is unavailable (another biller may serve it)', async () => {
    expect(await iak.inquire({ product: product('hpln20000'), customerNo: '99999999999', refId: 'Q-pln1' })).toEqual({
      ok: false, kind: 'refused', reason: '[wrongNumber] INCORRECT DESTINATION NUMBER (RC 14)',
    });
    const down = DEMO_NUMBERS.find((d) => d.fault === 'inquiry-down')!.number;
    expect(await iak.inquire({ product: product('hpln20000'), customerNo: down, refId: 'Q-pln2' })).toMatchObject({ ok: false, kind: 'unavailable' });
  });

  it('a game voucher: its code and PIN on the receipt', async () => {
    const { txId } = await pay('hsteam12000', '081298765432');
    expect(await final(txId, 'hsteam12000')).toMatchObject({
      status: 'settled', receipt: { reference: expect.stringMatching(/^\d{4}-/), details: [{ key: 'voucher', value: expect.stringMatching(/^\d{9}$/) }] },
    });
  });

  it('a wrong key: the top-up is refused (nothing done), but a status check so answered stays pending', async () => {
    const wrong = provider(sim, 'not-the-key');
    const bill = await quote('htelkomsel10000', '081234567890');
    const out = await wrong.pay({ txId: 'TX-wrongkey', product: bill.product, customerNo: bill.customerNo, bill });
    expect(out).toMatchObject({ status: 'failed', reason: 'WRONG AUTHENTICATION (RC 204)' });
    expect(sim.topUps.has('TX-wrongkey')).toBe(false);
    const { txId } = await pay('htelkomsel10000', '081234567890');
    expect(await status(txId, 'htelkomsel10000', wrong)).toMatchObject({ status: 'pending', reason: 'WRONG AUTHENTICATION (RC 204)' });
  });

  it('a refusal quoting the key and the sign of the request reaches neither the reason nor the record', async () => {
    const origin = await listenLocal((_req, body, res) => {
      const { sign } = JSON.parse(body) as { sign: string };
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { rc: '204', message: `WRONG AUTHENTICATION: sign ${sign} for key leaky-api-key-123`, ref_id: 'TX-leak' } }));
    });
    const client = createIakPrepaidClient({ baseUrl: origin, username: 'u', apiKey: 'leaky-api-key-123', timeoutMs: 2000 });
    clients.push(client);
    const bill = await quote('htelkomsel10000', '081234567890');
    const out = await createIakPrepaidProvider(client).pay({ txId: 'TX-leak', product: bill.product, customerNo: bill.customerNo, bill });
    expect(out.status).toBe('failed');
    const text = JSON.stringify(out);
    expect(text).not.toContain('leaky-api-key-123');
    expect(text).not.toContain(signTopUp({ username: 'u', apiKey: 'leaky-api-key-123' }, 'TX-leak'));
    expect(text).toContain('TX-leak');
    await closeServers();
  });
});
