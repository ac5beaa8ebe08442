/**
 * Who has written to the bot on WhatsApp, from which chat, and when. Later messages go only to these users:
 * numbers that message strangers get restricted, so a cold number is never messaged.
 */
import type { Redis } from 'ioredis';
import type { UserId } from '../../bot/channel.ts';
import { keys } from '../../store/keys.ts';

export interface Contact {
  /** The chat to write to: the one the user wrote from. */
  jid: string;
  /** When they last wrote (ms). */
  at: number;
}

export interface Contacts {
  seen(user: UserId, contact: Contact): Promise<void>;
  get(user: UserId): Promise<Contact | null>;
}

function parse(json: string | null): Contact | null {
  if (!json) return null;
  const c = JSON.parse(json) as Partial<Contact>;
  return typeof c.jid === 'string' && typeof c.at === 'number' ? { jid: c.jid, at: c.at } : null;
}

/** One hash, kept forever like the core's user records. */
export function createRedisContacts(opts: { redis: Redis; prefix?: string }): Contacts {
  const key = keys(opts.prefix ?? 'ppob:').waContacts();
  return {
    async seen(user, contact) {
      await opts.redis.hset(key, user, JSON.stringify(contact));
    },
    async get(user) {
      return parse(await opts.redis.hget(key, user));
    },
  };
}

export function createMemoryContacts(): Contacts {
  const map = new Map<UserId, Contact>();
  return {
    async seen(user, contact) {
      map.set(user, { ...contact });
    },
    async get(user) {
      const c = map.get(user);
      return c ? { ...c } : null;
    },
  };
}
