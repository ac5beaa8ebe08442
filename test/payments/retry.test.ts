/**
 * The one way a lost answer is recovered (src/payments/retry.ts): the same operation sent again, with backoff,
 * while the failure is the connection's; anything else at once; past the patience, StoreOutcomeUnknown.
 */
import { describe, expect, it } from 'vitest';
import { StoreOutcomeUnknown } from '../../src/bot/store.ts';
import type { Ledger } from '../../src/payments/ledger.ts';
import { isTransient, retrying, withRetries } from '../../src/payments/retry.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';

/** A step that fails `n` times with `err`, then answers. */
function failing<T>(n: number, err: Error, answer: T) {
  let calls = 0;
  const step = async () => {
    calls++;
    if (calls <= n) throw err;
    return answer;
  };
  return { step, calls: () => calls };
}

describe('retrying', () => {
  it('sends the step again after a lost answer or a connection error, and answers what it answers', async () => {
    for (const err of [new StoreOutcomeUnknown(), Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })]) {
      const f = failing(3, err, 'ok');
      expect(await retrying('t', f.step, { maxBackoffMs: 5 })).toBe('ok');
      expect(f.calls()).toBe(4);
    }
  });

  it('throws any other error at once', async () => {
    const f = failing(1, new TypeError('a bug'), 'ok');
    await expect(retrying('t', f.step)).rejects.toThrow(TypeError);
    expect(f.calls()).toBe(1);
  });

  it('past its patience, throws StoreOutcomeUnknown, whatever the last failure was', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const f = failing(1_000, refused, 'ok');
    const started = performance.now();
    await expect(retrying('t', f.step, { patienceMs: 200, maxBackoffMs: 20 })).rejects.toBeInstanceOf(StoreOutcomeUnknown);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(f.calls()).toBeGreaterThan(2);
  });

  it('tells the failures worth another try', () => {
    expect(isTransient(new StoreOutcomeUnknown())).toBe(true);
    expect(isTransient(Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' }))).toBe(true);
    expect(isTransient(new Error('Connection is closed.'))).toBe(true);
    expect(isTransient(new Error("READONLY You can't write against a read only replica."))).toBe(true);
    expect(isTransient(new Error('ERR Error running script'))).toBe(false);
    expect(isTransient('nope')).toBe(false);
  });
});

describe('withRetries', () => {
  it('wraps every operation of the port: a lost answer is the same operation again, which answers as a repeat', async () => {
    const store = createMemoryStore();
    let lose = true;
    // The store applies the operation, then the answer is lost on the way back, once per operation.
    const losing = Object.fromEntries(
      Object.entries(store.money).map(([name, step]) => [name, async (op: unknown) => {
        const r = await (step as (op: unknown) => Promise<unknown>).call(store.money, op);
        if (lose) {
          lose = false;
          throw new StoreOutcomeUnknown();
        }
        return r;
      }]),
    ) as unknown as Ledger;
    const money = withRetries(losing, { maxBackoffMs: 5 });
    expect(Object.keys(money).sort()).toEqual(Object.keys(store.money).sort());
    const op = { opId: 'msg:admin:1', by: 'msg:admin:1', now: 1, user: 'u', amount: 5_000, reason: 'deposit' as const };
    expect(await money.adjust(op)).toEqual({ ok: true, repeat: true, saldo: 5_000 });
    expect(await store.getSaldo('u')).toBe(5_000);
  });
});
