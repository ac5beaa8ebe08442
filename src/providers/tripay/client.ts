/**
 * Tripay's payment API (docs/tripay-notes.md), for QRIS deposits: `merchant/payment-channel` (GET) for the
 * QRIS channel's bounds and fees, `transaction/create` (POST) for a closed QRIS payment. Every call carries
 * `Authorization: Bearer <api key>`; a transaction request also carries its HMAC signature (sign.ts).
 * Tripay answering `success: false` is ProviderRefused (it said no, nothing was created); a timeout, a network
 * error or a 5xx is ProviderUnreachable and a body we cannot read ProviderUnreadable (we do not know). An
 * unknown outcome of `transaction/create` costs nothing: an unpaid QRIS payment simply expires. The api key,
 * the private key and the request's signature never leave in an error, a record or a log line.
 */
import { Agent } from 'undici';
import type { z } from 'zod';
import { ProviderRefused, ProviderUnreachable, ProviderUnreadable } from '../errors.ts';
import { MAX_ANSWER_BYTES } from '../http.ts';
import { readAnswer } from '../read.ts';
import { createRedactor, type Redactor } from '../redact.ts';
import { planQrisDeposit, type QrisChannel, type QrisFeePaidBy } from './fees.ts';
import { signTransaction } from './sign.ts';
import { TRIPAY_STATUSES, type TripayChannelRow, type TripayStatus, tripayChannels, tripayEnvelope, tripayTransaction } from './schemas.ts';

export const TRIPAY_PRODUCTION_URL = 'https://tripay.co.id/api';
export const TRIPAY_SANDBOX_URL = 'https://tripay.co.id/api-sandbox';
/** Tripay's QRIS channel codes, in the order one is picked when the merchant has several active. */
export const QRIS_METHODS = ['QRIS', 'QRIS2', 'QRISC'] as const;

const PROVIDER = 'tripay';
/** Channels and fees change when the merchant edits them in Tripay's dashboard; rarely. */
const CHANNEL_TTL_MS = 10 * 60_000;

export interface TripayClientOptions {
  /** TRIPAY_BASE_URL, e.g. `https://tripay.co.id/api` or `…/api-sandbox`; endpoints below it. */
  baseUrl: string;
  apiKey: string;
  privateKey: string;
  merchantCode: string;
  timeoutMs: number;
  /** A QRIS channel code; by default the first active of QRIS_METHODS. */
  qrisMethod?: string;
  /**
   * Tripay requires a customer e-mail; a reseller has none with us. Defaults to an address that cannot
   * receive mail, so Tripay never mails a reseller's deposit to a stranger.
   */
  customerEmail?: string;
  now?: () => number;
}

export interface QrisRequest {
  /** Ours, unique per deposit: Tripay sends it back in the callback. */
  merchantRef: string;
  /** The deposit, in whole rupiah: the saldo a PAID callback credits. */
  deposit: number;
  feePaidBy: QrisFeePaidBy;
  customerName: string;
  customerPhone?: string;
  /** Within the channel's expiry bounds (QRIS 10–60 minutes, QRIS2 and QRISC 10–1440). */
  expiresInSeconds: number;
  /** Where Tripay sends this payment's callback; the merchant's default URL when left out. */
  callbackUrl?: string;
  /** The item line Tripay shows the payer. */
  itemName?: string;
}

export interface QrisPayment {
  /** Tripay's reference: the callback's key (`tripay:<reference>`). */
  reference: string;
  merchantRef: string;
  /** Tripay's channel code used. */
  method: string;
  /** The QRIS payload to render as the QR image (qr.ts). */
  qrString: string;
  /** Tripay's own page for this payment, for a channel that shows no image. */
  checkoutUrl?: string;
  qrUrl?: string;
  /** What the payer pays, as Tripay answered. */
  amount: number;
  /** The saldo to credit on PAID: the deposit asked for. */
  credit: number;
  /** The whole fee, and who bears it (QRIS_FEE_PAID_BY). */
  fee: number;
  feePaidBy: QrisFeePaidBy;
  feeMerchant: number;
  feeCustomer: number;
  /** What reaches the operator, as Tripay answered. */
  amountReceived?: number;
  /** Epoch ms. */
  expiresAt: number;
  /** `raw` is Tripay's answer without credentials, for the deposit's record. */
  raw: unknown;
}

