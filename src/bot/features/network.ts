/**
 * The reseller network: `DAFTAR` (register a downline), `DOWNLINE`, `KOMISI`, `TUKAR KOMISI`, `JARINGAN` (admins),
 * and a reseller's own `MARKUP` (resellers.ts reads the words; this file says what a reseller's markup is).
 * Privacy: a reseller sees its direct downlines only, and never its uplines' markups or saldo.
 */
import type { UserId } from '../channel.ts';
import type { Command } from '../commands.ts';
import type { CommandContext } from '../context.ts';
import { rupiah, wibDay } from '../format.ts';
import { sharesFrom } from '../store.ts';
import { amountOf } from './amounts.ts';
import { userName } from './users.ts';

export interface NetworkLimits {
  /** The most one upline may add per sale (MAX_MARKUP). */
  maxMarkup: number;
  /** The deepest chain, a reseller of the operator's being depth 1 (MAX_NETWORK_DEPTH). */
  maxDepth: number;
}

/** How far back KOMISI and DOWNLINE read the commission book. */
const BOOK_SCAN = 5_000;
const JARINGAN_MAX_LINES = 200;

/** This month's (or today's) commissions by the downline they came through. */
async function earnedBy(ctx: CommandContext, within: (day: string) => boolean): Promise<Map<UserId, number>> {
  const entries = await ctx.statements.commissionLedger(ctx.user, BOOK_SCAN);
  const by = new Map<UserId, number>();
  for (const e of entries) {
    if (e.reason !== 'komisi' || !within(wibDay(e.at))) continue;
    const via = e.note ?? '-';
    by.set(via, (by.get(via) ?? 0) + e.amount);
  }
  return by;
}

export function networkCommands(limits: NetworkLimits): Command[] {
  return [
    {
      name: 'register-downline',
      words: ['DAFTAR'],
      role: 'reseller',
      async run({ args, rest }, ctx) {
        const { t } = ctx;
        const words = rest.split(/\s+/).filter(Boolean);
        const typed = userName(args[0]);
        if (!typed) return [{ text: t('daftar.usage') }];
        const name = words.slice(1).join(' ').slice(0, 60) || undefined;
        const target = await ctx.accounts.accountOf(typed);
        if (target === ctx.user || typed === ctx.identity) return [{ text: t('daftar.self') }];
        if (target !== typed) return [{ text: t('daftar.linked', { user: typed }) }];
        if (ctx.chain.includes(target)) return [{ text: t('daftar.cycle', { user: typed }) }];
        const rec = await ctx.users.get(target);
        if (rec?.reseller || ctx.admins.has(target)) return [{ text: t('daftar.exists', { user: typed }) }];
        // An admin's registration is the operator's own: a reseller at the top of its own tree.
        const upline = ctx.role === 'admin' ? null : { id: ctx.user, chain: [...ctx.chain] };
        if (upline && upline.chain.length + 2 > limits.maxDepth) return [{ text: t('daftar.tooDeep', { max: limits.maxDepth }) }];
        if ((await ctx.network.register(target, upline, name, ctx.now)) === 'exists') return [{ text: t('daftar.exists', { user: typed }) }];
        await ctx.notify(target, { text: t(upline ? 'daftar.welcome' : 'reseller.welcome', { upline: ctx.user }) });
        // An admin's is no downline of its own, so the markup hint would mislead: it is told as RESELLER TAMBAH tells it.
        return [{ text: t(upline ? 'daftar.done' : 'reseller.added', { user: typed, name: name ?? rec?.name ?? '-' }) }];
      },
    },
    {
      name: 'downlines',
      words: ['DOWNLINE'],
      role: 'reseller',
      readsOnly: true,
      async run(_words, ctx) {
        const { t } = ctx;
        const ids = (await ctx.network.downlines(ctx.user)).sort();
        if (ids.length === 0) return [{ text: t('downline.none') }];
        const today = wibDay(ctx.now);
        const earned = await earnedBy(ctx, (d) => d === today);
        const rows = await Promise.all(ids.map(async (id) => {
          const [rec, saldo, txs] = await Promise.all([ctx.users.get(id), ctx.statements.saldo(id), ctx.statements.txs(id, 200)]);
          const count = txs.filter((tx) => wibDay(tx.createdAt) === today).length;
          return t('downline.line', { user: id, name: rec?.name ?? '-', saldo: rupiah(saldo), count, commission: rupiah(earned.get(id) ?? 0) });
        }));
        return [{ text: [t('downline.title', { n: ids.length }), ...rows].join('\n') }];
      },
    },
    {
      name: 'commission',
      words: ['KOMISI'],
      role: 'reseller',
      readsOnly: true,
      async run({ args }, ctx) {
        const { t } = ctx;
        if (args.length > 0) return [{ text: t('komisi.usage') }];
        const month = wibDay(ctx.now).slice(0, 7);
        const [balance, earned] = await Promise.all([ctx.statements.commission(ctx.user), earnedBy(ctx, (d) => d.startsWith(month))]);
        const rows = [...earned.entries()].sort((a, b) => b[1] - a[1]).map(([via, amount]) => t('komisi.line', { user: via, amount: rupiah(amount) }));
        const total = [...earned.values()].reduce((a, b) => a + b, 0);
        return [{ text: [t('komisi.balance', { balance: rupiah(balance), month: total > 0 ? rupiah(total) : rupiah(0) }), ...rows].join('\n') }];
      },
    },
    {
      name: 'redeem-commission',
      words: ['TUKAR'],
      role: 'reseller',
      async run({ args }, ctx) {
        const { t } = ctx;
        if (args[0] !== 'KOMISI') return [{ text: t('tukar.usage') }];
        const amount = args.length > 1 ? amountOf(args.slice(1)) : undefined;
        if (args.length > 1 && (amount === undefined || amount <= 0)) return [{ text: t('tukar.usage') }];
        const r = await ctx.payments.redeemCommission({ account: ctx.user, now: ctx.now, ...(amount === undefined ? {} : { amount }), ...(ctx.messageId ? { messageId: ctx.messageId } : {}) });
        if (!r.ok) {
          const f = r.refusal;
          if (f.code === 'insufficient') return [{ text: t(f.saldo === 0 ? 'tukar.none' : 'tukar.short', { balance: rupiah(f.saldo), amount: rupiah(f.price) }) }];
          return [{ text: t('error.internal') }];
        }
        return [{ text: t('tukar.done', { amount: rupiah(r.amount), saldo: rupiah(r.saldo), balance: rupiah(r.commission) }) }];
      },
    },
    {
      name: 'network',
      words: ['JARINGAN'],
      role: 'admin',
      readsOnly: true,
      async run({ args }, ctx) {
        const { t } = ctx;
        let roots: UserId[];
        if (args.length > 0) {
          const typed = userName(args[0]);
          if (!typed || args.length > 1) return [{ text: t('jaringan.usage') }];
          roots = [await ctx.accounts.accountOf(typed)];
        } else {
          const all = await ctx.users.resellers();
          const recs = await Promise.all(all.map((id) => ctx.users.get(id)));
          roots = all.filter((_, i) => !recs[i]?.upline).sort();
        }
        if (roots.length === 0) return [{ text: t('jaringan.empty') }];
        const lines: string[] = [];
        const walk = async (id: UserId, depth: number): Promise<void> => {
          if (lines.length >= JARINGAN_MAX_LINES) return;
          const [rec, saldo, downs] = await Promise.all([ctx.users.get(id), ctx.statements.saldo(id), ctx.network.downlines(id)]);
          lines.push(`${'  '.repeat(depth)}${t('jaringan.line', {
            user: id, name: rec?.name ?? '-', upline: rec?.upline ?? t('jaringan.operator'), saldo: rupiah(saldo), n: downs.length,
          })}`);
          for (const d of downs.sort()) await walk(d, depth + 1);
        };
        for (const r of roots) await walk(r, 0);
        if (lines.length >= JARINGAN_MAX_LINES) lines.push(t('jaringan.more'));
        return [{ text: [t('jaringan.title'), ...lines].join('\n') }];
      },
    },
  ];
}

