import { describe, expect, it } from 'vitest';
import { translator } from '../../src/bot/i18n.ts';
import { type Bill, OWN_REASONS, REASON_KEYS, type Receipt, taggedReason } from '../../src/bot/provider.ts';
import { outcome, reasonText, receipt, statusLine, summary } from '../../src/bot/render.ts';
import type { Quote, Transaction } from '../../src/bot/store.ts';

const id = translator('id');
const en = translator('en');
const NOW = Date.UTC(2026, 10, 22, 13, 15); // 22/11/2026 20:15 WIB

function plnBill(over: Partial<Bill> = {}): Bill {
  return {
    product: 'PLN',
    productName: 'PLN Pascabayar',
    customerNo: '532100112233',
    customerName: 'SITI AMINAH',
    period: '202610',
    details: [
      { key: 'tariff', value: 'R1/1300 VA' },
      { key: 'standMeter', value: '00041210 - 00041388' },
    ],
    bill: 254_300,
    admin: 2_500,
    total: 256_800,
    debit: 255_500,
    ...over,
  };
}

function quoteOf(bill: Bill, over: Partial<Quote> = {}): Quote {
  return {
    id: 'Q1',
    txId: 'TX1',
    user: 'telegram:1',
    provider: 'mmbc',
    product: bill.product,
    family: 'pln-postpaid',
    bill,
    markup: 500,
    price: 256_000,
    createdAt: NOW,
    expiresAt: NOW + 300_000,
    ...over,
  };
}

const CONTRACT_EXAMPLE = [
  'PLN Pascabayar · 532100112233',
  'SITI AMINAH · R1/1300 VA · Okt 2026',
  'Stand meter 00041210 - 00041388',
  'Tagihan        Rp 254.300',
  'Admin          Rp   2.500',
  'Total bayar    Rp 256.800',
  'Saldo dipotong Rp 256.000 (untung Rp 800)',
  'Balas YA untuk bayar atau BATAL. Berlaku 5 menit.',
].join('\n');

describe('summary', () => {
  it('renders the contract example for a reseller, line for line', () => {
    expect(summary(quoteOf(plnBill()), true, 300, id)).toBe(CONTRACT_EXAMPLE);
  });

  it('a customer sees no debit line and is told how to become a reseller', () => {
    const s = summary(quoteOf(plnBill()), false, 300, id);
    expect(s).not.toContain('Saldo dipotong');
    expect(s).not.toContain('untung');
    expect(s).not.toContain('Balas YA');
    expect(s).toMatch(/^Total bayar Rp 256\.800$/m);
    expect(s).toContain(id('summary.customer'));
    expect(s).toMatch(/reseller/);
  });

  it('shows no margin when there is none, and a loss when the debit is above the total', () => {
    const s = summary(quoteOf(plnBill(), { price: 256_800 }), true, 300, id);
    expect(s).toContain('Saldo dipotong Rp 256.800');
    expect(s).not.toMatch(/untung|rugi/);
    const loss = summary(quoteOf(plnBill(), { price: 257_300 }), true, 300, id);
    expect(loss).not.toContain('untung');
    expect(loss).toMatch(/^Saldo dipotong Rp 257\.300 \(rugi Rp 500 bila dijual seharga total bayar\)$/m);
    expect(summary(quoteOf(plnBill(), { price: 257_300 }), true, 300, translator('en'))).toContain('(a loss of Rp 500 if sold at the total)');
  });

  it('states validity in seconds when it is not whole minutes', () => {
    expect(summary(quoteOf(plnBill()), true, 90, id)).toContain('Berlaku 90 detik.');
    expect(summary(quoteOf(plnBill()), true, 30, id)).toContain('Berlaku 30 detik.');
    expect(summary(quoteOf(plnBill()), true, 600, id)).toContain('Berlaku 10 menit.');
  });

  it('leaves out empty and "-" details and formats money details', () => {
    const bill = plnBill({
      details: [
        { key: 'tariff', value: 'R1/1300 VA' },
        { key: 'standMeter', value: '-' },
        { key: 'dueDate', value: '' },
        { key: 'arrears', value: '   ' },
        { key: 'meterNo' },
        { key: 'penalty', amount: 5_000 },
        { key: 'usage', value: ' 178 kWh ' },
      ],
    });
    const s = summary(quoteOf(bill), true, 300, id);
    expect(s).not.toContain('Stand meter');
    expect(s).not.toContain('Jatuh tempo');
    expect(s).not.toContain('Tunggakan');
    expect(s).not.toContain('No. meter');
    expect(s).not.toMatch(/ -$/m);
    expect(s).toMatch(/^Denda\s+Rp 5\.000$/m);
    expect(s).toMatch(/^Pemakaian\s+178 kWh$/m);
  });

  it('a bill without period or tariff has a plain name line', () => {
    const s = summary(quoteOf(plnBill({ period: undefined, details: [] })), true, 300, id);
    expect(s.split('\n').slice(0, 2)).toEqual(['PLN Pascabayar · 532100112233', 'SITI AMINAH']);
  });

  it('labels a token or e-wallet amount as Nominal', () => {
    const bill = plnBill({ product: 'PLNS100', productName: 'PLN Token 100rb', bill: 100_000, admin: 2_000, total: 102_000, period: undefined, details: [] });
    const s = summary(quoteOf(bill, { family: 'pln-prepaid', price: 101_500 }), true, 300, id);
    expect(s).toContain('Nominal ');
    expect(s).not.toContain('Tagihan');
  });

  it('renders English labels in the en locale', () => {
    const s = summary(quoteOf(plnBill()), true, 300, en);
    expect(s).toContain('SITI AMINAH · R1/1300 VA · Oct 2026');
    expect(s).toMatch(/^Bill\s+Rp 254\.300$/m);
    expect(s).toMatch(/^Admin fee\s+Rp\s+2\.500$/m);
    expect(s).toMatch(/^Total to pay\s+Rp 256\.800$/m);
    expect(s).toMatch(/^Saldo debited Rp 256\.000 \(margin Rp 800\)$/m);
    expect(s).toContain('Reply YA to pay or BATAL to cancel. Valid for 5 minutes.');
    expect(s).not.toMatch(/Tagihan|Berlaku|untung/);
    // no untranslated key leaks through
    expect(s).not.toMatch(/\b(amount|summary|detail|month)\.\w+/);
  });
});

