/**
 * The background loop that carries every scheduled transaction to a final state. The schedule lives in the
 * store, so a restart or a second process picks up exactly where the last left off; a claimed item is leased,
 * so two processes never check the same transaction at once.
 */
import type { Store } from '../bot/store.ts';
import type { Log } from '../log.ts';
import type { Payments } from './payments.ts';
import { isTransferId, recheckTransfer } from './transfers.ts';

export interface RecheckWorker {
  /** One pass over what is due now; resolves when those are handled. */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

export function startRecheckWorker(opts: {
  store: Store;
  payments: Payments;
  log: Log;
  intervalMs?: number;
  /** How long a claimed item is kept from other processes; longer than one provider call. */
  leaseMs: number;
  batch?: number;
  clock?: () => number;
  /** Tests drive tick() themselves. */
  autostart?: boolean;
}): RecheckWorker {
  const { store, payments, log } = opts;
  const clock = opts.clock ?? Date.now;
  const batch = opts.batch ?? 100;
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function pass(): Promise<number> {
    const items = await store.claimDue(clock(), opts.leaseMs, batch);
    await Promise.all(
      items.map(({ user, txId }) =>
        (isTransferId(txId) ? recheckTransfer(store, user, txId, clock(), payments.graceMs, log) : payments.recheck(user, txId)).catch((err: unknown) => log.error({ tx: txId, err: String(err) }, 'recheck failed; it will be retried')),
      ),
    );
    return items.length;
  }

  function tick(): Promise<number> {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  }

  function loop(): void {
    if (stopped) return;
    tick()
      .catch((err: unknown) => log.error({ err: String(err) }, 'recheck pass failed'))
      .then((n) => {
        // A full batch means more is due: go on at once instead of waiting a whole interval.
        if (!stopped) timer = setTimeout(loop, n === batch ? 0 : (opts.intervalMs ?? 1000));
      });
  }

  if (opts.autostart !== false) loop();

  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
