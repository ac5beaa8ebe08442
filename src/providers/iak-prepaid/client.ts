/**
 * The IAK prepaid HTTP API (v2): JSON POSTs to `api/pricelist`, `api/top-up`, `api/check-status` and
 * `api/inquiry-pln` below IAK_PREPAID_BASE_URL, each signed (sign.ts). IAK answers with HTTP 200, or 400 for a
 * request it refused, both carrying `data.rc`; any other status, a timeout or a network error is
 * ProviderUnreachable ("we do not know"), a body we cannot read ProviderUnreadable, a price list IAK refused
 * ProviderRefused ("it said no").
 */
import { ProviderRefused } from '../errors.ts';
import { keepAliveAgent, postText } from '../http.ts';
import { readAnswer } from '../read.ts';
import { createRedactor, type Redactor } from '../redact.ts';
import {
  type PlnInquiry,
  type PrepaidPriceRow,
  type PrepaidTx,
  plnInquiryAnswer,
  prepaidPriceAnswer,
  prepaidTxAnswer,
  readPriceRows,
} from './schemas.ts';
import { type IakCredentials, signCheckStatus, signPlnInquiry, signPriceList, signTopUp, standingSignatures } from './sign.ts';

export interface IakPrepaidClientOptions extends IakCredentials {
  /** e.g. `https://prepaid.iak.id`; the endpoints are `api/…` below it. */
  baseUrl: string;
  timeoutMs: number;
}

export interface TopUpRequest {
  /** Our transaction id: IAK's idempotency key, and what check-status asks by. */
  refId: string;
  customerId: string;
  productCode: string;
}

/** `raw` is the parsed body without the credentials, for the transaction record. */
export interface PrepaidResult {
  answer: PrepaidTx;
  raw: unknown;
}

export interface IakPrepaidClient {
  priceList(): Promise<PrepaidPriceRow[]>;
  topUp(req: TopUpRequest): Promise<PrepaidResult>;
  checkStatus(refId: string): Promise<PrepaidResult>;
  inquirePln(customerId: string): Promise<{ answer: PlnInquiry; raw: unknown }>;
  close(): Promise<void>;
}

export const PROVIDER = 'iak-prepaid';

/** The identifiers a top-up is made, asked about and delivered by: never rewritten (see redacting.ts). */
const IDS = ['refId', 'trId', 'customerId', 'productCode', 'sn', 'pin'] as const;

export function createIakPrepaidClient(options: IakPrepaidClientOptions): IakPrepaidClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const agent = keepAliveAgent();
  // The key and the price list's standing sign are as good as the key; a call's own sign (top-up, status) only
  // for that ref_id, but no one's business either: IAK's messages may quote the request they refuse.
  const secrets = [options.apiKey, ...standingSignatures(options)];
  const standing = createRedactor(secrets);

  async function post(operation: string, body: Record<string, string>): Promise<string> {
    const { text } = await postText(agent, {
      provider: PROVIDER,
      operation,
      url: `${base}/${operation}`,
      contentType: 'application/json',
      body: JSON.stringify({ username: options.username, ...body }),
      timeoutMs: options.timeoutMs,
      answers: (status) => status === 200 || status === 400,
    });
    return text;
  }

  async function transaction(operation: string, body: Record<string, string> & { sign: string }): Promise<PrepaidResult> {
    const redactor = createRedactor([...secrets, body.sign]);
    const { data, json } = readAnswer(PROVIDER, operation, await post(operation, body), prepaidTxAnswer, redactor);
    return { answer: cleanTx(data.data, redactor), raw: json };
  }

  return {
    async priceList() {
      const op = 'api/pricelist';
      const { data } = readAnswer(PROVIDER, op, await post(op, { status: 'all', sign: signPriceList(options) }), prepaidPriceAnswer, standing);
      const d = data.data;
      const list = Array.isArray(d) ? d : d.pricelist;
      if (!list) {
        const said = Array.isArray(d) ? undefined : d;
        throw new ProviderRefused(PROVIDER, op, standing.text(`${said?.message ?? 'no price list'} (RC ${said?.rc ?? '?'})`));
      }
      return readPriceRows(list).rows;
    },
    topUp: ({ refId, customerId, productCode }) =>
      transaction('api/top-up', { ref_id: refId, customer_id: customerId, product_code: productCode, sign: signTopUp(options, refId) }),
    checkStatus: (refId) => transaction('api/check-status', { ref_id: refId, sign: signCheckStatus(options, refId) }),
    async inquirePln(customerId) {
      const op = 'api/inquiry-pln';
      const sign = signPlnInquiry(options, customerId);
      const redactor = createRedactor([...secrets, sign]);
      const { data, json } = readAnswer(PROVIDER, op, await post(op, { customer_id: customerId, sign }), plnInquiryAnswer, redactor);
      const clean = redactor.deep(data.data);
      return { answer: clean === data.data ? clean : { ...clean, customer_id: data.data.customer_id, meter_no: data.data.meter_no }, raw: json };
    },
    close: () => agent.close(),
  };
}

/** IAK's words without the credentials; its identifiers (ref_id, SN, voucher pin…) exactly as given. */
function cleanTx(answer: PrepaidTx, redactor: Redactor): PrepaidTx {
  const clean = redactor.deep(answer);
  if (clean === answer) return answer;
  const out: PrepaidTx = { ...clean };
  for (const key of IDS) if (answer[key] !== undefined) out[key] = answer[key];
  return out;
}
