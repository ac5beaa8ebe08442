/**
 * Tripay's two signatures (docs/tripay-notes.md), both hex HMAC-SHA256 keyed with the merchant's private key:
 * a closed transaction request signs merchant code + merchant ref + amount, concatenated as they are; a
 * callback signs its raw JSON body. The simulator checks and makes them with these same functions.
 */
import { hmacSha256Hex } from '../../http/signature.ts';

export interface TripaySigningKey {
  privateKey: string;
  merchantCode: string;
}

/** `amount` as the request sends it: integer rupiah, written without separators ("1500000"). */
export function signTransaction(key: TripaySigningKey, merchantRef: string, amount: number): string {
  if (!Number.isSafeInteger(amount)) throw new Error(`tripay: amount must be whole rupiah, got ${amount}`);
  return hmacSha256Hex(key.privateKey, `${key.merchantCode}${merchantRef}${amount}`);
}

export function signCallback(privateKey: string, body: Buffer | string): string {
  return hmacSha256Hex(privateKey, body);
}
