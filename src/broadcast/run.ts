/**
 * Works one broadcast in this process while it holds the broadcast's lease: one lane per channel, each at its
 * own pace with a bound on sends in flight, every recipient taken (and so marked) in the store before the
 * message is handed to the channel. Losing the lease, or stopping, ends the work without finishing it: the
 * next holder carries on from the recipients not yet taken.
 */
import { type Channel, RecipientUnreachable, type UserId } from '../bot/channel.ts';
import type { T } from '../bot/i18n.ts';
import type { Broadcast, BroadcastOutcome, Store } from '../bot/store.ts';
import type { Log } from '../log.ts';
import { createPacer } from './pace.ts';
import { createProgress, type Progress } from './progress.ts';

export interface RunDeps {
  store: Store;
  channels: ReadonlyMap<string, Channel>;
  log: Log;
  t: T;
  /** This worker's name in the lease. */
  owner: string;
  leaseMs: number;
  /** Messages a second per channel; a channel not named is not paced here (WhatsApp paces its own queue). */
  rates: Readonly<Record<string, number>>;
  /** Sends in flight at most per lane that is not paced. */
  maxInFlight: number;
  clock: () => number;
  /** Aborted when the worker stops: the work ends and the lease is given up for another process. */
  signal: AbortSignal;
}

/** Sends in flight at most on a paced lane: about half a second's worth keeps the channel's own queue short. */
export function inFlightFor(rate: number): number {
  return Math.max(2, Math.ceil(rate / 2));
}

export async function runBroadcast(id: string, deps: RunDeps): Promise<void> {
  const { store, log, owner, leaseMs, clock, signal } = deps;
  if (!(await store.leaseBroadcast(id, owner, clock(), leaseMs))) return;
  const b = await store.getBroadcast(id);
  if (b?.state !== 'running') return;
  log.info({ broadcast: id, total: b.total, taken: b.taken }, b.taken > 0 ? 'broadcast resumed' : 'broadcast started');
  const held = { lost: false };
  const renew = setInterval(() => {
    store.leaseBroadcast(id, owner, clock(), leaseMs).then(
      (ok) => {
        if (!ok) held.lost = true;
      },
      // A lease not renewed lapses by itself; taking a recipient checks it, so nothing more is needed here.
      (err: unknown) => log.warn({ broadcast: id, err: String(err) }, 'broadcast lease not renewed'),
    );
  }, Math.max(20, leaseMs / 3));
  const progress = createProgress(b, deps);
  try {
    await Promise.all(Object.keys(b.lanes).map((lane) => runLane(b, lane, deps, held, progress)));
  } finally {
    clearInterval(renew);
  }
  await progress.settled();
  if (held.lost) {
    log.warn({ broadcast: id }, 'broadcast lease lost: another process carries on');
    return;
  }
  if (signal.aborted) {
    await store.leaseBroadcast(id, owner, clock(), 0);
    log.info({ broadcast: id }, 'broadcast paused for stop: another process (or the next start) carries on');
    return;
  }
  const final = await store.finishBroadcast(id, owner, clock());
  if (!final) return;
  log.info({ broadcast: id, sent: final.sent, failed: final.failed, skipped: final.skipped, unconfirmed: final.unconfirmed }, 'broadcast finished');
  await progress.finish(final);
}

async function runLane(b: Broadcast, lane: string, deps: RunDeps, held: { lost: boolean }, progress: Progress): Promise<void> {
  const { store, log, owner, clock, signal } = deps;
  const channel = deps.channels.get(lane);
  const rate = deps.rates[lane];
  const pacer = rate ? createPacer(rate) : undefined;
  const cap = rate ? inFlightFor(rate) : deps.maxInFlight;
  const inflight = new Set<Promise<void>>();
  try {
    while (!held.lost && !signal.aborted) {
      while (inflight.size >= cap) await Promise.race(inflight);
      if (pacer && !(await pacer.slot(signal))) break;
      if (held.lost || signal.aborted) break;
      const r = await store.takeRecipient(b.id, lane, owner, clock());
      if (r === 'end') break;
      if (r === 'lost') {
        held.lost = true;
        break;
      }
      const p = deliver(channel, r.user, b.text, deps).then((outcome) => record(b.id, r.user, outcome, deps, progress));
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
  } catch (err) {
    // The store cannot be reached: stop taking; what was taken and not counted shows as unconfirmed.
    held.lost = true;
    log.error({ broadcast: b.id, lane, err: String(err) }, 'broadcast lane stopped');
  } finally {
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  }
}

async function deliver(channel: Channel | undefined, user: UserId, text: string, deps: RunDeps): Promise<BroadcastOutcome> {
  if (!channel) {
    deps.log.warn({ user }, 'broadcast: no channel for this user in this process; skipped');
    return 'skipped';
  }
  try {
    await channel.send(user, { text });
    return 'sent';
  } catch (err) {
    if (err instanceof RecipientUnreachable) return 'skipped';
    deps.log.warn({ user, err: String(err) }, 'broadcast message not delivered');
    return 'failed';
  }
}

async function record(id: string, user: UserId, outcome: BroadcastOutcome, deps: RunDeps, progress: Progress): Promise<void> {
  try {
    if (await deps.store.recordRecipient(id, user, outcome)) progress.counted(outcome);
  } catch (err) {
    deps.log.error({ broadcast: id, user, outcome, err: String(err) }, 'broadcast outcome not recorded; it will count as unconfirmed');
  }
}
