/** Admin: `RESELLER TAMBAH|HAPUS <user> [nama]`, `RESELLER`, `DEPOSIT <user> <nominal>`, `MARKUP <PRODUK|*> <nominal>`. */
import { normaliseCode } from '../catalogue.ts';
import type { Command, CommandContext } from '../commands.ts';
import { rupiah } from '../format.ts';
import { againIfLost } from '../store.ts';
import { amountTyped, argsOf, holdsSaldo, userName } from './users.ts';

const MAX_DEPOSIT = 1_000_000_000;

async function list(ctx: CommandContext): Promise<string> {
  const { store, t } = ctx;
  const ids = (await store.resellers()).sort();
  if (ids.length === 0) return t('reseller.listEmpty');
  const rows = await Promise.all(
    ids.map(async (id) => {
      const [u, saldo] = await Promise.all([store.getUser(id), store.getSaldo(id)]);
      return t('reseller.listLine', { user: id, name: u?.name ?? '-', saldo: rupiah(saldo) });
    }),
  );
  return [t('reseller.listTitle', { n: ids.length }), ...rows].join('\n');
}

export function resellerCommands(): Command[] {
  return [
    {
      words: ['RESELLER'],
      role: 'admin',
      async run(args, rest, ctx) {
        const { store, t } = ctx;
        if (args.length === 0) return [{ text: await list(ctx) }];
        const action = args[0];
        const words = rest.split(/\s+/).filter(Boolean);
        const user = userName(words[1]);
        if ((action !== 'TAMBAH' && action !== 'HAPUS') || !user) return [{ text: t('reseller.usage') }];
        if (action === 'TAMBAH') {
          const name = words.slice(2).join(' ').slice(0, 60) || undefined;
          await store.setReseller(user, true, name, ctx.now);
          await ctx.notify(user, { text: t('reseller.welcome') });
          // Without a name the one it had stays: say that one.
          const kept = name ?? (await store.getUser(user))?.name;
          return [{ text: t('reseller.added', { user, name: kept ?? '-' }) }];
        }
        const rec = await store.getUser(user);
        if (!rec?.reseller) return [{ text: t('reseller.notOne', { user }) }];
        // Their ledger, history and saldo stay: the saldo is theirs until an admin moves it.
        await store.setReseller(user, false, undefined, ctx.now);
        return [{ text: t('reseller.removed', { user, saldo: rupiah(await store.getSaldo(user)) }) }];
      },
    },
    {
      words: ['DEPOSIT'],
      role: 'admin',
      async run(args, rest, ctx) {
        const { store, t } = ctx;
        const [who, how] = argsOf(args, rest, 2);
        const user = userName(who);
        const amount = amountTyped(how);
        if (!user || !amount || amount > MAX_DEPOSIT) return [{ text: t('deposit.usage', { max: rupiah(MAX_DEPOSIT) }) }];
        if (!(await holdsSaldo(ctx, user))) return [{ text: t('reseller.notOne', { user }) }];
        const deposit = () => store.adjustSaldo(user, amount, 'deposit', ctx.now, `by ${ctx.user}`, ctx.messageId);
        // Keyed by the message id, a credit whose answer was lost is sent again and credited once. Without an
        // id there is no telling, and the admin is told to look before repeating it.
        const saldo = ctx.messageId ? await againIfLost(deposit) : await deposit();
        if (saldo === null) return [{ text: t('error.internal') }];
        await ctx.notify(user, { text: t('deposit.credited', { amount: rupiah(amount), saldo: rupiah(saldo) }) });
        return [{ text: t('deposit.done', { user, amount: rupiah(amount), saldo: rupiah(saldo) }) }];
      },
    },
    {
      words: ['MARKUP'],
      role: 'admin',
      async run(args, rest, ctx) {
        const { store, t } = ctx;
        if (args.length === 0) {
          const m = await store.markups();
          const lines = Object.entries(m).sort().map(([code, v]) => `${code} · ${rupiah(v)}`);
          return [{ text: lines.length ? [t('markup.title'), ...lines].join('\n') : t('markup.none') }];
        }
        // The amount is the last word; the product code before it may have spaces (PDAM KOT MEDAN).
        const words = rest.split(/\s+/).filter(Boolean);
        const amount = words.length >= 2 ? amountTypedOrZero(words.at(-1)) : undefined;
        const code = words.slice(0, -1).join(' ');
        if (amount === undefined || !code) return [{ text: t('markup.usage') }];
        if (code !== '*' && !ctx.catalogue.get(code)) return [{ text: t('markup.unknownProduct', { code }) }];
        const key = code === '*' ? '*' : normaliseCode(ctx.catalogue.get(code)!.code);
        await store.setMarkup(key, amount);
        return [{ text: t(code === '*' ? 'markup.setAll' : 'markup.set', { code: key, amount: rupiah(amount) }) }];
      },
    },
  ];
}

function amountTypedOrZero(s: string | undefined): number | undefined {
  if (s === '0') return 0;
  const v = amountTyped(s);
  return v !== undefined && v <= 10_000_000 ? v : undefined;
}
