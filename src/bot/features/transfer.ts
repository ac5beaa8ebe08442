/** `TRANSFER <user> <nominal>` between resellers; the money rules are in src/payments/transfers.ts. */
import { newTxId } from '../../payments/ids.ts';
import { completeTransfer, TRANSFER_PREFIX } from '../../payments/transfers.ts';
import type { Command } from '../commands.ts';
import { rupiah } from '../format.ts';
import { amountTyped, argsOf, holdsSaldo, userName } from './users.ts';

export function transferCommands(graceMs: number): Command[] {
  return [
    {
      words: ['TRANSFER'],
      role: 'reseller',
      async run(args, rest, ctx) {
        const { store, t } = ctx;
        const [who, how] = argsOf(args, rest, 2);
        const to = userName(who);
        const amount = amountTyped(how);
        if (!to || !amount) return [{ text: t('transfer.usage') }];
        if (to === ctx.user) return [{ text: t('transfer.self') }];
        if (!(await holdsSaldo(ctx, to))) return [{ text: t('reseller.notOne', { user: to }) }];
        const id = `${TRANSFER_PREFIX}${newTxId(ctx.now)}`;
        // Scheduled first: a crash after the debit leaves the credit to the worker, never to chance.
        await store.schedule(ctx.user, id, ctx.now + graceMs);
        const out = await store.transferOut({ id, from: ctx.user, to, amount, at: ctx.now });
        if (!out) {
          await store.unschedule(ctx.user, id);
          return [{ text: t('transfer.short', { saldo: rupiah(await store.getSaldo(ctx.user)), amount: rupiah(amount) }) }];
        }
        const done = await completeTransfer(store, ctx.user, id);
        await ctx.notify(to, { text: t('transfer.received', { amount: rupiah(amount), from: ctx.user, saldo: rupiah(done?.saldo ?? 0) }) });
        return [{ text: t('transfer.sent', { id, amount: rupiah(amount), to, saldo: rupiah(out.saldo) }) }];
      },
    },
  ];
}
