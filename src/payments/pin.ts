/** Transaction PINs: only a salted scrypt hash is kept; comparisons take constant time. */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;
const LEN = 32;

export const PIN_FORM = /^\d{4,6}$/;
export const PIN_MAX_FAILS = 3;
export const PIN_LOCK_MS = 15 * 60_000;

export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(pin, salt, LEN);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function checkPin(pin: string, stored: string): Promise<boolean> {
  const [kind, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(pin, Buffer.from(salt, 'base64'), expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
