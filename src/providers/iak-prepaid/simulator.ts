/**
 * A stand-in for IAK's prepaid API (v2) over real HTTP on loopback, for sandbox mode, tests and the soak. It
 * checks every request's sign by IAK's rules (sign.ts), answers a top-up PROCESS, and a few seconds later
 * POSTs IAK's callback, signed as IAK signs it, to the configured callback URL, retrying a refused one.
 *
 * It keeps its own book of top-ups, one per ref_id: a ref_id sent again is answered with that top-up's
 * status, as IAK documents, and counted in `repeats`, so "0 double top-ups" can be checked against it.
 */
import type { IncomingMessage } from 'node:http';
import { BAD_GATEWAY, createSleeper, hash, serveSim, type SimAnswer } from '../sim-kit.ts';
import { DEMO_FAULTS, DEMO_METERS, type IakPrepaidSimFault } from './demo.ts';
import { numberFits, type ProductOperator } from './phone.ts';
import { SIM_PRICE_LIST, type SimPriceRow } from './sim-products.ts';
import { type IakCredentials, signCallback, signCheckStatus, signPlnInquiry, signPriceList, signTopUp } from './sign.ts';

export { DEMO_NUMBERS, type IakPrepaidDemoNumber, type IakPrepaidSimFault } from './demo.ts';

export interface IakPrepaidSimulatorOptions extends Partial<IakCredentials> {
  host?: string;
  port?: number;
  /** Where IAK's callbacks go (the bot's `POST /iak/callback`); none, none are sent. */
  callbackUrl?: string;
  /** From the top-up to its outcome and callback; IAK says 1 to 30 s. Default 2000. */
  callbackDelayMs?: number;
  /** Attempts at a callback the bot does not answer 200, and the wait between them. Default 3 and 1000 ms. */
  callbackAttempts?: number;
  callbackRetryMs?: number;
  /** Callback field names: IAK's version 1 (`code`, `hp`, as its examples and real callbacks) or 2. Default 1. */
  callbackVersion?: 1 | 2;
  /** A ref_id sent again: answered with its status (IAK's documented rule) or `11 DUPLICATE REF ID`. */
  duplicateAnswer?: 'status' | 'refusal';
  /** How long a `timeout` or `lost` top-up's answer hangs. Default 120000. */
  hangMs?: number;
  /** Our deposit at IAK: a top-up dearer than what is left is refused, 17 INSUFFICIENT DEPOSIT. */
  balance?: number;
}

export type SimTopUpState = 'process' | 'success' | 'failed';

export interface SimTopUp {
  refId: string;
  trId: string;
  productCode: string;
  customerId: string;
  price: number;
  state: SimTopUpState;
  rc: string;
  message: string;
  sn?: string;
  pin?: string;
}

export interface SimCallbackAttempt {
  refId: string;
  state: SimTopUpState;
  /** The bot's HTTP status, or 0 when it could not be reached. */
  answered: number;
}

