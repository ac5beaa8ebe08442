/** Bank mutations and QRIS deposits in the embedded store. */
import type { BankMutation, Deposits, QrisDeposit } from '../../bot/store/deposits.ts';
import type { MemoryState } from './state.ts';

export function memoryDeposits(s: MemoryState): Deposits {
  const { mutations, qris, ticketAmounts } = s;
  return {
    async keepMutation(m, now) {
      let rec = mutations.get(m.id);
      if (!rec) {
        rec = { ...m, receivedAt: now, status: m.type === 'DB' ? 'debit' : 'received' };
        mutations.set(m.id, rec);
      }
      return { ...rec };
    },
    async getMutation(id) {
      const rec = mutations.get(id);
      return rec ? { ...rec } : null;
    },
    async claimMutation(id, ticketId) {
      const rec = mutations.get(id);
      if (!rec) return null;
      rec.ticketId ??= ticketId;
      return rec.ticketId;
    },
    async moveMutation(id, from, to, now, by) {
      const rec = mutations.get(id);
      if (!rec || !from.includes(rec.status)) return false;
      Object.assign(rec, { status: to, updatedAt: now, by });
      return true;
    },
    async mutations(fromMs, toMs, statuses) {
      return [...mutations.values()]
        .filter((m) => m.receivedAt >= fromMs && m.receivedAt < toMs && (!statuses || statuses.includes(m.status)))
        .sort((a, b) => a.receivedAt - b.receivedAt)
        .map((m): BankMutation => ({ ...m }));
    },
    async ticketHolding(amount) {
      return ticketAmounts.get(amount)?.id ?? null;
    },
    async putQris(d) {
      qris.set(d.id, { ...d });
    },
    async getQris(id) {
      const d = qris.get(id);
      return d ? { ...d } : null;
    },
    async moveQris(id, from, to, now) {
      const d = qris.get(id);
      if (!d || !from.includes(d.status)) return false;
      d.status = to;
      if (to === 'paid') d.paidAt = now;
      return true;
    },
    async qrisDeposits(fromMs, toMs) {
      return [...qris.values()]
        .filter((d) => d.createdAt >= fromMs && d.createdAt < toMs)
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((d): QrisDeposit => ({ ...d }));
    },
  };
}
