/**
 * The IAK postpaid HTTP API: every call a JSON POST to `api/v1/bill/check`, each signed (sign.ts). IAK answers
 * with HTTP 200, or 400 for a refused request, both carrying `data.response_code`; any other status, a
 * timeout or a network error is ProviderUnreachable, a body we cannot read ProviderUnreadable.
 */
import { keepAliveAgent, postText } from '../http.ts';
import { readAnswer } from '../read.ts';
import { ProviderRefused } from '../errors.ts';
import { type IakBill, type IakPriceRow, iakBillAnswer, iakPriceAnswer } from './schemas.ts';
import { type IakCredentials, signInquiry, signPayment, signPriceList, signStatus } from './sign.ts';

export interface IakClientOptions extends IakCredentials {
  /** e.g. `https://mobilepulsa.net`; the endpoint is `api/v1/bill/check` below it. */
  baseUrl: string;
  timeoutMs: number;
}

/** `raw` is the parsed body, for the transaction record. */
export interface IakResult {
  answer: IakBill;
  raw: unknown;
}

export interface IakClient {
  priceList(): Promise<IakPriceRow[]>;
  inquire(code: string, hp: string, refId: string): Promise<IakResult>;
  pay(trId: string): Promise<IakResult>;
  status(refId: string): Promise<IakResult>;
  close(): Promise<void>;
}

const PROVIDER = 'iak';
const PATH = 'api/v1/bill/check';

export function createIakClient(options: IakClientOptions): IakClient {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/${PATH}`;
  const agent = keepAliveAgent();
  const secrets = [options.apiKey];

  async function post(operation: string, body: Record<string, string>): Promise<string> {
    const { text } = await postText(agent, {
      provider: PROVIDER,
      operation,
      url,
      contentType: 'application/json',
      body: JSON.stringify({ commands: operation, username: options.username, ...body }),
      timeoutMs: options.timeoutMs,
      answers: (status) => status === 200 || status === 400,
    });
    return text;
  }

  async function bill(operation: string, body: Record<string, string>): Promise<IakResult> {
    const { data, json } = readAnswer(PROVIDER, operation, await post(operation, body), iakBillAnswer, secrets);
    return { answer: data.data, raw: json };
  }

  return {
    async priceList() {
      const op = 'pricelist-pasca';
      const text = await post(op, { status: 'all', sign: signPriceList(options) });
      const { data } = readAnswer(PROVIDER, op, text, iakPriceAnswer, secrets);
      const d = data.data;
      if (!d.pasca) throw new ProviderRefused(PROVIDER, op, `${d.message ?? 'no price list'} (RC ${d.response_code ?? d.rc ?? '?'})`);
      return d.pasca;
    },
    inquire: (code, hp, refId) => bill('inq-pasca', { code, hp, ref_id: refId, sign: signInquiry(options, refId) }),
    pay: (trId) => bill('pay-pasca', { tr_id: trId, sign: signPayment(options, trId) }),
    status: (refId) => bill('checkstatus', { ref_id: refId, sign: signStatus(options, refId) }),
    close: () => agent.close(),
  };
}
