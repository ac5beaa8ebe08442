import { describe, expect, it } from 'vitest';
import { Catalogue, normaliseCode } from '../../src/bot/catalogue.ts';
import { Commands } from '../../src/bot/commands.ts';
import { coreCommands } from '../../src/bot/core.ts';
import { parse, words } from '../../src/bot/parse.ts';
import type { CatalogueEntry, Family } from '../../src/bot/provider.ts';

function entry(code: string, family: Family, extra: Partial<CatalogueEntry> = {}): CatalogueEntry {
  return {
    provider: 'mmbc',
    code,
    name: code,
    group: family,
    family,
    admin: 0,
    debit: { kind: 'unknown' },
    available: true,
    ...extra,
  };
}

const PLN = entry('PLN', 'pln-postpaid', { name: 'PLN Pascabayar', admin: 2500, debit: { kind: 'bill-plus', plus: 1700 } });
const PLNS100 = entry('PLNS100', 'pln-prepaid', { name: 'PLN Token', nominal: 100_000, debit: { kind: 'fixed', amount: 101_500 } });
const BPJSKS = entry('BPJSKS', 'bpjs', { name: 'BPJS Kesehatan' });
const PDAM = entry('PDAM KOT MEDAN', 'pdam', { name: 'PDAM Kota Medan' });
const PBB = entry('PBBKOT.CIMAHI', 'pbb', { provider: 'iak', name: 'PBB Kota Cimahi' });
const GOPAY = entry('GOPAY', 'ewallet', { name: 'GoPay' });
const TELKOM = entry('TELKOM', 'telkom', { name: 'Telkom' });

const catalogue = new Catalogue([PLN, PLNS100, BPJSKS, PDAM, PBB, GOPAY]);
/** The command words are the core's, as the bot registers them. */
const core = new Commands(coreCommands({ quoteTtlSeconds: 300 }));
const p = (text: string) => parse(text, catalogue, core);

describe('normaliseCode and the catalogue', () => {
  it('normalises separators and case', () => {
    expect(normaliseCode('pdam.kot#medan')).toBe('PDAM KOT MEDAN');
    expect(normaliseCode('  PDAM   KOT  MEDAN ')).toBe('PDAM KOT MEDAN');
    expect(normaliseCode('PBBKOT.CIMAHI')).toBe('PBBKOT CIMAHI');
  });

  it('looks codes up whatever their separators', () => {
    expect(catalogue.get('pbbkot cimahi')).toBe(PBB);
    expect(catalogue.get('PDAM#KOT#MEDAN')).toBe(PDAM);
    expect(catalogue.maxWords).toBe(3);
    expect(catalogue.size).toBe(6);
  });

  it('keeps the first entry for a code sold twice', () => {
    const other = entry('pln', 'pln-postpaid', { provider: 'iak' });
    const c = new Catalogue([PLN, other]);
    expect(c.get('PLN')).toBe(PLN);
    expect(c.size).toBe(1);
  });

  it('matches the longest run of leading words', () => {
    expect(catalogue.match(['PDAM', 'KOT', 'MEDAN', '123'])).toEqual({ entry: PDAM, used: 3 });
    expect(catalogue.match(['PLN', '123'])).toEqual({ entry: PLN, used: 1 });
    expect(catalogue.match(['NOPE'])).toBeUndefined();
  });
});

describe('words', () => {
  it('splits at spaces, dots and # and upper-cases', () => {
    expect(words('pln.123#456  789')).toEqual(['PLN', '123', '456', '789']);
  });
  it('drops a leading slash and a @BotName suffix', () => {
    expect(words('/saldo')).toEqual(['SALDO']);
    expect(words('/saldo@MyBot')).toEqual(['SALDO']);
    expect(words('/harga@My_Bot pln')).toEqual(['HARGA', 'PLN']);
  });
  it('returns nothing for blank input', () => {
    expect(words('')).toEqual([]);
    expect(words('   \t\n ')).toEqual([]);
    expect(words('...##')).toEqual([]);
  });
});

