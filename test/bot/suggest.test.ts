import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { distance, nearest } from '../../src/bot/suggest.ts';

describe('distance', () => {
  it('is the edit distance, an adjacent swap counting one', () => {
    expect(distance('', '')).toBe(0);
    expect(distance('abc', '')).toBe(3);
    expect(distance('', 'abc')).toBe(3);
    expect(distance('kitten', 'sitting')).toBe(3);
    expect(distance('SALDO', 'SALDOO')).toBe(1);
    expect(distance('PLM', 'PLN')).toBe(1);
    expect(distance('RIWAYTA', 'RIWAYAT')).toBe(1);
    expect(distance('PNL', 'PLN')).toBe(1);
    expect(distance('ABC', 'CBA')).toBe(2);
  });

  it('is a metric', () => {
    const s = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(s, s, s, (a, b, c) => {
        expect(distance(a, a)).toBe(0);
        expect(distance(a, b)).toBe(distance(b, a));
        expect(distance(a, c)).toBeLessThanOrEqual(distance(a, b) + distance(b, c));
        expect(distance(a, b)).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
        expect(distance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
      { numRuns: 300 },
    );
  });
});

describe('nearest', () => {
  const known = ['SALDO', 'HARGA', 'STATUS', 'RIWAYAT', 'BANTUAN', 'PLN', 'PLNS100', 'PDAM KOT MEDAN', 'GOPAY'];

  it('finds the closest known word', () => {
    expect(nearest('SALDOO', known)).toBe('SALDO');
    expect(nearest('SADLO', known)).toBe('SALDO');
    expect(nearest('PLM', known)).toBe('PLN');
    expect(nearest('PDAM KOT MEDN', known)).toBe('PDAM KOT MEDAN');
    expect(nearest('SALDO', known)).toBe('SALDO');
  });

  it('allows more typos in longer words', () => {
    // up to 3 letters: 1 typo; up to 6: 2; longer: 3.
    expect(nearest('PXX', ['PLN'])).toBeUndefined();
    expect(nearest('SXXDO', ['SALDO'])).toBe('SALDO');
    expect(nearest('SXXXO', ['SALDO'])).toBeUndefined();
    expect(nearest('RXXXYAT', ['RIWAYAT'])).toBe('RIWAYAT');
    expect(nearest('RXXXXAT', ['RIWAYAT'])).toBeUndefined();
  });

  it('returns nothing for nothing close', () => {
    expect(nearest('QWERTY', known)).toBeUndefined();
    expect(nearest('X', [])).toBeUndefined();
  });

  it('breaks ties alphabetically whatever the order', () => {
    expect(nearest('PLX', ['PLB', 'PLA'])).toBe('PLA');
    expect(nearest('PLX', ['PLA', 'PLB'])).toBe('PLA');
  });

  it('agrees with a brute-force search', () => {
    const word = fc.string({ unit: fc.constantFrom('A', 'B', 'C', 'D'), maxLength: 8 });
    fc.assert(
      fc.property(word, fc.uniqueArray(word, { maxLength: 8 }), (w, cands) => {
        const limit = w.length <= 3 ? 1 : w.length <= 6 ? 2 : 3;
        const scored = cands.map((c) => [distance(w, c), c] as const).filter(([d]) => d <= limit);
        scored.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
        expect(nearest(w, cands)).toBe(scored[0]?.[1]);
      }),
      { numRuns: 300 },
    );
  });
});
