/**
 * What the WhatsApp channel keeps beyond one socket: the login, the lease, who has written, what was sent, and
 * the queue of messages to send. In Redis under the bot's prefix (all under the `{wa}` hash tag), or in memory
 * for the embedded store.
 */
import type { Redis } from 'ioredis';
import type { Log } from '../../log.ts';
import { keys } from '../../store/keys.ts';
import { createMemoryWhatsAppAuth, createRedisWhatsAppAuth, type WhatsAppAuth } from '../../store/whatsapp-auth.ts';
import { type Contacts, createMemoryContacts, createRedisContacts } from './contacts.ts';
import { createLocalLease, createRedisLease, type Lease } from './lease.ts';
import { createMemoryOutbox, createRedisOutbox, type Outbox } from './outbox.ts';
import { createMemorySentMessages, createRedisSentMessages, type SentMessages } from './sent.ts';

export interface WhatsAppShared {
  auth: WhatsAppAuth;
  lease: Lease;
  contacts: Contacts;
  sent: SentMessages;
  outbox: Outbox;
}

export function redisShared(opts: { redis: Redis; prefix: string; log?: Log; leaseTtlMs?: number }): WhatsAppShared {
  const { redis, prefix } = opts;
  return {
    auth: createRedisWhatsAppAuth({ redis, prefix, ...(opts.log ? { log: opts.log } : {}) }),
    lease: createRedisLease({ redis, key: keys(prefix).waLease(), ...(opts.leaseTtlMs ? { ttlMs: opts.leaseTtlMs } : {}) }),
    contacts: createRedisContacts({ redis, prefix }),
    sent: createRedisSentMessages({ redis, prefix }),
    outbox: createRedisOutbox({ redis, prefix }),
  };
}

export function memoryShared(opts: { log?: Log } = {}): WhatsAppShared {
  return {
    auth: createMemoryWhatsAppAuth(opts),
    lease: createLocalLease(),
    contacts: createMemoryContacts(),
    sent: createMemorySentMessages(),
    outbox: createMemoryOutbox(),
  };
}
