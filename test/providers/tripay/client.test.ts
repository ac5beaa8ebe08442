/**
 * The Tripay client against the loopback Tripay (which checks the api key and each request's signature with
 * Tripay's rules) and against bare servers for the ways of not knowing: a refusal is ProviderRefused, a 5xx,
 * a timeout or a dead host ProviderUnreachable, garbage ProviderUnreadable; no error carries a credential.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderRefused, ProviderUnreachable, ProviderUnreadable } from '../../../src/providers/errors.ts';
import { createTripayClient, QrisAmountOutOfRange, type TripayClient, type TripayClientOptions } from '../../../src/providers/tripay/client.ts';
import { defaultQrisChannel, startTripaySimulator, type TripaySimulator } from '../../../src/providers/tripay/simulator.ts';
import { caught, closeServers, listenLocal } from '../../helpers/http.ts';

const creds = { apiKey: 'DEV-api-key-0123456789', privateKey: 'priv-key-ABCDE-12345', merchantCode: 'T4242' };
let sim: TripaySimulator | undefined;
const clients: TripayClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await sim?.close();
  sim = undefined;
  await closeServers();
});

function client(over: Partial<TripayClientOptions> = {}): TripayClient {
  const c = createTripayClient({ ...creds, baseUrl: sim?.url ?? 'http://127.0.0.1:1', timeoutMs: 2_000, ...over });
  clients.push(c);
  return c;
}

const qris = { merchantRef: 'QRIS-0001', deposit: 100_000, feePaidBy: 'reseller' as const, customerName: 'Toko Siti', expiresInSeconds: 30 * 60 };

/** Every string inside an error, its cause included, for looking for credentials. */
function allText(err: unknown): string {
  const e = err as Error & { excerpt?: string; reason?: string; cause?: unknown };
  return [e.message, e.stack, e.excerpt, e.reason, e.cause instanceof Error ? allText(e.cause) : String(e.cause ?? '')].join('\n');
}

