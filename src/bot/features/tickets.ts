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

export function ticketCommands(bankInfo: string | undefined): Command[] {
  return [
    {
      words: ['TIKET'],
      role: 'reseller',
      async run(args, rest, ctx) {
        const { t } = ctx;
        const nominal = amountTyped(argsOf(args, rest, 1)[0]);
        if (!nominal || nominal < MIN || nominal > MAX) return [{ text: t('ticket.usage', { min: rupiah(MIN), max: rupiah(MAX) }) }];
        const ticket = await ctx.store.openTicket(ctx.user, ticketId(), nominal, ctx.now, TTL_MS);
        if (!ticket) return [{ text: t('ticket.busy') }];
        const vars = { id: ticket.id, amount: rupiah(ticket.amount), until: wibTime(ticket.expiresAt), user: ctx.user };
        const note = t('ticket.admin', vars);
        await Promise.all([...ctx.admins].map((a) => ctx.notify(a, { text: note })));
        return [{ text: bankInfo ? t('ticket.created', { ...vars, bank: bankInfo }) : t('ticket.createdNoBank', vars) }];
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
          return [{ text: t('ticket.unknown', { id }) }];
        }
        const vars = { id, user: r.ticket.user, amount: rupiah(r.ticket.amount), saldo: rupiah(r.saldo) };
        await ctx.notify(r.ticket.user, { text: t('ticket.credited', vars) });
        return [{ text: t('ticket.accepted', vars) }];
      },
    },
  ];
}