function tokenTx(over: Partial<Transaction> = {}, r: Partial<Receipt> = {}): Transaction {
  const bill: Bill = {
    product: 'PLNS100',
    productName: 'PLN Token 100rb',
    customerNo: '14123456789',
    customerName: 'BUDI',
    details: [
      { key: 'tariff', value: 'R1/900 VA' },
      { key: 'meterNo', value: '14123456789' },
    ],
    bill: 100_000,
    admin: 2_000,
    total: 102_000,
    debit: 101_000,
  };
  return {
    id: 'T26112200001',
    user: 'telegram:1',
    quote: quoteOf(bill, { family: 'pln-prepaid', product: 'PLNS100', price: 101_500 }),
    status: 'SETTLED',
    createdAt: NOW - 60_000,
    updatedAt: NOW,
    saldoAfter: 398_500,
    receipt: {
      invoice: 'INV123',
      reference: 'REF-9',
      token: '73077393923533660168',
      kwh: '73,5',
      footer: 'Informasi hubungi call center 123',
      customerName: 'BUDI SANTOSO',
      details: [
        { key: 'kwh', value: '73,5' },
        { key: 'ppj', value: '' },
        { key: 'ppn', value: '-' },
        { key: 'meterNo', value: '14123456780' },
        { key: 'stamp', amount: 0 },
      ],
      ...r,
    },
    ...over,
  };
}

