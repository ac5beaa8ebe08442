import { describe, expect, it } from 'vitest';
import { excerpt, isProviderError, ProviderRefused, ProviderUnreachable, ProviderUnreadable } from '../../src/providers/errors.ts';

describe('provider errors', () => {
  it('tell "said no" from "do not know"', () => {
    const refused = new ProviderRefused('mmbc', 'bayartagihan', 'saldo tidak cukup');
    expect(refused).toMatchObject({ name: 'ProviderRefused', reason: 'saldo tidak cukup', provider: 'mmbc', operation: 'bayartagihan' });
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const down = new ProviderUnreachable('mmbc', 'cektagihan', { cause });
    expect(down).toMatchObject({ name: 'ProviderUnreachable', timedOut: false, cause });
    expect(down.message).toBe('mmbc cektagihan unreachable: network error: ECONNREFUSED connect ECONNREFUSED');
    expect(new ProviderUnreachable('mmbc', 'x', { httpStatus: 502 }).message).toContain('HTTP 502');
    expect(new ProviderUnreachable('mmbc', 'x', { timedOut: true }).message).toContain('timed out');
    const unreadable = new ProviderUnreadable('mmbc', 'x', 'not JSON', `<html>\n${'a'.repeat(500)}`);
    expect(unreadable.excerpt.length).toBeLessThanOrEqual(201);
    expect(unreadable.excerpt.startsWith('<html> aaa')).toBe(true);
    for (const e of [refused, down, unreadable]) {
      expect(e).toBeInstanceOf(Error);
      expect(isProviderError(e)).toBe(true);
    }
    expect(isProviderError(new Error('x'))).toBe(false);
    expect(excerpt('  a \n b  ')).toBe('a b');
  });
});