/**
 * What this account's uplines add to a product, as a price is made (Network.shares), for `HARGA`: each upline's
 * markups read once, so a whole price list costs one read per level.
 */
export async function uplineMarkups(ctx: CommandContext): Promise<(code: string) => number> {
  if (ctx.chain.length === 0) return () => 0;
  const tables = await Promise.all(ctx.chain.map((u) => ctx.network.netMarkups(u)));
  return (code) => sharesFrom(tables, ctx.user, ctx.chain, code).reduce((sum, s) => sum + s.markup, 0);
}

/**
 * A reseller's `MARKUP`: `[<user>] <PRODUK|*> <nominal>` over its own price, for all its downlines or one.
 * Returns the reply; `code` is already checked against the catalogue and normalised (`*` or a code).
 */
export async function setResellerMarkup(
  ctx: CommandContext, limits: NetworkLimits, downlineTyped: string | undefined, key: string, amount: number,
): Promise<string> {
  const { t } = ctx;
  if (amount > limits.maxMarkup) return t('markup.overCap', { max: rupiah(limits.maxMarkup) });
  let downline: UserId | undefined;
  if (downlineTyped !== undefined) {
    const typed = userName(downlineTyped);
    if (!typed) return t('markup.resellerUsage');
    downline = await ctx.accounts.accountOf(typed);
    if (!(await ctx.network.downlines(ctx.user)).includes(downline)) return t('markup.notDownline', { user: typed });
  }
  await ctx.network.setNetMarkup(ctx.user, downline ? `${downline}|${key}` : key, amount);
  return t(downline ? 'markup.resellerSetOne' : 'markup.resellerSet', { code: key, amount: rupiah(amount), user: downline ?? '' });
}

/** A reseller's markups, as `MARKUP` without words lists them. */
export async function listResellerMarkups(ctx: CommandContext): Promise<string> {
  const m = await ctx.network.netMarkups(ctx.user);
  const lines = Object.entries(m).sort().map(([key, v]) => {
    const [a, b] = key.includes('|') ? key.split('|') : [undefined, key];
    return a ? ctx.t('markup.resellerLineOne', { user: a, code: b!, amount: rupiah(v) }) : `${b} · ${rupiah(v)}`;
  });
  return lines.length ? [ctx.t('markup.resellerTitle'), ...lines].join('\n') : ctx.t('markup.resellerNone');
}
