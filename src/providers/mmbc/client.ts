/**
 * The MMBC PPOB HTTP API: four form-encoded POSTs. This layer only knows "answered ok",
 * "answered no" (returned, not thrown: what a refusal means depends on the call), and the two
 * ways of not knowing (thrown: ProviderUnreachable, ProviderUnreadable).
 */
import { Agent, request } from 'undici';
import type { z } from 'zod';
import { ProviderUnreachable, ProviderUnreadable } from '../errors.ts';
import { parseJsonLenient } from '../json.ts';
import {
  type MmbcBill,
  type MmbcPayment,
  type MmbcPriceRow,
  type MmbcRefusal,
  mmbcInquiryAnswer,
  mmbcPaymentAnswer,
  mmbcPriceList,
} from './schemas.ts';

export interface MmbcClientOptions {
  /** e.g. `https://klikmbc.co.id/json`; the endpoints are `ppob/…` below it. */
  baseUrl: string;
  username: string;
  password: string;
  /** Bounds the whole request: connect, headers and body. */
  timeoutMs: number;
}

/** `raw` is the parsed body, for the transaction record. */
export type MmbcResult<T> = { ok: true; answer: T; raw: unknown } | { ok: false; refusal: MmbcRefusal; raw: unknown };

export interface MmbcClient {
  priceList(): Promise<MmbcResult<MmbcPriceRow[]>>;
  inquire(code: string, customerNo: string): Promise<MmbcResult<MmbcBill>>;
  pay(code: string, customerNo: string): Promise<MmbcResult<MmbcPayment>>;
  status(invoice: string, customerNo: string): Promise<MmbcResult<MmbcPayment>>;
  close(): Promise<void>;
}

type Operation = 'daftarharga' | 'cektagihan' | 'bayartagihan' | 'cekstatus';

const PROVIDER = 'mmbc';
const TIMED_OUT = Symbol('timed out');

export function createMmbcClient(options: MmbcClientOptions): MmbcClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const { timeoutMs } = options;
  // One keep-alive pool for every call: a new TLS handshake per payment would dominate the latency.
  const agent = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, pipelining: 1 });

  async function post(op: Operation, fields: Record<string, string>): Promise<string> {
    const body = new URLSearchParams({ username: options.username, password: options.password, ...fields }).toString();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
    let text: string;
    try {
      const res = await request(`${base}/ppob/${op}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        dispatcher: agent,
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      if (res.statusCode < 200 || res.statusCode > 299) {
        await res.body.dump().catch(() => undefined);
        throw new ProviderUnreachable(PROVIDER, op, { httpStatus: res.statusCode });
      }
      text = await res.body.text();
    } catch (err) {
      if (err instanceof ProviderUnreachable) throw err;
      throw new ProviderUnreachable(PROVIDER, op, {
        cause: err === TIMED_OUT ? undefined : err,
        timedOut: controller.signal.aborted || isUndiciTimeout(err),
      });
    } finally {
      clearTimeout(timer);
    }
    return text;
  }

  function read<T>(op: Operation, text: string, schema: z.ZodType<T>): { data: T; json: unknown } {
    // The provider has no reason to echo credentials, but the excerpt lands in logs: make sure.
    const shown = redact(text, [options.password]);
    let json: unknown;
    try {
      json = parseJsonLenient(text);
    } catch (err) {
      throw new ProviderUnreadable(PROVIDER, op, 'not JSON', shown, err);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new ProviderUnreadable(PROVIDER, op, `unexpected shape (${where}${issue?.message ?? 'invalid'})`, shown);
    }
    return { data: parsed.data, json };
  }

  async function call<T extends object>(
    op: Operation,
    fields: Record<string, string>,
    schema: z.ZodType<T | MmbcRefusal>,
  ): Promise<MmbcResult<T>> {
    const { data, json: raw } = read(op, await post(op, fields), schema);
    return isRefusal(data) ? { ok: false, refusal: data, raw } : { ok: true, answer: data as T, raw };
  }

  return {
    priceList: () => call<MmbcPriceRow[]>('daftarharga', {}, mmbcPriceList),
    inquire: (code, customerNo) =>
      call('cektagihan', { ppob_kodeproduk: code, ppob_nomorpelanggan: customerNo }, mmbcInquiryAnswer),
    pay: (code, customerNo) =>
      call('bayartagihan', { ppob_kodeproduk: code, ppob_nomorpelanggan: customerNo }, mmbcPaymentAnswer),
    status: (invoice, customerNo) =>
      call('cekstatus', { invoice, ppob_nomorpelanggan: customerNo }, mmbcPaymentAnswer),
    close: () => agent.close(),
  };
}

function isRefusal(answer: unknown): answer is MmbcRefusal {
  return !Array.isArray(answer) && (answer as { result?: unknown } | null)?.result === 'no';
}

function isUndiciTimeout(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.replaceAll(s, '***');
  return out;
}
