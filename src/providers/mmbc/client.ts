/**
 * The MMBC HTTP API: form-encoded POSTs to `ppob/…` (bills) and `multipayment/…` (e-wallet top-ups). This
 * layer only knows "answered ok", "answered no" (returned, not thrown: what a refusal means depends on the
 * call), and the two ways of not knowing (thrown: ProviderUnreachable, ProviderUnreadable).
 */
import type { z } from 'zod';
import { keepAliveAgent, postText } from '../http.ts';
import { readAnswer } from '../read.ts';
import { createRedactor } from '../redact.ts';
import {
  type MerchantInquiry,
  type MerchantReload,
  type MerchantRow,
  merchantInquiryAnswer,
  merchantListAnswer,
  merchantReloadAnswer,
} from './multipayment-schemas.ts';
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
  /** e.g. `https://klikmbc.co.id/json`; the endpoints are `ppob/…` and `multipayment/…` below it. */
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
  merchants(): Promise<MmbcResult<MerchantRow[]>>;
  inquireMerchant(code: string, accountNo: string, amount: number): Promise<MmbcResult<MerchantInquiry>>;
  /** Always `direct=0`: the answer carries the reference, and the status call needs no second round. */
  reload(code: string, accountNo: string, amount: number): Promise<MmbcResult<MerchantReload>>;
  reloadStatus(invoice: string): Promise<MmbcResult<MerchantReload>>;
  close(): Promise<void>;
}

type Operation =
  | 'ppob/daftarharga'
  | 'ppob/cektagihan'
  | 'ppob/bayartagihan'
  | 'ppob/cekstatus'
  | 'multipayment/list_merchant'
  | 'multipayment/inquiry_merchant'
  | 'multipayment/reload_merchant'
  | 'multipayment/status_reload';

const PROVIDER = 'mmbc';

export function createMmbcClient(options: MmbcClientOptions): MmbcClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const agent = keepAliveAgent();
  // MMBC's login error may quote the password it was sent (`password … salah`): its refusals and the raw answer
  // on the record never carry it, whoever calls this client.
  const redactor = createRedactor([options.password]);

  async function call<T extends object>(
    path: Operation,
    fields: Record<string, string>,
    schema: z.ZodType<T | MmbcRefusal>,
  ): Promise<MmbcResult<T>> {
    const op = path.slice(path.indexOf('/') + 1);
    const { text } = await postText(agent, {
      provider: PROVIDER,
      operation: op,
      url: `${base}/${path}`,
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams({ username: options.username, password: options.password, ...fields }).toString(),
      timeoutMs: options.timeoutMs,
    });
    const { data, json: raw } = readAnswer(PROVIDER, op, text, schema, redactor);
    return isRefusal(data) ? { ok: false, refusal: redactor.deep(data), raw } : { ok: true, answer: data as T, raw };
  }

  const merchant = (code: string, accountNo: string, amount: number) => ({
    merchant_code: code,
    merchant_accountnumber: accountNo,
    amount: String(amount),
  });

  return {
    priceList: () => call<MmbcPriceRow[]>('ppob/daftarharga', {}, mmbcPriceList),
    inquire: (code, customerNo) =>
      call('ppob/cektagihan', { ppob_kodeproduk: code, ppob_nomorpelanggan: customerNo }, mmbcInquiryAnswer),
    pay: (code, customerNo) =>
      call('ppob/bayartagihan', { ppob_kodeproduk: code, ppob_nomorpelanggan: customerNo }, mmbcPaymentAnswer),
    status: (invoice, customerNo) =>
      call('ppob/cekstatus', { invoice, ppob_nomorpelanggan: customerNo }, mmbcPaymentAnswer),
    merchants: () => call<MerchantRow[]>('multipayment/list_merchant', {}, merchantListAnswer),
    inquireMerchant: (code, accountNo, amount) =>
      call('multipayment/inquiry_merchant', merchant(code, accountNo, amount), merchantInquiryAnswer),
    reload: (code, accountNo, amount) =>
      call('multipayment/reload_merchant', { ...merchant(code, accountNo, amount), direct: '0' }, merchantReloadAnswer),
    reloadStatus: (invoice) => call('multipayment/status_reload', { invoice }, merchantReloadAnswer),
    close: () => agent.close(),
  };
}

function isRefusal(answer: unknown): answer is MmbcRefusal {
  return !Array.isArray(answer) && (answer as { result?: unknown } | null)?.result === 'no';
}
