/**
 * Saldo moved between two resellers. Their saldos carry different hash tags, so the move is two ledger
 * operations that cannot be lost: the sender's debit records the transfer (after it is scheduled), the
 * receiver's credit is its own operation on the receiver's account (opIds.transferIn), and the recheck worker
 * finishes any transfer a crash interrupted.
 */
import type { UserId } from '../bot/channel.ts';
import type { Store, Transfer } from '../bot/store.ts';
import type { Log } from '../log.ts';
import { txIdTime } from './ids.ts';
import { opIds } from './ledger.ts';
import { type RetryOptions, withRetries } from './retry.ts';

export const TRANSFER_PREFIX = 'TRF-';

/**
 * Who sends a transfer's credit: one name whoever sends it (the TRANSFER itself, the worker), since the credit
 * is the same whoever makes it; so a second sender hears the saldo it made rather than a conflict.
 */
export const TRANSFER_SENDER = 'transfer';

export function isTransferId(id: string): boolean {
  return id.startsWith(TRANSFER_PREFIX);
}

/**
 * Completes a transfer whose debit is done: credits the receiver (once, whoever asks), marks it done and takes
 * it off the schedule. Safe to run any number of times. Null when there is no such transfer. `known`: the
 * transfer as its debit recorded it, when the caller made it (not read again).
 */
export async function completeTransfer(
  store: Store, from: UserId, id: string, opts: RetryOptions = {}, known?: Omit<Transfer, 'state'>,
): Promise<{ saldo: number } | null> {
  const tr = known ?? (await store.getTransfer(from, id));
  if (!tr) return null;
  // Done is written only after the credit: a transfer still scheduled when its credit's op record has expired
  // (7 days, the worker down or failing all along) must not be credited again.
  if ('state' in tr && tr.state === 'done') {
    await store.unschedule(from, id);
    return { saldo: await store.getSaldo(tr.to) };
  }
  const money = withRetries(store.money, opts);
  const r = await money.transferIn({ opId: opIds.transferIn(id), by: TRANSFER_SENDER, now: tr.at, transferId: id, from, to: tr.to, amount: tr.amount });
  await store.unschedule(from, id);
  // Another sender's record (written by the migration from an earlier version's mark): credited all the same.
  return { saldo: r.ok ? r.saldo : await store.getSaldo(tr.to) };
}

/** The worker's look at a scheduled transfer: finish it, or forget one whose debit never happened. */
export async function recheckTransfer(store: Store, from: UserId, id: string, now: number, graceMs: number, log?: Log): Promise<void> {
  if (await completeTransfer(store, from, id, log ? { log } : {})) return;
  const born = txIdTime(id.slice(TRANSFER_PREFIX.length)) ?? 0;
  // No transfer record: the debit was refused or never ran; once past the grace no debit can still come.
  if (now - born > graceMs) await store.unschedule(from, id);
}
