/** Deposit tickets and saldo transfers in the embedded store. */
import type { Ticket } from '../../bot/store.ts';
import type { DeskPart } from '../parts.ts';
import type { MemoryState } from './state.ts';

export function memoryDesk(s: MemoryState): DeskPart {
  const { saldos, tickets, ticketAmounts, transfers, credited, pushLedger } = s;
  return {
    async openTicket(user, id, nominal, now, ttlMs) {
      for (const [amount, exp] of ticketAmounts) if (exp <= now) ticketAmounts.delete(amount);
      // The unique digits go on top: the amount to transfer is never below the nominal asked (99.999 → 100.xyz).
      const base = Math.ceil(nominal / 1000) * 1000;
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
      t.paidAt = now;
      t.paidBy = by;
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
  };
}
