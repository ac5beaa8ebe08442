/** `TRANSFER <user> <nominal> [PIN]` between resellers; the money rules are in src/payments/transfers.ts. */
import { PIN_FORM } from '../../payments/pin.ts';
import type { Command } from '../commands.ts';
import type { UserId } from '../channel.ts';
import type { Statements } from '../context.ts';
import type { T } from '../i18n.ts';
import { rupiah, wibTime } from '../format.ts';
import { holdsSaldo, userAndAmount } from './users.ts';

/** `STATUS TRF-…` for either side of a transfer; undefined when this user is on neither. */
export async function transferStatus(statements: Statements, t: T, user: UserId, id: string): Promise<string | undefined> {
  const from = await statements.owner(id);
  const tr = from ? await statements.transfer(from, id) : null;
  if (!from || !tr || (user !== from && user !== tr.to)) return undefined;
  return t(tr.state === 'done' ? 'status.transferDone' : 'status.transferDebited', { id, from, to: tr.to, amount: rupiah(tr.amount), time: wibTime(tr.at) });
}

export function transferCommands(): Command[] {
  return [
    {
      name: 'transfer',
      words: ['TRANSFER'],
      role: 'reseller',
      carriesPin({ args }) {
        const read = userAndAmount(args, true);
        // Not read, it may still hold the PIN somewhere (`TRANSFER telegram:2 10000 1234 x`): any PIN-like word
        // but the one where the amount starts.
        return read ? read.pin !== undefined : args.some((a, i) => i !== 1 && PIN_FORM.test(a));
      },
      async run({ args }, ctx) {
        const { pins, t } = ctx;
        const read = userAndAmount(args, true);
        if (!read || read.amount <= 0) return [{ text: t('transfer.usage') }];
        const { amount, pin } = read;
        // To the account the named identity acts for: saldo is the account's, whichever identity is named.
        const to = await ctx.accounts.accountOf(read.user);
        if (to === ctx.user) return [{ text: t('transfer.self') }];
        // Saldo leaving for someone else is a payment: once a PIN is set it is asked for, and a wrong one counts
        // towards the same lock as YA's. Without one typed, say the form with it (the words as they were read).
        if (pin === undefined) {
          const { hash, lockedUntil } = await pins.state(ctx.user);
          if (lockedUntil > ctx.now) return [{ text: t('pin.locked', { until: wibTime(lockedUntil) }) }];
          if (hash) return [{ text: t('transfer.pinRequired', { to, amount: String(amount) }) }];
        } else {
          const refused = await pins.gate(ctx.user, pin, ctx.now);
          if (refused) return [{ text: refused }];
        }
        if (!(await holdsSaldo(ctx, to))) return [{ text: t('reseller.notOne', { user: to }) }];
        const moved = await ctx.payments.transfer({ from: ctx.user, to, amount, now: ctx.now, ...(ctx.messageId ? { messageId: ctx.messageId } : {}) });
        if (!moved.ok) {
          const { refusal } = moved;
          return [{ text: refusal.code === 'insufficient' ? t('transfer.short', { saldo: rupiah(refusal.saldo), amount: rupiah(amount) }) : t('error.internal') }];
        }
        const { id } = moved;
        await ctx.notify(to, { text: t('transfer.received', { amount: rupiah(amount), from: ctx.user, saldo: rupiah(moved.received) }) });
        return [{ text: t('transfer.sent', { id, amount: rupiah(amount), to, saldo: rupiah(moved.saldo) }) }];
      },
    },
  ];
}
