/**
 * Messages waiting to go out that the user did not just ask for (later receipts, admin alerts, broadcasts).
 * Shared through Redis, so any process may queue one and the process holding the WhatsApp connection sends
 * it; what the holder had taken but not sent when it died goes back to the queue for the next holder.
 */
import type { Redis } from 'ioredis';
import type { UserId } from '../../bot/channel.ts';
import { keys } from '../../store/keys.ts';

export interface OutItem {
  user: UserId;
  jid: string;
  text: string;
  /**
   * The reply's picture, a PNG as base64: the queue is JSON in Redis. Never over IMAGE_MAX_BYTES before encoding
   * (content.ts leaves a bigger one out), so one queued item stays small.
   */
  image?: string;
  /** When it was queued (ms). */
  at: number;
}

export interface Taken {
  item: OutItem;
  raw: string;
}

export interface Outbox {
  /** Urgent items (users in a conversation right now) go before the broadcast backlog. */
  push(item: OutItem, urgent: boolean): Promise<void>;
  /** The next item, urgent first; it stays in flight until done(). */
  take(): Promise<Taken | null>;
  done(taken: Taken): Promise<void>;
  /** Puts what a previous holder had in flight back in front of the queue; how many. */
  recover(): Promise<number>;
  size(): Promise<number>;
}

const parse = (raw: string): Taken => ({ item: JSON.parse(raw) as OutItem, raw });

export function createRedisOutbox(opts: { redis: Redis; prefix?: string }): Outbox {
  const { redis } = opts;
  const prefix = opts.prefix ?? 'ppob:';
  const k = keys(prefix);
  const urgent = k.waOutbox('urgent');
  const bulk = k.waOutbox('bulk');
  const inflight = k.waOutboxInflight();
  return {
    async push(item, isUrgent) {
      await redis.rpush(isUrgent ? urgent : bulk, JSON.stringify(item));
    },
    async take() {
      const raw = (await redis.lmove(urgent, inflight, 'LEFT', 'RIGHT')) ?? (await redis.lmove(bulk, inflight, 'LEFT', 'RIGHT'));
      return raw === null ? null : parse(raw);
    },
    async done(taken) {
      await redis.lrem(inflight, 1, taken.raw);
    },
    async recover() {
      let n = 0;
      while ((await redis.lmove(inflight, urgent, 'RIGHT', 'LEFT')) !== null) n++;
      return n;
    },
    async size() {
      const [a, b] = await Promise.all([redis.llen(urgent), redis.llen(bulk)]);
      return a + b;
    },
  };
}

export function createMemoryOutbox(): Outbox {
  const urgent: string[] = [];
  const bulk: string[] = [];
  const inflight: string[] = [];
  return {
    async push(item, isUrgent) {
      (isUrgent ? urgent : bulk).push(JSON.stringify(item));
    },
    async take() {
      const raw = urgent.shift() ?? bulk.shift();
      if (raw === undefined) return null;
      inflight.push(raw);
      return parse(raw);
    },
    async done(taken) {
      const i = inflight.indexOf(taken.raw);
      if (i >= 0) inflight.splice(i, 1);
    },
    async recover() {
      const n = inflight.length;
      urgent.unshift(...inflight.splice(0));
      return n;
    },
    async size() {
      return urgent.length + bulk.length;
    },
  };
}
