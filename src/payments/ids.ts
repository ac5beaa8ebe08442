import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U to misread

// One system call fills a pool for many ids: randomBytes per id showed up in the profile of a busy bot.
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let at = 0;

function random(n: number): string {
  if (at + n > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    at = 0;
  }
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[pool[at + i]! & 31];
  at += n;
  return s;
}

/**
 * A transaction id users can read out and type: 6 base-36 digits of the creation second, then 8 random
 * characters. The time lets the recheck worker tell an abandoned reservation's age from its id alone.
 */
export function newTxId(now: number): string {
  return secondOf(now) + random(8);
}

/** A transaction id of the same form whose 8 characters are drawn from `seed`: the same seed, the same id. */
export function txIdOf(now: number, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let s = '';
  for (let i = 0; i < 8; i++) s += ALPHABET[digest[i]! & 31];
  return secondOf(now) + s;
}

function secondOf(now: number): string {
  return Math.floor(now / 1000).toString(36).toUpperCase().padStart(6, '0');
}

export function txIdTime(id: string): number | undefined {
  const secs = Number.parseInt(id.slice(0, 6), 36);
  return Number.isFinite(secs) ? secs * 1000 : undefined;
}

export function newQuoteId(): string {
  return random(10);
}
