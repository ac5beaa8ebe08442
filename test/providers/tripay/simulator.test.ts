/**
 * The loopback Tripay plays the payer: pay/expire/fail POST the signed callback to the bot's real callback
 * route, resend sends the same bytes again, and a callback not answered {"success":true} is sent again when
 * the simulator retries, as Tripay does.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { tripayCallbackRoute } from '../../../src/http/tripay-callback.ts';
import { createTripayClient, type TripayClient } from '../../../src/providers/tripay/client.ts';
import type { TripayCallback } from '../../../src/providers/tripay/schemas.ts';
import { startTripaySimulator, type TripaySimulator } from '../../../src/providers/tripay/simulator.ts';
import { closeRoutes, postRaw, serveRoute } from '../../http/webhook-kit.ts';

const silent = pino({ level: 'silent' });
let sim: TripaySimulator | undefined;
let client: TripayClient | undefined;
afterEach(async () => {
  await client?.close();
  await sim?.close();
  sim = undefined;
  client = undefined;
  await closeRoutes();
});

async function setup(onCallback: (c: TripayCallback) => Promise<void>, retries = 0) {
  sim = await startTripaySimulator({ retries, retryDelayMs: 10 });
  const url = await serveRoute('/deposit/tripay', tripayCallbackRoute({ privateKey: sim.privateKey, onCallback, log: silent }), silent);
  client = createTripayClient({ baseUrl: sim.url, apiKey: sim.apiKey, privateKey: sim.privateKey, merchantCode: sim.merchantCode, timeoutMs: 2_000 });
  const open = (merchantRef: string) =>
    client!.createQris({ merchantRef, deposit: 50_000, feePaidBy: 'reseller', customerName: 'Toko', expiresInSeconds: 900, callbackUrl: url });
  return { url, open };
}

describe('Tripay simulator', () => {
  it('pay sends a signed PAID callback the bot accepts; resend is the same callback again', async () => {
    const got: TripayCallback[] = [];
    const { open } = await setup(async (c) => {
      got.push(c);
    });
    const p = await open('DEP-1');
    const d = await sim!.pay(p.reference);
    expect(d).toMatchObject({ status: 200, accepted: true, attempts: 1 });
    const again = await sim!.resend(p.reference);
    expect(again.body).toBe(d.body);
    expect(again.signature).toBe(d.signature);
    expect(got).toHaveLength(2);
    expect(got[0]).toMatchObject({ reference: p.reference, merchantRef: 'DEP-1', status: 'PAID', totalAmount: p.amount, amountReceived: 50_000 });
    expect(got[1]).toEqual(got[0]);
    expect(sim!.payments.get(p.reference)!.status).toBe('PAID');
  });

  it('expire and fail send EXPIRED and FAILED; a paid or unknown payment cannot be expired', async () => {
    const got: string[] = [];
    const { open } = await setup(async (c) => {
      got.push(`${c.merchantRef}:${c.status}`);
    });
    const a = await open('DEP-A');
    const b = await open('DEP-B');
    await sim!.expire(a.reference);
    await sim!.fail(b.reference);
    expect(got).toEqual(['DEP-A:EXPIRED', 'DEP-B:FAILED']);
    await expect(sim!.expire(a.reference)).rejects.toThrow(/EXPIRED/);
    await expect(sim!.pay('DEV-T-none')).rejects.toThrow(/no payment/);
    // A payment settled after it expired (the money arrived late) is still called back as PAID.
    expect((await sim!.pay(a.reference)).accepted).toBe(true);
    expect(got.at(-1)).toBe('DEP-A:PAID');
  });

  it('a callback not answered {"success":true} is sent again, up to `retries` times', async () => {
    let failures = 2;
    const { open } = await setup(async () => {
      if (failures-- > 0) throw new Error('not stored yet');
    }, 3);
    const p = await open('DEP-R');
    expect(await sim!.pay(p.reference)).toMatchObject({ accepted: true, attempts: 3 });
  });

  it('refuses a request without the api key or with a wrong signature, and serves transaction/detail', async () => {
    const { open } = await setup(async () => {});
    const p = await open('DEP-D');
    const noKey = await postRaw(`${sim!.url}/transaction/create`, '{}');
    expect(noKey.status).toBe(401);
    expect(JSON.parse(noKey.body)).toEqual({ success: false, message: 'Invalid API Key' });
    const forged = JSON.stringify({ method: 'QRIS', merchant_ref: 'X', amount: 10_000, customer_name: 'a', customer_email: 'a@b.c', order_items: [{ name: 'x', price: 10_000, quantity: 1 }], signature: 'f'.repeat(64) });
    const bad = await postRaw(`${sim!.url}/transaction/create`, forged, { authorization: `Bearer ${sim!.apiKey}` });
    expect(JSON.parse(bad.body)).toMatchObject({ success: false, message: 'Invalid signature' });
    expect(sim!.calls.badSign).toBe(1);
    const res = await fetch(`${sim!.url}/transaction/detail?reference=${p.reference}`, { headers: { authorization: `Bearer ${sim!.apiKey}` } });
    expect(await res.json()).toMatchObject({ success: true, data: { reference: p.reference, status: 'UNPAID', merchant_ref: 'DEP-D' } });
  });
});
