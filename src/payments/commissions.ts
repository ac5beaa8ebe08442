/**
 * Commissions: when a downline's transaction becomes SETTLED, each upline on its chain earns the markup it
 * added, as recorded on the quote when the price was fixed. The settle step leaves the transaction on the
 * durable schedule (in place of taking it off), so the worker credits them after the payer has the receipt,
 * and a crash between the settle and any credit is finished by the next look: each credit is an operation
 * keyed `<txId>:komisi:<level>`, so the look that repeats one changes nothing. A FAILED transaction owes none.
 */
import type { Store, Transaction } from '../bot/store.ts';
import type { Log } from '../log.ts';
import { opIds } from './ledger.ts';
import { retrying } from './retry.ts';

/** One sender for every look: a credit sent again by another process is the same step, answered as a repeat. */
export const COMMISSION_SENDER = 'worker:commission';

export function owesCommission(tx: Transaction): boolean {
  return tx.status === 'SETTLED' && !tx.commissioned && (tx.quote.network ?? []).some((s) => s.markup > 0);
}

/** Credits every upline's commission on a SETTLED transaction (each once), then marks it done. */
export async function creditCommissions(store: Store, tx: Transaction, now: number, log?: Log): Promise<void> {
  if (!owesCommission(tx)) return;
  const shares = tx.quote.network ?? [];
  await Promise.all(
    shares.map((share, i) => {
      if (share.markup <= 0) return undefined;
      const level = i + 1;
      const opId = opIds.commission(tx.id, level);
      const via = i === 0 ? tx.user : shares[i - 1]!.account;
      return retrying(opId, () => store.money.creditCommission({
        opId, by: COMMISSION_SENDER, now, user: share.account, amount: share.markup, txId: tx.id, from: tx.user, via, level,
      }), log ? { log } : {});
    }),
  );
  await store.patchTx(tx.user, tx.id, { commissioned: true });
  log?.info({ tx: tx.id, levels: shares.length }, 'commissions credited');
}
