/**
 * The pace of one channel's lane of a broadcast. Slots are evenly spaced on an absolute schedule, so a timer
 * that fires late does not slow the whole run down, and at most `burstMs` of slots are made up after a stall:
 * Telegram's throttler then only ever holds a short queue, and never sees a flood after a pause.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Pacer {
  /** Resolves at this lane's next slot; false when `signal` ended the wait. */
  slot(signal: AbortSignal): Promise<boolean>;
}

export function createPacer(perSecond: number, opts: { burstMs?: number; now?: () => number } = {}): Pacer {
  const gap = 1000 / perSecond;
  const burst = Math.max(gap, opts.burstMs ?? 50);
  const now = opts.now ?? (() => performance.now());
  let next: number | undefined;
  return {
    async slot(signal) {
      const t = now();
      // The schedule starts at the first slot with nothing saved up: a run never gets ahead of its rate.
      next = next === undefined ? t : Math.max(next, t - burst);
      const at = next;
      next += gap;
      if (signal.aborted) return false;
      if (at <= t) return true;
      try {
        await sleep(at - t, undefined, { signal });
        return true;
      } catch {
        return false;
      }
    },
  };
}
