/** Webhook signatures: hex HMAC-SHA256 of the raw body, compared in constant time (Moota, Tripay, WhatsApp Cloud). */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmacSha256Hex(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * True when `given` is the hex HMAC-SHA256 of `body` under `secret`. Both sides are compared as bytes of the
 * same length in constant time, so the answer's timing tells nothing of how much of a guess was right.
 * `prefix`: a scheme the header puts before the hex (`sha256=` for WhatsApp Cloud).
 */
export function validHmacSha256(secret: string, body: Buffer, given: string | string[] | undefined, prefix = ''): boolean {
  if (typeof given !== 'string' || !given.startsWith(prefix)) return false;
  const expected = Buffer.from(hmacSha256Hex(secret, body), 'utf8');
  const actual = Buffer.from(given.slice(prefix.length).toLowerCase(), 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
