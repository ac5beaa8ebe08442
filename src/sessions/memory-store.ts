/**
 * The embedded store: one process, lost on exit. Every method body runs without an `await` between its
 * reads and writes, so each money step is as atomic here as its Lua script is on Redis.
 */
import type { UserId } from '../bot/channel.ts';
import type {
  DueItem, LedgerEntry, LedgerReason, Quote, ReserveResult, Store, Transaction, TxEvent, TxPatch, TxStatus, UserRecord,
} from '../bot/store.ts';
import { dueMember, parseDueMember } from './keys.ts';
import { isFinal, type Broadcast, type PinState, type TakeResult, type Ticket, type Transfer } from '../bot/store.ts';

/** One broadcast as the embedded store keeps it: the record, its lease, what is left per lane, who was taken. */
interface HeldBroadcast {
  b: Broadcast;
  owner?: string;
  leaseUntil: number;
  todo: Map<string, UserId[]>;
  done: Map<UserId, string>;
}

function listOf<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

export function createMemoryStore(opts: { clock?: () => number } = {}): Store {
  const clock = opts.clock ?? Date.now;
  const messages = new Map<string, number>();
  const users = new Map<UserId, UserRecord>();
  const quotes = new Map<UserId, Quote>();
  const saldos = new Map<UserId, number>();
  const ledgers = new Map<UserId, LedgerEntry[]>();
  const txs = new Map<string, Transaction>();
  const txIds = new Map<UserId, string[]>();
  const logs = new Map<string, TxEvent[]>();
  const due = new Map<string, number>();
  const owners = new Map<string, UserId>();
  const cache = new Map<string, Expiring<string>>();
  const markups = new Map<string, number>();
  const pins = new Map<UserId, PinState>();
  const sameDay = new Map<string, string>();
  const tickets = new Map<string, Ticket>();
  const ticketAmounts = new Map<number, number>();
  const transfers = new Map<string, Transfer>();
  const credited = new Set<string>();
  const broadcasts = new Map<string, HeldBroadcast>();
  const broadcastDue = new Map<string, number>();
  const txKey = (user: UserId, id: string) => `${user}|${id}`;
  let sweepAt = 0;

  // Message ids would otherwise pile up for the life of the process.
  function sweep(now: number): void {
    if (now < sweepAt) return;
    sweepAt = now + 60_000;
    for (const [k, exp] of messages) if (exp <= now) messages.delete(k);
  }

  function pushLedger(user: UserId, amount: number, reason: LedgerReason, now: number, txId?: string, note?: string): number {
    const after = (saldos.get(user) ?? 0) + amount;
    saldos.set(user, after);
    const entry: LedgerEntry = { at: now, amount, reason, saldoAfter: after };
    if (txId) entry.txId = txId;
    if (note) entry.note = note;
    listOf(ledgers, user).push(entry);
    return after;
  }

  function applyPatch(tx: Transaction, patch: TxPatch | undefined): void {
    if (!patch) return;
    if (patch.invoice !== undefined) tx.invoice = patch.invoice;
    if (patch.receipt !== undefined) tx.receipt = structuredClone(patch.receipt);
    if (patch.reason !== undefined) tx.reason = patch.reason;
    if (patch.flagged !== undefined) tx.flagged = patch.flagged;
  }


  function liveQuote(user: UserId): Quote | undefined {
    const q = quotes.get(user);
    if (q && q.expiresAt <= clock()) {
      quotes.delete(user);
      return undefined;
    }
    return q;
  }

  return {
    kind: 'memory',

    async claimMessage(user, messageId, ttlSeconds) {
      const now = clock();
      sweep(now);
      const k = `${user}|${messageId}`;
      const exp = messages.get(k);
      if (exp !== undefined && exp > now) return false;
      messages.set(k, now + ttlSeconds * 1000);
      return true;
    },

    async touchUser(user, now) {
      const rec = users.get(user) ?? { id: user, reseller: false, firstSeen: now };
      users.set(user, rec);
      return { ...rec, ...(pins.get(user)?.hash ? { hasPin: true } : {}) };
    },

    async getUser(user) {
      const rec = users.get(user);
      return rec ? { ...rec, ...(pins.get(user)?.hash ? { hasPin: true } : {}) } : null;
    },

    async allUsers() {
      return [...new Set([...users.keys(), ...saldos.keys()])];
    },

    async setReseller(user, reseller, name, now) {
      const rec = users.get(user) ?? { id: user, reseller: false, firstSeen: now };
      rec.reseller = reseller;
      if (name !== undefined) rec.name = name;
      users.set(user, rec);
    },

    async resellers() {
      return [...users.values()].filter((u) => u.reseller).map((u) => u.id);
    },

    async markups() {
      return Object.fromEntries(markups);
    },

    async setMarkup(code, amount) {
      if (amount === null) markups.delete(code);
      else markups.set(code, amount);
    },

    async putQuote(quote, mark) {
      quotes.set(quote.user, structuredClone(quote));
      return mark ? (sameDay.get(`${quote.user}|${mark.day}|${mark.product}|${mark.customerNo}`) ?? null) : null;
    },

    async getQuote(user) {
      const q = liveQuote(user);
      return q ? structuredClone(q) : null;
    },

    async dropQuote(user) {
      const had = liveQuote(user) !== undefined;
      quotes.delete(user);
      return had;
    },

    async getSaldo(user) {
      return saldos.get(user) ?? 0;
    },

    async adjustSaldo(user, amount, reason, now, note) {
      if ((saldos.get(user) ?? 0) + amount < 0) return null;
      return pushLedger(user, amount, reason, now, undefined, note);
    },

    async ledger(user, limit) {
      if (limit <= 0) return [];
      return (ledgers.get(user) ?? []).slice(-limit).reverse().map((e) => ({ ...e }));
    },

    async reserve(user, quoteId, txId, now, opts): Promise<ReserveResult> {
      const quote = liveQuote(user);
      if (!quote || quote.id !== quoteId || quote.expiresAt <= now || txs.has(txKey(user, txId))) return { ok: false, reason: 'no-quote' };
      const saldo = saldos.get(user) ?? 0;
      if (saldo < quote.price) return { ok: false, reason: 'insufficient', saldo, price: quote.price };
      const after = pushLedger(user, -quote.price, 'payment', now, txId);
      const tx: Transaction = { id: txId, user, quote, status: opts?.sending ? 'SENDING' : 'RESERVED', createdAt: now, updatedAt: now, saldoAfter: after };
      if (opts?.messageId) tx.messageId = opts.messageId;
      const mark = opts?.sameDay;
      txs.set(txKey(user, txId), tx);
      listOf(txIds, user).unshift(txId);
      quotes.delete(user);
      if (mark) sameDay.set(`${user}|${mark.day}|${mark.product}|${mark.customerNo}`, txId);
      return { ok: true, tx: structuredClone(tx) };
    },

    async transition(user, txId, from: readonly TxStatus[], to, now, patch, log) {
      const tx = txs.get(txKey(user, txId));
      if (!tx || isFinal(tx.status) || !from.includes(tx.status)) return false;
      tx.status = to;
      tx.updatedAt = now;
      applyPatch(tx, patch);
      if (log) listOf(logs, txKey(user, txId)).push(structuredClone(log));
      return true;
    },

    async fail(user, txId, from, reason, now, log) {
      const tx = txs.get(txKey(user, txId));
      if (!tx || isFinal(tx.status) || !from.includes(tx.status)) return false;
      pushLedger(user, tx.quote.price, 'refund', now, txId);
      tx.status = 'FAILED';
      tx.updatedAt = now;
      tx.reason = reason;
      if (log) listOf(logs, txKey(user, txId)).push(structuredClone(log));
      return true;
    },

    async patchTx(user, txId, patch) {
      const tx = txs.get(txKey(user, txId));
      if (tx) applyPatch(tx, patch);
    },

    async getTx(user, txId) {
      const tx = txs.get(txKey(user, txId));
      return tx ? structuredClone(tx) : null;
    },

    async txOwner(txId) {
      return owners.get(txId) ?? null;
    },

    async listTx(user, limit) {
      if (limit <= 0) return [];
      return (txIds.get(user) ?? []).slice(0, limit).map((id) => structuredClone(txs.get(txKey(user, id))!));
    },

    async logTx(user, txId, event) {
      listOf(logs, txKey(user, txId)).push(structuredClone(event));
    },

    async txLog(user, txId) {
      return structuredClone(logs.get(txKey(user, txId)) ?? []);
    },

    async schedule(user, txId, dueAt) {
      owners.set(txId, user);
      due.set(dueMember(user, txId), dueAt);
    },

    async claimDue(now, leaseMs, limit): Promise<DueItem[]> {
      if (limit <= 0) return [];
      const ready = [...due].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]).slice(0, limit);
      for (const [m] of ready) due.set(m, now + leaseMs);
      return ready.map(([m]) => parseDueMember(m));
    },

    async unschedule(user, txId) {
      due.delete(dueMember(user, txId));
    },

    async scheduled(limit) {
      if (limit <= 0) return [];
      return [...due].sort((a, b) => a[1] - b[1]).slice(0, limit).map(([m]) => parseDueMember(m));
    },

    async stats() {
      let saldoTotal = 0;
      for (const v of saldos.values()) saldoTotal += v;
      return { pending: due.size, saldoTotal };
    },

    async getPin(user) {
      return { ...(pins.get(user) ?? { fails: 0, lockedUntil: 0 }) };
    },

    async setPin(user, hash) {
      pins.set(user, { ...(pins.get(user) ?? { lockedUntil: 0 }), hash, fails: 0 });
    },

    async pinFailed(user, now, max, lockMs) {
      const p = pins.get(user) ?? { fails: 0, lockedUntil: 0 };
      const fails = p.fails + 1;
      const next = fails >= max ? { ...p, fails: 0, lockedUntil: now + lockMs } : { ...p, fails };
      pins.set(user, next);
      return { ...next, fails };
    },

    async pinPassed(user) {
      const p = pins.get(user);
      if (p) p.fails = 0;
    },

    async openTicket(user, id, nominal, now, ttlMs) {
      for (const [amount, exp] of ticketAmounts) if (exp <= now) ticketAmounts.delete(amount);
      const base = Math.floor(nominal / 1000) * 1000;
      const start = Math.floor(Math.random() * 999);
      for (let i = 0; i < 999; i++) {
        const amount = base + ((start + i) % 999) + 1;
        if (ticketAmounts.has(amount)) continue;
        ticketAmounts.set(amount, now + ttlMs);
        const ticket: Ticket = { id, user, amount, status: 'open', createdAt: now, expiresAt: now + ttlMs };
        tickets.set(id, ticket);
        return { ...ticket };
      }
      return null;
    },

    async getTicket(id) {
      const t = tickets.get(id);
      return t ? { ...t } : null;
    },

    async acceptTicket(id, now, by) {
      const t = tickets.get(id);
      if (!t) return { ok: false, reason: 'unknown' };
      if (t.status === 'paid') return { ok: false, reason: 'used', ticket: { ...t } };
      if (t.expiresAt <= now) return { ok: false, reason: 'expired', ticket: { ...t } };
      const saldo = pushLedger(t.user, t.amount, 'deposit', now, undefined, `ticket ${id} by ${by}`);
      t.status = 'paid';
      ticketAmounts.delete(t.amount);
      return { ok: true, ticket: { ...t }, saldo };
    },

    async transferOut(t) {
      const key = `${t.from}|${t.id}`;
      if (transfers.has(key)) return { saldo: saldos.get(t.from) ?? 0 };
      if ((saldos.get(t.from) ?? 0) < t.amount) return null;
      const saldo = pushLedger(t.from, -t.amount, 'transfer-out', t.at, t.id, t.to);
      transfers.set(key, { ...t, state: 'debited' });
      return { saldo };
    },

    async transferIn(t) {
      const key = `${t.from}|${t.id}`;
      let saldo = saldos.get(t.to) ?? 0;
      if (!credited.has(key)) {
        saldo = pushLedger(t.to, t.amount, 'transfer-in', t.at, t.id, t.from);
        credited.add(key);
      }
      const rec = transfers.get(key);
      if (rec) rec.state = 'done';
      return { saldo };
    },

    async getTransfer(from, id) {
      const t = transfers.get(`${from}|${id}`);
      return t ? { ...t } : null;
    },

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

    async getCache(name) {
      const c = cache.get(name);
      if (!c || c.expiresAt <= clock()) return null;
      return c.value;
    },

    async setCache(name, value, ttlSeconds) {
      cache.set(name, { value, expiresAt: clock() + ttlSeconds * 1000 });
    },

    async ping() {
      return true;
    },

    async close() {},
  };
}
