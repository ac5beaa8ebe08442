/**
 * The simulator's multipayment half (e-wallet top-ups), answering the way mmbc-multipayment-api.txt shows:
 * keys with spaces, the inquiry's `"mercant code"` typo, amounts as strings, `CONFIRM` / `REFUND`.
 */
import { wibNow } from './sim-time.ts';

export type WalletFault = 'pending' | 'hang' | 'refuse' | 'http502' | 'garbage' | 'inquiry-refuse' | 'refund' | 'refund-later';

export interface SimReload {
  invoice: string;
  code: string;
  accountNo: string;
  receiver: string;
  amount: number;
  debit: number;
  status: 'CONFIRM' | 'PENDING' | 'REFUND';
  time: string;
}

type Answer = { status?: number; body: string | object };

export interface MultipaymentDeps {
  faultOf(accountNo: string): string | undefined;
  sleep(ms: number): Promise<void>;
  hangMs: number;
  /** Takes the debit from the simulated agent's saldo; false when it is too small. */
  debit(amount: number): boolean;
  saldo(): number;
  nextInvoice(): string;
  garbage: string;
}

export const SIM_MERCHANTS: ReadonlyArray<{ code: string; fee: number; cashback: number }> = [
  { code: 'GOPAY', fee: 2000, cashback: 1500 },
  { code: 'GRABPAY', fee: 2000, cashback: 1500 },
  { code: 'OVO', fee: 1500, cashback: 1000 },
  { code: 'DANA', fee: 1500, cashback: 1000 },
  { code: 'SHOPEEPAY', fee: 2000, cashback: 1500 },
  { code: 'PAYTREN', fee: 2000, cashback: 1500 },
];

const RECEIVERS: Record<string, string> = {
  '081234567890': 'BUDI SANTOSO',
  '081398765432': 'SITI NURHALIZA',
  '085712345678': 'AHMAD FAUZI',
  '081200000001': 'RINA MARLINA',
  '081200000002': 'YUDI PRATAMA',
  '081200000003': 'WULAN SARI',
  '081200000004': 'EKO SUSILO',
  '081200000005': 'FAJAR NUGROHO',
  '081200000006': 'INDAH PERMATA',
};

const NAMES = ['ANDI WIJAYA', 'MEGA PUTRI', 'HARIS MUNANDAR', 'LESTARI HANDAYANI', 'DODI SETIADI', 'NOVITA SARI'];
const PHONE = /^(08|628)\d{7,12}$/;
const MIN_AMOUNT = 50_000;
export const MULTIPAYMENT_OPS = ['list_merchant', 'inquiry_merchant', 'reload_merchant', 'status_reload'] as const;
export type MultipaymentOp = (typeof MULTIPAYMENT_OPS)[number];

