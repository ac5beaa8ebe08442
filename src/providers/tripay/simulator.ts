/**
 * A stand-in for Tripay's API over real HTTP on loopback, for sandbox mode and tests (docs/tripay-notes.md):
 * `merchant/payment-channel`, `transaction/create` (api key and request signature checked with Tripay's
 * rules, amount and expiry against the channel's bounds), `transaction/detail`. `pay`, `expire` and `fail`
 * play the payer and Tripay: they POST the signed callback (`X-Callback-Signature`, `X-Callback-Event:
 * payment_status`) to the payment's callback URL, and `resend` sends the same callback again byte for byte.
 * Tripay takes anything but `{"success":true}` as a failed callback and sends it again; `retries` does that.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Agent } from 'undici';
import { BAD_GATEWAY, createSleeper, serveSim, type SimAnswer } from '../sim-kit.ts';
import { channelFees, type QrisChannel } from './fees.ts';
import type { TripayStatus } from './schemas.ts';
import { signCallback, signTransaction } from './sign.ts';
import { sandboxQrisString } from './sim-qris.ts';

export type TripaySimFault = 'http502' | 'hang' | 'garbage';

export interface TripaySimChannel extends QrisChannel {
  active: boolean;
  /** Expiry bounds Tripay documents per channel, in minutes. */
  minExpiryMinutes: number;
  maxExpiryMinutes: number;
}

export interface TripaySimulatorOptions {
  apiKey?: string;
  privateKey?: string;
  merchantCode?: string;
  host?: string;
  port?: number;
  /** Where callbacks go when a payment named none (Tripay's merchant default). */
  callbackUrl?: string;
  /** Who the QRIS channel's fee is charged to, as set in Tripay's dashboard: the merchant by default. */
  feeCharge?: 'merchant' | 'customer';
  /** Replaces the channel list (QRIS only, active, by default). */
  channels?: TripaySimChannel[];
  retries?: number;
  retryDelayMs?: number;
  hangMs?: number;
  now?: () => number;
}

export interface TripaySimPayment {
  reference: string;
  merchantRef: string;
  method: string;
  /** What the merchant asked for. */
  amount: number;
  /** What the payer pays: amount plus the customer's part of the fee. */
  payerPays: number;
  feeMerchant: number;
  feeCustomer: number;
  status: TripayStatus;
  /** Unix seconds. */
  expiredTime: number;
  paidAt?: number;
  callbackUrl?: string;
  customerName: string;
  qrString: string;
}

export interface TripayCallbackDelivery {
  reference: string;
  body: string;
  signature: string;
  /** The bot's last answer. */
  status: number;
  answer: string;
  /** Whether the answer was `{"success":true}`, which is all Tripay counts as delivered. */
  accepted: boolean;
  attempts: number;
}

export interface TripaySimulator {
  /** The API base, like `http://127.0.0.1:PORT/api-sandbox` (TRIPAY_BASE_URL); endpoints below it. */
  url: string;
  apiKey: string;
  privateKey: string;
  merchantCode: string;
  payments: Map<string, TripaySimPayment>;
  /** Requests per endpoint, and `badKey` / `badSign` for the ones refused for their credentials. */
  calls: Record<string, number>;
  deliveries: TripayCallbackDelivery[];
  setCallbackUrl(url: string): void;
  setFault(fault: TripaySimFault | null): void;
  /** The payer pays (from UNPAID, or EXPIRED: a payment Tripay settles late); PAID is called back. */
  pay(reference: string): Promise<TripayCallbackDelivery>;
  expire(reference: string): Promise<TripayCallbackDelivery>;
  fail(reference: string): Promise<TripayCallbackDelivery>;
  /** The payment's last callback again, the same bytes. */
  resend(reference: string, url?: string): Promise<TripayCallbackDelivery>;
  close(): Promise<void>;
}

/** Tripay's QRIS channel as its developer guide lists it: Rp 1.000–5.000.000, 10–60 minutes, Rp 750 + 0.7%. */
export function defaultQrisChannel(feeCharge: 'merchant' | 'customer' = 'merchant'): TripaySimChannel {
  const fee = { flat: 750, percent: 0.7 };
  const none = { flat: 0, percent: 0 };
  return {
    code: 'QRIS',
    name: 'QRIS',
    minAmount: 1_000,
    maxAmount: 5_000_000,
    feeMerchant: feeCharge === 'merchant' ? fee : none,
    feeCustomer: feeCharge === 'customer' ? fee : none,
    active: true,
    minExpiryMinutes: 10,
    maxExpiryMinutes: 60,
  };
}