describe('createTripayClient', () => {
  it('reads the QRIS channel: bounds and fees from merchant/payment-channel', async () => {
    sim = await startTripaySimulator(creds);
    expect(await client().qrisChannel()).toEqual({
      code: 'QRIS',
      name: 'QRIS',
      minAmount: 1_000,
      maxAmount: 5_000_000,
      feeMerchant: { flat: 750, percent: 0.7 },
      feeCustomer: { flat: 0, percent: 0 },
    });
    expect(sim.calls['payment-channel']).toBe(1);
  });

  it('opens a closed QRIS payment the simulator accepts (api key and signature checked); the reseller pays the fee', async () => {
    sim = await startTripaySimulator(creds);
    const now = Date.now();
    const p = await client().createQris(qris);
    expect(sim.calls).toMatchObject({ 'transaction/create': 1, badKey: 0, badSign: 0 });
    expect(p).toMatchObject({ merchantRef: 'QRIS-0001', method: 'QRIS', amount: 101_461, credit: 100_000, fee: 1_461, feePaidBy: 'reseller', feeMerchant: 1_461, feeCustomer: 0, amountReceived: 100_000 });
    expect(p.reference).toMatch(/^DEV-T/);
    expect(p.qrString).toMatch(/^000201010212.*6304[0-9A-F]{4}$/);
    expect(p.checkoutUrl).toContain(`/checkout/${p.reference}`);
    expect(p.expiresAt).toBeGreaterThanOrEqual(Math.floor(now / 1000) * 1000 + 30 * 60_000 - 1_000);
    expect(p.expiresAt).toBeLessThanOrEqual(now + 30 * 60_000 + 1_000);
    const made = sim.payments.get(p.reference)!;
    expect(made).toMatchObject({ merchantRef: 'QRIS-0001', amount: 101_461, status: 'UNPAID', customerName: 'Toko Siti' });
  });

  it('the operator pays the fee: the deposit is asked as it is', async () => {
    sim = await startTripaySimulator(creds);
    const p = await client().createQris({ ...qris, feePaidBy: 'operator' });
    expect(p).toMatchObject({ amount: 100_000, credit: 100_000, fee: 1_450, feePaidBy: 'operator', amountReceived: 98_550 });
  });

  it('a channel charged to the payer: Tripay adds its fee, the reseller sees it', async () => {
    sim = await startTripaySimulator({ ...creds, feeCharge: 'customer' });
    const p = await client().createQris(qris);
    expect(p).toMatchObject({ amount: 101_450, credit: 100_000, fee: 1_450, feeCustomer: 1_450, feeMerchant: 0, amountReceived: 100_000 });
  });

  it('a wrong api key or private key is Tripay saying no, without the keys in the error', async () => {
    sim = await startTripaySimulator(creds);
    const badKey = await caught(client({ apiKey: 'DEV-wrong-api-key-999' }).createQris(qris));
    expect(badKey).toBeInstanceOf(ProviderRefused);
    expect((badKey as ProviderRefused).reason).toBe('Invalid API Key');
    const badSign = await caught(client({ privateKey: 'wrong-private-key-42' }).createQris(qris));
    expect(badSign).toBeInstanceOf(ProviderRefused);
    expect((badSign as ProviderRefused).reason).toBe('Invalid signature');
    expect(sim.calls.badSign).toBe(1);
    expect(allText(badSign)).not.toContain('wrong-private-key-42');
  });

  it('refuses a deposit outside the channel before asking Tripay; Tripay refuses an expiry past the channel’s', async () => {
    sim = await startTripaySimulator(creds);
    const c = client();
    const low = await caught(c.createQris({ ...qris, deposit: 500, feePaidBy: 'operator' }));
    expect(low).toBeInstanceOf(QrisAmountOutOfRange);
    expect(low).toMatchObject({ min: 1_000, max: 5_000_000, asked: 500 });
    expect(await caught(c.createQris({ ...qris, deposit: 4_990_000 }))).toBeInstanceOf(QrisAmountOutOfRange);
    expect(sim.calls['transaction/create']).toBe(0);
    const late = await caught(c.createQris({ ...qris, expiresInSeconds: 24 * 3600 }));
    expect(late).toBeInstanceOf(ProviderRefused);
    expect((late as ProviderRefused).reason).toMatch(/between 10 and 60 minutes/);
  });

  it('detail reads a payment’s state at Tripay: UNPAID, then PAID with its time; an unknown reference is refused', async () => {
    sim = await startTripaySimulator(creds);
    const hook = await listenLocal((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"success":true}');
    });
    sim.setCallbackUrl(hook);
    const c = client();
    const p = await c.createQris(qris);
    expect(await c.detail(p.reference)).toMatchObject({ reference: p.reference, merchantRef: 'QRIS-0001', status: 'UNPAID', amount: 101_461, expiresAt: p.expiresAt });
    await sim.pay(p.reference);
    const paid = await c.detail(p.reference);
    expect(paid).toMatchObject({ status: 'PAID', amountReceived: 100_000 });
    expect(paid.paidAt).toBeGreaterThan(Date.now() - 5_000);
    const unknown = await caught(c.detail('DEV-T-nothing'));
    expect(unknown).toBeInstanceOf(ProviderRefused);
  });

  it('without an active QRIS channel there is nothing to open', async () => {
    sim = await startTripaySimulator({ ...creds, channels: [{ ...defaultQrisChannel(), active: false }] });
    const err = await caught(client().createQris(qris));
    expect(err).toBeInstanceOf(ProviderRefused);
    expect((err as ProviderRefused).reason).toMatch(/no active QRIS channel/);
  });

  it('a 502, a hang, a dead host are unreachable; garbage is unreadable; none carries a credential', async () => {
    sim = await startTripaySimulator({ ...creds, hangMs: 5_000 });
    const c = client({ timeoutMs: 500 });
    await c.qrisChannel();
    sim.setFault('http502');
    const down = await caught(c.createQris(qris));
    expect(down).toMatchObject({ name: 'ProviderUnreachable', httpStatus: 502 });
    sim.setFault('garbage');
    const garbage = await caught(c.createQris(qris));
    expect(garbage).toBeInstanceOf(ProviderUnreadable);
    sim.setFault('hang');
    const hung = await caught(c.createQris(qris));
    expect(hung).toMatchObject({ name: 'ProviderUnreachable', timedOut: true });
    const dead = await caught(createTripayClient({ ...creds, baseUrl: 'http://127.0.0.1:1', timeoutMs: 500 }).qrisChannel());
    expect(dead).toBeInstanceOf(ProviderUnreachable);
    for (const err of [down, garbage, hung, dead]) {
      for (const secret of [creds.apiKey, creds.privateKey]) expect(allText(err)).not.toContain(secret);
    }
  });

  it('sends the documented request: Bearer api key, JSON body with the signature; an echo of the keys is redacted', async () => {
    const seen: Array<{ method?: string; url?: string; auth?: string; body: string }> = [];
    const origin = await listenLocal((req, body, res) => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      res.writeHead(req.url?.endsWith('payment-channel') ? 200 : 400, { 'content-type': 'application/json' });
      if (req.url?.endsWith('payment-channel')) {
        res.end(JSON.stringify({ success: true, message: 'Success', data: [{ code: 'QRIS2', name: 'QRIS', fee_merchant: { flat: 750, percent: '0.70' }, fee_customer: { flat: 0, percent: 0 }, total_fee: { flat: 750, percent: '0.70' }, minimum_fee: null, maximum_fee: null, minimum_amount: 1000, maximum_amount: 5000000, active: true }] }));
      } else {
        const sent = JSON.parse(body) as { signature: string };
        res.end(JSON.stringify({ success: false, message: `bad request from ${creds.apiKey} signed ${sent.signature}` }));
      }
    });
    const c = client({ baseUrl: `${origin}/api-sandbox/` });
    const err = await caught(c.createQris({ ...qris, callbackUrl: 'https://bot.example/deposit/tripay', customerPhone: '081234567890' }));
    expect(seen.map((s) => [s.method, s.url, s.auth])).toEqual([
      ['GET', '/api-sandbox/merchant/payment-channel', `Bearer ${creds.apiKey}`],
      ['POST', '/api-sandbox/transaction/create', `Bearer ${creds.apiKey}`],
    ]);
    const sent = JSON.parse(seen[1]!.body) as Record<string, unknown>;
    expect(sent).toMatchObject({
      method: 'QRIS2',
      merchant_ref: 'QRIS-0001',
      amount: 101_461,
      customer_name: 'Toko Siti',
      customer_phone: '081234567890',
      callback_url: 'https://bot.example/deposit/tripay',
      order_items: [{ sku: 'DEPOSIT', name: 'Deposit saldo', price: 101_461, quantity: 1 }],
    });
    expect(typeof sent.customer_email).toBe('string');
    expect(sent.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(err).toBeInstanceOf(ProviderRefused);
    expect(allText(err)).not.toContain(creds.apiKey);
    expect(allText(err)).not.toContain(String(sent.signature));
  });
});