describe('receipt', () => {
  it('shows the token in groups of four, kWh, footer, ids, time and saldo after', () => {
    const s = receipt(tokenTx(), id);
    const lines = s.split('\n');
    expect(lines[0]).toBe('STRUK PEMBAYARAN');
    expect(s).toMatch(/^ID transaksi\s+T26112200001$/m);
    expect(s).toMatch(/^Invoice\s+INV123$/m);
    expect(s).toMatch(/^Ref\s+REF-9$/m);
    expect(s).toMatch(/^Waktu\s+22\/11\/2026 20:15 WIB$/m);
    expect(s).toContain('PLN Token 100rb · 14123456789');
    expect(s).toContain('BUDI SANTOSO · R1/900 VA');
    expect(s).toContain('TOKEN: 7307 7393 9235 3366 0168');
    expect(s).toContain('kWh: 73,5');
    expect(s.match(/kWh/g)).toHaveLength(1);
    expect(s).toMatch(/^Sisa saldo\s+Rp 398\.500$/m);
    expect(s).toMatch(/^Saldo dipotong\s+Rp 101\.500$/m);
    expect(s).toMatch(/^Nominal\s+Rp 100\.000$/m);
    expect(lines.at(-1)).toBe('Informasi hubungi call center 123');
  });

  it('prefers the receipt details over the inquiry ones and drops empty ones', () => {
    const s = receipt(tokenTx(), id);
    expect(s).toMatch(/^No\. meter\s+14123456780$/m);
    expect(s).not.toMatch(/^No\. meter\s+14123456789$/m);
    expect(s).not.toMatch(/^PPJ/m);
    expect(s).not.toMatch(/^PPN/m);
    expect(s).toMatch(/^Materai\s+Rp 0$/m);
  });

  it('without a provider receipt still shows the essentials', () => {
    const tx = tokenTx();
    delete tx.receipt;
    const s = receipt(tx, id);
    expect(s).toContain('T26112200001');
    expect(s).not.toContain('TOKEN');
    expect(s).not.toContain('Invoice');
    expect(s).toContain('BUDI · R1/900 VA');
  });

  it('renders in English', () => {
    const s = receipt(tokenTx(), en);
    expect(s.split('\n')[0]).toBe('PAYMENT RECEIPT');
    expect(s).toMatch(/^Transaction ID\s+T26112200001$/m);
    expect(s).toMatch(/^Saldo left\s+Rp 398\.500$/m);
    expect(s).toContain('TOKEN: 7307 7393 9235 3366 0168');
  });
});

describe('outcome and statusLine', () => {
  it('a settled transaction is its receipt', () => {
    const tx = tokenTx();
    expect(outcome(tx, id)).toBe(receipt(tx, id));
  });

  it('a failed transaction says the money went back', () => {
    const tx = tokenTx({ status: 'FAILED', reason: 'nomor meter salah' });
    const s = outcome(tx, id);
    expect(s).toContain('GAGAL');
    expect(s).toContain('T26112200001');
    expect(s).toContain('nomor meter salah');
    expect(s).toContain('Rp 101.500');
    expect(s).toContain('Rp 500.000');
    expect(s).not.toMatch(/\{\w+\}/);
  });

  it('a pending transaction says it is being processed', () => {
    for (const status of ['PENDING', 'SENDING', 'RESERVED'] as const) {
      const s = outcome(tokenTx({ status }), id);
      expect(s).toContain('sedang diproses');
      expect(s).toContain('T26112200001');
      expect(s).toContain('14123456789');
      expect(s).not.toMatch(/\{\w+\}/);
    }
  });

  it('statusLine names id, WIB time, product, number, price and state', () => {
    expect(statusLine(tokenTx(), id)).toBe('T26112200001 · 22/11/2026 20:14 WIB · PLNS100 14123456789 · Rp 101.500 · sukses');
    expect(statusLine(tokenTx({ status: 'FAILED' }), en)).toContain('failed, refunded');
  });
});

describe('reasonText', () => {
  it("says every reason an adapter words itself in the user's language, and a biller's own as it came", () => {
    for (const locale of ['id', 'en'] as const) {
      const t = translator(locale);
      for (const [key, own] of Object.entries(OWN_REASONS)) {
        expect(reasonText(own, t), key).toBe(t(`reason.${key}`));
        expect(reasonText(own, t), key).not.toBe(`reason.${key}`);
      }
    }
    expect(reasonText(OWN_REASONS.notSent, translator('id'))).toBe('pembayaran belum sempat dikirim ke biller');
    expect(reasonText('IDPEL TIDAK DITEMUKAN', translator('en'))).toBe('IDPEL TIDAK DITEMUKAN');
    expect(reasonText('Transaksi gagal, silakan coba lagi!', translator('id'))).toBe('Transaksi gagal, silakan coba lagi');
    // A provider's reason tagged with our word: the word in the user's language, the provider's text after it.
    expect(reasonText(taggedReason('alreadyPaid', 'BILL HAS BEEN PAID (RC 34)'), translator('id'))).toBe('tagihan ini sudah dibayar; kata biller: BILL HAS BEEN PAID (RC 34)');
    expect(reasonText('[notOurs] X', translator('id'))).toBe('[notOurs] X');
    for (const key of REASON_KEYS) expect(translator('en')(`reason.${key}`)).not.toBe(`reason.${key}`);
  });
});
