import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U to misread

function random(n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (const b of bytes) s += ALPHABET[b & 31];
  return s;
}

/**
 * A transaction id users can read out and type: 6 base-36 digits of the creation second, then 8 random
 * characters. The time lets the recheck worker tell an abandoned reservation's age from its id alone.
 */
export function newTxId(now: number): string {
  return Math.floor(now / 1000).toString(36).toUpperCase().padStart(6, '0') + random(8);
}

export function txIdTime(id: string): number | undefined {
  const secs = Number.parseInt(id.slice(0, 6), 36);
  return Number.isFinite(secs) ? secs * 1000 : undefined;
}

export function newQuoteId(): string {
  return random(10);
}
