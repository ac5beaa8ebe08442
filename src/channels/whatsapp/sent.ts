/**
 * The messages the bot sent, by id, for Baileys' `getMessage`: a recipient whose phone could not decrypt one
 * asks for it again, and without it the user sees "waiting for this message" forever. Bounded: a day in Redis,
 * the last thousand in memory.
 */
import { BufferJSON, proto } from '@whiskeysockets/baileys';
import type { Redis } from 'ioredis';
import { keys, TTL } from '../../store/keys.ts';

export interface SentMessages {
  put(id: string, message: proto.IMessage): Promise<void>;
  get(id: string): Promise<proto.IMessage | undefined>;
}

// A protobuf message serialises its bytes as base64 and fromObject reads them back; plain Buffers go through BufferJSON.
const encode = (m: proto.IMessage) => JSON.stringify(m, BufferJSON.replacer);
const decode = (json: string) => proto.Message.fromObject(JSON.parse(json, BufferJSON.reviver) as Record<string, unknown>);

export function createRedisSentMessages(opts: { redis: Redis; prefix?: string; ttlSeconds?: number }): SentMessages {
  const key = keys(opts.prefix ?? 'ppob:').waSent;
  const ttl = opts.ttlSeconds ?? TTL.waSentSeconds;
  return {
    async put(id, message) {
      await opts.redis.set(key(id), encode(message), 'EX', ttl);
    },
    async get(id) {
      const json = await opts.redis.get(key(id));
      return json ? decode(json) : undefined;
    },
  };
}

export function createMemorySentMessages(max = 1000): SentMessages {
  const map = new Map<string, string>();
  return {
    async put(id, message) {
      map.delete(id);
      map.set(id, encode(message));
      // A Map iterates in insertion order: the first key is the oldest.
      while (map.size > max) map.delete(map.keys().next().value!);
    },
    async get(id) {
      const json = map.get(id);
      return json ? decode(json) : undefined;
    },
  };
}
