/**
 * Deposits without a human, as chat commands: `DEPOSIT QRIS <nominal>` (a reseller asks Tripay for a QRIS
 * code), `MUTASIBANK [hari]` (admins: the bank mutations that credited nothing), `ACC <tiket> <mutation_id>`
 * (admins: credit a kept mutation to a ticket by hand) and, in the sandbox only, `BAYAR <tiket>` (an admin plays
 * the payer). Registered before the admin's `DEPOSIT <user> <nominal>` and `ACC <tiket>`, which take every other
 * form of their word.
 */
import { command } from '../commands.ts';
import type { CommandContext } from '../context.ts';
import { rupiah, wibTime } from '../format.ts';
import type { Reply } from '../channel.ts';
import { amountOf } from './amounts.ts';
import { messageOp } from '../money.ts';

const DAY_MS = 86_400_000;
const MUTASIBANK_DAYS = 7;
const LIST_MAX = 30;
/** Ticket ids (D…), QRIS deposit ids (Q…): never a PIN (4–6 digits), so `BAYAR 1234` stays a YA. */
const DEPOSIT_ID = /^[DQ][0-9A-Z]{5,15}$/;
const MUTATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

function off(ctx: CommandContext): Reply[] {
  return [{ text: ctx.t('qris.off') }];
}

export function depositCommands() {
  return [
    command({
      name: 'deposit-qris',
      words: ['DEPOSIT'],
      read: (args: string[]) => (args[0] === 'QRIS' ? { nominal: amountOf(args.slice(1)), typed: args.length > 1 } : undefined),
      role: 'reseller',
      async run({ nominal, typed }, ctx) {
        const { t } = ctx;
        if (!ctx.deposits?.qris) return off(ctx);
        if (!typed || nominal === undefined || nominal <= 0) return [{ text: t('qris.usage') }];
        const r = await ctx.deposits.openQris(ctx.user, nominal, ctx.now);
        if (!r.ok) {
          if (r.reason === 'range') return [{ text: t('qris.range', { min: rupiah(r.min), max: rupiah(r.max) }) }];
          return [{ text: t(r.reason === 'off' ? 'qris.off' : 'qris.unavailable') }];
        }
        const d = r.deposit;
        const vars = {
          id: d.id, amount: rupiah(d.amount), pay: rupiah(d.pay), fee: rupiah(d.fee), until: wibTime(d.expiresAt),
          link: d.checkoutUrl ?? '-',
        };
        const text = [t('qris.opened', vars), t(d.feePaidBy === 'reseller' ? 'qris.feeReseller' : 'qris.feeOperator', vars), t('qris.link', vars)].join('\n');
        return [r.qrPng ? { text, image: { png: r.qrPng, name: `qris-${d.id}.png` } } : { text }];
      },
    }),
    command({
      name: 'acc-mutation',
      words: ['ACC'],
      // Moota's ids are case-sensitive and the command's words come upper-cased: the id is read as typed.
      read: (args: string[], rest: () => string) => (args.length === 2 ? { ticketId: args[0]!, mutationId: rest().trim().split(/[\s#]+/).at(-1)! } : undefined),
      role: 'admin',
      async run({ ticketId, mutationId }, ctx) {
        const { t } = ctx;
        if (!ctx.deposits) return [{ text: t('ticket.accUsage') }];
        if (!MUTATION_ID.test(mutationId)) return [{ text: t('mutasibank.accUsage') }];
        const r = await ctx.deposits.acceptByHand(ticketId, mutationId, ctx.user, messageOp(ctx.user, ctx.messageId), ctx.now);
        if (!r.ok) {
          const vars = { id: ticketId, mutation: mutationId, other: r.ticketId ?? '-' };
          return [{ text: t(`mutasibank.${r.reason}`, vars) }];
        }
        const vars = { id: ticketId, user: r.ticket.user, amount: rupiah(r.ticket.amount), saldo: rupiah(r.saldo), mutation: mutationId };
        await ctx.notify(r.ticket.user, { text: t('ticket.credited', vars) });
        return [{ text: t('mutasibank.accepted', vars) }];
      },
    }),
    command({
      name: 'bank-mutations',
      words: ['MUTASIBANK'],
      role: 'admin',
      readsOnly: true,
      async run({ args }, ctx) {
        const { t } = ctx;
        if (!ctx.deposits?.moota) return [{ text: t('mutasibank.off') }];
        const days = args[0] === undefined ? MUTASIBANK_DAYS : Number(args[0]);
        if (!Number.isInteger(days) || days < 1 || days > 90 || args.length > 1) return [{ text: t('mutasibank.usage') }];
        const list = await ctx.deposits.mutations(ctx.now - days * DAY_MS, ctx.now + 1, ['unmatched', 'expired-ticket', 'received']);
        if (list.length === 0) return [{ text: t('mutasibank.none', { days }) }];
        const lines = list.slice(-LIST_MAX).reverse().map((m) => t('mutasibank.line', {
          id: m.id, amount: rupiah(m.amount), time: wibTime(m.receivedAt), status: t(`mutasibank.status.${m.status}`),
          ticket: m.ticketId ?? '-', description: m.description.slice(0, 60) || '-',
        }));
        return [{ text: [t('mutasibank.title', { n: list.length, days }), ...lines, t('mutasibank.hint')].join('\n') }];
      },
    }),
    command({
      name: 'sandbox-pay',
      words: ['BAYAR'],
      read: (args: string[]) => (args.length === 1 && DEPOSIT_ID.test(args[0]!) ? { id: args[0]! } : undefined),
      role: 'admin',
      async run({ id }, ctx) {
        const { t } = ctx;
        const pay = ctx.deposits?.sandboxPay;
        if (!pay) return [{ text: t('sandboxPay.off') }];
        const r = await pay(id);
        return [{ text: t(`sandboxPay.${r}`, { id }) }];
      },
    }),
  ];
}
