/**
 * POST /deposit/tripay over real HTTP: a callback signed with the private key reaches onCallback parsed and
 * is answered {"success":true} (all Tripay counts as delivered) only after it resolved; a wrong signature,
 * another event, an unknown status, malformed JSON or a body over 1 MB never reach onCallback.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { tripayCallbackRoute } from '../../src/http/tripay-callback.ts';
import type { TripayCallback } from '../../src/providers/tripay/schemas.ts';
import { signCallback } from '../../src/providers/tripay/sign.ts';
import { captureLog } from '../helpers/log.ts';
import { closeRoutes, declareOnly, deferred, postRaw, serveRoute } from './webhook-kit.ts';

afterEach(closeRoutes);

const PRIVATE_KEY = 'tripay-private-k3y';
const silent = pino({ level: 'silent' });

/** The callback as Tripay's guide documents its body, with values of our own. */
function callback(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    reference: 'DEV-T1234500001ABCD',
    merchant_ref: 'QRIS-7F3A9C',
    payment_method: 'QRIS',
    payment_method_code: 'QRIS',
    total_amount: 101_461,
    fee_merchant: 1_461,
    fee_customer: 0,
    total_fee: 1_461,
    amount_received: 100_000,
    is_closed_payment: 1,
    status: 'PAID',
    paid_at: 1_796_000_000,
    note: null,
    ...over,
  });
}

const headers = (body: string, key = PRIVATE_KEY, event = 'payment_status') => ({
  'x-callback-signature': signCallback(key, body),
  'x-callback-event': event,
});

async function route(onCallback: (c: TripayCallback) => Promise<void>, log = silent): Promise<string> {
  return serveRoute('/deposit/tripay', tripayCallbackRoute({ privateKey: PRIVATE_KEY, onCallback, log }), log);
}

describe('POST /deposit/tripay', () => {
  it('a signed PAID callback reaches onCallback parsed, and {"success":true} comes only after it resolved', async () => {
    const seen: TripayCallback[] = [];
    const gate = deferred();
    const url = await route(async (c) => {
      seen.push(c);
      await gate.promise;
    });
    const body = callback();
    let answered = false;
    const answer = postRaw(url, body, headers(body)).then((a) => {
      answered = true;
      return a;
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(seen).toHaveLength(1);
    expect(answered).toBe(false);
    gate.release();
    const a = await answer;
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body)).toEqual({ success: true });
    expect(seen[0]).toEqual({
      reference: 'DEV-T1234500001ABCD',
      merchantRef: 'QRIS-7F3A9C',
      status: 'PAID',
      totalAmount: 101_461,
      feeMerchant: 1_461,
      feeCustomer: 0,
      totalFee: 1_461,
      amountReceived: 100_000,
      closedPayment: true,
      paidAt: 1_796_000_000_000,
      paymentMethodCode: 'QRIS',
    });
  });

  it('EXPIRED, FAILED and REFUND are read too; a status Tripay does not document is 400', async () => {
    const seen: string[] = [];
    const url = await route(async (c) => {
      seen.push(c.status);
    });
    for (const status of ['EXPIRED', 'FAILED', 'REFUND']) {
      const body = callback({ status, paid_at: null });
      expect((await postRaw(url, body, headers(body))).status).toBe(200);
    }
    const odd = callback({ status: 'SETTLED' });
    expect((await postRaw(url, odd, headers(odd))).status).toBe(400);
    expect(seen).toEqual(['EXPIRED', 'FAILED', 'REFUND']);
  });

  it('a wrong or missing X-Callback-Signature is 401 and onCallback is never called', async () => {
    let calls = 0;
    const url = await route(async () => {
      calls++;
    });
    const body = callback();
    const variants = [
      { 'x-callback-event': 'payment_status' },
      headers(body, 'the-api-key-not-the-private-key'),
      headers(callback({ total_amount: 1 })),
      // Tripay's Node example signs JSON.stringify of the parsed body; only the raw bytes count here.
      headers(JSON.stringify(JSON.parse(body), null, 1)),
    ];
    for (const h of variants) expect((await postRaw(url, body, h)).status).toBe(401);
    expect(calls).toBe(0);
  });

  it('another callback event is refused (400) even when signed; one without the event header is read', async () => {
    let calls = 0;
    const url = await route(async () => {
      calls++;
    });
    const body = callback();
    expect((await postRaw(url, body, headers(body, PRIVATE_KEY, 'payout_status'))).status).toBe(400);
    expect(calls).toBe(0);
    expect((await postRaw(url, body, { 'x-callback-signature': signCallback(PRIVATE_KEY, body) })).status).toBe(200);
    expect(calls).toBe(1);
  });

  it('malformed JSON and a wrong shape are 400; a body declared over 1 MB is 413 before it is read', async () => {
    let calls = 0;
    const url = await route(async () => {
      calls++;
    });
    for (const body of ['{"reference":', '[]', callback({ total_amount: 'banyak' }), callback({ reference: 7 }), callback({ paid_at: 'kemarin' })]) {
      expect((await postRaw(url, body, headers(body))).status, body).toBe(400);
    }
    const declared = await declareOnly(url, 5 * 1024 * 1024, { 'x-callback-signature': 'f'.repeat(64) });
    expect(declared).toMatchObject({ status: 413, closed: true });
    expect(calls).toBe(0);
  });

  it('an onCallback that fails is 500 {"success":false}, so Tripay sends the callback again', async () => {
    const cap = captureLog('debug');
    let fail = true;
    const url = await route(async () => {
      if (fail) throw new Error('store down');
    }, cap.log);
    const body = callback();
    const first = await postRaw(url, body, headers(body));
    expect(first.status).toBe(500);
    expect(JSON.parse(first.body)).toMatchObject({ success: false });
    fail = false;
    expect(JSON.parse((await postRaw(url, body, headers(body))).body)).toEqual({ success: true });
    expect(cap.text()).not.toContain(PRIVATE_KEY);
    expect(cap.text()).not.toContain(signCallback(PRIVATE_KEY, body));
  });
});
