/** `TIKET <nominal>` (reseller) and `ACC <tiket>` (admin): deposits by bank transfer with a unique amount. */
import { randomBytes } from 'node:crypto';
import type { Command } from '../commands.ts';
import { rupiah, wibTime } from '../format.ts';
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
export function ticketCommands(bankInfo: string | undefined, maxOpen = 3, automatic = false): Command[] {
  return [
    {
      name: 'ticket',
      words: ['TIKET'],
      role: 'reseller',
      async run({ args, rest }, ctx) {
        const { t } = ctx;
        const nominal = amountTyped(argsOf(args, rest, 1)[0]);
        if (!nominal || nominal < MIN || nominal > MAX) return [{ text: t('ticket.usage', { min: rupiah(MIN), max: rupiah(MAX) }) }];
        const r = await ctx.tickets.open(ctx.user, ticketId(), nominal, ctx.now, TTL_MS, maxOpen);
        if (!r.ok && r.reason === 'busy') return [{ text: t('ticket.busy') }];
        if (!r.ok) {
          const list = r.open.map((o) => t('ticket.openLine', { id: o.id, amount: rupiah(o.amount), until: wibTime(o.expiresAt) })).join(', ');
          return [{ text: t('ticket.full', { max: maxOpen, list }) }];
        }
        const { ticket, replaced } = r;
        const vars = { id: ticket.id, amount: rupiah(ticket.amount), until: wibTime(ticket.expiresAt), user: ctx.user };
        const old = replaced ? { old: replaced.id, oldAmount: rupiah(replaced.amount), max: maxOpen, user: ctx.user } : undefined;
        const told = t(automatic ? 'ticket.adminAutomatic' : 'ticket.admin', vars);
        const note = old ? `${told}\n${t('ticket.replacingAdmin', old)}` : told;
        await Promise.all([...ctx.admins].map((a) => ctx.notify(a, { text: note })));
        const created = bankInfo ? t('ticket.created', { ...vars, bank: bankInfo }) : t('ticket.createdNoBank', vars);
        // With bank mutations read by Moota the saldo comes by itself; without, an admin checks and ACCs.
        const when = automatic ? t('ticket.whenAutomatic') : t('ticket.whenAdmin');
        const body = `${created} ${when}`;
        return [{ text: old ? `${body}\n${t('ticket.replacing', old)}` : body }];
      },
    },
    {
      name: 'acc',
      words: ['ACC'],
      role: 'admin',
      async run({ args }, ctx) {
        const { t } = ctx;
        if (args.length !== 1) return [{ text: t('ticket.accUsage') }];
        const id = args[0]!;
        const r = await ctx.payments.acceptTicket({ ticketId: id, by: ctx.user, now: ctx.now, ...(ctx.messageId ? { messageId: ctx.messageId } : {}) });
        if (!r.ok) {
          const { refusal } = r;
          if (refusal.code === 'ticket-used') return [{ text: t('ticket.used', { id }) }];
          if (refusal.code === 'ticket-expired') return [{ text: t('ticket.expired', { id }) }];
          if (refusal.code === 'ticket-replaced') {
            const vars = { id, by: refusal.ticket.replacedBy ?? '?', amount: rupiah(refusal.ticket.amount), user: refusal.ticket.user };
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
