/**
 * Saldo moved between two resellers. Their saldos carry different hash tags, so the move is two atomic steps
 * that cannot be lost: the sender's debit records the transfer (after it is scheduled), the receiver's credit
 * is idempotent per transfer id, and the recheck worker finishes any transfer a crash interrupted.
 */
import type { UserId } from '../bot/channel.ts';
import type { Store } from '../bot/store.ts';
import { txIdTime } from './ids.ts';

export const TRANSFER_PREFIX = 'TRF-';

export function isTransferId(id: string): boolean {
  return id.startsWith(TRANSFER_PREFIX);
}

/** Completes a transfer whose debit is done; safe to run any number of times. Null when there is no such transfer. */
export async function completeTransfer(store: Store, from: UserId, id: string): Promise<{ saldo: number } | null> {
  const tr = await store.getTransfer(from, id);
  if (!tr) return null;
  const r = await store.transferIn({ id, from, to: tr.to, amount: tr.amount, at: tr.at });
  await store.unschedule(from, id);
  return r;
}

/** The worker's look at a scheduled transfer: finish it, or forget one whose debit never happened. */
export async function recheckTransfer(store: Store, from: UserId, id: string, now: number, graceMs: number): Promise<void> {
  if (await completeTransfer(store, from, id)) return;
  const born = txIdTime(id.slice(TRANSFER_PREFIX.length)) ?? 0;
  // No transfer record: the debit was refused or never ran; once past the grace no debit can still come.
  if (now - born > graceMs) await store.unschedule(from, id);
}
