/**
 * Deposits that need no human: a bank mutation Moota pushes credits the open ticket with exactly its amount,
 * and a QRIS payment Tripay reports credits its deposit. Every credit is a ledger operation keyed by the
 * sender's own id (`moota:<mutation_id>`, `tripay:<reference>`), made before the first try: a push sent again,
 * to this process or another, at once or days later, answers "exists" and credits nothing twice. What a push
 * carries is kept first (the sender hears 200 only after that), so a crash between the keep and the credit is
 * finished by the sender's retry, or by an admin from MUTASIBANK.
 */
import type { UserId } from '../bot/channel.ts';
import type { BankMutation, QrisDeposit, Store, Ticket } from '../bot/store.ts';
import type { Log } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { withRetries } from './retry.ts';

/** A mutation as the webhook read it: integer rupiah, `whole` false when the bank sent cents. */
export interface PushedMutation {
  id: string;
  amount: number;
  type: 'CR' | 'DB';
  date: string;
  description: string;
  whole?: boolean;
}

/** A Tripay callback as the webhook read it. */
export interface QrisCallback {
  reference: string;
  merchantRef: string;
  status: 'PAID' | 'EXPIRED' | 'FAILED' | 'REFUND' | 'UNPAID';
  /** What the payer paid, when Tripay says it. */
  totalAmount?: number;
}

/** What the reseller and the admins are told; the bot turns it into words. */
export type DepositEvent =
  | { type: 'ticket-credited'; ticket: Ticket; saldo: number; mutation: BankMutation }
  | { type: 'unmatched'; mutation: BankMutation; why: 'no-ticket' | 'ticket-used' | 'not-whole' }
  | { type: 'expired-ticket'; mutation: BankMutation; ticket: Ticket }
  | { type: 'qris-credited'; deposit: QrisDeposit; saldo: number; late: boolean }
  | { type: 'qris-closed'; deposit: QrisDeposit; status: 'expired' | 'failed' }
  | { type: 'qris-unknown'; callback: QrisCallback };

export const mootaOp = (mutationId: string) => `moota:${mutationId}`;
export const tripayOp = (reference: string) => `tripay:${reference}`;

export type HandResult =
  | { ok: true; ticket: Ticket; saldo: number; mutation: BankMutation }
  | { ok: false; reason: 'unknown-mutation' | 'debit' | 'tied-elsewhere' | 'credited' | 'unknown-ticket' | 'ticket-used' | 'ticket-replaced'; ticketId?: string };

export interface AutoDeposits {
  /** A Moota push: every mutation kept, then each credit matched and credited once. Resolves when all are stored and acted on. */
  onMutations(list: readonly PushedMutation[], now: number): Promise<void>;
  /** `ACC <tiket> <mutation_id>`: an admin credits a kept mutation to a ticket by hand (an expired one too). */
  acceptByHand(ticketId: string, mutationId: string, admin: UserId, opBy: string, now: number): Promise<HandResult>;
  /** A Tripay callback: PAID credits once (an expired deposit too: the money arrived); EXPIRED / FAILED close it. */
  onQrisCallback(cb: QrisCallback, now: number): Promise<'credited' | 'closed' | 'unknown' | 'ignored'>;
  /** Resolves once every notice sent so far has been handed to its channel (a stop, a test). */
  notified(): Promise<void>;
}

