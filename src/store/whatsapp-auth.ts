/**
 * The WhatsApp login (Baileys' AuthenticationState) kept in Redis, so a restart or a new container keeps it;
 * or in memory for the embedded store. Baileys' maintainers call useMultiFileAuthState an example, so this
 * follows its shape with a real store: each Signal key type is one hash under the WhatsApp hash tag, `keys.get`
 * reads only the ids asked for (HMGET), `keys.set` writes its items in one MULTI and a `null` value deletes.
 */
import {
  type AuthenticationCreds, type AuthenticationState, BufferJSON, initAuthCreds, makeCacheableSignalKeyStore, proto,
  type SignalDataSet, type SignalDataTypeMap, type SignalKeyStore,
} from '@whiskeysockets/baileys';
import type { Redis } from 'ioredis';
import type { Log } from '../log.ts';
import { keys } from './keys.ts';

export interface WhatsAppLogin {
  state: AuthenticationState;
  /** Writes the whole creds; call it on every `creds.update` (a missed update makes messages stop arriving). */
  saveCreds(): Promise<void>;
}

export interface WhatsAppAuth {
  readonly kind: 'redis' | 'memory';
  /** The stored login, or a new one from initAuthCreds() when there is none; keys behind Baileys' cache. */
  load(): Promise<WhatsAppLogin>;
  /** Forgets the login (WhatsApp logged this device out); the next load() starts a new one. */
  clear(): Promise<void>;
}

type KeyType = keyof SignalDataTypeMap;
type Op = { type: string; id: string; value: string | null };

/** What a backend must do: plain strings in, plain strings out. */
interface Backend {
  getCreds(): Promise<string | null>;
  putCreds(json: string): Promise<void>;
  getKeys(type: string, ids: string[]): Promise<Array<string | null>>;
  /** All of one `set` call, at once. */
  apply(ops: Op[]): Promise<void>;
  clear(): Promise<void>;
}

const encode = (value: unknown): string => JSON.stringify(value, BufferJSON.replacer);
const decode = (json: string): unknown => JSON.parse(json, BufferJSON.reviver);

function createAuth(kind: WhatsAppAuth['kind'], backend: Backend, log?: Log): WhatsAppAuth {
  // A socket that is being dropped may still emit updates after clear(); those must not bring the old login back.
  let generation = 0;

  async function load(): Promise<WhatsAppLogin> {
    const gen = generation;
    const stored = await backend.getCreds();
    const creds: AuthenticationCreds = stored ? (decode(stored) as AuthenticationCreds) : initAuthCreds();
    const raw: SignalKeyStore = {
      async get<T extends KeyType>(type: T, ids: string[]) {
        const values = ids.length > 0 ? await backend.getKeys(type, ids) : [];
        const out: { [id: string]: SignalDataTypeMap[T] } = {};
        ids.forEach((id, i) => {
          const json = values[i];
          if (json == null) return;
          let value = decode(json);
          if (type === 'app-state-sync-key') value = proto.Message.AppStateSyncKeyData.fromObject(value as Record<string, unknown>);
          out[id] = value as SignalDataTypeMap[T];
        });
        return out;
      },
      async set(data: SignalDataSet) {
        if (gen !== generation) return;
        const ops: Op[] = [];
        for (const [type, items] of Object.entries(data)) {
          for (const [id, value] of Object.entries(items ?? {})) ops.push({ type, id, value: value == null ? null : encode(value) });
        }
        if (ops.length > 0) await backend.apply(ops);
      },
    };
    // Writes one after another: an older creds snapshot never lands after a newer one.
    let saving: Promise<void> = Promise.resolve();
    return {
      state: { creds, keys: makeCacheableSignalKeyStore(raw, log?.child({ module: 'wa-keys' })) },
      saveCreds() {
        const next = saving.then(async () => {
          if (gen === generation) await backend.putCreds(encode(creds));
        });
        saving = next.catch(() => {});
        return next;
      },
    };
  }

  return {
    kind,
    load,
    async clear() {
      generation++;
      await backend.clear();
    },
  };
}

export function createRedisWhatsAppAuth(opts: { redis: Redis; prefix?: string; log?: Log }): WhatsAppAuth {
  const { redis } = opts;
  const prefix = opts.prefix ?? 'ppob:';
  const k = keys(prefix);
  const credsKey = k.waCreds();
  const typesKey = k.waKeyTypes();
  const typeKey = k.waKeys;

  return createAuth('redis', {
    getCreds: () => redis.get(credsKey),
    async putCreds(json) {
      await redis.set(credsKey, json);
    },
    getKeys: (type, ids) => redis.hmget(typeKey(type), ...ids),
    async apply(ops) {
      const m = redis.multi();
      for (const type of new Set(ops.map((o) => o.type))) m.sadd(typesKey, type);
      for (const op of ops) {
        if (op.value === null) m.hdel(typeKey(op.type), op.id);
        else m.hset(typeKey(op.type), op.id, op.value);
      }
      const results = await m.exec();
      const failed = results?.find(([err]) => err);
      if (!results || failed) throw new Error(`WhatsApp key write failed: ${failed?.[0]?.message ?? 'transaction aborted'}`);
    },
    async clear() {
      const types = await redis.smembers(typesKey);
      await redis.unlink(credsKey, typesKey, ...types.map(typeKey));
    },
  }, opts.log);
}

/** The embedded store's twin: the login lasts as long as the process, so every start asks for a new QR scan. */
export function createMemoryWhatsAppAuth(opts: { log?: Log } = {}): WhatsAppAuth {
  opts.log?.warn('REDIS_URL is not set: the WhatsApp login is kept in memory only; every restart needs a new QR scan or pairing code');
  let creds: string | null = null;
  const keys = new Map<string, Map<string, string>>();
  return createAuth('memory', {
    async getCreds() {
      return creds;
    },
    async putCreds(json) {
      creds = json;
    },
    async getKeys(type, ids) {
      const m = keys.get(type);
      return ids.map((id) => m?.get(id) ?? null);
    },
    async apply(ops) {
      for (const op of ops) {
        const m = keys.get(op.type) ?? new Map<string, string>();
        keys.set(op.type, m);
        if (op.value === null) m.delete(op.id);
        else m.set(op.id, op.value);
      }
    },
    async clear() {
      creds = null;
      keys.clear();
    },
  }, opts.log);
}
