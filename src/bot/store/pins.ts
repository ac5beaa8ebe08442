/** Transaction PINs: the hash, and the failures that lock payments. */
import type { UserId } from '../channel.ts';

export interface PinState {
  /** `scrypt$<salt>$<hash>`, never the PIN. */
  hash?: string;
  fails: number;
  lockedUntil: number;
}

/**
 * A PIN try claimed before the PIN is compared (`pinTry`). Refused when payments are locked, when no PIN is
 * set, or when the failures so far plus the tries being compared right now reach the maximum (`busy`).
 */
export type PinTry =
  | { ok: true; hash: string }
  | { ok: false; reason: 'locked'; lockedUntil: number }
  | { ok: false; reason: 'busy' | 'none' };

export interface Pins {
  getPin(user: UserId): Promise<PinState>;
  setPin(user: UserId, hash: string): Promise<void>;
  /**
   * Claims one PIN comparison, atomically with the lock, so however many processes compare at once at most `max`
   * wrong PINs are ever compared before the lock: refused when locked, when no PIN is set, or when the failures
   * so far plus the tries claimed and not yet ended reach `max`. Every granted try ends with `pinFailed` or
   * `pinPassed`; one whose process died lapses `leaseMs` after the last try was granted.
   */
  pinTry(user: UserId, now: number, max: number, leaseMs: number): Promise<PinTry>;
  /** Ends a try with a wrong PIN: counts it; at `max` failures locks until `now + lockMs` and starts the count again. Atomic. */
  pinFailed(user: UserId, now: number, max: number, lockMs: number): Promise<PinState>;
  /** Ends a try with the right PIN: the failures count starts again. */
  pinPassed(user: UserId): Promise<void>;
}
