/** Deposit tickets and saldo transfers in the embedded store, but for the money they move (ledger.ts). */
import { randomInt } from 'node:crypto';
import type { Ticket, Tickets } from '../../bot/store/tickets.ts';
import type { Transfers } from '../../bot/store/transfers.ts';
import type { MemoryState } from './state.ts';

/** Thousands above the nominal tried when every suffix of one is held: the scheme of TICKET_CLAIM (scripts.ts). */
const STEPS = 10;

export function memoryDesk(s: MemoryState): Tickets & Transfers {
  const { tickets, ticketAmounts, openTickets, transfers } = s;

  /** A free amount for `nominal`, held for `id` (TICKET_CLAIM's scheme), or undefined. */
  function claimAmount(id: string, nominal: number, now: number, expiresAt: number): number | undefined {
    for (const [amount, held] of ticketAmounts) if (held.expiresAt <= now) ticketAmounts.delete(amount);
    const base = Math.ceil(nominal / 1000) * 1000;
    for (let step = 0; step < STEPS; step++) {
      const thousand = base + step * 1000;
      const free: number[] = [];
      for (let suffix = 1; suffix <= 999; suffix++) if (!ticketAmounts.has(thousand + suffix)) free.push(thousand + suffix);
      if (free.length === 0) continue;
      const amount = free[randomInt(free.length)]!;
      ticketAmounts.set(amount, { id, expiresAt });
      return amount;
    }
    return undefined;
  }

  function release(t: Ticket): void {
    if (ticketAmounts.get(t.amount)?.id === t.id) ticketAmounts.delete(t.amount);
  }

  return {
    async openTicket(user, id, nominal, now, ttlMs, maxOpen) {
      const expiresAt = now + ttlMs;
      // The reseller's open tickets, oldest first; paid, replaced and expired ones leave the list here.
      const ids = (openTickets.get(user) ?? []).filter((t) => {
        const ticket = tickets.get(t);
        return ticket?.status === 'open' && ticket.expiresAt > now;
      });
      openTickets.set(user, ids);
      let replaced: Ticket | undefined;
      if (ids.length >= maxOpen) {
        replaced = ids.map((t) => tickets.get(t)!).find((t) => t.nominal === nominal);
        if (!replaced) return { ok: false, reason: 'full', open: ids.map((t) => ({ ...tickets.get(t)! })) };
      }
      const amount = claimAmount(id, nominal, now, expiresAt);
      if (amount === undefined) return { ok: false, reason: 'busy' };
      if (replaced) {
        replaced.status = 'replaced';
        replaced.replacedBy = id;
        release(replaced);
        ids.splice(ids.indexOf(replaced.id), 1);
      }
      const ticket: Ticket = { id, user, nominal, amount, status: 'open', createdAt: now, expiresAt };
      tickets.set(id, ticket);
      ids.push(id);
      return replaced ? { ok: true, ticket: { ...ticket }, replaced: { ...replaced } } : { ok: true, ticket: { ...ticket } };
    },

    async getTicket(id) {
      const t = tickets.get(id);
      return t ? { ...t } : null;
    },

    async getTransfer(from, id) {
      const t = transfers.get(`${from}|${id}`);
      return t ? { ...t } : null;
    },
  };
}