describe('parse: inquiries', () => {
  it.each([
    'PLN 123456789',
    'pln 123456789',
    'Pln 123456789',
    'PLN.123456789',
    'pln#123456789',
    '  PLN   123456789  ',
    'CEK PLN 123456789',
    'cek.pln.123456789',
    '/pln 123456789',
  ])('%j is a PLN inquiry', (text) => {
    expect(p(text)).toEqual({ kind: 'inquiry', entry: PLN, customerNo: '123456789' });
  });

  it.each(['PDAM KOT MEDAN 0100234', 'pdam.kot.medan.0100234', 'pdam#kot#medan 0100234', 'PDAM KOT.MEDAN#0100234'])(
    '%j matches a code with spaces',
    (text) => {
      expect(p(text)).toEqual({ kind: 'inquiry', entry: PDAM, customerNo: '0100234' });
    },
  );

  it.each(['PBBKOT.CIMAHI 327301000100200300', 'pbbkot cimahi 327301000100200300', 'PBBKOT#CIMAHI.327301000100200300'])(
    '%j matches a code with a dot',
    (text) => {
      const r = p(text);
      expect(r).toEqual({ kind: 'inquiry', entry: PBB, customerNo: '327301000100200300' });
      if (r.kind === 'inquiry') expect(r.entry.code).toBe('PBBKOT.CIMAHI');
    },
  );

  it('reads BPJS and prepaid numbers', () => {
    expect(p('BPJSKS 8888801234567')).toEqual({ kind: 'inquiry', entry: BPJSKS, customerNo: '8888801234567' });
    expect(p('PLNS100 14123456789')).toEqual({ kind: 'inquiry', entry: PLNS100, customerNo: '14123456789' });
  });

  it('reads the one-line form with a PIN', () => {
    expect(p('PLNS100.14123456789.1234')).toEqual({ kind: 'inquiry', entry: PLNS100, customerNo: '14123456789', pin: '1234' });
    expect(p('pln.123456789.123456')).toEqual({ kind: 'inquiry', entry: PLN, customerNo: '123456789', pin: '123456' });
  });

  it('reads a leading counter as a deliberate repeat', () => {
    expect(p('2.PLNS100.14123456789.1234')).toEqual({
      kind: 'inquiry', entry: PLNS100, customerNo: '14123456789', pin: '1234', repeat: 2,
    });
    expect(p('3.PLN.123456789')).toEqual({ kind: 'inquiry', entry: PLN, customerNo: '123456789', repeat: 3 });
    expect(p('2 PDAM KOT MEDAN 0100234')).toEqual({ kind: 'inquiry', entry: PDAM, customerNo: '0100234', repeat: 2 });
  });

  it("does not read a PIN of the wrong length: the product's form is said instead", () => {
    for (const text of ['PLN.123456789.123', 'PLN.123456789.1234567', 'PLN.123456789.12ab', 'PLN 123456789 extra']) {
      expect(p(text)).toEqual({ kind: 'missing-number', entry: expect.objectContaining({ code: 'PLN' }) });
    }
  });

  it('reads an e-wallet number and nominal', () => {
    expect(p('GOPAY 081234567890 100000')).toEqual({ kind: 'inquiry', entry: GOPAY, customerNo: '081234567890', amount: 100_000 });
    expect(p('gopay.6281234567890.50000')).toEqual({ kind: 'inquiry', entry: GOPAY, customerNo: '6281234567890', amount: 50_000 });
    expect(p('GOPAY.081234567890.100000.1234')).toEqual({
      kind: 'inquiry', entry: GOPAY, customerNo: '081234567890', amount: 100_000, pin: '1234',
    });
  });

  it('asks for the nominal when an e-wallet top-up has none', () => {
    expect(p('GOPAY 081234567890')).toEqual({ kind: 'missing-number', entry: GOPAY });
    expect(p('GOPAY 081234567890 banyak')).toEqual({ kind: 'missing-number', entry: GOPAY });
  });

  it('asks for the number when a product has none', () => {
    expect(p('PLN')).toEqual({ kind: 'missing-number', entry: PLN });
    expect(p('cek pdam kot medan')).toEqual({ kind: 'missing-number', entry: PDAM });
    expect(p('GOPAY')).toEqual({ kind: 'missing-number', entry: GOPAY });
  });
});

describe('parse: bad customer numbers', () => {
  it.each([
    ['PLN 12ab', PLN, '12AB', 'form.pln'],
    ['PLN 12345678', PLN, '12345678', 'form.pln'],
    ['PLN 1234567890123', PLN, '1234567890123', 'form.pln'],
    ['PLNS100 12345', PLNS100, '12345', 'form.plnPrepaid'],
    ['BPJSKS 7788012345678', BPJSKS, '7788012345678', 'form.bpjs'],
    ['BPJSKS 8812', BPJSKS, '8812', 'form.bpjs'],
    ['GOPAY 12345678901 100000', GOPAY, '12345678901', 'form.phone'],
    ['GOPAY budi 100000', GOPAY, 'BUDI', 'form.phone'],
    ['PDAM KOT MEDAN 123', PDAM, '123', 'form.pdam'],
    ['PBBKOT.CIMAHI 3273010001', PBB, '3273010001', 'form.nop'],
    ['PLN.12ab.1234', PLN, '12AB', 'form.pln'],
  ] as const)('%j is bad-number', (text, e, customerNo, hint) => {
    const r = p(text);
    expect(r).toEqual({ kind: 'bad-number', entry: e, customerNo, hint });
    expect(r.kind).not.toBe('inquiry');
  });
});

