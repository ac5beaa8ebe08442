/**
 * Keeps the admin told while a broadcast runs: one message rewritten in place at each further tenth of the
 * way where their channel can edit (Telegram), a new line per tenth where it cannot, and the tally at the end
 * as a new message (an edit makes no sound; the end should).
 */
import { channelOf, type Channel, type Reply } from '../bot/channel.ts';
import type { T } from '../bot/i18n.ts';
import type { Broadcast, BroadcastOutcome, Store } from '../bot/store.ts';
import type { Log } from '../log.ts';
import { liveText, progressText, stepOf, tallyText } from './text.ts';

export interface ProgressDeps {
  store: Store;
  channels: ReadonlyMap<string, Channel>;
  log: Log;
  t: T;
}

export interface Progress {
  /** One more recipient counted (by this process). */
  counted(outcome: BroadcastOutcome): void;
  /** The final update and the tally. */
  finish(final: Broadcast): Promise<void>;
  /** Resolves when the updates asked for so far have gone. */
  settled(): Promise<void>;
}

export function createProgress(start: Broadcast, deps: ProgressDeps): Progress {
  const { store, log, t } = deps;
  // Counts as the store had them when this process took over, plus what this process counted since.
  const now = { ...start };
  let shown = start.step;
  let chain: Promise<void> = Promise.resolve();

  const channel = () => deps.channels.get(channelOf(start.by));

  async function tell(reply: Reply, live: boolean): Promise<void> {
    const ch = channel();
    if (!ch) {
      log.warn({ broadcast: start.id, admin: start.by }, 'broadcast progress not shown: no channel for the admin in this process');
      return;
    }
    if (live && start.progress && ch.edit) return ch.edit(start.by, start.progress, reply);
    return ch.send(start.by, reply);
  }

  function show(step: number): void {
    const snapshot = { ...now };
    chain = chain.then(async () => {
      try {
        const editable = Boolean(start.progress && channel()?.edit);
        await tell({ text: editable ? liveText(snapshot, t) : progressText(snapshot, t) }, true);
        await store.setBroadcastProgress(start.id, { step });
      } catch (err) {
        log.warn({ broadcast: start.id, err: String(err) }, 'broadcast progress update failed');
      }
    });
  }

  return {
    counted(outcome) {
      now[outcome]++;
      const step = stepOf(now.sent + now.failed + now.skipped, now.total);
      // The tenth that completes it is the tally's, not a progress line's.
      if (step > shown && step < 10) {
        shown = step;
        show(step);
      }
    },
    async finish(final) {
      await chain;
      try {
        if (start.progress && channel()?.edit) await tell({ text: liveText(final, t) }, true);
      } catch (err) {
        log.warn({ broadcast: start.id, err: String(err) }, 'broadcast progress update failed');
      }
      try {
        await tell({ text: tallyText(final, t) }, false);
      } catch (err) {
        log.warn({ broadcast: start.id, err: String(err) }, 'broadcast tally not delivered to the admin');
      }
    },
    settled: () => chain,
  };
}
