/** `TRANSFER <user> <nominal> [PIN]` between resellers; the money rules are in src/payments/transfers.ts. */
import { newTxId } from '../../payments/ids.ts';
import { PIN_FORM } from '../../payments/pin.ts';
import { completeTransfer, TRANSFER_PREFIX } from '../../payments/transfers.ts';
import type { Command } from '../commands.ts';
import type { UserId } from '../channel.ts';
import type { T } from '../i18n.ts';
import { againIfLost, type Store } from '../store.ts';
import { rupiah, wibTime } from '../format.ts';
import { pinGate } from './pin.ts';
import { holdsSaldo, userAndAmount } from './users.ts';

/** `STATUS TRF-…` for either side of a transfer; undefined when this user is on neither. */
export async function transferStatus(store: Store, t: T, user: UserId, id: string): Promise<string | undefined> {
  const from = await store.txOwner(id);
  const tr = from ? await store.getTransfer(from, id) : null;
  if (!from || !tr || (user !== from && user !== tr.to)) return undefined;
  return t(tr.state === 'done' ? 'status.transferDone' : 'status.transferDebited', { id, from, to: tr.to, amount: rupiah(tr.amount), time: wibTime(tr.at) });
}

export function transferCommands(graceMs: number): Command[] {
  return [
    {
      words: ['TRANSFER'],
      role: 'reseller',
      carriesPin(args) {
        const read = userAndAmount(args, true);
        // Not read, it may still hold the PIN somewhere (`TRANSFER telegram:2 10000 1234 x`): any PIN-like word
        // but the one where the amount starts.
        return read ? read.pin !== undefined : args.some((a, i) => i !== 1 && PIN_FORM.test(a));
      },
      async run(args, _rest, ctx) {
        const { store, t } = ctx;
        const read = userAndAmount(args, true);
        if (!read || read.amount <= 0) return [{ text: t('transfer.usage') }];
        const { user: to, amount, pin } = read;
        if (to === ctx.user) return [{ text: t('transfer.self') }];
        // Saldo leaving for someone else is a payment: once a PIN is set it is asked for, and a wrong one counts
        // towards the same lock as YA's. Without one typed, say the form with it (the words as they were read).
        if (pin === undefined) {
          const { hash, lockedUntil } = await store.getPin(ctx.user);
          if (lockedUntil > ctx.now) return [{ text: t('pin.locked', { until: wibTime(lockedUntil) }) }];
          if (hash) return [{ text: t('transfer.pinRequired', { to, amount: String(amount) }) }];
        } else {
          const refused = await pinGate(ctx, ctx.user, pin);
          if (refused) return [{ text: refused }];
        }
        if (!(await holdsSaldo(ctx, to))) return [{ text: t('reseller.notOne', { user: to }) }];
        const id = `${TRANSFER_PREFIX}${newTxId(ctx.now)}`;
        // Every step is idempotent per transfer id (a second debit finds the first one's record), so a step
        // whose answer the connection lost is sent again with the rest, and the transfer still moves once.
        const moved = await againIfLost(async () => {
          // Scheduled first: a crash after the debit leaves the credit to the worker, never to chance.
          await store.schedule(ctx.user, id, ctx.now + graceMs);
          const out = await store.transferOut({ id, from: ctx.user, to, amount, at: ctx.now });
          if (!out) {
            await store.unschedule(ctx.user, id);
            return null;
          }
          return { out, done: await completeTransfer(store, ctx.user, id) };
        });
        if (!moved) return [{ text: t('transfer.short', { saldo: rupiah(await store.getSaldo(ctx.user)), amount: rupiah(amount) }) }];
        const { out, done } = moved;
        await ctx.notify(to, { text: t('transfer.received', { amount: rupiah(amount), from: ctx.user, saldo: rupiah(done?.saldo ?? 0) }) });
        return [{ text: t('transfer.sent', { id, amount: rupiah(amount), to, saldo: rupiah(out.saldo) }) }];
      },
    },
  ];
}