describe('parse: commands', () => {
  it.each(['YA', 'ya', 'Y', 'y', 'OK', 'ok', 'BAYAR', 'Bayar', '/ya', 'yes'])('%j confirms', (text) => {
    expect(p(text)).toEqual({ kind: 'confirm' });
  });

  it('reads a PIN after YA', () => {
    expect(p('YA 1234')).toEqual({ kind: 'confirm', pin: '1234' });
    expect(p('ya.123456')).toEqual({ kind: 'confirm', pin: '123456' });
    expect(p('YA 12').kind).not.toBe('confirm');
  });

  it.each(['BATAL', 'batal', 'TIDAK', 'N', 'n', 'Cancel'])('%j cancels', (text) => {
    expect(p(text)).toEqual({ kind: 'cancel' });
  });

  it('reads the simple commands, with or without a slash', () => {
    expect(p('SALDO')).toEqual({ kind: 'saldo' });
    expect(p('/saldo')).toEqual({ kind: 'saldo' });
    expect(p('/saldo@MyBot')).toEqual({ kind: 'saldo' });
    expect(p('saldo')).toEqual({ kind: 'saldo' });
    expect(p('RIWAYAT')).toEqual({ kind: 'history' });
    for (const h of ['BANTUAN', 'MENU', 'HELP', 'help', '/start', '/START', '/start@MyBot']) expect(p(h)).toEqual({ kind: 'help' });
  });

  it('reads HARGA with and without a filter', () => {
    expect(p('HARGA')).toEqual({ kind: 'prices' });
    expect(p('HARGA PLN')).toEqual({ kind: 'prices', filter: 'PLN' });
    expect(p('harga pdam.kot.medan')).toEqual({ kind: 'prices', filter: 'PDAM KOT MEDAN' });
  });

  it('reads STATUS with and without an id', () => {
    expect(p('STATUS X')).toEqual({ kind: 'status', txId: 'X' });
    expect(p('status t123abc')).toEqual({ kind: 'status', txId: 'T123ABC' });
    expect(p('STATUS')).toEqual({ kind: 'status' });
  });
});

describe('parse: not understood', () => {
  it('suggests the nearest command', () => {
    expect(p('SALDOO')).toEqual({ kind: 'unknown', suggestion: 'SALDO' });
    expect(p('riwayta')).toEqual({ kind: 'unknown', suggestion: 'RIWAYAT' });
  });

  it('suggests the nearest product', () => {
    expect(p('PLM 123456789')).toEqual({ kind: 'unknown', suggestion: 'PLN' });
    expect(p('PDAM KOT MEDN 123456')).toEqual({ kind: 'unknown', suggestion: 'PDAM KOT MEDAN' });
    expect(p('GOPY 081234567890 100000')).toEqual({ kind: 'unknown', suggestion: 'GOPAY' });
  });

  it('reads garbage as unknown with no suggestion', () => {
    expect(p('qwertyuiop asdfghjkl')).toEqual({ kind: 'unknown' });
    expect(p('🙂🙂🙂')).toEqual({ kind: 'unknown' });
    expect(p('12345678')).toEqual({ kind: 'unknown' });
  });

  it('does not read too many words after a product as an inquiry', () => {
    expect(p('PLN 123456789 1234 5678').kind).toBe('missing-number');
    expect(p('GOPAY 081234567890 100000 1234 99').kind).toBe('missing-number');
  });

  it('reads a nominal with thousands dots and a phone number with dashes', () => {
    expect(p('GOPAY 081234567890 100.000')).toEqual({ kind: 'inquiry', entry: GOPAY, customerNo: '081234567890', amount: 100_000 });
    expect(p('GOPAY 0812-3456-7890 1.500.000')).toEqual({ kind: 'inquiry', entry: GOPAY, customerNo: '081234567890', amount: 1_500_000 });
    expect(p('GOPAY.081234567890.100.000.1234')).toEqual({ kind: 'inquiry', entry: GOPAY, customerNo: '081234567890', amount: 100_000, pin: '1234' });
  });

  it('takes dashes out of a phone number only: elsewhere one could join a PIN to the number', () => {
    expect(parse('TELKOM 021-5551234', new Catalogue([TELKOM]))).toMatchObject({ kind: 'inquiry', customerNo: '0215551234' });
    expect(p('PDAM KOT MEDAN 0100234-1234')).toMatchObject({ kind: 'bad-number', customerNo: '0100234-1234' });
  });

  it('suggests a swapped product code, the price list of a code prefix, and never the word typed', () => {
    expect(p('PNL 123456789')).toEqual({ kind: 'unknown', suggestion: 'PLN' });
    expect(p('PDAM 123456')).toEqual({ kind: 'unknown', suggestion: 'HARGA PDAM' });
    expect(p('CEK')).toEqual({ kind: 'unknown' });
    expect(p('RIWAYAT 5')).toEqual({ kind: 'unknown' });
  });

  it.each(['', '   ', '\n\t', '/', '. # .'])('%j is empty', (text) => {
    expect(p(text)).toEqual({ kind: 'empty' });
  });

  it('an empty catalogue understands commands but no product', () => {
    const empty = new Catalogue([]);
    expect(parse('SALDO', empty, core)).toEqual({ kind: 'saldo' });
    expect(parse('PLN 123456789', empty, core).kind).toBe('unknown');
  });
});
