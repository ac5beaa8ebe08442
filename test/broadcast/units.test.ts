/** The small parts of a broadcast: which Telegram errors mean "unreachable", the pace, the tenths. */
import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { createPacer } from '../../src/broadcast/pace.ts';
import { stepOf } from '../../src/broadcast/text.ts';
import { unreachableReason } from '../../src/channels/telegram/errors.ts';

const apiError = (error_code: number, description: string) =>
  new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code, description }, 'sendMessage', {});

describe('unreachable on Telegram', () => {
  it('is every 403, and 400 chat not found; a 429, a 5xx or a network error is not', () => {
    expect(unreachableReason(apiError(403, 'Forbidden: bot was blocked by the user'))).toBe('blocked');
    expect(unreachableReason(apiError(403, 'Forbidden: user is deactivated'))).toBe('deactivated');
    expect(unreachableReason(apiError(403, "Forbidden: bot can't initiate conversation with a user"))).toBe('not-found');
    expect(unreachableReason(apiError(400, 'Bad Request: chat not found'))).toBe('not-found');
    expect(unreachableReason(apiError(400, 'Bad Request: message text is empty'))).toBeUndefined();
    expect(unreachableReason(apiError(429, 'Too Many Requests: retry after 5'))).toBeUndefined();
    expect(unreachableReason(apiError(502, 'Bad Gateway'))).toBeUndefined();
    expect(unreachableReason(new Error('ECONNRESET'))).toBeUndefined();
  });
});

describe('the pace of a lane', () => {
  it('spaces slots evenly from the first, saves nothing up, and makes up at most a short stall', async () => {
    let t = 1_000;
    const p = createPacer(20, { now: () => t, burstMs: 100 });
    const signal = new AbortController().signal;
    // Slots at 1000, 1050, 1100…: with the clock standing still only the first is free.
    expect(await p.slot(signal)).toBe(true);
    t = 1_050;
    expect(await p.slot(signal)).toBe(true);
    // A 1 s stall: the slot due now and two more (100 ms) made up at once, not twenty.
    t = 2_050;
    const free: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const started = performance.now();
      await p.slot(signal);
      free.push(performance.now() - started < 20);
    }
    expect(free).toEqual([true, true, true, false]);
  });

  it('ends its wait when the signal aborts', async () => {
    const p = createPacer(1);
    const stop = new AbortController();
    expect(await p.slot(stop.signal)).toBe(true);
    setTimeout(() => stop.abort(), 20);
    expect(await p.slot(stop.signal)).toBe(false);
  });
});

describe('tenths', () => {
  it('counts down to whole tenths, and an empty broadcast is done', () => {
    expect([0, 2, 3, 29, 30].map((d) => stepOf(d, 30))).toEqual([0, 0, 1, 9, 10]);
    expect(stepOf(0, 0)).toBe(10);
  });
});
