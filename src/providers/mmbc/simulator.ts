/**
 * A stand-in for MMBC's PPOB and multipayment APIs over real HTTP on loopback, for sandbox mode, tests and
 * benchmarks. It speaks the documented API and keeps its own book of every payment it made, so the bot's
 * books can be compared with "the provider's" after a soak.
 */
import { BAD_GATEWAY, createSleeper, serveSim, type SimAnswer } from '../sim-kit.ts';
import { simBill, simPaymentFields } from './sim-bills.ts';
import { priceRow, SIM_PRODUCTS, simProduct } from './sim-catalogue.ts';
import { createMultipaymentSim, MULTIPAYMENT_OPS, type MultipaymentOp, type SimReload } from './sim-multipayment.ts';
import { wib } from './sim-time.ts';

/**
 * `inquiry-down` answers the inquiry with HTTP 502 (the router falls over to the other provider);
 * `refund` and `refund-later` are e-wallet top-ups MMBC reverses, at once or at the status check;
 * `leak-password` and `inquiry-leak-password` refuse the payment or the inquiry with a text quoting the
 * password the request came with, as typed and URL-encoded, as a careless biller's login error would.
 */
export type SimFault =
  | 'pending'
  | 'hang'
  | 'refuse'
  | 'http502'
  | 'garbage'
  | 'inquiry-refuse'
  | 'inquiry-down'
  | 'refund'
  | 'refund-later'
  | 'leak-password'
  | 'inquiry-leak-password';

export interface SimPayment {
  invoice: string;
  code: string;
  customerNo: string;
  customerName: string;
  bill: number;
  debit: number;
  status: 'confirm' | 'pending' | 'gagal';
  /** MMBC's own format, WIB: `2026-11-02 14:05:09`. */
  time: string;
  token?: string;
}

export interface MmbcSimulatorOptions {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  delayMs?: number;
  hangMs?: number;
  /** The agent's deposit with the simulated MMBC (default Rp 10 billion: about 40,000 PLN bills). */
  saldo?: number;
}

export interface MmbcSimulator {
  /** The base URL, like `http://127.0.0.1:PORT/json`. */
  url: string;
  close(): Promise<void>;
  payments: SimPayment[];
  /** E-wallet top-ups it made (multipayment). */
  reloads: SimReload[];
  calls: Record<string, number>;
  setDelay(ms: number): void;
  setFault(customerNo: string, fault: SimFault | null): void;
}

const BUILT_IN_FAULTS: Record<string, SimFault> = {
  '500000000001': 'pending',
  '500000000002': 'hang',
  '500000000003': 'refuse',
  '500000000004': 'http502',
  '500000000009': 'inquiry-refuse',
  '532199887766': 'inquiry-down',
  '081200000001': 'pending',
  '081200000002': 'hang',
  '081200000003': 'refund',
  '081200000004': 'http502',
  '081200000005': 'refund-later',
  '081200000006': 'refuse',
  '081200000009': 'inquiry-refuse',
};

const NO_DUMMY = 'Please, request with your user! No dummy!';
const GARBAGE = '<br />\n<b>Warning</b>:  mysqli_connect(): (HY000/1040): Too many connections in <b>/var/www/json/ppob.php</b>';
const OPS = ['daftarharga', 'cektagihan', 'bayartagihan', 'cekstatus'] as const;
type Op = (typeof OPS)[number];
type Answer = SimAnswer;