export function createMultipaymentSim(deps: MultipaymentDeps) {
  const reloads: SimReload[] = [];
  const byInvoice = new Map<string, { reload: SimReload; fault?: string }>();

  function check(code: string, accountNo: string, amountText: string): { merchant: (typeof SIM_MERCHANTS)[number]; amount: number } | Answer {
    const merchant = SIM_MERCHANTS.find((m) => m.code === code.trim().toUpperCase());
    if (!merchant) return no(`Merchant ${code} tidak tersedia!`);
    if (!/^\d{1,9}$/.test(amountText)) return no('Amount tidak valid!');
    const amount = Number(amountText);
    if (amount < MIN_AMOUNT) return no('Mohon maaf, minimal amount Rp. 50.000 / transaksi!');
    if (!PHONE.test(accountNo)) return no(`Nomor ${accountNo} tidak valid untuk ${merchant.code}!`);
    if (deps.faultOf(accountNo) === 'inquiry-refuse') return no(`Nomor ${accountNo} tidak terdaftar di ${merchant.code}!`);
    return { merchant, amount };
  }

  function receiverOf(code: string, accountNo: string): string {
    const name = RECEIVERS[accountNo] ?? NAMES[Number(accountNo.slice(-4)) % NAMES.length]!;
    return `${code} ${name}`;
  }

  function inquire(p: Record<string, string>): Answer {
    const accountNo = (p.merchant_accountnumber ?? '').trim();
    const ok = check(p.merchant_code ?? '', accountNo, p.amount ?? '');
    if ('body' in ok) return ok;
    const { merchant, amount } = ok;
    return {
      body: {
        result: 'ok',
        'mercant code': merchant.code,
        'receiver name': receiverOf(merchant.code, accountNo),
        'receiver accountnumber': accountNo,
        amount: String(amount),
        debet: String(amount + merchant.fee),
        cashback: String(merchant.cashback),
      },
    };
  }

  async function reload(p: Record<string, string>): Promise<Answer> {
    const accountNo = (p.merchant_accountnumber ?? '').trim();
    const ok = check(p.merchant_code ?? '', accountNo, p.amount ?? '');
    if ('body' in ok) return ok;
    const { merchant, amount } = ok;
    const fault = deps.faultOf(accountNo);
    if (fault === 'refuse') return no(`Transaksi ${merchant.code} ${accountNo} gagal, silakan coba lagi!`);
    const debit = amount + merchant.fee;
    if (!deps.debit(debit)) return no(`Mohon maaf, sisa saldo anda SBX-000001 tidak cukup! Sisa saldo Rp. ${deps.saldo()}`);
    const status = fault === 'refund' ? 'REFUND' : fault === 'pending' || fault === 'refund-later' ? 'PENDING' : 'CONFIRM';
    const r: SimReload = {
      invoice: deps.nextInvoice(),
      code: merchant.code,
      accountNo,
      receiver: receiverOf(merchant.code, accountNo),
      amount,
      debit,
      status,
      time: wibNow(),
    };
    reloads.push(r);
    byInvoice.set(r.invoice, fault ? { reload: r, fault } : { reload: r });
    // After the money moved: the bot must not read any of these as a failure.
    if (fault === 'hang') await deps.sleep(deps.hangMs);
    if (fault === 'http502') return { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
    if (fault === 'garbage') return { body: deps.garbage };
    return {
      body: {
        result: 'ok',
        duration: '20 sec',
        date: r.time,
        invoice: r.invoice,
        'merchant code': r.code,
        'receiver name': r.receiver,
        'receiver accountnumber': accountNo,
        amount: String(amount),
        reference: status === 'CONFIRM' ? reference(r.invoice) : '',
        debet: String(debit),
        cashback: String(merchant.cashback),
        status,
      },
    };
  }

  function status(p: Record<string, string>): Answer {
    const entry = byInvoice.get((p.invoice ?? '').trim());
    if (!entry) return no('No Data!');
    const { reload: r, fault } = entry;
    let shown = r.status;
    // A pending top-up is confirmed once asked about, as a slow biller does; a "refund-later" one is reversed.
    if (r.status === 'PENDING') {
      r.status = fault === 'refund-later' ? 'REFUND' : 'CONFIRM';
      if (r.status === 'REFUND') shown = 'REFUND';
    }
    return {
      body: {
        result: 'ok',
        date: r.time,
        invoice: r.invoice,
        'merchant code': r.code,
        'receiver name': r.receiver,
        'receiver accountnumber': r.accountNo,
        amount: String(r.amount),
        reference: shown === 'CONFIRM' ? reference(r.invoice) : '',
        debet: String(r.debit),
        status: shown,
      },
    };
  }

  async function handle(op: MultipaymentOp, params: Record<string, string>): Promise<Answer> {
    switch (op) {
      case 'list_merchant':
        return {
          body: SIM_MERCHANTS.map((m) => ({
            'merchant code': m.code,
            'merchant debet': `amount+${m.fee}`,
            'merchant cashback': String(m.cashback),
          })),
        };
      case 'inquiry_merchant':
        return inquire(params);
      case 'reload_merchant':
        return reload(params);
      case 'status_reload':
        return status(params);
    }
  }

  return { reloads, handle };
}

function reference(invoice: string): string {
  return `1018${invoice}${invoice.slice(-3)}`;
}

function no(reason: string): Answer {
  return { body: { result: 'no', reason } };
}
