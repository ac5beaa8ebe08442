/** `TIKET <nominal>` (reseller) and `ACC <tiket>` (admin): deposits by bank transfer with a unique amount. */
import { randomBytes } from 'node:crypto';
import type { Command } from '../commands.ts';
import { rupiah, wibTime } from '../format.ts';
import { type AcceptResult, againIfLost } from '../store.ts';
import { amountTyped, argsOf } from './users.ts';

const TTL_MS = 24 * 3600_000;
const MIN = 10_000;
const MAX = 100_000_000;

function ticketId(): string {
  return `D${randomBytes(4).readUInt32BE(0).toString(36).toUpperCase().padStart(7, '0')}`;
}

/**
 * `maxOpen`: open tickets a reseller may hold (TICKET_MAX_OPEN). At the cap a new ticket replaces the oldest
 * open one of the same nominal, so one reseller cannot hold the unique amounts of a nominal for everyone.
 */
export function ticketCommands(bankInfo: string | undefined, maxOpen = 3): Command[] {
  return [
    {
      words: ['TIKET'],
      role: 'reseller',
      async run(args, rest, ctx) {
        const { t } = ctx;
        const nominal = amountTyped(argsOf(args, rest, 1)[0]);
        if (!nominal || nominal < MIN || nominal > MAX) return [{ text: t('ticket.usage', { min: rupiah(MIN), max: rupiah(MAX) }) }];
        const r = await ctx.store.openTicket(ctx.user, ticketId(), nominal, ctx.now, TTL_MS, maxOpen);
        if (!r.ok && r.reason === 'busy') return [{ text: t('ticket.busy') }];
        if (!r.ok) {
          const list = r.open.map((o) => t('ticket.openLine', { id: o.id, amount: rupiah(o.amount), until: wibTime(o.expiresAt) })).join(', ');
          return [{ text: t('ticket.full', { max: maxOpen, list }) }];
        }
        const { ticket, replaced } = r;
        const vars = { id: ticket.id, amount: rupiah(ticket.amount), until: wibTime(ticket.expiresAt), user: ctx.user };
        const old = replaced ? { old: replaced.id, oldAmount: rupiah(replaced.amount), max: maxOpen, user: ctx.user } : undefined;
        const note = old ? `${t('ticket.admin', vars)}\n${t('ticket.replacingAdmin', old)}` : t('ticket.admin', vars);
        await Promise.all([...ctx.admins].map((a) => ctx.notify(a, { text: note })));
        const created = bankInfo ? t('ticket.created', { ...vars, bank: bankInfo }) : t('ticket.createdNoBank', vars);
        return [{ text: old ? `${created}\n${t('ticket.replacing', old)}` : created }];
      },
    },
    {
      words: ['ACC'],
      role: 'admin',
      async run(args, _rest, ctx) {
        const { t } = ctx;
        if (args.length !== 1) return [{ text: t('ticket.accUsage') }];
        const id = args[0]!;
        // Sent again after a lost answer, it credits at most once (an open ticket only); a ticket then found paid
        // by this admin at this very moment was paid by the lost one.
        const r = await againIfLost(async (again): Promise<AcceptResult> => {
          const r = await ctx.store.acceptTicket(id, ctx.now, ctx.user);
          if (!again || r.ok || r.reason !== 'used' || r.ticket?.paidAt !== ctx.now || r.ticket.paidBy !== ctx.user) return r;
          return { ok: true, ticket: r.ticket, saldo: await ctx.store.getSaldo(r.ticket.user) };
        });
        if (!r.ok) {
          if (r.reason === 'used') return [{ text: t('ticket.used', { id }) }];
          if (r.reason === 'expired') return [{ text: t('ticket.expired', { id }) }];
          if (r.reason === 'replaced' && r.ticket) {
            const vars = { id, by: r.ticket.replacedBy ?? '?', amount: rupiah(r.ticket.amount), user: r.ticket.user };
            return [{ text: t('ticket.replaced', vars) }];
          }
          return [{ text: t('ticket.unknown', { id }) }];
        }
        const vars = { id, user: r.ticket.user, amount: rupiah(r.ticket.amount), saldo: rupiah(r.saldo) };
        await ctx.notify(r.ticket.user, { text: t('ticket.credited', vars) });
        return [{ text: t('ticket.accepted', vars) }];
      },
    },
  ];
}
