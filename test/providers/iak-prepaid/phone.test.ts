import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isByU, normalisePhone, numberFits, operatorOf } from '../../../src/providers/iak-prepaid/phone.ts';

/** A mobile number as the bot keeps it: 08 and 8 to 11 more digits. */
const mobile = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 10 }))
  .map(([first, rest]) => `08${first}${rest.join('')}`);

/** The same number as people type it: 0, 62 or +62 in front, spaces and dashes between any two characters. */
function typed(phone: string) {
  return fc
    .record({
      head: fc.constantFrom('0', '62', '+62', '+62 ', '62 0', '+620'),
      seps: fc.array(fc.constantFrom('', '', '', ' ', '-', ' - ', '  '), { minLength: phone.length, maxLength: phone.length }),
      pad: fc.constantFrom('', ' ', '\t'),
    })
    .map(({ head, seps, pad }) => {
      const rest = phone.slice(1);
      return pad + head + [...rest].map((d, i) => d + seps[i]!).join('') + pad;
    });
}

describe('normalisePhone', () => {
  it('reads 08…, 628…, +628… with spaces and dashes as the same 08… number', () => {
    fc.assert(
      fc.property(
        mobile.chain((phone) => fc.tuple(fc.constant(phone), typed(phone))),
        ([phone, input]) => normalisePhone(input) === phone,
      ),
      { numRuns: 2000 },
    );
  });

  it('is idempotent, and what it returns is always 08 and 8 to 11 digits', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789+- 62a'.split('')), maxLength: 20 }), (s) => {
        const n = normalisePhone(s);
        return n === undefined || (/^08\d{8,11}$/.test(n) && normalisePhone(n) === n);
      }),
      { numRuns: 3000 },
    );
  });

  it('examples, and what it refuses', () => {
    expect(normalisePhone('0812-3456-7890')).toBe('081234567890');
    expect(normalisePhone('+62 812 3456 7890')).toBe('081234567890');
    expect(normalisePhone('6281234567890')).toBe('081234567890');
    expect(normalisePhone('+62 0812-3456-7890')).toBe('081234567890');
    for (const bad of ['', '0812', '08123456', '02112345678', '+6581234567', '0812345678901234', '0812-34a6-7890', '81234567890', '+0812345678']) {
      expect(normalisePhone(bad)).toBeUndefined();
    }
  });
});

describe('operators by prefix (IAK prefix list)', () => {
  it('names the operator of each documented prefix', () => {
    const cases: Record<string, string> = {
      '081234567890': 'telkomsel', '085212345678': 'telkomsel', '082112345678': 'telkomsel', '085155012345': 'telkomsel',
      '081512345678': 'indosat', '085712345678': 'indosat',
      '081712345678': 'xl', '087712345678': 'xl', '085912345678': 'xl',
      '083812345678': 'axis', '083112345678': 'axis', '083712345678': 'axis',
      '089612345678': 'tri', '089912345678': 'tri',
      '088112345678': 'smartfren', '088812345678': 'smartfren',
    };
    for (const [phone, op] of Object.entries(cases)) expect(operatorOf(phone), phone).toBe(op);
    // Not in IAK's list: kartuHalo (postpaid), and prefixes IAK does not top up.
    for (const phone of ['081112345678', '083312345678', '088912345678', '080012345678']) expect(operatorOf(phone), phone).toBeUndefined();
  });

  it('by.U numbers are Telkomsel numbers; by.U products take only them', () => {
    expect(isByU('085155012345')).toBe(true);
    expect(isByU('085112345678')).toBe(false);
    expect(numberFits('byu', '085155012345')).toBe(true);
    expect(numberFits('telkomsel', '085155012345')).toBe(true);
    expect(numberFits('byu', '081234567890')).toBe(false);
    expect(numberFits('xl', '081234567890')).toBe(false);
  });
});
