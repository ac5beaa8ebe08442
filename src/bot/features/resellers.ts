/** Admin: `RESELLER TAMBAH|HAPUS <user> [nama]`, `RESELLER`, `DEPOSIT <user> <nominal>`, `MARKUP <PRODUK|*> <nominal>`. */
import { type Catalogue, normaliseCode } from '../catalogue.ts';
import type { Command } from '../commands.ts';
import type { CommandContext } from '../context.ts';
import { rupiah } from '../format.ts';
import { amountOf } from './amounts.ts';
import { listResellerMarkups, type NetworkLimits, setResellerMarkup } from './network.ts';
import { holdsSaldo, userAndAmount, userName } from './users.ts';

const MAX_DEPOSIT = 1_000_000_000;
const MAX_MARKUP = 10_000_000;

async function list(ctx: CommandContext): Promise<string> {
  const { users, statements, t } = ctx;
  const ids = (await users.resellers()).sort();
  if (ids.length === 0) return t('reseller.listEmpty');
  const rows = await Promise.all(
    ids.map(async (id) => {
      const [u, saldo] = await Promise.all([users.get(id), statements.saldo(id)]);
      return t('reseller.listLine', { user: id, name: u?.name ?? '-', saldo: rupiah(saldo) });
    }),
  );
  return [t('reseller.listTitle', { n: ids.length }), ...rows].join('\n');
}

/** Defaults as the contract's (MAX_MARKUP, MAX_NETWORK_DEPTH), for a bot built without config. */
export const DEFAULT_LIMITS: NetworkLimits = { maxMarkup: 5000, maxDepth: 5 };

export function resellerCommands(limits: NetworkLimits = DEFAULT_LIMITS): Command[] {
  return [
    {
      name: 'reseller',
      words: ['RESELLER'],
      role: 'admin',
      async run({ args, rest }, ctx) {
        const { users, t } = ctx;
        if (args.length === 0) return [{ text: await list(ctx) }];
        const action = args[0];
        const words = rest.split(/\s+/).filter(Boolean);
        const typed = userName(words[1]);
        if ((action !== 'TAMBAH' && action !== 'HAPUS') || !typed) return [{ text: t('reseller.usage') }];
        // The role, saldo and network are the account's, whichever of its identities is named.
        const user = await ctx.accounts.accountOf(typed);
        if (action === 'TAMBAH') {
          const name = words.slice(2).join(' ').slice(0, 60) || undefined;
          await users.setReseller(user, true, name, ctx.now);
          await ctx.notify(user, { text: t('reseller.welcome') });
          // Without a name the one it had stays: say that one.
          const kept = name ?? (await users.get(user))?.name;
          return [{ text: t('reseller.added', { user, name: kept ?? '-' }) }];
        }
        const rec = await users.get(user);
        if (!rec?.reseller) return [{ text: t('reseller.notOne', { user }) }];
        // Their ledger, history and saldo stay: the saldo is theirs until an admin moves it. Their downlines
        // move up to their upline (or the operator) first: cut between the two, HAPUS sent again finishes both.
        const moved = await ctx.network.detach(user);
        await users.setReseller(user, false, undefined, ctx.now);
        const removed = t('reseller.removed', { user, saldo: rupiah(await ctx.statements.saldo(user)) });
        return [{ text: moved > 0 ? `${removed}\n${t('reseller.downlinesMoved', { n: moved })}` : removed }];
      },
    },
    {
      name: 'deposit',
      words: ['DEPOSIT'],
      role: 'admin',
      async run({ args }, ctx) {
        const { t } = ctx;
        // The whole of the words or nothing: `DEPOSIT telegram:2 10 000` is ten thousand, never ten.
        const read = userAndAmount(args, false);
        if (!read || read.amount <= 0 || read.amount > MAX_DEPOSIT) return [{ text: t('deposit.usage', { max: rupiah(MAX_DEPOSIT) }) }];
        const { amount } = read;
        const user = await ctx.accounts.accountOf(read.user);
        if (!(await holdsSaldo(ctx, user))) return [{ text: t('reseller.notOne', { user: read.user }) }];
        const r = await ctx.payments.deposit({
          to: user, amount, by: ctx.user, now: ctx.now, ...(ctx.messageId ? { messageId: ctx.messageId } : {}),
        });
        if (!r.ok) return [{ text: t('error.internal') }];
        const { saldo } = r;
        await ctx.notify(user, { text: t('deposit.credited', { amount: rupiah(amount), saldo: rupiah(saldo) }) });
        return [{ text: t('deposit.done', { user, amount: rupiah(amount), saldo: rupiah(saldo) }) }];
      },
    },
    {
      name: 'markup',
      words: ['MARKUP'],
      role: 'reseller',
      async run({ args }, ctx) {
        const { markups, t } = ctx;
        // A reseller's MARKUP is what it adds for its downlines; an admin's stays the operator's margin.
        if (ctx.role !== 'admin') return [{ text: await resellerMarkup(args, ctx, limits) }];
        if (args.length === 0) {
          const m = await markups.all();
          const lines = Object.entries(m).sort().map(([code, v]) => `${code} · ${rupiah(v)}`);
          return [{ text: lines.length ? [t('markup.title'), ...lines].join('\n') : t('markup.none') }];
        }
        const split = markupWords(args, ctx.catalogue);
        if (!split) return [{ text: t('markup.usage') }];
        const { code, amount } = split;
        if (code !== '*' && !ctx.catalogue.get(code)) return [{ text: t('markup.unknownProduct', { code }) }];
        const key = code === '*' ? '*' : normaliseCode(ctx.catalogue.get(code)!.code);
        await markups.set(key, amount);
        return [{ text: t(code === '*' ? 'markup.setAll' : 'markup.set', { code: key, amount: rupiah(amount) }) }];
      },
    },
  ];
}

