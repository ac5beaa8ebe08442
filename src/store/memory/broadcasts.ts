/** Broadcasts in the embedded store: a lease per broadcast, recipients taken one by one. */
import type { Broadcast, Broadcasts, TakeResult } from '../../bot/store/broadcasts.ts';
import type { MemoryState } from './state.ts';

export function memoryBroadcasts(s: MemoryState): Broadcasts {
  const { broadcasts, broadcastDue } = s;
  return {
    async createBroadcast(nb, lanes) {
      const counts = Object.fromEntries(Object.entries(lanes).map(([lane, users]) => [lane, users.length]));
      const total = Object.values(counts).reduce((a, c) => a + c, 0);
      const b: Broadcast = { ...nb, lanes: counts, total, state: 'running', taken: 0, sent: 0, failed: 0, skipped: 0, unconfirmed: 0, step: 0 };
      broadcasts.set(nb.id, { b, leaseUntil: 0, todo: new Map(Object.entries(lanes).map(([lane, users]) => [lane, [...users]])), done: new Map() });
      broadcastDue.set(nb.id, nb.createdAt);
      return structuredClone(b);
    },

    async getBroadcast(id) {
      const h = broadcasts.get(id);
      return h ? structuredClone(h.b) : null;
    },

    async dueBroadcasts(now, leaseMs, limit) {
      if (limit <= 0) return [];
      const ready = [...broadcastDue].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]).slice(0, limit);
      for (const [id] of ready) broadcastDue.set(id, now + leaseMs);
      return ready.map(([id]) => id);
    },

    async leaseBroadcast(id, owner, now, leaseMs) {
      const h = broadcasts.get(id);
      if (h?.b.state !== 'running') {
        broadcastDue.delete(id);
        return false;
      }
      const mine = h.owner === owner;
      if (leaseMs === 0) {
        if (mine) {
          h.leaseUntil = 0;
          broadcastDue.set(id, now);
        }
        return false;
      }
      if (!mine && h.owner !== undefined && h.leaseUntil > now) return false;
      h.owner = owner;
      h.leaseUntil = now + leaseMs;
      broadcastDue.set(id, now + leaseMs);
      return true;
    },

    async takeRecipient(id, lane, owner, now): Promise<TakeResult> {
      const h = broadcasts.get(id);
      if (h?.b.state !== 'running' || h.owner !== owner || h.leaseUntil <= now) return 'lost';
      const list = h.todo.get(lane) ?? [];
      for (let user = list.shift(); user !== undefined; user = list.shift()) {
        if (h.done.has(user)) continue;
        h.done.set(user, 'taken');
        h.b.taken++;
        return { user };
      }
      return 'end';
    },

    async recordRecipient(id, user, outcome) {
      const h = broadcasts.get(id);
      if (h?.b.state !== 'running' || h.done.get(user) !== 'taken') return false;
      h.done.set(user, outcome);
      h.b[outcome]++;
      return true;
    },

    async finishBroadcast(id, owner, now) {
      const h = broadcasts.get(id);
      if (h?.b.state !== 'running' || h.owner !== owner) return null;
      for (const list of h.todo.values()) if (list.length > 0) return null;
      const lost = h.b.taken - h.b.sent - h.b.failed - h.b.skipped;
      Object.assign(h.b, { state: 'done', finishedAt: now, unconfirmed: lost, failed: h.b.failed + lost });
      h.leaseUntil = 0;
      // Nothing reads who got an ended broadcast here; a long-lived process should not keep every list.
      h.done.clear();
      broadcastDue.delete(id);
      return structuredClone(h.b);
    },

    async setBroadcastProgress(id, progress) {
      const h = broadcasts.get(id);
      if (!h) return;
      if (progress.handle !== undefined) h.b.progress = progress.handle;
      if (progress.step !== undefined) h.b.step = progress.step;
    },
  };
}
