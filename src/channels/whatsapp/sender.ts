/**
 * Getting texts out: each chat's work in order, a failed send retried with backoff (never dropped silently),
 * and the holder's loop over the shared queue at the global pace. A `rate-overlimit` widens the pace.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { UserId } from '../../bot/channel.ts';
import type { Log } from '../../log.ts';
import { type OutContent, type WaContent, waMessages } from './content.ts';
import type { Outbox, Taken } from './outbox.ts';
import { createPace, isRateOverlimit, type PaceOptions } from './pace.ts';
import type { SentMessages } from './sent.ts';
import type { WaSocket } from './socket.ts';

/** `abandoned`: the channel stopped or handed the connection over first (a queued item then stays queued). */
export type Outcome = 'sent' | 'failed' | 'abandoned';

export interface SenderOptions extends PaceOptions {
  /** The open socket; undefined once there will be none for this process. */
  whenOpen(): Promise<WaSocket | undefined>;
  outbox: Outbox;
  sent: SentMessages;
  log: Log;
  /** Tries in all (5), waiting baseMs (1 s) doubling up to maxMs (30 s) between them. */
  retry?: { attempts?: number; baseMs?: number; maxMs?: number };
  /** How often the shared queue is looked at when idle (1 s). */
  idlePollMs?: number;
}

export interface Sender {
  /** Runs `work` in this chat's turn, after what the chat already has in hand. */
  inChat(jid: string, work: () => Promise<void>): Promise<void>;
  /** One reply now (its text, and its picture if it has one), in the caller's turn. */
  deliver(jid: string, user: UserId, content: OutContent): Promise<Outcome>;
  /** Starts the loop over the shared queue unless it runs; it ends when the connection is gone. */
  drain(): void;
  /** Something was queued: look at the queue now rather than at the next poll. */
  poke(): void;
  start(): void;
  /** Stops the queue loop; the work in hand goes on until `abandon`. */
  pause(): void;
  /** Ends every wait (backoff, pace) at once. */
  abandon(): void;
  /** Resolves when the work in hand is done, or after `ms`. */
  settled(ms?: number): Promise<void>;
  paceMs(): [number, number];
}

