/**
 * Seeds a saldo the way the product credits one: a `deposit` through the ledger (`store.money.adjust`) under
 * a fresh operation id, so each call is its own operation. A negative amount debits. Throws when the ledger
 * refuses (a debit below zero), so a test never runs on a scene it did not get.
 */
import { randomUUID } from 'node:crypto';
import type { UserId } from '../../src/bot/channel.ts';
import type { Store } from '../../src/bot/store.ts';

export async function credit(
  store: Pick<Store, 'money'>,
  user: UserId,
  amount: number,
  opts: { note?: string; now?: number } = {},
): Promise<number> {
  const opId = `test-credit:${randomUUID()}`;
  const r = await store.money.adjust({
    opId,
    by: 'test',
    now: opts.now ?? Date.now(),
    user,
    amount,
    reason: 'deposit',
    ...(opts.note ? { note: opts.note } : {}),
  });
  if (!r.ok) throw new Error(`credit of ${amount} to ${user} refused: ${JSON.stringify(r.refusal)}`);
  return r.saldo;
}
