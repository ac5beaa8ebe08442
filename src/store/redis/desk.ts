/** Deposit tickets and saldo transfers on Redis, but for the money they move (redis/ledger.ts). */
import { randomInt } from 'node:crypto';
import type { Ticket, Tickets } from '../../bot/store/tickets.ts';
import type { Transfer, Transfers } from '../../bot/store/transfers.ts';
import { TICKET_CLAIM, TICKET_OPEN } from '../scripts.ts';
import { script, type RedisContext } from './context.ts';
import { redisTickets } from './tickets.ts';

/** A ticket is kept this long past its expiry, so a late ACC hears "expired" rather than "unknown". */
const WEEK_MS = 7 * 86400_000;
/** Thousands above the nominal tried when every suffix of one is held (see TICKET_CLAIM). */
export const TICKET_STEPS = 10;

export function redisDesk({ redis, k }: RedisContext): Tickets & Transfers {
  const claimAmount = script(redis, TICKET_CLAIM);
  const openTicket = script(redis, TICKET_OPEN);
  const { read: readTicket, release } = redisTickets({ redis, k });

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

    async getTransfer(from, id): Promise<Transfer | null> {
      const h = await redis.hgetall(k.transfer(from, id));
      if (!h.state) return null;
      return { id, from, to: h.to!, amount: Number(h.amount), state: h.state === 'done' ? 'done' : 'debited', at: Number(h.at) };
    },
  };
}