export function createAutoDeposits(deps: {
  store: Store;
  log: Log;
  metrics?: Metrics;
  tell: (event: DepositEvent) => Promise<void>;
}): AutoDeposits {
  const { store, log } = deps;
  const money = withRetries(store.money, { log });
  const count = (source: 'moota' | 'tripay', outcome: string) => deps.metrics?.deposits.inc({ source, outcome });

  /**
   * Notices go out after the sender's answer, never before it: what a push or callback did is stored by then,
   * and a channel may take seconds per message (Telegram's rate limit) while Moota waits about 5 s for its
   * answer and Tripay little more. A notice lost with the process is lost either way: the sender's retry of a
   * push already acted on tells no one again.
   */
  const sending = new Set<Promise<void>>();
  function tell(event: DepositEvent): void {
    const p: Promise<void> = Promise.resolve()
      .then(() => deps.tell(event))
      .catch((err: unknown) => log.warn({ err: String(err), event: event.type }, 'a deposit notice could not be delivered'))
      .finally(() => sending.delete(p));
    sending.add(p);
  }

  async function onMutation(pushed: PushedMutation, now: number): Promise<void> {
    const matchable = pushed.type === 'CR' && pushed.whole !== false;
    // The ticket holding the amount is read beside the keep, not after it: one round trip less per mutation.
    const [kept, held] = await Promise.all([
      store.keepMutation({ id: pushed.id, amount: pushed.amount, type: pushed.type, date: pushed.date, description: pushed.description }, now),
      matchable ? store.ticketHolding(pushed.amount) : null,
    ]);
    if (kept.status === 'debit') return void count('moota', 'debit');
    // Final already: a push seen before (a replay) changes nothing, and tells no one again.
    if (kept.status !== 'received') return void count('moota', 'replayed');
    if (pushed.whole === false) {
      if (await store.moveMutation(kept.id, ['received'], 'unmatched', now, 'moota')) {
        count('moota', 'unmatched');
        tell({ type: 'unmatched', mutation: { ...kept, status: 'unmatched' }, why: 'not-whole' });
      }
      return;
    }
    // The first push's record rules: a later push of the same id with another amount matches by the kept one.
    const holder = kept.ticketId ?? (kept.amount === pushed.amount ? held : await store.ticketHolding(kept.amount));
    const ticketId = holder ? await store.claimMutation(kept.id, holder) : null;
    if (!ticketId) {
      if (await store.moveMutation(kept.id, ['received'], 'unmatched', now, 'moota')) {
        count('moota', 'unmatched');
        tell({ type: 'unmatched', mutation: { ...kept, status: 'unmatched' }, why: 'no-ticket' });
      }
      return;
    }
    const r = await money.acceptTicket({ opId: mootaOp(kept.id), by: 'moota', now, ticketId, acceptedBy: mootaOp(kept.id) });
    if (r.ok || r.refusal.code === 'op-conflict') {
      // Applied now, before (a replay whose first try lost its answer), or by an admin's ACC with this mutation.
      if (await store.moveMutation(kept.id, ['received'], 'credited', now, 'moota')) {
        count('moota', 'credited');
        if (r.ok) tell({ type: 'ticket-credited', ticket: r.ticket, saldo: r.saldo, mutation: { ...kept, ticketId, status: 'credited' } });
      }
      return;
    }
    const f = r.refusal;
    // Used by this very mutation (its record lapsed since, and Moota pushes it again): it is credited, not unmatched.
    if (f.code === 'ticket-used' && f.ticket.paidBy?.includes(mootaOp(kept.id))) {
      if (await store.moveMutation(kept.id, ['received'], 'credited', now, 'moota')) count('moota', 'credited');
      return;
    }
    if (f.code === 'ticket-expired') {
      if (await store.moveMutation(kept.id, ['received'], 'expired-ticket', now, 'moota')) {
        count('moota', 'expired-ticket');
        tell({ type: 'expired-ticket', mutation: { ...kept, ticketId, status: 'expired-ticket' }, ticket: f.ticket });
      }
      return;
    }
    // The ticket was paid another way (ACC by hand), or replaced: the money is the admins' to place.
    if (await store.moveMutation(kept.id, ['received'], 'unmatched', now, 'moota')) {
      count('moota', 'unmatched');
      tell({ type: 'unmatched', mutation: { ...kept, ticketId, status: 'unmatched' }, why: f.code === 'ticket-used' ? 'ticket-used' : 'no-ticket' });
    }
  }

  return {
    async onMutations(list, now) {
      // Mutations of one amount one after another, in the order pushed (they compete for the one ticket holding
      // it, and the first transferred should win); different amounts side by side, so a push of a hundred is
      // answered in a few round trips to the store, not a hundred times as many.
      const byAmount = new Map<number, PushedMutation[]>();
      for (const m of list) byAmount.set(m.amount, [...(byAmount.get(m.amount) ?? []), m]);
      const results = await Promise.allSettled([...byAmount.values()].map(async (same) => {
        for (const m of same) await onMutation(m, now);
      }));
      // Every mutation was tried before one failure fails the push: Moota sends it all again, and what was done stays done.
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },

    async acceptByHand(ticketId, mutationId, admin, opBy, now) {
      const m = await store.getMutation(mutationId);
      if (!m) return { ok: false, reason: 'unknown-mutation' };
      if (m.type === 'DB') return { ok: false, reason: 'debit' };
      // The ticket is looked at before the mutation is tied to it: a tie is for good, so a mistyped, paid or
      // replaced ticket would otherwise use the mutation up, and the right ticket would be refused it.
      const ticket = await store.getTicket(ticketId);
      if (!ticket) return { ok: false, reason: 'unknown-ticket' };
      if (ticket.status !== 'open' && m.ticketId !== ticketId) {
        return { ok: false, reason: ticket.status === 'paid' ? 'ticket-used' : 'ticket-replaced' };
      }
      const tied = await store.claimMutation(mutationId, ticketId);
      if (tied !== ticketId) return { ok: false, reason: 'tied-elsewhere', ...(tied ? { ticketId: tied } : {}) };
      // The mutation's own operation id: whoever credits it first (the webhook or an admin), it credits once.
      // The entry names the mutation as well as the admin: the books show which bank transfer paid the ticket.
      const r = await money.acceptTicket({ opId: mootaOp(mutationId), by: opBy, now, ticketId, acceptedBy: `${admin} ${mootaOp(mutationId)}`, allowExpired: true });
      if (!r.ok) {
        const code = r.refusal.code;
        if (code === 'op-conflict') return { ok: false, reason: 'credited', ticketId };
        if (code === 'ticket-used' || code === 'ticket-replaced' || code === 'unknown-ticket') return { ok: false, reason: code };
        return { ok: false, reason: 'unknown-ticket' };
      }
      await store.moveMutation(mutationId, ['received', 'unmatched', 'expired-ticket'], 'credited', now, admin);
      count('moota', 'credited-by-hand');
      return { ok: true, ticket: r.ticket, saldo: r.saldo, mutation: { ...m, ticketId, status: 'credited' } };
    },

    async onQrisCallback(cb, now) {
      const d = await store.getQris(cb.merchantRef);
      if (!d || d.reference !== cb.reference) {
        count('tripay', 'unknown');
        tell({ type: 'qris-unknown', callback: cb });
        return 'unknown';
      }
      if (cb.status === 'PAID') {
        // Paid already: the same callback again, whenever it comes (a resend from Tripay's dashboard weeks later,
        // when the operation's record has lapsed), credits nothing. Racing callbacks meet at the operation id.
        if (d.status === 'paid') {
          count('tripay', 'replayed');
          return 'credited';
        }
        const r = await money.adjust({ opId: tripayOp(cb.reference), by: 'tripay', now, user: d.user, amount: d.amount, reason: 'deposit', note: `qris ${d.id}` });
        if (!r.ok) throw new Error(`a QRIS credit was refused: ${r.refusal.code}`);
        // Late: closed by Tripay's EXPIRED / FAILED, or past its expiry with no close seen (that callback lost or
        // still to come). The money arrived either way, so it is credited; the admins hear of it.
        const late = d.status !== 'open' || now >= d.expiresAt;
        if (await store.moveQris(d.id, ['open', 'expired', 'failed'], 'paid', now)) {
          count('tripay', late ? 'credited-late' : 'credited');
          tell({ type: 'qris-credited', deposit: { ...d, status: 'paid', paidAt: now }, saldo: r.saldo, late });
        }
        return 'credited';
      }
      if (cb.status === 'EXPIRED' || cb.status === 'FAILED') {
        const to = cb.status === 'EXPIRED' ? 'expired' : 'failed';
        if (await store.moveQris(d.id, ['open'], to, now)) {
          count('tripay', to);
          tell({ type: 'qris-closed', deposit: { ...d, status: to }, status: to });
        }
        return 'closed';
      }
      log.info({ reference: cb.reference, status: cb.status }, 'a QRIS callback with nothing to do');
      return 'ignored';
    },

    async notified() {
      while (sending.size > 0) await Promise.all([...sending]);
    },
  };
}
