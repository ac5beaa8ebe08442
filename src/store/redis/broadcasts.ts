/** Broadcasts on Redis: a lease per broadcast, recipients taken one by one (scripts.ts, `{bc:<id>}` keys). */
import type { Broadcast, Broadcasts, TakeResult } from '../../bot/store/broadcasts.ts';
import { TTL } from '../keys.ts';
import { BC_FINISH, BC_LEASE, BC_RECORD, BC_TAKE, CLAIM_DUE } from '../scripts.ts';
import { script, type Arg, type RedisContext } from './context.ts';

/** Recipients go in in slices, so a large audience never makes one huge command. */
const PUSH_SLICE = 1000;

function parseBroadcast(id: string, h: Record<string, string>): Broadcast | null {
  if (!h.state) return null;
  const n = (v: string | undefined) => Number(v ?? 0);
  const lanes = JSON.parse(h.lanes ?? '{}') as Record<string, number>;
  return {
    id, by: h.by ?? '', audience: h.audience === 'resellers' ? 'resellers' : 'all', text: h.text ?? '', createdAt: n(h.createdAt),
    lanes, total: n(h.total), state: h.state === 'done' ? 'done' : 'running',
    taken: n(h.taken), sent: n(h.sent), failed: n(h.failed), skipped: n(h.skipped), unconfirmed: n(h.unconfirmed), step: n(h.step),
    ...(h.progress ? { progress: h.progress } : {}), ...(h.finishedAt ? { finishedAt: n(h.finishedAt) } : {}),
  };
}

export function redisBroadcasts({ redis, k }: RedisContext): Broadcasts {
  const claimDue = script(redis, CLAIM_DUE);
  const bcLease = script(redis, BC_LEASE);
  const bcTake = script(redis, BC_TAKE);
  const bcRecord = script(redis, BC_RECORD);
  const bcFinish = script(redis, BC_FINISH);
  return {
    async createBroadcast(b, lanes) {
      for (const [lane, users] of Object.entries(lanes)) {
        for (let i = 0; i < users.length; i += PUSH_SLICE) await redis.rpush(k.broadcastTodo(b.id, lane), ...users.slice(i, i + PUSH_SLICE));
      }
      const counts = Object.fromEntries(Object.entries(lanes).map(([lane, users]) => [lane, users.length]));
      const total = Object.values(counts).reduce((a, c) => a + c, 0);
      // The record is written after its recipients and scheduled last: a half-made broadcast is never worked.
      await redis.hset(k.broadcast(b.id), {
        by: b.by, audience: b.audience, text: b.text, createdAt: b.createdAt, lanes: JSON.stringify(counts), total,
        state: 'running', taken: 0, sent: 0, failed: 0, skipped: 0, unconfirmed: 0, step: 0,
      });
      await redis.zadd(k.broadcasts(), b.createdAt, b.id);
      return { ...b, lanes: counts, total, state: 'running', taken: 0, sent: 0, failed: 0, skipped: 0, unconfirmed: 0, step: 0 };
    },

    async getBroadcast(id) {
      return parseBroadcast(id, await redis.hgetall(k.broadcast(id)));
    },

    async dueBroadcasts(now, leaseMs, limit) {
      return (await claimDue([k.broadcasts()], [now, leaseMs, limit])) as string[];
    },

    async leaseBroadcast(id, owner, now, leaseMs) {
      const r = Number(await bcLease([k.broadcast(id)], [owner, now, leaseMs]));
      if (r === -1) await redis.zrem(k.broadcasts(), id);
      // The schedule follows the lease, so pollers look again only when it could have lapsed.
      else if (r === 1 || leaseMs === 0) await redis.zadd(k.broadcasts(), 'XX', now + leaseMs, id);
      return r === 1;
    },

    async takeRecipient(id, lane, owner, now): Promise<TakeResult> {
      const r = (await bcTake([k.broadcast(id), k.broadcastTodo(id, lane), k.broadcastDone(id)], [owner, now])) as string[];
      if (r[0] === 'ok') return { user: r[1]! };
      return r[0] === 'end' ? 'end' : 'lost';
    },

    async recordRecipient(id, user, outcome) {
      return Number(await bcRecord([k.broadcast(id), k.broadcastDone(id)], [user, outcome])) === 1;
    },

    async finishBroadcast(id, owner, now) {
      const lanes = JSON.parse((await redis.hget(k.broadcast(id), 'lanes')) ?? '{}') as Record<string, number>;
      const todo = Object.keys(lanes).map((lane) => k.broadcastTodo(id, lane));
      const r = Number(await bcFinish([k.broadcast(id), k.broadcastDone(id), ...todo], [owner, now, TTL.broadcastSeconds]));
      if (r !== 1) return null;
      await redis.zrem(k.broadcasts(), id);
      return parseBroadcast(id, await redis.hgetall(k.broadcast(id)));
    },

    async setBroadcastProgress(id, progress) {
      const fields: Arg[] = [];
      if (progress.handle !== undefined) fields.push('progress', progress.handle);
      if (progress.step !== undefined) fields.push('step', progress.step);
      if (fields.length > 0) await redis.hset(k.broadcast(id), ...fields);
    },
  };
}