/** The deposit does not fit the channel: asked for `asked`, the channel takes `min`–`max`. */
export class QrisAmountOutOfRange extends Error {
  constructor(
    readonly asked: number,
    readonly min: number,
    readonly max: number,
  ) {
    super(`tripay QRIS takes Rp ${min}–${max}, asked for ${asked}`);
    this.name = 'QrisAmountOutOfRange';
  }
}

export interface TripayClient {
  /** The merchant's active QRIS channel (cached a few minutes); ProviderRefused when none is active. */
  qrisChannel(): Promise<QrisChannel>;
  createQris(req: QrisRequest): Promise<QrisPayment>;
  /**
   * A payment's state at Tripay (`transaction/detail`): for a deposit whose callback never came (Tripay
   * sends one 3 times over 6 minutes, then gives up).
   */
  detail(reference: string): Promise<TripayPaymentState>;
  close(): Promise<void>;
}

export interface TripayPaymentState {
  reference: string;
  merchantRef?: string;
  status: TripayStatus;
  /** What the payer pays. */
  amount: number;
  amountReceived?: number;
  /** Epoch ms. */
  paidAt?: number;
  expiresAt: number;
  raw: unknown;
}

export function createTripayClient(options: TripayClientOptions): TripayClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const agent = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, pipelining: 1 });
  const now = options.now ?? Date.now;
  const secrets = [options.apiKey, options.privateKey];
  const standing = createRedactor(secrets);
  const email = options.customerEmail ?? 'deposit@ppob.invalid';
  let cached: { channel: QrisChannel; until: number } | undefined;

  /** Tripay's `data` read with `schema`, and the whole answer without credentials for the record. */
  async function call<T>(
    operation: string,
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    schema: z.ZodType<T>,
    redactor: Redactor,
  ): Promise<{ data: T; json: unknown }> {
    const text = await send(operation, method, path, body);
    const { data: envelope, json } = readAnswer(PROVIDER, operation, text, tripayEnvelope, redactor);
    if (!envelope.success) throw new ProviderRefused(PROVIDER, operation, redactor.text(envelope.message?.trim() || 'refused without a reason'));
    const parsed = schema.safeParse(envelope.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `data.${issue.path.join('.')}: ` : 'data: ';
      throw new ProviderUnreadable(PROVIDER, operation, `unexpected shape (${where}${issue?.message ?? 'invalid'})`, redactor.text(text));
    }
    return { data: parsed.data, json };
  }

  async function send(operation: string, method: 'GET' | 'POST', path: string, body: string | undefined): Promise<string> {
    const url = new URL(`${base}/${path}`);
    const signal = AbortSignal.timeout(options.timeoutMs);
    let res: Awaited<ReturnType<Agent['request']>>;
    try {
      res = await agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method,
        headers: {
          authorization: `Bearer ${options.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body }),
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        signal,
      });
    } catch (err) {
      throw unreachable(operation, err, signal);
    }
    // Tripay answers a refusal with a 4xx and `success: false`; a 5xx is its trouble, not an answer.
    if (res.statusCode >= 500 || res.statusCode < 200) {
      discard(res.body);
      throw new ProviderUnreachable(PROVIDER, operation, { httpStatus: res.statusCode });
    }
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > MAX_ANSWER_BYTES) throw new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`);
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks).toString('utf8');
    } catch (err) {
      discard(res.body);
      throw unreachable(operation, err, signal);
    }
  }

  function unreachable(operation: string, err: unknown, signal: AbortSignal): ProviderUnreachable {
    const code = (err as { code?: unknown } | null)?.code;
    const timedOut = signal.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
    return new ProviderUnreachable(PROVIDER, operation, { cause: standing.error(err), timedOut });
  }

  async function qrisChannel(): Promise<QrisChannel> {
    if (cached && cached.until > now()) return cached.channel;
    const op = 'payment-channel';
    const { data } = await call(op, 'GET', 'merchant/payment-channel', undefined, tripayChannels, standing);
    const wanted = options.qrisMethod ? [options.qrisMethod.toUpperCase()] : [...QRIS_METHODS];
    const row = wanted.map((code) => data.find((c) => c.code.toUpperCase() === code && c.active)).find((c) => c !== undefined);
    if (!row) throw new ProviderRefused(PROVIDER, op, `no active QRIS channel (${wanted.join(', ')}) on this merchant`);
    const channel = toChannel(row);
    cached = { channel, until: now() + CHANNEL_TTL_MS };
    return channel;
  }

  return {
    qrisChannel,
    async createQris(req) {
      const channel = await qrisChannel();
      const plan = planQrisDeposit(channel, req.deposit, req.feePaidBy);
      if (plan.ask < channel.minAmount || plan.ask > channel.maxAmount) throw new QrisAmountOutOfRange(plan.ask, channel.minAmount, channel.maxAmount);
      const signature = signTransaction(options, req.merchantRef, plan.ask);
      const body = {
        method: channel.code,
        merchant_ref: req.merchantRef,
        amount: plan.ask,
        customer_name: req.customerName,
        customer_email: email,
        ...(req.customerPhone ? { customer_phone: req.customerPhone } : {}),
        order_items: [{ sku: 'DEPOSIT', name: req.itemName ?? 'Deposit saldo', price: plan.ask, quantity: 1 }],
        ...(req.callbackUrl ? { callback_url: req.callbackUrl } : {}),
        expired_time: Math.floor(now() / 1000) + Math.max(1, Math.floor(req.expiresInSeconds)),
        signature,
      };
      const op = 'transaction/create';
      const redactor = createRedactor([...secrets, signature]);
      const { data: t, json } = await call(op, 'POST', 'transaction/create', JSON.stringify(body), tripayTransaction, redactor);
      if (!t.qr_string) throw new ProviderRefused(PROVIDER, op, `no QR string in the answer for ${t.reference}`);
      const feeMerchant = t.fee_merchant ?? 0;
      const feeCustomer = t.fee_customer ?? 0;
      return {
        reference: t.reference,
        merchantRef: t.merchant_ref ?? req.merchantRef,
        method: t.payment_method ?? channel.code,
        qrString: t.qr_string,
        ...(t.checkout_url ? { checkoutUrl: t.checkout_url } : {}),
        ...(t.qr_url ? { qrUrl: t.qr_url } : {}),
        amount: t.amount,
        credit: plan.credit,
        // What the reseller pays over the deposit, or what the operator's receipts lose: as Tripay answered.
        fee: req.feePaidBy === 'reseller' ? Math.max(0, t.amount - plan.credit) : (t.total_fee ?? feeMerchant + feeCustomer),
        feePaidBy: req.feePaidBy,
        feeMerchant,
        feeCustomer,
        ...(t.amount_received === undefined ? {} : { amountReceived: t.amount_received }),
        expiresAt: t.expired_time * 1000,
        raw: json,
      };
    },
    async detail(reference) {
      const op = 'transaction/detail';
      const { data: t, json } = await call(op, 'GET', `transaction/detail?reference=${encodeURIComponent(reference)}`, undefined, tripayTransaction, standing);
      const status = (TRIPAY_STATUSES as readonly string[]).includes(t.status ?? '') ? (t.status as TripayStatus) : undefined;
      if (!status) throw new ProviderUnreadable(PROVIDER, op, `unknown status ${JSON.stringify(t.status)}`, standing.text(JSON.stringify(json)));
      return {
        reference: t.reference,
        ...(t.merchant_ref ? { merchantRef: t.merchant_ref } : {}),
        status,
        amount: t.amount,
        ...(t.amount_received === undefined ? {} : { amountReceived: t.amount_received }),
        ...(typeof t.paid_at === 'number' && t.paid_at > 0 ? { paidAt: t.paid_at * 1000 } : {}),
        expiresAt: t.expired_time * 1000,
        raw: json,
      };
    },
    close: () => agent.close(),
  };
}

/** A body not read: its bytes are never waited for (a slow 502 must not become a timeout). */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => {});
  body.destroy();
}

function toChannel(row: TripayChannelRow): QrisChannel {
  return {
    code: row.code,
    name: row.name ?? row.code,
    // Tripay's documented QRIS bounds, where the answer leaves them out.
    minAmount: row.minimum_amount ?? 1_000,
    maxAmount: row.maximum_amount ?? 5_000_000,
    feeMerchant: row.fee_merchant,
    feeCustomer: row.fee_customer,
    ...(row.minimum_fee ? { minimumFee: row.minimum_fee } : {}),
    ...(row.maximum_fee ? { maximumFee: row.maximum_fee } : {}),
  };
}
