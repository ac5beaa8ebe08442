/** Tripay's signatures, checked against the example its developer guide computes (docs/tripay-notes.md). */
import { describe, expect, it } from 'vitest';
import { signCallback, signTransaction } from '../../../src/providers/tripay/sign.ts';

describe('Tripay signatures', () => {
  it('a transaction request signs merchant code + merchant ref + amount with the private key (the guide’s own example)', () => {
    const key = { privateKey: 'ytf6ooi2gmlNPfpchd94jDOk8hRWOu', merchantCode: 'T0001' };
    expect(signTransaction(key, 'INV55567', 1_500_000)).toBe('9f167eba844d1fcb369404e2bda53702e2f78f7aa12e91da6715414e65b8c86a');
    // Each part counts: another ref, amount or merchant signs differently.
    expect(signTransaction(key, 'INV55568', 1_500_000)).not.toBe(signTransaction(key, 'INV55567', 1_500_000));
    expect(signTransaction(key, 'INV55567', 1_500_001)).not.toBe(signTransaction(key, 'INV55567', 1_500_000));
    expect(signTransaction({ ...key, merchantCode: 'T0002' }, 'INV55567', 1_500_000)).not.toBe(signTransaction(key, 'INV55567', 1_500_000));
  });

  it('an amount is signed as whole rupiah, never as a float', () => {
    expect(() => signTransaction({ privateKey: 'k', merchantCode: 'T1' }, 'R', 1000.5)).toThrow(/whole rupiah/);
  });

  it('a callback signs its raw body: the same JSON re-serialised is another signature', () => {
    const body = '{"reference":"T1","status":"PAID"}';
    const spaced = '{"reference": "T1", "status": "PAID"}';
    expect(signCallback('pk', body)).toMatch(/^[0-9a-f]{64}$/);
    expect(signCallback('pk', Buffer.from(body))).toBe(signCallback('pk', body));
    expect(signCallback('pk', spaced)).not.toBe(signCallback('pk', body));
  });
});
