/** A user hash as read back: the identity's fields, and the account's when it is one. */
import { z } from 'zod';
import type { UserRecord } from '../../bot/store/users.ts';

const ids = z.array(z.string());

export function listField(raw: string | undefined): string[] | undefined {
  return raw ? ids.parse(JSON.parse(raw)) : undefined;
}

export function userRecord(id: string, h: Record<string, string | undefined>): UserRecord {
  const rec: UserRecord = { id, reseller: h.reseller === '1', firstSeen: Number(h.firstSeen) };
  if (h.name) rec.name = h.name;
  if (h.pin) rec.hasPin = true;
  if (h.account) rec.account = h.account;
  const identities = listField(h.identities);
  if (identities) rec.identities = identities;
  const chain = listField(h.chain);
  if (chain && chain.length > 0) {
    rec.chain = chain;
    rec.upline = chain[0]!;
  }
  return rec;
}