export interface IakPrepaidSimulator {
  /** The base URL, like `http://127.0.0.1:PORT`; the endpoints are `api/…` below it. */
  url: string;
  username: string;
  apiKey: string;
  /** The top-ups made, one per ref_id. */
  topUps: ReadonlyMap<string, SimTopUp>;
  /** Top-up requests under a ref_id already used: never topped up again, but never expected either. */
  readonly repeats: number;
  /** Requests per endpoint, and `badSign` for the ones refused for their signature. */
  calls: Record<string, number>;
  callbacks: SimCallbackAttempt[];
  setCallbackUrl(url: string | undefined): void;
  setFault(customerId: string, fault: IakPrepaidSimFault | null): void;
  /** Posts a final top-up's callback again (IAK retrying); the bot's HTTP status. */
  resendCallback(refId: string): Promise<number>;
  /** Settles once every callback planned so far has been sent. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const ENDPOINTS = ['pricelist', 'top-up', 'check-status', 'inquiry-pln'] as const;
const GARBAGE = '<html><head><title>Maintenance</title></head><body>Service temporarily unavailable</body></html>';
const SUCCESS = { rc: '00', message: 'SUCCESS' };
const PROCESS = { rc: '39', message: 'PROCESS' };

export async function startIakPrepaidSimulator(opts: IakPrepaidSimulatorOptions = {}): Promise<IakPrepaidSimulator> {
  const creds: IakCredentials = { username: opts.username ?? 'sandbox', apiKey: opts.apiKey ?? 'sandbox-key' };
  const delayMs = opts.callbackDelayMs ?? 2000;
  const attempts = opts.callbackAttempts ?? 3;
  const retryMs = opts.callbackRetryMs ?? 1000;
  const hangMs = opts.hangMs ?? 120_000;
  const version = opts.callbackVersion ?? 1;
  let callbackUrl = opts.callbackUrl;
  const sleeper = createSleeper();
  const topUps = new Map<string, SimTopUp>();
  const faults = new Map<string, IakPrepaidSimFault>();
  const calls: Record<string, number> = Object.fromEntries([...ENDPOINTS, 'badSign'].map((c) => [c, 0]));
  const callbacks: SimCallbackAttempt[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let repeats = 0;
  let closed = false;
  let nextTrId = 3482;
  let balance = opts.balance ?? 997_061_249;

  const faultOf = (customerId: string) => faults.get(customerId) ?? DEMO_FAULTS.get(customerId);
  const answer = (data: object, status = 200): SimAnswer => ({ status, body: { data } });
  const refusal = (rc: string, message: string, status = 400) => answer({ rc, message }, status);
  const later = (task: () => Promise<void>) => {
    const p = task().catch(() => {});
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  function txData(t: SimTopUp): Record<string, unknown> {
    const status = t.state === 'process' ? 0 : t.state === 'success' ? 1 : 2;
    return {
      ref_id: t.refId, status, product_code: t.productCode, customer_id: t.customerId, price: t.price, message: t.message,
      ...(t.sn ? { sn: t.sn } : {}), ...(t.pin ? { pin: t.pin } : {}), balance, tr_id: Number(t.trId), rc: t.rc,
    };
  }

  /** What IAK posts: every value a string, v1 or v2 names, signed. */
  function callbackBody(t: SimTopUp): string {
    const d = txData(t);
    const { product_code, customer_id, ...rest } = d;
    const named = version === 1 ? { ...rest, code: product_code, hp: customer_id } : d;
    const strings = Object.fromEntries(Object.entries(named).map(([k, v]) => [k, String(v)]));
    return JSON.stringify({ data: { ...strings, sign: signCallback(creds, t.refId) } });
  }

