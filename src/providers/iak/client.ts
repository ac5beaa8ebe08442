/**
 * The IAK postpaid HTTP API: every call a JSON POST to `api/v1/bill/check`, each signed (sign.ts). IAK answers
 * with HTTP 200, or 400 for a refused request, both carrying `data.response_code`; any other status, a
 * timeout or a network error is ProviderUnreachable, a body we cannot read ProviderUnreadable.
 */
import { keepAliveAgent, postText } from '../http.ts';
import { readAnswer } from '../read.ts';
import { createRedactor, type Redactor } from '../redact.ts';
import { ProviderRefused } from '../errors.ts';
import { type IakBill, type IakPriceRow, iakBillAnswer, iakPriceAnswer } from './schemas.ts';
import { type IakCredentials, signInquiry, signPayment, signPriceList, signStatus, standingSignatures } from './sign.ts';

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
  // The key, and the signatures made with it: IAK's messages may echo a request's sign. The standing ones are
  // as good as the key; a call's own sign is only good for that call, but is no one's business either.
  const secrets = [options.apiKey, ...standingSignatures(options)];
  const standing = createRedactor(secrets);

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

  async function bill(operation: string, body: Record<string, string> & { sign: string }): Promise<IakResult> {
    const redactor = createRedactor([...secrets, body.sign]);
    const { data, json } = readAnswer(PROVIDER, operation, await post(operation, body), iakBillAnswer, redactor);
    return { answer: cleanAnswer(data.data, redactor), raw: json };
  }

  return {
    async priceList() {
      const op = 'pricelist-pasca';
      const text = await post(op, { status: 'all', sign: signPriceList(options) });
      const { data } = readAnswer(PROVIDER, op, text, iakPriceAnswer, standing);
      const d = data.data;
      if (!d.pasca) throw new ProviderRefused(PROVIDER, op, standing.text(`${d.message ?? 'no price list'} (RC ${d.response_code ?? d.rc ?? '?'})`));
      return d.pasca;
    },
    inquire: (code, hp, refId) => bill('inq-pasca', { code, hp, ref_id: refId, sign: signInquiry(options, refId) }),
    pay: (trId) => bill('pay-pasca', { tr_id: trId, sign: signPayment(options, trId) }),
    status: (refId) => bill('checkstatus', { ref_id: refId, sign: signStatus(options, refId) }),
    close: () => agent.close(),
  };
}

/** The identifiers a payment is made and asked about by: codes and numbers, never rewritten (see redacting.ts). */
const IDS = ['tr_id', 'ref_id', 'hp', 'code', 'noref', 'no_ref'] as const;

/** IAK's words (its message, names, details, whatever else it sent) without the credentials; its identifiers as given. */
function cleanAnswer(answer: IakBill, redactor: Redactor): IakBill {
  const clean = redactor.deep(answer);
  if (clean === answer) return answer;
  const out: Record<string, unknown> = { ...clean };
  for (const key of IDS) if (key in answer) out[key] = (answer as Record<string, unknown>)[key];
  return out as IakBill;
}
