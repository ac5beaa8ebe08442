/** Deposit tickets and saldo transfers on Redis. */
import type { UserId } from '../../bot/channel.ts';
import type { Ticket, Transfer } from '../../bot/store.ts';
import type { DeskPart } from '../parts.ts';
import { ACCEPT_TICKET, TICKET_AMOUNT, TRANSFER_IN, TRANSFER_OUT } from '../scripts.ts';
import { script, type RedisContext } from './context.ts';

/** A ticket is kept this long past its expiry, so a late ACC hears "expired" rather than "unknown". */
const WEEK_MS = 7 * 86400_000;

function ticketOf(id: string, user: UserId, h: Record<string, string>): Ticket | null {
  if (!h.status) return null;
  return {
    id, user, amount: Number(h.amount), status: h.status === 'paid' ? 'paid' : 'open',
    createdAt: Number(h.createdAt), expiresAt: Number(h.expiresAt),
    ...(h.paidAt ? { paidAt: Number(h.paidAt) } : {}),
    ...(h.paidBy ? { paidBy: h.paidBy } : {}),
  };
}

export function redisDesk({ redis, k }: RedisContext): DeskPart {
  const ticketAmount = script(redis, TICKET_AMOUNT);
  const acceptTicket = script(redis, ACCEPT_TICKET);
  const transferOut = script(redis, TRANSFER_OUT);
  const transferIn = script(redis, TRANSFER_IN);
  return {
    async openTicket(user, id, nominal, now, ttlMs) {
      // The unique digits go on top: the amount to transfer is never below the nominal asked (99.999 → 100.xyz).
      const base = Math.ceil(nominal / 1000) * 1000;
      const start = 1 + Math.floor(Math.random() * 999);
      const amount = await ticketAmount([k.ticketAmounts(), k.ticketOwner()], [base, start, now, now + ttlMs, id, user]);
      if (amount === null) return null;
      const ticket: Ticket = { id, user, amount: Number(amount), status: 'open', createdAt: now, expiresAt: now + ttlMs };
      await redis
        .multi()
        .hset(k.ticket(user, id), 'amount', ticket.amount, 'status', 'open', 'createdAt', now, 'expiresAt', ticket.expiresAt)
        .pexpire(k.ticket(user, id), ttlMs + WEEK_MS)
        .exec();
      return ticket;
    },

    async getTicket(id) {
      const user = await redis.hget(k.ticketOwner(), id);
      return user ? ticketOf(id, user, await redis.hgetall(k.ticket(user, id))) : null;
    },

    async acceptTicket(id, now, by) {
      const user = await redis.hget(k.ticketOwner(), id);
      if (!user) return { ok: false, reason: 'unknown' };
      const r = (await acceptTicket([k.ticket(user, id), k.saldo(user), k.ledger(user)], [now, `ticket ${id} by ${by}`, by])) as string[];
      const ticket = ticketOf(id, user, await redis.hgetall(k.ticket(user, id)));
      // Its unique amount is free again once it is paid, also when the ACC that paid it lost its answer.
      if (ticket?.status === 'paid') await redis.zrem(k.ticketAmounts(), String(ticket.amount));
      if (r[0] !== 'ok' || !ticket) {
        const reason = r[0] === 'used' || r[0] === 'expired' ? r[0] : 'unknown';
        return ticket ? { ok: false, reason, ticket } : { ok: false, reason };
      }
      return { ok: true, ticket, saldo: Number(r[1]) };
    },

    async transferOut(t) {
      const r = (await transferOut([k.saldo(t.from), k.ledger(t.from), k.transfer(t.from, t.id)], [t.id, t.to, t.amount, t.at, t.from])) as string[];
      if (r[0] === 'short') return null;
      if (r[0] === 'dup') return { saldo: Number((await redis.get(k.saldo(t.from))) ?? 0) };
      return { saldo: Number(r[1]) };
    },

    async transferIn(t) {
      const after = await transferIn([k.credited(t.to, t.id), k.saldo(t.to), k.ledger(t.to)], [t.id, t.from, t.amount, t.at]);
      await redis.sadd(k.users(), t.to);
      await redis.hset(k.transfer(t.from, t.id), 'state', 'done');
      return { saldo: Number(after) };
    },

    async getTransfer(from, id): Promise<Transfer | null> {
      const h = await redis.hgetall(k.transfer(from, id));
      if (!h.state) return null;
      return { id, from, to: h.to!, amount: Number(h.amount), state: h.state === 'done' ? 'done' : 'debited', at: Number(h.at) };
    },
  };
}
