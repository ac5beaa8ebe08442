/** How a user name is written in commands: `telegram:<digits>`, `whatsapp:<digits>`, `console:local`. */
import type { UserId } from '../channel.ts';
import type { CommandContext } from '../commands.ts';

const USER = /^(telegram:\d{1,20}|whatsapp:\d{6,20}|console:local)$/;

/** The user name as typed (any case), or undefined when it is not one. */
export function userName(typed: string | undefined): UserId | undefined {
  if (!typed) return undefined;
  const u = typed.trim().toLowerCase();
  return USER.test(u) ? u : undefined;
}

/** A rupiah amount as resellers type it: `500000`, `500.000`, `500rb`, `1jt`. */
export function amountTyped(typed: string | undefined): number | undefined {
  if (!typed) return undefined;
  const s = typed.trim().toUpperCase().replace(/^RP/, '');
  const m = /^(\d{1,3}(?:\.\d{3})+|\d+)(RB|K|JT)?$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]!.replaceAll('.', ''));
  const factor = m[2] === 'JT' ? 1_000_000 : m[2] ? 1000 : 1;
  const v = n * factor;
  return Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

/**
 * The words after a command, for commands whose amounts may carry thousands dots (`500.000`): split at
 * spaces when that gives enough words, else at the usual separators (`DEPOSIT.telegram:1.500000`).
 */
export function argsOf(args: readonly string[], rest: string, want: number): string[] {
  const bySpace = rest.split(/\s+/).filter(Boolean);
  return bySpace.length >= want ? bySpace : [...args];
}

/** Who can hold saldo another user moves to them: a reseller, or an admin (who pays like one). */
export async function holdsSaldo(ctx: Pick<CommandContext, 'store' | 'admins'>, user: UserId): Promise<boolean> {
  return ctx.admins.has(user) || (await ctx.store.getUser(user))?.reseller === true;
}