export function createSender(opts: SenderOptions): Sender {
  const { log, outbox } = opts;
  const retry = { attempts: 5, baseMs: 1_000, maxMs: 30_000, ...opts.retry };
  const idlePollMs = opts.idlePollMs ?? 1_000;
  const random = opts.random ?? Math.random;
  const pace = createPace(opts);
  const chats = new Map<string, Promise<void>>();
  const inflight = new Set<Promise<void>>();
  let active = false;
  let draining = false;
  let abort = new AbortController();
  let wake: (() => void) | undefined;

  /** False when the wait was cut short by abandon(). */
  async function nap(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: abort.signal });
      return true;
    } catch {
      return false;
    }
  }

  function inChat(jid: string, work: () => Promise<void>): Promise<void> {
    const p = (chats.get(jid) ?? Promise.resolve()).then(work).catch((err: unknown) => {
      log.error({ jid, err: err instanceof Error ? err.stack : String(err) }, 'WhatsApp chat work failed');
    });
    chats.set(jid, p);
    inflight.add(p);
    void p.finally(() => {
      inflight.delete(p);
      if (chats.get(jid) === p) chats.delete(jid);
    });
    return p;
  }

  /** Waits for the pace and takes its slot. */
  async function paceSlot(): Promise<boolean> {
    for (;;) {
      const wait = pace.wait();
      if (wait <= 0) {
        pace.take();
        return true;
      }
      if (!(await nap(wait))) return false;
    }
  }

  /**
   * The reply's messages in order (a picture, its text as caption or after it). A picture that never goes leaves
   * its text, which says enough on its own, to go by itself.
   */
  async function deliver(jid: string, user: UserId, content: OutContent, paced = false): Promise<Outcome> {
    const messages = waMessages(content);
    for (let i = 0; i < messages.length; i++) {
      // A paced reply's second message is one more paced message.
      if (i > 0 && paced && !(await paceSlot())) return 'abandoned';
      const message = messages[i]!;
      const outcome = await deliverOne(jid, user, message, paced);
      if (outcome === 'sent') continue;
      if (outcome === 'failed' && 'image' in message && content.text) {
        log.warn({ user, jid }, 'WhatsApp image not delivered: sending its text alone');
        if (i === messages.length - 1) messages.push({ text: content.text });
        continue;
      }
      return outcome;
    }
    return 'sent';
  }

  async function deliverOne(jid: string, user: UserId, content: WaContent, paced: boolean): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
      // A paced message's retry is one more paced message.
      if (attempt > 1 && paced && !(await paceSlot())) return 'abandoned';
      const sock = await opts.whenOpen();
      if (!sock) return 'abandoned';
      try {
        const sent = await sock.sendMessage(jid, content);
        if (sent?.key.id && sent.message) {
          await opts.sent.put(sent.key.id, sent.message).catch((err: unknown) => log.warn({ err: String(err) }, 'WhatsApp: could not keep a sent message'));
        }
        return 'sent';
      } catch (err) {
        const overlimit = isRateOverlimit(err);
        if (overlimit) {
          pace.slowDown();
          log.warn({ paceMs: pace.range() }, 'WhatsApp answered rate-overlimit: sending more slowly');
        }
        if (attempt >= retry.attempts) {
          log.error({ user, jid, attempts: attempt, err: String(err) }, 'WhatsApp message not delivered after retries');
          return 'failed';
        }
        const cap = Math.min(retry.maxMs, retry.baseMs * 2 ** (attempt - 1));
        const wait = Math.max(cap / 2 + (random() * cap) / 2, overlimit ? pace.range()[0] : 0);
        log.warn({ user, attempt, waitMs: Math.round(wait), err: String(err) }, 'WhatsApp send failed; retrying');
        if (!(await nap(wait))) return 'abandoned';
      }
    }
  }

  function send(t: Taken): void {
    void inChat(t.item.jid, async () => {
      // Abandoned, it stays in flight in the shared queue, and the next holder sends it.
      const { item } = t;
      const content = { text: item.text, ...(item.image ? { image: Buffer.from(item.image, 'base64') } : {}) };
      if ((await deliver(item.jid, item.user, content, true)) !== 'abandoned') await outbox.done(t);
    });
  }

  async function loop(): Promise<void> {
    while (active && (await opts.whenOpen())) {
      const wait = pace.wait();
      if (wait > 0) {
        if (!(await nap(wait))) return;
        continue;
      }
      // The slot is taken before the queue is read, so a retry waking meanwhile cannot take it too.
      const giveBack = pace.take();
      let taken: Taken | null = null;
      try {
        taken = await outbox.take();
      } catch (err) {
        log.warn({ err: String(err) }, 'WhatsApp: could not read the queue');
      }
      if (taken) {
        send(taken);
        continue;
      }
      giveBack();
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
      await Promise.race([nap(idlePollMs), woken]);
      wake = undefined;
    }
  }

  return {
    inChat,
    deliver: (jid, user, content) => deliver(jid, user, content),
    drain() {
      if (draining || !active) return;
      draining = true;
      void loop().finally(() => {
        draining = false;
      });
    },
    poke: () => wake?.(),
    start() {
      active = true;
      abort = new AbortController();
    },
    pause() {
      active = false;
      wake?.();
    },
    abandon: () => abort.abort(),
    async settled(ms) {
      const all = async () => {
        while (inflight.size > 0) await Promise.allSettled([...inflight]);
      };
      if (ms === undefined) return all();
      const timer = new AbortController();
      await Promise.race([all().finally(() => timer.abort()), sleep(ms, undefined, { signal: timer.signal }).catch(() => {})]);
    },
    paceMs: () => pace.range(),
  };
}
