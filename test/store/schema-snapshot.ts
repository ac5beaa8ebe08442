/**
 * A store's keys as data, for the migration tests: taken from Redis (`dumpKeys`), put back under another prefix
 * (`loadKeys`), and what the store's port reads from them (`readBack`). test/store/fixtures/schema-1.json
 * holds such a dump, written by the store as it was at schema version 1, with what that store read back.
 */
import type { Redis } from 'ioredis';
import type { Store } from '../../src/bot/store.ts';
import { createRedisContacts } from '../../src/channels/whatsapp/contacts.ts';
import { createRedisWhatsAppAuth } from '../../src/store/whatsapp-auth.ts';

export interface DumpedKey {
  /** The key without the store's prefix. */
  key: string;
  type: 'string' | 'hash' | 'list' | 'set' | 'zset';
  /** string: the value; hash: field → value; list: in order; set: sorted; zset: [member, score] by score. */
  value: string | Record<string, string> | string[] | Array<[string, string]>;
  /** Milliseconds left to live when dumped; -1 for a key kept forever. */
  pttl: number;
}

export async function dumpKeys(redis: Redis, prefix: string): Promise<DumpedKey[]> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`, 'COUNT', 1000);
    cursor = next;
    for (const k of batch) found.add(k);
  } while (cursor !== '0');
  const out: DumpedKey[] = [];
  for (const full of [...found].sort()) {
    const type = (await redis.type(full)) as DumpedKey['type'];
    const pttl = await redis.pttl(full);
    const key = full.slice(prefix.length);
    if (type === 'string') out.push({ key, type, value: (await redis.get(full)) ?? '', pttl });
    else if (type === 'hash') out.push({ key, type, value: sortedObject(await redis.hgetall(full)), pttl });
    else if (type === 'list') out.push({ key, type, value: await redis.lrange(full, 0, -1), pttl });
    else if (type === 'set') out.push({ key, type, value: (await redis.smembers(full)).sort(), pttl });
    else if (type === 'zset') out.push({ key, type, value: pairs(await redis.zrange(full, 0, -1, 'WITHSCORES')), pttl });
    else throw new Error(`dumpKeys: ${full} is a ${type}`);
  }
  return out;
}

/** Writes the dumped keys under `prefix`, each with the time to live it had when dumped. */
export async function loadKeys(redis: Redis, prefix: string, keys: readonly DumpedKey[]): Promise<void> {
  for (const { key, type, value, pttl } of keys) {
    const full = prefix + key;
    if (type === 'string') await redis.set(full, value as string);
    else if (type === 'hash') await redis.hset(full, value as Record<string, string>);
    else if (type === 'list') await redis.rpush(full, ...(value as string[]));
    else if (type === 'set') await redis.sadd(full, ...(value as string[]));
    else await redis.zadd(full, ...(value as Array<[string, string]>).flatMap(([member, score]) => [score, member]));
    if (pttl > 0) await redis.pexpire(full, pttl);
  }
}

/** Everything the fixture's data should read as through the store's port and the WhatsApp modules. */
export async function readBack(store: Store, redis: Redis, prefix: string): Promise<Record<string, unknown>> {
  const A = 'telegram:100000000001';
  const B = 'whatsapp:6281200000002';
  const txs = ['T0000000000001', 'T0000000000002', 'T0000000000003', 'T0000000000004'];
  const login = await createRedisWhatsAppAuth({ redis, prefix }).load();
  const preKey = (await login.state.keys.get('pre-key', ['1']))['1'];
  return json({
    users: { A: await store.getUser(A), B: await store.getUser(B), all: (await store.allUsers()).sort(), resellers: await store.resellers() },
    saldo: { A: await store.getSaldo(A), B: await store.getSaldo(B) },
    ledger: { A: await store.ledger(A, 50), B: await store.ledger(B, 50) },
    transactions: await store.listTx(A, 10),
    txLogs: await Promise.all(txs.map((id) => store.txLog(A, id))),
    owner: await store.txOwner('T0000000000003'),
    scheduled: await store.scheduled(10),
    markups: await store.markups(),
    pin: await store.getPin(A),
    tickets: { K1: await store.getTicket('K1'), K2: await store.getTicket('K2') },
    transfer: await store.getTransfer(A, 'X1'),
    broadcast: await store.getBroadcast('B1'),
    cache: await store.getCache('pricelist:mmbc'),
    whatsapp: {
      registrationId: login.state.creds.registrationId,
      preKey: preKey ? Buffer.from(preKey.public).toString() : null,
      contact: await createRedisContacts({ redis, prefix }).get(B),
    },
  });
}

function sortedObject(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function pairs(flat: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

/** As JSON would have it: what is compared is what a fixture file can hold. */
function json(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