export async function startMmbcSimulator(opts: MmbcSimulatorOptions = {}): Promise<MmbcSimulator> {
  const username = opts.username ?? 'sandbox';
  const password = opts.password ?? 'sandbox';
  const hangMs = opts.hangMs ?? 120_000;
  let delayMs = opts.delayMs ?? 0;
  let saldo = opts.saldo ?? 10_000_000_000;
  let nextInvoice = 310_000_000;

  const payments: SimPayment[] = [];
  const byInvoice = new Map<string, { payment: SimPayment; answer: Record<string, string> }>();
  const calls: Record<string, number> = Object.fromEntries([...OPS, ...MULTIPAYMENT_OPS].map((op) => [op, 0]));
  const faults = new Map<string, SimFault>();
  const sleeper = createSleeper();
  const { sleep } = sleeper;

  const faultOf = (customerNo: string) => faults.get(customerNo) ?? BUILT_IN_FAULTS[customerNo];
  const multipayment = createMultipaymentSim({
    faultOf,
    sleep,
    hangMs,
    garbage: GARBAGE,
    saldo: () => saldo,
    debit(amount) {
      if (saldo < amount) return false;
      saldo -= amount;
      return true;
    },
    nextInvoice: () => String(nextInvoice++),
  });

  function inquire(code: string, customerNo: string): Answer {
    const product = simProduct(code);
    if (!product) return no(`ERROR ${code}: PRODUK TIDAK DIKENAL`);
    if (!product.ready) return no(`ERROR ${product.code}: PRODUK SEDANG GANGGUAN`);
    if (faultOf(customerNo) === 'inquiry-refuse') return no(`ERROR ${product.code} ${customerNo}: IDPEL TIDAK DITEMUKAN`);
    if (faultOf(customerNo) === 'inquiry-down') return BAD_GATEWAY;
    const bill = simBill(product, customerNo, new Date());
    if ('refuse' in bill) return no(bill.refuse);
    return {
      body: {
        result: 'ok',
        ppob_tanggal: wib(new Date()),
        ppob_produk: product.name,
        ppob_kodeproduk: product.code,
        ppob_namapelanggan: bill.name,
        ppob_nomorpelanggan: customerNo,
        ...bill.fields,
        ppob_totaltagihan: String(bill.bill),
        ...(product.nominal === undefined ? {} : { ppob_debet_token: String(bill.debit) }),
        ppob_admin: String(bill.admin),
        ppob_totalbayar: String(bill.total),
        ppob_debet: String(bill.debit),
        ppob_kodeagen: 'SBX-000001',
      },
    };
  }

  async function pay(code: string, customerNo: string): Promise<Answer> {
    const product = simProduct(code);
    if (!product) return no(`ERROR ${code}: PRODUK TIDAK DIKENAL`);
    if (!product.ready) return no(`ERROR ${product.code}: PRODUK SEDANG GANGGUAN`);
    const fault = faultOf(customerNo);
    if (fault === 'refuse') return no(`ERROR ${product.code} ${customerNo}: TRANSAKSI GAGAL`);
    if (fault === 'inquiry-refuse') return no(`ERROR ${product.code} ${customerNo}: IDPEL TIDAK DITEMUKAN`);
    const bill = simBill(product, customerNo, new Date());
    if ('refuse' in bill) return no(bill.refuse);
    if (saldo < bill.debit) return { body: { result: 'no', saldo: String(saldo), reason: `Mohon maaf, sisa saldo anda SBX-000001 tidak cukup! Sisa saldo Rp. ${saldo}` } };

    saldo -= bill.debit;
    const invoice = String(nextInvoice++);
    const now = new Date();
    const extra = simPaymentFields(product, bill, customerNo, invoice);
    const payment: SimPayment = {
      invoice,
      code: product.code,
      customerNo,
      customerName: bill.name,
      bill: bill.bill,
      debit: bill.debit,
      status: fault === 'pending' ? 'pending' : 'confirm',
      time: wib(now),
      ...(extra.ppob_stroomtoken ? { token: extra.ppob_stroomtoken.replaceAll(' ', '') } : {}),
    };
    const answer: Record<string, string> = {
      result: 'ok',
      ppob_invoice: invoice,
      ppob_produk: product.name,
      ppob_kodeproduk: product.code,
      ppob_tanggal: payment.time,
      ppob_nomorpelanggan: customerNo,
      ppob_namapelanggan: bill.name,
      ...bill.fields,
      ...extra,
      ppob_totaltagihan: String(bill.bill),
      ppob_admin: String(bill.admin),
      ppob_totalbayar: String(bill.total),
      ppob_reff: product.nominal === undefined ? `SBX${invoice}${customerNo.slice(-4)}` : '-',
      ppob_debet: String(bill.debit),
      ppob_kodeagen: 'SBX-000001',
    };
    payments.push(payment);
    byInvoice.set(invoice, { payment, answer });

    // Each fault below happens after the money moved: the bot must not take them for a failure.
    if (fault === 'hang') await sleep(hangMs);
    if (fault === 'http502') return BAD_GATEWAY;
    if (fault === 'garbage') return { body: GARBAGE };
    return { body: { ...answer, ppob_saldo: String(saldo), ppob_status: payment.status } };
  }

  function status(invoice: string, customerNo: string): Answer {
    const entry = byInvoice.get(invoice.trim());
    if (!entry || entry.payment.customerNo !== customerNo) return no('No Data!');
    const { payment } = entry;
    const answered = payment.status;
    // A pending payment settles once it has been asked about: the first check still sees it pending.
    if (payment.status === 'pending') payment.status = 'confirm';
    return { body: { ...entry.answer, ppob_status: answered } };
  }

  async function handle(op: Op | MultipaymentOp, params: Record<string, string>): Promise<Answer> {
    if (params.username !== username || params.password !== password) return no(NO_DUMMY);
    if (isMultipayment(op)) return multipayment.handle(op, params);
    const code = params.ppob_kodeproduk ?? '';
    const customerNo = (params.ppob_nomorpelanggan ?? '').trim();
    const fault = faultOf(customerNo);
    if ((op === 'cektagihan' && fault === 'inquiry-leak-password') || (op === 'bayartagihan' && fault === 'leak-password')) {
      return quotingPassword(params.password ?? '');
    }
    switch (op) {
      case 'daftarharga':
        return { body: SIM_PRODUCTS.map(priceRow) };
      case 'cektagihan':
        return inquire(code, customerNo);
      case 'bayartagihan':
        return pay(code, customerNo);
      case 'cekstatus':
        return status(params.invoice ?? '', customerNo);
    }
  }

  const server = await serveSim({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, prefix: '/json' }, async (req, raw) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const op = OPS.find((o) => path.endsWith(`/ppob/${o}`)) ?? MULTIPAYMENT_OPS.find((o) => path.endsWith(`/multipayment/${o}`));
    if (!op || req.method !== 'POST') return undefined;
    calls[op] = (calls[op] ?? 0) + 1;
    const answer = await handle(op, parseParams(req.headers['content-type'], raw));
    await sleep(delayMs);
    return answer;
  }, sleeper.wakeAll);

  return {
    url: server.url,
    payments,
    reloads: multipayment.reloads,
    calls,
    setDelay: (ms) => {
      delayMs = ms;
    },
    setFault: (customerNo, fault) => {
      if (fault) faults.set(customerNo, fault);
      else faults.delete(customerNo);
    },
    close: () => server.close(),
  };
}

function quotingPassword(password: string): Answer {
  const reason = `LOGIN GAGAL: password ${password} salah (password=${encodeURIComponent(password)})`;
  return { body: { result: 'no', reason, message: `password ${password} salah` } };
}

function no(reason: string): Answer {
  return { body: { result: 'no', reason } };
}

/** Form-encoded like the documents say, or JSON, which MMBC also takes. */
function parseParams(contentType: string | undefined, raw: string): Record<string, string> {
  if (contentType?.includes('json')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
      }
    } catch {
      // an unreadable body carries no credentials, so it is answered like one without them
    }
    return {};
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function isMultipayment(op: string): op is MultipaymentOp {
  return (MULTIPAYMENT_OPS as readonly string[]).includes(op);
}
