/** Deposit tickets and saldo transfers in the embedded store. */
import { randomInt } from 'node:crypto';
import type { Ticket } from '../../bot/store.ts';
import type { DeskPart } from '../parts.ts';
import type { MemoryState } from './state.ts';

/** Thousands above the nominal tried when every suffix of one is held: the scheme of TICKET_CLAIM (scripts.ts). */
const STEPS = 10;

export function memoryDesk(s: MemoryState): DeskPart {
  const { saldos, tickets, ticketAmounts, openTickets, transfers, credited, pushLedger } = s;

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

    async acceptTicket(id, now, by) {
      const t = tickets.get(id);
      if (!t) return { ok: false, reason: 'unknown' };
      if (t.status === 'paid') return { ok: false, reason: 'used', ticket: { ...t } };
      if (t.status === 'replaced') return { ok: false, reason: 'replaced', ticket: { ...t } };
      if (t.expiresAt <= now) return { ok: false, reason: 'expired', ticket: { ...t } };
      const saldo = pushLedger(t.user, t.amount, 'deposit', now, undefined, `ticket ${id} by ${by}`);
      t.status = 'paid';
      t.paidAt = now;
      t.paidBy = by;
      release(t);
      const open = openTickets.get(t.user);
      if (open?.includes(id)) open.splice(open.indexOf(id), 1);
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
  };
}
