/**
 * The global pace of messages the user did not just ask for. Users report bans after bursts of a few messages
 * a second, so broadcasts go one every few seconds with jitter; a `rate-overlimit` from WhatsApp doubles the
 * gaps, and they ease back after a quiet spell.
 */
export interface PaceOptions {
  /** One message every [min, max] ms, uniformly jittered (3–6 s). */
  paceMs?: readonly [number, number];
  /** The most the gaps grow after rate-overlimit answers (16×). */
  maxFactor?: number;
  /** A quiet spell without rate-overlimit after which the gaps halve again (10 min). */
  recoverMs?: number;
  clock?: () => number;
  random?: () => number;
}

export interface Pace {
  /** Ms until the next paced message may go (0: now). */
  wait(): number;
  /** Takes the slot now (the next message waits a fresh jittered gap); the function given back returns it unused. */
  take(): () => void;
  slowDown(): void;
  /** The current gap range, ms. */
  range(): [number, number];
}

export const DEFAULT_PACE_MS: readonly [number, number] = [3_000, 6_000];

export function createPace(opts: PaceOptions = {}): Pace {
  const [min, max] = opts.paceMs ?? DEFAULT_PACE_MS;
  const maxFactor = opts.maxFactor ?? 16;
  const recoverMs = opts.recoverMs ?? 10 * 60_000;
  const clock = opts.clock ?? Date.now;
  const random = opts.random ?? Math.random;
  let factor = 1;
  let calmSince = 0;
  let next = 0;

  const range = (): [number, number] => [min * factor, max * factor];
  function ease(): void {
    if (factor > 1 && clock() - calmSince >= recoverMs) {
      factor = Math.max(1, factor / 2);
      calmSince = clock();
    }
  }

  return {
    wait: () => Math.max(0, next - clock()),
    take() {
      ease();
      const before = next;
      const [a, b] = range();
      const mine = clock() + a + random() * (b - a);
      next = mine;
      return () => {
        if (next === mine) next = before;
      };
    },
    slowDown() {
      factor = Math.min(maxFactor, factor * 2);
      calmSince = clock();
      next = Math.max(next, clock() + range()[0]);
    },
    range,
  };
}

/** WhatsApp's "too many requests": Baileys throws a Boom `rate-overlimit` with data 429. */
export function isRateOverlimit(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.message.includes('rate-overlimit') || (err as Error & { data?: unknown }).data === 429;
}
