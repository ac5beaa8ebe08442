import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signInquiry, signPayment, signPriceList, signStatus } from '../../../src/providers/iak/sign.ts';

const c = { username: '081234567890', apiKey: '5f2b9c1e0a' };

describe('IAK signatures (iak-postpaid-notes.md)', () => {
  it('follow IAK\'s documented rules, byte for byte', () => {
    // Hashes written out, not recomputed, so a change to a rule shows up here.
    expect(signInquiry(c, 'TOX6XW813VP56Q')).toBe('1008315461f84de93f209e82b5ac63d6');
    expect(signPayment(c, '9732792')).toBe('1c127f65e46b256868937287f48a70a6');
    expect(signStatus(c, 'TOX6XW813VP56Q')).toBe('4b22c79810b688a1072727df51a4e1d4');
    expect(signPriceList(c)).toBe('e7ca786117dce164ba5b34f1a37d9a3d');
  });

  it('are md5 of username + api_key + the documented suffix', () => {
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    expect(signInquiry(c, 'R1')).toBe(md5('0812345678905f2b9c1e0aR1'));
    expect(signPayment(c, '24462730')).toBe(md5('0812345678905f2b9c1e0a24462730'));
    expect(signStatus(c, 'anything')).toBe(md5('0812345678905f2b9c1e0acs'));
    expect(signPriceList(c)).toBe(md5('0812345678905f2b9c1e0apl'));
  });
});
