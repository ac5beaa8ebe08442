import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { digits, moneyRows, period, rupiah, textRows, tokenGroups, wibDay, wibTime } from '../../src/bot/format.ts';
import { translator } from '../../src/bot/i18n.ts';

const id = translator('id');
const en = translator('en');

describe('rupiah and digits', () => {
  it('formats with dots between thousands', () => {
    expect(rupiah(182100)).toBe('Rp 182.100');
    expect(rupiah(0)).toBe('Rp 0');
    expect(rupiah(999)).toBe('Rp 999');
    expect(rupiah(1000)).toBe('Rp 1.000');
    expect(rupiah(2_500_000)).toBe('Rp 2.500.000');
    expect(rupiah(1_234_567_890)).toBe('Rp 1.234.567.890');
  });

  it('puts the sign before Rp', () => {
    expect(rupiah(-500)).toBe('-Rp 500');
    expect(rupiah(-182100)).toBe('-Rp 182.100');
    expect(rupiah(-0)).toBe('Rp 0');
  });

  it('digits groups whole rupiah', () => {
    expect(digits(0)).toBe('0');
    expect(digits(1_000_000)).toBe('1.000.000');
    expect(digits(-1234)).toBe('-1.234');
    expect(digits(1234.9)).toBe('1.234');
  });

  it('round-trips any safe integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => {
        const s = rupiah(n);
        expect(s).toMatch(/^-?Rp \d{1,3}(\.\d{3})*$/);
        expect(Number(s.replace(/[^\d-]/g, ''))).toBe(n === 0 ? 0 : n);
      }),
      { numRuns: 300 },
    );
  });
});

describe('WIB times', () => {
  it('shows Jakarta time, UTC+7', () => {
    expect(wibTime(Date.UTC(2026, 10, 22, 13, 15))).toBe('22/11/2026 20:15 WIB');
    expect(wibDay(Date.UTC(2026, 10, 22, 13, 15))).toBe('2026-11-22');
  });

  it('rolls the date over past 17:00 UTC', () => {
    expect(wibTime(Date.UTC(2026, 11, 31, 18, 30))).toBe('01/01/2027 01:30 WIB');
    expect(wibDay(Date.UTC(2026, 11, 31, 18, 30))).toBe('2027-01-01');
    expect(wibDay(Date.UTC(2026, 11, 31, 16, 59))).toBe('2026-12-31');
  });

  it('shows midnight as 00, not 24', () => {
    expect(wibTime(Date.UTC(2026, 10, 21, 17, 5))).toBe('22/11/2026 00:05 WIB');
    expect(wibDay(Date.UTC(2026, 10, 21, 17, 0))).toBe('2026-11-22');
  });
});

describe('period', () => {
  it('reads YYYYMM', () => {
    expect(period('202104', id)).toBe('Apr 2021');
    expect(period('202104', en)).toBe('Apr 2021');
    expect(period('202610', id)).toBe('Okt 2026');
    expect(period('202610', en)).toBe('Oct 2026');
    expect(period('202605', id)).toBe('Mei 2026');
    expect(period('202605', en)).toBe('May 2026');
  });

  it('reads MMMYY and MMMYYYY in either language', () => {
    expect(period('APR21', id)).toBe('Apr 2021');
    expect(period('apr21', en)).toBe('Apr 2021');
    expect(period('OKT26', en)).toBe('Oct 2026');
    expect(period('DES2025', id)).toBe('Des 2025');
    expect(period('DEC25', en)).toBe('Dec 2025');
    expect(period(' 202104 ', id)).toBe('Apr 2021');
  });

  it('keeps what it does not know', () => {
    expect(period('202113', id)).toBe('202113');
    expect(period('202100', id)).toBe('202100');
    expect(period('XYZ21', id)).toBe('XYZ21');
    expect(period('2021-04', id)).toBe('2021-04');
    expect(period('APR21,MEI21', id)).toBe('APR21,MEI21');
    expect(period(' 2 bulan ', id)).toBe('2 bulan');
  });

  it('every month 1-12 has a name in both languages', () => {
    for (let m = 1; m <= 12; m++) {
      const raw = `2024${String(m).padStart(2, '0')}`;
      expect(period(raw, id)).toMatch(/^[A-Z][a-z]{2} 2024$/);
      expect(period(raw, en)).toMatch(/^[A-Z][a-z]{2} 2024$/);
    }
  });
});

describe('tokenGroups', () => {
  it('splits a 20-digit token in 5 groups of 4', () => {
    expect(tokenGroups('73077393923533660168')).toBe('7307 7393 9235 3366 0168');
    expect(tokenGroups('73077393923533660168').split(' ')).toHaveLength(5);
  });
  it('ignores separators already in it', () => {
    expect(tokenGroups('7307-7393-9235-3366-0168')).toBe('7307 7393 9235 3366 0168');
    expect(tokenGroups('7307 7393 9235 3366 0168')).toBe('7307 7393 9235 3366 0168');
  });
  it('leaves a short tail', () => {
    expect(tokenGroups('123456')).toBe('1234 56');
    expect(tokenGroups('1234')).toBe('1234');
  });
});

describe('moneyRows and textRows', () => {
  it('aligns labels and right-aligns amounts (the contract example)', () => {
    expect(
      moneyRows([
        ['Tagihan', 254300],
        ['Admin', 2500],
        ['Total bayar', 256800],
        ['Saldo dipotong', 256000, '(untung Rp 800)'],
      ]),
    ).toEqual([
      'Tagihan        Rp 254.300',
      'Admin          Rp   2.500',
      'Total bayar    Rp 256.800',
      'Saldo dipotong Rp 256.000 (untung Rp 800)',
    ]);
  });

  it('puts every amount in the same column', () => {
    const rows = moneyRows([['A', 5], ['Long label', 1_234_567], ['B', 0]]);
    const ends = rows.map((r) => r.length);
    expect(new Set(ends).size).toBe(1);
    const at = rows.map((r) => r.indexOf('Rp'));
    expect(new Set(at).size).toBe(1);
  });

  it('textRows pads labels', () => {
    expect(textRows([['Tarif', 'R1'], ['Stand meter', '1 - 2']])).toEqual(['Tarif       R1', 'Stand meter 1 - 2']);
    expect(textRows([])).toEqual([]);
  });
});