  async function postCallback(t: SimTopUp): Promise<number> {
    if (!callbackUrl || closed) return 0;
    let answered = 0;
    try {
      const res = await fetch(callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: callbackBody(t),
        signal: AbortSignal.timeout(10_000),
      });
      answered = res.status;
      await res.arrayBuffer();
    } catch {
      answered = 0;
    }
    callbacks.push({ refId: t.refId, state: t.state, answered });
    return answered;
  }

  function finish(t: SimTopUp, state: 'success' | 'failed'): void {
    if (t.state !== 'process') return;
    t.state = state;
    if (state === 'success') {
      Object.assign(t, SUCCESS, delivery(t));
    } else {
      Object.assign(t, { rc: '07', message: 'FAILED' });
      balance += t.price;
    }
  }

  /** After the delay, the outcome and its callback, retried while the bot does not answer 200. */
  function plan(t: SimTopUp, fault: IakPrepaidSimFault | undefined): void {
    if (fault === 'pending') return;
    later(async () => {
      await sleeper.sleep(delayMs);
      if (closed) return;
      finish(t, fault === 'callback-fail' ? 'failed' : 'success');
      for (let i = 0; i < attempts && callbackUrl && !closed; i++) {
        if ((await postCallback(t)) === 200 || closed) return;
        if (i < attempts - 1) await sleeper.sleep(retryMs);
      }
    });
  }

  function delivery(t: SimTopUp): Pick<SimTopUp, 'sn' | 'pin'> {
    const h = hash(`${t.refId}|${t.customerId}`);
    const digits = (n: number, seed: string) => {
      let out = '';
      for (let i = 0; out.length < n; i++) out += String(hash(`${seed}|${i}`) % 1_000_000_000).padStart(9, '0');
      return out.slice(0, n);
    };
    const product = SIM_PRICE_LIST.find((p) => p.product_code === t.productCode);
    switch (product?.product_type) {
      case 'pln': {
        const meter = DEMO_METERS.get(t.customerId);
        const token = digits(20, t.refId).replace(/(\d{4})(?=\d)/g, '$1-');
        const kwh = ((Number(product.product_nominal) / 1444.7) * 10).toFixed(0);
        return { sn: `${token}/${meter?.name ?? 'PELANGGAN'}/${meter?.segment ?? 'R1 /000001300'}/${Number(kwh) / 10}` };
      }
      case 'game':
        return { sn: digits(16, t.refId).replace(/(\d{4})(?=\d)/g, '$1-'), pin: digits(9, `${t.refId}|pin`) };
      case 'voucher':
        return { sn: `${(h % 0xffffffff).toString(36).toUpperCase().padStart(8, 'X')}SBX / 2027-12-31` };
      case 'etoll':
        return { sn: `DEMO ${product.product_description.toUpperCase()} ${digits(15, t.refId)}` };
      default:
        return { sn: digits(18, t.refId) };
    }
  }

  async function topUp(p: Record<string, unknown>): Promise<SimAnswer> {
    const refId = String(p.ref_id ?? '').trim();
    const customerId = String(p.customer_id ?? '').trim();
    const code = String(p.product_code ?? '').trim().toLowerCase();
    if (!refId || !customerId || !code) return refusal('107', 'ERROR IN XML FORMAT');
    const known = topUps.get(refId);
    if (known) {
      repeats++;
      // IAK: "If you top up again with the same ref_id, … it will become check status."
      if (opts.duplicateAnswer === 'refusal') return answer({ rc: '11', message: 'DUPLICATE REF ID' });
      return answer(txData(known));
    }
    const product = SIM_PRICE_LIST.find((x) => x.product_code === code);
    if (!product) return refusal('20', 'CODE NOT FOUND');
    if (product.status !== 'active') return refusal('106', 'PRODUCT IS TEMPORARILY OUT OF SERVICE');
    const fault = faultOf(customerId);
    if (fault === 'lost') {
      // Never reached IAK: no record, and the client gives up waiting.
      await sleeper.sleep(hangMs);
      return { status: 504, body: 'Gateway Timeout' };
    }
    const wrong = numberProblem(product, customerId);
    const t: SimTopUp = { refId, trId: String(nextTrId++), productCode: product.product_code, customerId, price: product.product_price, state: 'process', ...PROCESS };
    topUps.set(refId, t);
    if (wrong || fault === 'refuse') {
      Object.assign(t, { state: 'failed' as const }, wrong ?? { rc: '13', message: 'CUSTOMER NUMBER BLOCKED' });
      return answer(txData(t));
    }
    if (balance < t.price) {
      Object.assign(t, { state: 'failed' as const, rc: '17', message: 'INSUFFICIENT DEPOSIT' });
      return answer(txData(t));
    }
    balance -= t.price;
    plan(t, fault);
    // Each fault below comes after IAK took the top-up: the bot must not take them for a failure.
    if (fault === 'timeout') {
      await sleeper.sleep(hangMs);
      return answer(txData(t));
    }
    if (fault === 'garbage') return { body: GARBAGE };
    if (fault === 'http502') return BAD_GATEWAY;
    return answer(txData(t));
  }

  function checkStatus(p: Record<string, unknown>): SimAnswer {
    const t = topUps.get(String(p.ref_id ?? '').trim());
    if (!t) return answer({ rc: '06', message: 'TRANSACTION NOT FOUND' });
    // The one that waits for a status check: done once asked about, and no callback.
    if (t.state === 'process' && faultOf(t.customerId) === 'pending') finish(t, 'success');
    return answer(txData(t));
  }

  function inquirePln(p: Record<string, unknown>): SimAnswer {
    const customerId = String(p.customer_id ?? '').trim();
    if (faultOf(customerId) === 'inquiry-down') return BAD_GATEWAY;
    const meter = DEMO_METERS.get(customerId);
    if (!meter) return answer({ status: '2', customer_id: customerId, rc: '14', message: 'INCORRECT DESTINATION NUMBER' });
    return answer({
      status: '1', customer_id: customerId, meter_no: meter.meterNo, subscriber_id: customerId, name: meter.name,
      segment_power: meter.segment, message: 'SUCCESS', rc: '00',
    });
  }

  function priceList(p: Record<string, unknown>, type?: string, operator?: string): SimAnswer {
    const status = String(p.status ?? 'all').toLowerCase();
    const rows = SIM_PRICE_LIST.filter(
      (r) =>
        (!type || r.product_type === type) &&
        (!operator || r.product_description.toLowerCase().replace(/\W+/g, '_') === operator) &&
        (status === 'all' || r.status === status),
    );
    return answer({ pricelist: rows, rc: '00', message: 'SUCCESS' });
  }

  function signed(endpoint: string, p: Record<string, unknown>): boolean {
    if (p.username !== creds.username || typeof p.sign !== 'string') return false;
    const expected: Record<string, () => string> = {
      pricelist: () => signPriceList(creds),
      'top-up': () => signTopUp(creds, String(p.ref_id ?? '')),
      'check-status': () => signCheckStatus(creds, String(p.ref_id ?? '')),
      'inquiry-pln': () => signPlnInquiry(creds, String(p.customer_id ?? '')),
    };
    return expected[endpoint]?.() === p.sign;
  }

  async function handle(req: IncomingMessage, raw: string): Promise<SimAnswer | undefined> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const m = /^\/api\/(pricelist|top-up|check-status|inquiry-pln)(?:\/([^/]+))?(?:\/([^/]+))?\/?$/.exec(path);
    if (!m || req.method !== 'POST') return undefined;
    const endpoint = m[1]!;
    let p: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      p = parsed as Record<string, unknown>;
    } catch {
      return refusal('107', 'ERROR IN XML FORMAT');
    }
    calls[endpoint] = (calls[endpoint] ?? 0) + 1;
    if (!signed(endpoint, p)) {
      calls.badSign = (calls.badSign ?? 0) + 1;
      return refusal('204', 'WRONG AUTHENTICATION');
    }
    switch (endpoint) {
      case 'pricelist':
        return priceList(p, m[2], m[3]);
      case 'top-up':
        return topUp(p);
      case 'check-status':
        return checkStatus(p);
      default:
        return inquirePln(p);
    }
  }

  const server = await serveSim({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 }, handle, sleeper.wakeAll);
  return {
    url: server.url,
    username: creds.username,
    apiKey: creds.apiKey,
    topUps,
    get repeats() {
      return repeats;
    },
    calls,
    callbacks,
    setCallbackUrl(url) {
      callbackUrl = url;
    },
    setFault(customerId, fault) {
      if (fault) faults.set(customerId, fault);
      else faults.delete(customerId);
    },
    async resendCallback(refId) {
      const t = topUps.get(refId);
      return t && t.state !== 'process' ? postCallback(t) : 0;
    },
    async idle() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
    async close() {
      closed = true;
      await server.close();
      await Promise.all([...inFlight]);
    },
  };
}

