/** How a user name is written in commands (`telegram:<digits>`, `whatsapp:<digits>`, `console:local`), and money commands' words. */
import { PIN_FORM } from '../../payments/pin.ts';
import type { UserId } from '../channel.ts';
import type { CommandContext } from '../context.ts';
import { amountOf } from './amounts.ts';

export { amountTyped, argsOf } from './amounts.ts';

/** Console identities besides `console:local` are the sandbox's demo users (`console:budi`). */
const USER = /^(telegram:\d{1,20}|whatsapp:\d{6,20}|console:[a-z0-9_-]{1,20})$/;

/** The user name as typed (any case), or undefined when it is not one. */
export function userName(typed: string | undefined): UserId | undefined {
  if (!typed) return undefined;
  const u = typed.trim().toLowerCase();
  return USER.test(u) ? u : undefined;
}

export interface UserAmount {
  user: UserId;
  amount: number;
  pin?: string;
}

/**
 * `<user> <nominal>` (and with `withPin`, an optional `<PIN>` after it) read from a command's words, the whole
 * of them or nothing. A last word of 4–6 digits can never be part of an amount of several words (their groups
 * are of three digits), so it is the PIN exactly when the words before it are an amount; a single amount word
 * (`10000`) is never taken as a PIN. Zero is read as 0: the command refuses it.
 */
export function userAndAmount(args: readonly string[], withPin: boolean): UserAmount | undefined {
  const [who, ...rest] = args;
  const user = userName(who);
  if (!user || rest.length === 0) return undefined;
  const whole = amountOf(rest);
  if (whole !== undefined) return { user, amount: whole };
  const pin = rest.at(-1)!;
  if (!withPin || rest.length < 2 || !PIN_FORM.test(pin)) return undefined;
  const amount = amountOf(rest.slice(0, -1));
  return amount === undefined ? undefined : { user, amount, pin };
}

/** Who can hold saldo another user moves to them: a reseller, or an admin (who pays like one). */
export async function holdsSaldo(ctx: Pick<CommandContext, 'users' | 'admins'>, user: UserId): Promise<boolean> {
  return ctx.admins.has(user) || (await ctx.users.get(user))?.reseller === true;
}