/** `MARKUP [<user>] <PRODUK|*> <nominal>` by a reseller; a leading `-` is a negative markup, refused as such. */
async function resellerMarkup(args: readonly string[], ctx: CommandContext, limits: NetworkLimits): Promise<string> {
  if (args.length === 0) return listResellerMarkups(ctx);
  if (args.some((a) => a.startsWith('-'))) return ctx.t('markup.negative');
  const downline = userName(args[0]) ? args[0] : undefined;
  const split = markupWords(downline ? args.slice(1) : args, ctx.catalogue);
  if (!split) return ctx.t('markup.resellerUsage');
  const { code, amount } = split;
  if (code !== '*' && !ctx.catalogue.get(code)) return ctx.t('markup.unknownProduct', { code });
  const key = code === '*' ? '*' : normaliseCode(ctx.catalogue.get(code)!.code);
  return setResellerMarkup(ctx, limits, downline, key, amount);
}

/**
 * `<PRODUK or *> <nominal>`: the code may have several words (PDAM KOT MEDAN) and the amount too (`1.000`,
 * `1 000`), so every place the code could end is tried; the one split where the code is known and the rest is
 * one amount is taken. No code known at all: the first one followed by an amount, to be named as unknown. Two known
 * (a code that ends in digits, `X 1 500`): neither, rather than a guess.
 */
function markupWords(args: readonly string[], catalogue: Catalogue): { code: string; amount: number } | undefined {
  const splits: Array<{ code: string; amount: number }> = [];
  for (let n = 1; n < args.length; n++) {
    const amount = amountOf(args.slice(n));
    if (amount !== undefined && amount <= MAX_MARKUP) splits.push({ code: args.slice(0, n).join(' '), amount });
  }
  const isCode = (code: string) => code === '*' || catalogue.get(code) !== undefined;
  const known = splits.filter((s) => isCode(s.code));
  if (known.length > 0) return known.length === 1 ? known[0] : undefined;
  // A known code whose rest is no amount (`PLN 2500 7`) is a bad amount, not an unknown product.
  if (args.some((_, n) => n > 0 && isCode(args.slice(0, n).join(' ')))) return undefined;
  return splits[0];
}