const PREFIX = '/api-sandbox';
/** A request's clock and ours may differ a little; Tripay's checks are not to the second either. */
const EXPIRY_SLACK_S = 60;

export async function startTripaySimulator(opts: TripaySimulatorOptions = {}): Promise<TripaySimulator> {
  const apiKey = opts.apiKey ?? 'DEV-sandbox-api-key';
  const privateKey = opts.privateKey ?? 'sandbox-private-key';
  const merchantCode = opts.merchantCode ?? 'T0001';
  const now = opts.now ?? Date.now;
  const retries = opts.retries ?? 0;
  const retryDelayMs = opts.retryDelayMs ?? 1_000;
  const hangMs = opts.hangMs ?? 120_000;
  const channels = opts.channels ?? [defaultQrisChannel(opts.feeCharge)];
  const sleeper = createSleeper();
  const agent = new Agent({ keepAliveTimeout: 10_000, pipelining: 1 });
  const payments = new Map<string, TripaySimPayment>();
  const lastCallback = new Map<string, { body: string; signature: string; url: string }>();
  const deliveries: TripayCallbackDelivery[] = [];
  const calls: Record<string, number> = { 'payment-channel': 0, 'transaction/create': 0, 'transaction/detail': 0, badKey: 0, badSign: 0 };
  let callbackUrl = opts.callbackUrl;
  let fault: TripaySimFault | null = null;
  let closed = false;

  const refuse = (message: string, status = 400): SimAnswer => ({ status, body: { success: false, message } });
  const ok = (data: unknown, message = ''): SimAnswer => ({ body: { success: true, message, data } });

  function channelRow(c: TripaySimChannel): Record<string, unknown> {
    const total = { flat: c.feeMerchant.flat + c.feeCustomer.flat, percent: (c.feeMerchant.percent + c.feeCustomer.percent).toFixed(2) };
    return {
      group: 'E-Wallet', code: c.code, name: c.name, type: 'direct', fee_merchant: c.feeMerchant, fee_customer: c.feeCustomer, total_fee: total,
      minimum_fee: c.minimumFee ?? null, maximum_fee: c.maximumFee ?? null, minimum_amount: c.minAmount, maximum_amount: c.maxAmount,
      icon_url: 'https://example.invalid/qris.png', active: c.active,
    };
  }

  function transactionData(p: TripaySimPayment, origin: string): Record<string, unknown> {
    return {
      reference: p.reference, merchant_ref: p.merchantRef, payment_selection_type: 'static', payment_method: p.method, payment_name: p.method,
      customer_name: p.customerName, customer_email: null, customer_phone: null, callback_url: p.callbackUrl ?? null, return_url: null,
      amount: p.payerPays, fee_merchant: p.feeMerchant, fee_customer: p.feeCustomer, total_fee: p.feeMerchant + p.feeCustomer,
      amount_received: p.payerPays - p.feeMerchant - p.feeCustomer, pay_code: null, pay_url: null,
      checkout_url: `${origin}/checkout/${p.reference}`, status: p.status, expired_time: p.expiredTime, paid_at: p.paidAt ?? null,
      order_items: [{ sku: 'DEPOSIT', name: 'Deposit saldo', price: p.amount, quantity: 1, subtotal: p.amount }],
      instructions: [], qr_string: p.qrString, qr_url: null,
    };
  }

  function create(p: Record<string, unknown>, origin: string): SimAnswer {
    const method = String(p.method ?? '').toUpperCase();
    const channel = channels.find((c) => c.code === method && c.active);
    if (!channel) return refuse('Payment channel is not enabled');
    const merchantRef = typeof p.merchant_ref === 'string' ? p.merchant_ref.trim() : '';
    const amount = typeof p.amount === 'number' ? p.amount : Number(p.amount);
    if (!merchantRef) return refuse('merchant_ref is required');
    if (!Number.isSafeInteger(amount) || amount <= 0) return refuse('amount must be an integer');
    for (const field of ['customer_name', 'customer_email'] as const) {
      if (typeof p[field] !== 'string' || (p[field] as string).trim() === '') return refuse(`${field} is required`);
    }
    const items = Array.isArray(p.order_items) ? (p.order_items as Array<Record<string, unknown>>) : [];
    const itemsTotal = items.reduce((sum, i) => sum + Number(i.price) * Number(i.quantity), 0);
    if (items.length === 0 || items.some((i) => typeof i.name !== 'string') || itemsTotal !== amount) return refuse('order_items total does not match amount');
    if (p.signature !== signTransaction({ privateKey, merchantCode }, merchantRef, amount)) {
      calls.badSign = (calls.badSign ?? 0) + 1;
      return refuse('Invalid signature');
    }
    if (amount < channel.minAmount || amount > channel.maxAmount) {
      return refuse(`Amount must be between ${channel.minAmount} and ${channel.maxAmount} for ${channel.code}`);
    }
    const nowS = Math.floor(now() / 1000);
    const expiredTime = p.expired_time === undefined ? nowS + channel.maxExpiryMinutes * 60 : Number(p.expired_time);
    const minutes = (expiredTime - nowS) / 60;
    if (!Number.isSafeInteger(expiredTime) || minutes < channel.minExpiryMinutes - EXPIRY_SLACK_S / 60 || minutes > channel.maxExpiryMinutes + EXPIRY_SLACK_S / 60) {
      return refuse(`Expired time must be between ${channel.minExpiryMinutes} and ${channel.maxExpiryMinutes} minutes for ${channel.code}`);
    }
    const fees = channelFees(channel, amount);
    const reference = `DEV-T${merchantCode.replace(/\D/g, '')}${String(nowS).slice(-6)}${randomBytes(4).toString('hex').toUpperCase()}`;
    const payerPays = amount + fees.customer;
    const payment: TripaySimPayment = {
      reference, merchantRef, method, amount, payerPays, feeMerchant: fees.merchant, feeCustomer: fees.customer, status: 'UNPAID', expiredTime,
      customerName: String(p.customer_name), qrString: sandboxQrisString({ merchantCode, reference, amount: payerPays }),
      ...(typeof p.callback_url === 'string' && p.callback_url ? { callbackUrl: p.callback_url } : {}),
    };
    payments.set(reference, payment);
    return ok(transactionData(payment, origin));
  }

  async function handle(req: IncomingMessage, raw: string): Promise<SimAnswer | undefined> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    const checkout = /^\/checkout\/([\w-]+)$/.exec(url.pathname);
    if (checkout && req.method === 'GET') {
      const p = payments.get(checkout[1]!);
      return p ? { body: `<html><body><h1>SANDBOX QRIS ${p.reference}</h1><p>Rp ${p.payerPays}</p><pre>${p.qrString}</pre></body></html>` } : undefined;
    }
    if (!url.pathname.startsWith(`${PREFIX}/`)) return undefined;
    const endpoint = url.pathname.slice(PREFIX.length + 1);
    const known = { 'merchant/payment-channel': 'GET', 'transaction/create': 'POST', 'transaction/detail': 'GET' } as const;
    const verb = known[endpoint as keyof typeof known];
    if (!verb || req.method !== verb) return undefined;
    const op = endpoint === 'merchant/payment-channel' ? 'payment-channel' : endpoint;
    calls[op] = (calls[op] ?? 0) + 1;
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      calls.badKey = (calls.badKey ?? 0) + 1;
      return refuse('Invalid API Key', 401);
    }
    if (endpoint === 'merchant/payment-channel') return ok(channels.map(channelRow), 'Success');
    if (endpoint === 'transaction/detail') {
      const p = payments.get(url.searchParams.get('reference') ?? '');
      return p ? ok(transactionData(p, origin)) : refuse('Transaction not found', 404);
    }
    if (fault === 'http502') return BAD_GATEWAY;
    if (fault === 'garbage') return { body: '<html><body>Service temporarily unavailable</body></html>' };
    let body: Record<string, unknown>;
    try {
      body = parseRequest(req.headers['content-type'], raw);
    } catch {
      return refuse('Invalid request body');
    }
    const answer = create(body, origin);
    // A hang after the payment is made: the client cannot know it exists.
    if (fault === 'hang') await sleeper.sleep(hangMs);
    return answer;
  }

  const server = await serveSim({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, prefix: PREFIX }, handle, () => sleeper.wakeAll());

  async function deliver(reference: string, body: string, signature: string, url: string): Promise<TripayCallbackDelivery> {
    if (closed) throw new Error('tripay simulator is closed');
    const u = new URL(url);
    let attempts = 0;
    for (;;) {
      attempts++;
      const res = await agent.request({
        origin: u.origin,
        path: u.pathname + u.search,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-callback-event': 'payment_status', 'x-callback-signature': signature, 'user-agent': 'TriPay Callback' },
        body,
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      const answer = await res.body.text();
      const accepted = res.statusCode === 200 && isSuccess(answer);
      if (accepted || attempts > retries || closed) {
        const d = { reference, body, signature, status: res.statusCode, answer, accepted, attempts };
        deliveries.push(d);
        return d;
      }
      await sleeper.sleep(retryDelayMs);
    }
  }

  async function settle(reference: string, status: TripayStatus, from: readonly TripayStatus[]): Promise<TripayCallbackDelivery> {
    const p = payments.get(reference);
    if (!p) throw new Error(`tripay simulator: no payment ${reference}`);
    if (!from.includes(p.status)) throw new Error(`tripay simulator: ${reference} is ${p.status}, cannot become ${status}`);
    p.status = status;
    if (status === 'PAID') p.paidAt = Math.floor(now() / 1000);
    const target = p.callbackUrl ?? callbackUrl;
    if (!target) throw new Error('tripay simulator: no callback URL (setCallbackUrl)');
    const body = JSON.stringify({
      reference: p.reference, merchant_ref: p.merchantRef, payment_method: p.method, payment_method_code: p.method, total_amount: p.payerPays,
      fee_merchant: p.feeMerchant, fee_customer: p.feeCustomer, total_fee: p.feeMerchant + p.feeCustomer,
      amount_received: p.payerPays - p.feeMerchant - p.feeCustomer, is_closed_payment: 1, status, paid_at: p.paidAt ?? null, note: null,
    });
    const signature = signCallback(privateKey, body);
    lastCallback.set(reference, { body, signature, url: target });
    return deliver(reference, body, signature, target);
  }

  return {
    url: server.url,
    apiKey,
    privateKey,
    merchantCode,
    payments,
    calls,
    deliveries,
    setCallbackUrl(url) {
      callbackUrl = url;
    },
    setFault(f) {
      fault = f;
    },
    pay: (reference) => settle(reference, 'PAID', ['UNPAID', 'EXPIRED']),
    expire: (reference) => settle(reference, 'EXPIRED', ['UNPAID']),
    fail: (reference) => settle(reference, 'FAILED', ['UNPAID']),
    async resend(reference, url) {
      const last = lastCallback.get(reference);
      if (!last) throw new Error(`tripay simulator: no callback sent yet for ${reference}`);
      return deliver(reference, last.body, last.signature, url ?? last.url);
    },
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      await agent.close();
    },
  };
}

/** Tripay's documented examples post JSON (Node) and form fields (PHP); both are read. */
function parseRequest(contentType: string | undefined, raw: string): Record<string, unknown> {
  if ((contentType ?? '').includes('application/x-www-form-urlencoded')) {
    const out: Record<string, unknown> = {};
    const items: Array<Record<string, unknown>> = [];
    for (const [key, value] of new URLSearchParams(raw)) {
      const item = /^order_items\[(\d+)\]\[(\w+)\]$/.exec(key);
      if (item) {
        const index = Number(item[1]);
        const row = items[index] ?? {};
        items[index] = row;
        row[item[2]!] = item[2] === 'price' || item[2] === 'quantity' ? Number(value) : value;
      } else {
        out[key] = key === 'amount' || key === 'expired_time' ? Number(value) : value;
      }
    }
    if (items.length > 0) out.order_items = items;
    return out;
  }
  const parsed: unknown = JSON.parse(raw);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
  return parsed as Record<string, unknown>;
}

function isSuccess(answer: string): boolean {
  try {
    return (JSON.parse(answer) as { success?: unknown }).success === true;
  } catch {
    return false;
  }
}
