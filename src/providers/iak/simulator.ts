/**
 * A stand-in for IAK's postpaid API over real HTTP on loopback, for sandbox mode and tests. Every request's
 * signature is checked with IAK's rules (sign.ts); a wrong one is answered HTTP 400, response code 204.
 * It keeps its own book of the payments it made, and answers checkstatus by our ref_id.
 */
import type { IncomingMessage } from 'node:http';
import { BAD_GATEWAY, createSleeper, serveSim, type SimAnswer } from '../sim-kit.ts';
import { IAK_SIM_PRODUCTS, type IakSimBill, iakSimBill } from './sim-bills.ts';
import { type IakCredentials, signInquiry, signPayment, signPriceList, signStatus } from './sign.ts';

/**
 * `lost`: the payment never reaches IAK (checkstatus then says 42); `inquiry-down`: HTTP 502 at inquiry;
 * `leak-credentials`: the payment is refused with a message quoting the request's sign and the API key.
 */
export type IakSimFault =
  | 'pending'
  | 'hang'
  | 'refuse'
  | 'http502'
  | 'garbage'
  | 'lost'
  | 'inquiry-refuse'
  | 'inquiry-paid'
  | 'inquiry-down'
  | 'leak-credentials';

export interface IakSimPayment {
  trId: string;
  refId: string;
  code: string;
  hp: string;
  name: string;
  nominal: number;
  sellingPrice: number;
  time: string;
}

export interface IakSimulatorOptions extends Partial<IakCredentials> {
  host?: string;
  port?: number;
  hangMs?: number;
}

export interface IakSimulator {
  /** The base URL, like `http://127.0.0.1:PORT`; the endpoint is `api/v1/bill/check` below it. */
  url: string;
  username: string;
  apiKey: string;
  payments: IakSimPayment[];
  /** Requests per command, and `badSign` for the ones refused for their signature. */
  calls: Record<string, number>;
  setFault(hp: string, fault: IakSimFault | null): void;
  close(): Promise<void>;
}

const BUILT_IN_FAULTS: Record<string, IakSimFault> = {
  '539900000001': 'pending',
  '539900000002': 'hang',
  '539900000003': 'refuse',
  '539900000004': 'http502',
  '539900000005': 'garbage',
  '539900000006': 'lost',
  '539900000008': 'inquiry-paid',
  '539900000009': 'inquiry-refuse',
};

const COMMANDS = ['pricelist-pasca', 'inq-pasca', 'pay-pasca', 'checkstatus'] as const;
const GARBAGE = '<html><head><title>Maintenance</title></head><body>Service temporarily unavailable</body></html>';

interface Tr {
  trId: string;
  refId: string;
  code: string;
  hp: string;
  bill: IakSimBill;
  /** unpaid: never reached us; pending: paid, the biller still confirming; paid: done. */
  state: 'unpaid' | 'pending' | 'paid';
  payment?: IakSimPayment;
}

