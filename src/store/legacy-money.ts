/**
 * The Store's money methods from before the ledger port (adjustSaldo, acceptTicket, transferOut/In), each
 * one call of the ledger, for the callers not yet moved to it (test and bench seeding; nothing in src/). Both stores
 * share this one implementation, so no money rule lives here. Deprecated: see src/bot/store/legacy-money.ts.
 */
import { randomUUID } from 'node:crypto';
import type { AcceptResult, LegacyMoney } from '../bot/store/legacy-money.ts';
import type { Transactions } from '../bot/store/transactions.ts';
import { type Ledger, opIds } from '../payments/ledger.ts';
import { TRANSFER_SENDER } from '../payments/transfers.ts';

export function legacyMoney(money: Ledger, getSaldo: Transactions['getSaldo']): LegacyMoney {
  return {
    async adjustSaldo(user, amount, reason, now, note, opId) {
      // An operation id of the caller's makes the call idempotent; without one, each call is its own operation.
      const id = opId ? `adjusted:${opId}` : `adjust:${randomUUID()}`;
      const r = await money.adjust({ opId: id, by: id, now, user, amount, reason, ...(note ? { note } : {}) });
      return r.ok ? r.saldo : null;
    },

    async acceptTicket(id, now, by): Promise<AcceptResult> {
      // Each call its own operation, as before the ledger: a second ACC of a paid ticket hears `used`.
      const opId = `acc:${id}:${randomUUID()}`;
      const r = await money.acceptTicket({ opId, by: opId, now, ticketId: id, acceptedBy: by });
      if (r.ok) return { ok: true, ticket: r.ticket, saldo: r.saldo };
      const f = r.refusal;
      if (f.code === 'ticket-used') return { ok: false, reason: 'used', ticket: f.ticket };
      if (f.code === 'ticket-expired') return { ok: false, reason: 'expired', ticket: f.ticket };
      if (f.code === 'ticket-replaced') return { ok: false, reason: 'replaced', ticket: f.ticket };
      return { ok: false, reason: f.code === 'op-conflict' ? 'used' : 'unknown' };
    },

    async transferOut(t) {
      const r = await money.transferOut({ opId: opIds.transferOut(t.id), by: `${TRANSFER_SENDER}:${t.from}`, now: t.at, transferId: t.id, from: t.from, to: t.to, amount: t.amount });
      return r.ok ? { saldo: r.saldo } : null;
    },

    async transferIn(t) {
      const r = await money.transferIn({ opId: opIds.transferIn(t.id), by: TRANSFER_SENDER, now: t.at, transferId: t.id, from: t.from, to: t.to, amount: t.amount });
      return { saldo: r.ok ? r.saldo : await getSaldo(t.to) };
    },
  };
}
