/** Deposit tickets and saldo transfers on Redis. */
import { randomInt } from 'node:crypto';
import type { UserId } from '../../bot/channel.ts';
import type { Ticket, Transfer } from '../../bot/store.ts';
import type { DeskPart } from '../parts.ts';
import { ACCEPT_TICKET, TICKET_CLAIM, TICKET_OPEN, TICKET_RELEASE, TRANSFER_IN, TRANSFER_OUT } from '../scripts.ts';
import { script, type RedisContext } from './context.ts';

/** A ticket is kept this long past its expiry, so a late ACC hears "expired" rather than "unknown". */
const WEEK_MS = 7 * 86400_000;
/** Thousands above the nominal tried when every suffix of one is held (see TICKET_CLAIM). */
export const TICKET_STEPS = 10;

/** A ticket from its hash and its entry in the owner's index (which holds the replaced mark first). */
function ticketOf(id: string, user: UserId, h: Record<string, string>, mark?: string | null): Ticket | null {
  if (!h.status) return null;
  const amount = Number(h.amount);
  const by = mark?.startsWith('r|') ? mark.split('|')[2] : undefined;
  const status = by ? 'replaced' : h.status;
  return {
    id, user, amount,
    // Tickets opened before the nominal was kept: the thousand it was drawn on.
    nominal: h.nominal ? Number(h.nominal) : Math.floor(amount / 1000) * 1000,
    status: status === 'paid' || status === 'replaced' ? status : 'open',
    createdAt: Number(h.createdAt), expiresAt: Number(h.expiresAt),
    ...(h.paidAt ? { paidAt: Number(h.paidAt) } : {}),
    ...(h.paidBy ? { paidBy: h.paidBy } : {}),
    ...(by || h.replacedBy ? { replacedBy: by ?? h.replacedBy } : {}),
  };
}

export function redisDesk({ redis, k }: RedisContext): DeskPart {
  const claimAmount = script(redis, TICKET_CLAIM);
  const openTicket = script(redis, TICKET_OPEN);
  const releaseAmount = script(redis, TICKET_RELEASE);
  const acceptTicket = script(redis, ACCEPT_TICKET);
  const transferOut = script(redis, TRANSFER_OUT);
  const transferIn = script(redis, TRANSFER_IN);

  const readTicket = async (user: UserId, id: string) => {
    const r = await redis.multi().hgetall(k.ticket(user, id)).hget(k.tickets(user), id).exec();
    return ticketOf(id, user, (r?.[0]?.[1] ?? {}) as Record<string, string>, r?.[1]?.[1] as string | null);
  };
  /** Lets a ticket's amount go: it is no longer open, or (`unopened`) never opened. */
  const release = (amount: number, id: string, unopened = false) =>
    releaseAmount([k.ticketAmounts(), k.ticketHolders(), k.ticketOwner()], [amount, id, unopened ? '1' : '']);

  return {
    async openTicket(user, id, nominal, now, ttlMs, maxOpen) {
      // Two steps on two hash tags: the amount is held globally ({g}) first, then the ticket opens under the
      // reseller's cap on its own tag. Held amounts cover every open ticket's amount at every moment, so the
      // amounts stay unique; a hold whose ticket never opened is let go here, or lapses with its expiry.
      const expiresAt = now + ttlMs;
      const base = Math.ceil(nominal / 1000) * 1000;
      const held = await claimAmount([k.ticketAmounts(), k.ticketOwner(), k.ticketHolders()], [base, now, expiresAt, id, user, randomInt(2 ** 31), TICKET_STEPS]);
      if (held === null) return { ok: false, reason: 'busy' };
      const amount = Number(held);
      const r = (await openTicket([k.tickets(user), k.ticket(user, id)], [id, nominal, amount, now, expiresAt, ttlMs + WEEK_MS, maxOpen])) as string[];
      if (r[0] === 'full') {
        await release(amount, id, true);
        const open = await Promise.all(r.slice(1).map((t) => readTicket(user, t)));
        return { ok: false, reason: 'full', open: open.filter((t): t is Ticket => t !== null) };
      }
      const ticket: Ticket = { id, user, nominal, amount, status: 'open', createdAt: now, expiresAt };
      if (r[0] !== 'replaced') return { ok: true, ticket };
      const old = r[1]!;
      // The index's mark is what ACC goes by; the ticket's own status follows, for every later read.
      await redis.hset(k.ticket(user, old), 'status', 'replaced', 'replacedBy', id);
      const replaced = await readTicket(user, old);
      if (!replaced) return { ok: true, ticket };
      await release(replaced.amount, old);
      return { ok: true, ticket, replaced };
    },

    async getTicket(id) {
      const user = await redis.hget(k.ticketOwner(), id);
      return user ? readTicket(user, id) : null;
    },

    async acceptTicket(id, now, by) {
      const user = await redis.hget(k.ticketOwner(), id);
      if (!user) return { ok: false, reason: 'unknown' };
      const r = (await acceptTicket([k.ticket(user, id), k.saldo(user), k.ledger(user), k.tickets(user)], [now, `ticket ${id} by ${by}`, by, id])) as string[];
      const ticket = await readTicket(user, id);
      // Its unique amount is free again once it is paid, also when the ACC that paid it lost its answer.
      if (ticket?.status === 'paid') await release(ticket.amount, id);
      if (r[0] !== 'ok' || !ticket) {
        const reason = r[0] === 'used' || r[0] === 'expired' || r[0] === 'replaced' ? r[0] : 'unknown';
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