export async function startIakSimulator(opts: IakSimulatorOptions = {}): Promise<IakSimulator> {
  const creds: IakCredentials = { username: opts.username ?? 'sandbox', apiKey: opts.apiKey ?? 'sandbox-key' };
  const hangMs = opts.hangMs ?? 120_000;
  const sleeper = createSleeper();
  const payments: IakSimPayment[] = [];
  const calls: Record<string, number> = Object.fromEntries([...COMMANDS, 'badSign'].map((c) => [c, 0]));
  const faults = new Map<string, IakSimFault>();
  const byTrId = new Map<string, Tr>();
  const byRef = new Map<string, Tr>();
  let nextTrId = 9_732_792;
  let balance = 10_000_000_000;

  const faultOf = (hp: string) => faults.get(hp) ?? BUILT_IN_FAULTS[hp];
  const answer = (data: object, status = 200): SimAnswer => ({ status, body: { data, meta: [] } });
  const code = (rc: string, message: string, extra: object = {}, status = 200) => answer({ ...extra, response_code: rc, message }, status);

  function billData(tr: Tr): Record<string, unknown> {
    const b = tr.bill;
    return {
      tr_id: Number(tr.trId), code: tr.code, hp: tr.hp, tr_name: b.name, period: b.period, nominal: b.nominal, admin: b.admin,
      ref_id: tr.refId, price: b.price, selling_price: b.sellingPrice, desc: b.desc,
    };
  }

  function paidData(tr: Tr): Record<string, unknown> {
    const p = tr.payment!;
    return { ...billData(tr), datetime: p.time, balance, noref: `SBX${p.trId}${tr.hp.slice(-4)}` };
  }

  function inquire(p: Record<string, unknown>): SimAnswer {
    const refId = String(p.ref_id ?? '');
    const hp = String(p.hp ?? '').trim();
    const product = IAK_SIM_PRODUCTS.find((x) => x.code === String(p.code ?? '').toUpperCase());
    if (!refId) return code('03', 'INVALID REF ID');
    if (!product) return code('20', 'PRODUCT UNREGISTERED');
    if (product.status !== 1) return code('106', 'PRODUCT IS TEMPORARILY OUT OF SERVICE');
    if (byRef.has(refId)) return code('11', 'DUPLICATE REF ID');
    const fault = faultOf(hp);
    if (fault === 'inquiry-down') return BAD_GATEWAY;
    if (fault === 'inquiry-refuse') return code('14', 'INCORRECT DESTINATION NUMBER');
    if (fault === 'inquiry-paid') return code('34', 'BILL HAS BEEN PAID');
    const bill = iakSimBill(product, hp);
    if ('rc' in bill) return code(bill.rc, bill.message);
    const tr: Tr = { trId: String(nextTrId++), refId, code: product.code, hp, bill, state: 'unpaid' };
    byTrId.set(tr.trId, tr);
    byRef.set(refId, tr);
    return code('00', 'INQUIRY SUCCESS', billData(tr));
  }

  async function pay(p: Record<string, unknown>): Promise<SimAnswer> {
    const tr = byTrId.get(String(p.tr_id ?? ''));
    if (!tr) return code('06', 'INQUIRY ID NOT FOUND');
    // The one rule that keeps a payment single on IAK's side too: a tr_id pays once.
    if (tr.state !== 'unpaid') return code('01', 'INVOICE HAS BEEN PAID', billData(tr));
    const fault = faultOf(tr.hp);
    if (fault === 'refuse') return code('34', 'BILL HAS BEEN PAID', billData(tr));
    if (fault === 'leak-credentials') return code('204', `WRONG AUTHENTICATION: sign ${String(p.sign)} for key ${creds.apiKey}`, { ...billData(tr), sign: p.sign }, 400);
    if (fault === 'lost') {
      await sleeper.sleep(hangMs);
      return { status: 504, body: 'Gateway Timeout' };
    }
    if (balance < tr.bill.sellingPrice) return code('17', 'BALANCE NOT ENOUGH', billData(tr));
    balance -= tr.bill.sellingPrice;
    tr.payment = {
      trId: tr.trId, refId: tr.refId, code: tr.code, hp: tr.hp, name: tr.bill.name, nominal: tr.bill.nominal,
      sellingPrice: tr.bill.sellingPrice, time: ymdHis(new Date()),
    };
    tr.state = fault === 'pending' ? 'pending' : 'paid';
    payments.push(tr.payment);
    // Each fault below happens after the money moved: the bot must not take them for a failure.
    if (fault === 'hang') await sleeper.sleep(hangMs);
    if (fault === 'http502') return BAD_GATEWAY;
    if (fault === 'garbage') return { body: GARBAGE };
    if (tr.state === 'pending') return code('39', 'PENDING / TRANSACTION IN PROCESS', billData(tr));
    return code('00', 'PAYMENT SUCCESS', paidData(tr));
  }

  function status(p: Record<string, unknown>): SimAnswer {
    const tr = byRef.get(String(p.ref_id ?? ''));
    if (!tr) return code('06', 'TRANSACTION NOT FOUND');
    if (tr.state === 'unpaid') return code('42', "PAYMENT REQUEST HAVEN'T BEEN RECEIVED", { ...billData(tr), status: 0 });
    if (tr.state === 'pending') {
      // Settles once asked about: the first check still sees it in process, as a slow biller does.
      tr.state = 'paid';
      return code('39', 'PENDING / TRANSACTION IN PROCESS', { ...billData(tr), status: 3 });
    }
    return code('00', 'PAYMENT SUCCESS', { ...paidData(tr), status: 1 });
  }

  function signed(p: Record<string, unknown>): boolean {
    if (p.username !== creds.username || typeof p.sign !== 'string') return false;
    const expected: Record<string, () => string> = {
      'pricelist-pasca': () => signPriceList(creds),
      'inq-pasca': () => signInquiry(creds, String(p.ref_id ?? '')),
      'pay-pasca': () => signPayment(creds, String(p.tr_id ?? '')),
      checkstatus: () => signStatus(creds, String(p.ref_id ?? '')),
    };
    return expected[String(p.commands)]?.() === p.sign;
  }

  async function handle(req: IncomingMessage, raw: string): Promise<SimAnswer | undefined> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const m = /\/api\/v1\/bill\/check(?:\/([a-z]+))?\/?$/.exec(path);
    if (!m || req.method !== 'POST') return undefined;
    let p: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      p = parsed as Record<string, unknown>;
    } catch {
      return code('109', 'JSON FORMAT ERROR', {}, 400);
    }
    const command = String(p.commands ?? '');
    if (!(COMMANDS as readonly string[]).includes(command)) return code('101', 'INVALID COMMAND', {}, 400);
    calls[command] = (calls[command] ?? 0) + 1;
    if (!signed(p)) {
      calls.badSign = (calls.badSign ?? 0) + 1;
      return code('204', 'WRONG AUTHENTICATION', {}, 400);
    }
    switch (command) {
      case 'pricelist-pasca': {
        const type = m[1];
        const pasca = IAK_SIM_PRODUCTS.filter((x) => !type || x.type === type).map(({ code: c, name, status: s, fee, komisi, type: t }) => ({
          code: c, name, status: s, fee, komisi, type: t,
        }));
        return answer({ pasca, message: 'SUCCESS', rc: '00' });
      }
      case 'inq-pasca':
        return inquire(p);
      case 'pay-pasca':
        return pay(p);
      default:
        return status(p);
    }
  }

  const server = await serveSim({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 }, handle, sleeper.wakeAll);
  return {
    url: server.url,
    username: creds.username,
    apiKey: creds.apiKey,
    payments,
    calls,
    setFault(hp, fault) {
      if (fault) faults.set(hp, fault);
      else faults.delete(hp);
    },
    close: () => server.close(),
  };
}

/** IAK's `datetime`, `YmdHis` in Jakarta time. */
function ymdHis(date: Date): string {
  return new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace(/\D/g, '');
}
