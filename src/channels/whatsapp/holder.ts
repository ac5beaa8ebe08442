/**
 * Holding the WhatsApp lease: a standby process tries it every poll; the holder renews it a few times per ttl
 * and steps down as soon as it may no longer be the holder, before another process can take over.
 */
import type { Log } from '../../log.ts';
import type { Lease } from './lease.ts';

export interface LeaseHolderOptions {
  lease: Lease;
  log: Log;
  /** How often a standby process tries the lease (a third of its ttl). */
  pollMs?: number;
  /** Not holding it (yet): another process does. */
  onStandby(): void;
  onAcquired(): Promise<void>;
  /** Held, then lost: stop using the connection at once. */
  onLost(): void;
}

export interface LeaseHolder {
  start(): void;
  /** Stops trying and renewing, and gives the lease back if held. */
  stop(): Promise<void>;
  holding(): boolean;
  /** Renews now (a sign that another session took over): steps down if the lease is gone. */
  check(): void;
}

export function createLeaseHolder(opts: LeaseHolderOptions): LeaseHolder {
  const { lease, log } = opts;
  const pollMs = opts.pollMs ?? Math.max(50, Math.floor(lease.ttlMs / 3));
  let running = false;
  let held = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let renewTimer: NodeJS.Timeout | undefined;
  let lastRenewed = 0;
  let renewing = false;

  async function attempt(): Promise<void> {
    if (!running || held) return;
    let got = false;
    try {
      got = await lease.acquire();
    } catch (err) {
      log.warn({ err: String(err) }, 'WhatsApp lease: Redis did not answer');
    }
    if (!running) {
      if (got) await lease.release().catch(() => {});
      return;
    }
    if (!got) {
      opts.onStandby();
      pollTimer = setTimeout(attempt, pollMs);
      return;
    }
    held = true;
    lastRenewed = Date.now();
    renewTimer = setInterval(() => void renew(), Math.max(20, Math.floor(lease.ttlMs / 3)));
    log.info('this process holds the WhatsApp lease and connects');
    await opts.onAcquired();
  }

  async function renew(): Promise<void> {
    if (!held || renewing) return;
    renewing = true;
    try {
      let ours: boolean;
      try {
        ours = await lease.renew();
        if (ours) lastRenewed = Date.now();
      } catch (err) {
        // Without an answer the lease may lapse and another process take it: step down before that can happen.
        ours = Date.now() - lastRenewed < (lease.ttlMs * 2) / 3;
        log.warn({ err: String(err), stillOurs: ours }, 'WhatsApp lease: renewal failed');
      }
      if (!ours && held && running) {
        log.warn('WhatsApp lease lost: another process may hold the connection now; this one stands by');
        held = false;
        clearInterval(renewTimer);
        opts.onLost();
        pollTimer = setTimeout(attempt, pollMs);
      }
    } finally {
      renewing = false;
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      void attempt();
    },
    async stop() {
      running = false;
      clearTimeout(pollTimer);
      clearInterval(renewTimer);
      if (held) {
        held = false;
        await lease.release().catch((err: unknown) => log.warn({ err: String(err) }, 'WhatsApp lease release failed'));
      }
    },
    holding: () => held,
    check: () => void renew(),
  };
}
