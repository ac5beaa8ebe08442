/** Reading a deposit ticket and letting its unique amount go: shared by the desk (TIKET) and the ledger (ACC). */
import type { UserId } from '../../bot/channel.ts';
import type { Ticket } from '../../bot/store.ts';
import { TICKET_RELEASE } from '../scripts.ts';
import { script, type RedisContext } from './context.ts';

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

export function redisTickets({ redis, k }: RedisContext) {
  const releaseAmount = script(redis, TICKET_RELEASE);
  return {
    async read(user: UserId, id: string): Promise<Ticket | null> {
      const r = await redis.multi().hgetall(k.ticket(user, id)).hget(k.tickets(user), id).exec();
      return ticketOf(id, user, (r?.[0]?.[1] ?? {}) as Record<string, string>, r?.[1]?.[1] as string | null);
    },
    /** Lets a ticket's amount go: it is no longer open, or (`unopened`) never opened. Only if this ticket still holds it. */
    async release(amount: number, id: string, unopened = false): Promise<void> {
      await releaseAmount([k.ticketAmounts(), k.ticketHolders(), k.ticketOwner()], [amount, id, unopened ? '1' : '']);
    },
  };
}