/** Whom IAK's pulsa and data codes top up, by their stem (IAK's prefix list names them so). */
const STEMS: ReadonlyArray<[RegExp, ProductOperator]> = [
  [/^(htelkomsel|tseldata)/, 'telkomsel'],
  [/^(hindosat|isatdata)/, 'indosat'],
  [/^(xld|xldata)/, 'xl'],
  [/^(haxis|axisdata)/, 'axis'],
  [/^(hthree|threedata)/, 'tri'],
  [/^hsmart/, 'smartfren'],
  [/^hbyu/, 'byu'],
];

/** IAK's own refusal of a number its product cannot take (the bot checks first; a direct caller may not). */
function numberProblem(product: SimPriceRow, customerId: string): { rc: string; message: string } | undefined {
  if (product.product_type === 'pln') return DEMO_METERS.has(customerId) ? undefined : { rc: '14', message: 'INCORRECT DESTINATION NUMBER' };
  if (!/^08\d{8,11}$/.test(customerId)) return { rc: '14', message: 'INCORRECT DESTINATION NUMBER' };
  const operator = STEMS.find(([stem]) => stem.test(product.product_code))?.[1];
  if (operator && !numberFits(operator, customerId)) return { rc: '16', message: 'NUMBER NOT MATCH WITH OPERATOR' };
  return undefined;
}
