/**
 * Bank mutations and QRIS deposits on Redis: one hash each, and a sorted set by time for the listing. A
 * status moves by a script that checks where it is, so of two processes handling one push only one tells
 * the reseller.
 */
import { z } from 'zod';
import type { BankMutation, Deposits, MutationStatus, QrisDeposit, QrisStatus } from '../../bot/store/deposits.ts';
import { hashOf, namedScript, type RedisContext } from './context.ts';

const MOVE = {
  keys: ['record'],
  args: ['to', 'now', 'by', 'timeField'],
  lua: `
local s = redis.call('HGET', K.record, 'status')
if not s then return 0 end
for i = NA + 1, #ARGV do
  if ARGV[i] == s then
    redis.call('HSET', K.record, 'status', A.to, A.timeField, A.now)
    if A.by ~= '' then redis.call('HSET', K.record, 'by', A.by) end
    return 1
  end
end
return 0
`,
} as const;

const KEEP = {
  keys: ['record', 'byDate'],
  args: ['id', 'now', 'json'],
  lua: `
if redis.call('EXISTS', K.record) == 0 then
  local m = cjson.decode(A.json)
  for k, v in pairs(m) do redis.call('HSET', K.record, k, tostring(v)) end
  redis.call('ZADD', K.byDate, A.now, A.id)
end
return redis.call('HGETALL', K.record)
`,
} as const;

/**
 * Ties a kept mutation to a ticket unless it is tied already; answers the ticket it is tied to, or false when
 * the mutation is not kept (and makes no record of it: a later push must find nothing there).
 */
const CLAIM = {
  keys: ['record'],
  args: ['ticketId'],
  lua: `
if redis.call('EXISTS', K.record) == 0 then return false end
redis.call('HSETNX', K.record, 'ticketId', A.ticketId)
return redis.call('HGET', K.record, 'ticketId')
`,
} as const;

const mutationHash = z.object({
  id: z.string(),
  amount: z.coerce.number().int(),
  type: z.enum(['CR', 'DB']),
  date: z.string(),
  description: z.string(),
  receivedAt: z.coerce.number(),
  status: z.enum(['received', 'credited', 'unmatched', 'expired-ticket', 'debit']),
  ticketId: z.string().optional(),
  updatedAt: z.coerce.number().optional(),
  by: z.string().optional(),
});

const qrisHash = z.object({
  id: z.string(),
  user: z.string(),
  amount: z.coerce.number().int(),
  pay: z.coerce.number().int(),
  fee: z.coerce.number().int(),
  feePaidBy: z.enum(['reseller', 'operator']),
  reference: z.string(),
  status: z.enum(['open', 'paid', 'expired', 'failed']),
  createdAt: z.coerce.number(),
  expiresAt: z.coerce.number(),
  checkoutUrl: z.string().optional(),
  paidAt: z.coerce.number().optional(),
});

export function redisDeposits({ redis, k }: RedisContext): Deposits {
  const move = namedScript(redis, MOVE);
  const keep = namedScript(redis, KEEP);
  const claim = namedScript(redis, CLAIM);
  const readMutation = (h: Record<string, string>): BankMutation | null => (h.id ? (mutationHash.parse(h) as BankMutation) : null);
  const readQris = (h: Record<string, string>): QrisDeposit | null => (h.id ? (qrisHash.parse(h) as QrisDeposit) : null);

  async function many<T>(ids: string[], key: (id: string) => string, read: (h: Record<string, string>) => T | null): Promise<T[]> {
    if (ids.length === 0) return [];
    const p = redis.pipeline();
    for (const id of ids) p.hgetall(key(id));
    const res = (await p.exec()) ?? [];
    return res.map(([, h]) => read((h ?? {}) as Record<string, string>)).filter((x): x is T => x !== null);
  }

  return {
    async keepMutation(m, now) {
      // Every value as a string: Lua would print a large number (a time in ms) in exponent form.
      const rec = Object.entries({ ...m, receivedAt: now, status: m.type === 'DB' ? 'debit' : 'received' })
        .filter(([, v]) => v !== undefined)
        .map(([f, v]) => [f, String(v)]);
      const json = JSON.stringify(Object.fromEntries(rec));
      const list = (await keep({ record: k.mutation(m.id), byDate: k.mutationsByDate() }, { id: m.id, now, json })) as string[];
      return readMutation(hashOf(list))!;
    },
    async getMutation(id) {
      return readMutation(await redis.hgetall(k.mutation(id)));
    },
    async claimMutation(id, ticketId) {
      // One script: a tie on a mutation never kept must not leave a hash of one field for a keep to trip on.
      return ((await claim({ record: k.mutation(id) }, { ticketId })) as string | null) ?? null;
    },
    async moveMutation(id, from, to, now, by) {
      return (await move({ record: k.mutation(id) }, { to, now, by, timeField: 'updatedAt' }, from as MutationStatus[])) === 1;
    },
    async mutations(fromMs, toMs, statuses) {
      const ids = await redis.zrangebyscore(k.mutationsByDate(), fromMs, `(${toMs}`);
      const all = await many(ids, k.mutation, readMutation);
      return statuses ? all.filter((m) => statuses.includes(m.status)) : all;
    },
    async ticketHolding(amount) {
      return redis.hget(k.ticketHolders(), String(amount));
    },
    async putQris(d) {
      const fields = Object.entries(d).filter(([, v]) => v !== undefined).flatMap(([f, v]) => [f, String(v)]);
      await redis.multi().hset(k.qris(d.id), ...fields).zadd(k.qrisByDate(), d.createdAt, d.id).exec();
    },
    async getQris(id) {
      return readQris(await redis.hgetall(k.qris(id)));
    },
    async moveQris(id, from, to, now) {
      return (await move({ record: k.qris(id) }, { to, now, by: '', timeField: to === 'paid' ? 'paidAt' : 'closedAt' }, from as QrisStatus[])) === 1;
    },
    async qrisDeposits(fromMs, toMs) {
      const ids = await redis.zrangebyscore(k.qrisByDate(), fromMs, `(${toMs}`);
      return many(ids, k.qris, readQris);
    },
  };
}
