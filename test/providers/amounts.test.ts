import { describe, expect, it } from 'vitest';
import { debit, optionalRupiah, parseDebit, parseRupiah, rupiah } from '../../src/providers/amounts.ts';

describe('parseRupiah', () => {
  it.each([
    ['2.500', 2500],
    ['18.182,00', 18182],
    [' 100.000', 100000],
    ['100000', 100000],
    ['0,00', 0],
    ['0', 0],
    ['856.000', 856000],
    ['181.818,00', 181818],
    ['8.404,00', 8404],
    ['1.000.000', 1000000],
    ['1.359.521', 1359521],
    ['125,5', 126],
    ['125,49', 125],
    ['302500.0', 302500],
    ['302500.50', 302501],
    ['Rp 182.100', 182100],
    ['Rp. 100', 100],
    ['-2.500', -2500],
  ])('%j → %d', (input, expected) => {
    expect(parseRupiah(input)).toBe(expected);
  });

  it.each([
    [203857, 203857],
    [302500.0, 302500],
    [302500.5, 302501],
    [0, 0],
  ])('number %d → %d', (input, expected) => {
    expect(parseRupiah(input)).toBe(expected);
  });

  it.each(['', '-', 'abc', '2.50.0', '1000.000', '12,5,0', '1.2345', 'Tagihan + 700', '1e5'])('%j is not an amount', (input) => {
    expect(parseRupiah(input)).toBeUndefined();
  });

  it('refuses numbers that are not finite or not safe', () => {
    expect(parseRupiah(Number.NaN)).toBeUndefined();
    expect(parseRupiah(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(parseRupiah(2 ** 60)).toBeUndefined();
    expect(parseRupiah('99.999.999.999.999.999')).toBeUndefined();
  });

  it('never returns -0', () => {
    expect(Object.is(parseRupiah('-0'), 0)).toBe(true);
    expect(Object.is(parseRupiah(-0.2), 0)).toBe(true);
  });
});

describe('zod amount schemas', () => {
  it('rupiah requires an amount', () => {
    expect(rupiah.parse('18.182,00')).toBe(18182);
    expect(rupiah.parse(203857)).toBe(203857);
    expect(rupiah.safeParse('-').success).toBe(false);
    expect(rupiah.safeParse('').success).toBe(false);
    expect(rupiah.safeParse(undefined).success).toBe(false);
  });

  it('optionalRupiah turns "-", "" and null into undefined but rejects junk', () => {
    expect(optionalRupiah.parse('-')).toBeUndefined();
    expect(optionalRupiah.parse('')).toBeUndefined();
    expect(optionalRupiah.parse('  ')).toBeUndefined();
    expect(optionalRupiah.parse(null)).toBeUndefined();
    expect(optionalRupiah.parse(undefined)).toBeUndefined();
    expect(optionalRupiah.parse(' 100.000')).toBe(100000);
    expect(optionalRupiah.safeParse('seratus').success).toBe(false);
  });
});

describe('parseDebit', () => {
  it.each([
    ['20.700', { kind: 'fixed', amount: 20700 }],
    ['50.700', { kind: 'fixed', amount: 50700 }],
    ['1.000.700', { kind: 'fixed', amount: 1000700 }],
    ['Tagihan + 700', { kind: 'bill-plus', plus: 700 }],
    ['Tagihan + 1.400', { kind: 'bill-plus', plus: 1400 }],
    ['tagihan+700', { kind: 'bill-plus', plus: 700 }],
    ['Tagihan', { kind: 'bill-plus', plus: 0 }],
    ['Tagihan + ?', { kind: 'unknown' }],
    ['Tagihan - 500', { kind: 'unknown' }],
    ['-', { kind: 'unknown' }],
    ['', { kind: 'unknown' }],
    ['hubungi CS', { kind: 'unknown' }],
  ] as const)('%j', (input, expected) => {
    expect(parseDebit(input)).toEqual(expected);
  });

  it('takes numbers as fixed debits, and the schema maps a missing debit to unknown', () => {
    expect(parseDebit(20700)).toEqual({ kind: 'fixed', amount: 20700 });
    expect(debit.parse(undefined)).toEqual({ kind: 'unknown' });
    expect(debit.parse('Tagihan + 700')).toEqual({ kind: 'bill-plus', plus: 700 });
  });
});
