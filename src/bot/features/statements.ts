/** `MUTASI [n]` (ledger entries) and `REKAP [tanggal]` (the day's transactions by status), times in WIB. */
import type { Command } from '../commands.ts';
import type { CommandContext } from '../context.ts';
import { dayShown, rupiah, signedRupiah, wibDay, wibTime } from '../format.ts';
import type { T } from '../i18n.ts';
import type { LedgerEntry, Transaction, TxStatus } from '../store.ts';

const MUTASI_DEFAULT = 10;
const MUTASI_MAX = 50;
const REKAP_SCAN = 2_000;

/** `2026-11-22`, `22/11/2026`, `22-11-2026`, `22/11` (this year) → `2026-11-22`; undefined otherwise. */
export function dayTyped(s: string, now: number): string | undefined {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) return iso(m[1]!, m[2]!, m[3]!);
  // Dots too: REKAP 23.11.2026 (the command's words may be split at dots, so the rest of the text is read).
  m = /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?$/.exec(s);
  if (m) return iso(m[3] ?? wibDay(now).slice(0, 4), m[2]!, m[1]!);
  return undefined;
}

function iso(y: string, mo: string, d: string): string | undefined {
  const day = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const t = Date.parse(`${day}T12:00:00+07:00`);
  return Number.isNaN(t) || wibDay(t) !== day ? undefined : day;
}

async function dayTransactions(ctx: CommandContext, day: string): Promise<Transaction[]> {
  const users = ctx.role === 'admin' ? await ctx.users.all() : [ctx.user];
  const lists = await Promise.all(users.map((u) => ctx.statements.txs(u, REKAP_SCAN)));
  return lists.flat().filter((tx) => wibDay(tx.createdAt) === day);
}

/** Who or what is on the other side of an entry: the other reseller of a transfer, the ticket of a deposit. */
function counterpart(e: LedgerEntry, t: T): string {
  if (!e.note) return '';
  if (e.reason === 'transfer-out') return ` ${t('mutasi.to', { user: e.note })}`;
  if (e.reason === 'transfer-in') return ` ${t('mutasi.from', { user: e.note })}`;
  const ticket = /^ticket (\S+)/.exec(e.note)?.[1];
  return ticket ? ` ${t('mutasi.ticket', { id: ticket })}` : '';
}

export function statementCommands(): Command[] {
  return [
    {
      name: 'mutasi',
      words: ['MUTASI'],
      role: 'reseller',
      readsOnly: true,
      async run({ args }, ctx) {
        const { t } = ctx;
        const n = args[0] === undefined ? MUTASI_DEFAULT : Number(args[0]);
        if (!Number.isInteger(n) || n < 1 || n > MUTASI_MAX || args.length > 1) return [{ text: t('mutasi.usage', { max: MUTASI_MAX }) }];
        const entries = await ctx.statements.ledger(ctx.user, n);
        if (entries.length === 0) return [{ text: t('mutasi.empty') }];
        const lines = entries.map((e) =>
          t('mutasi.line', {
            time: wibTime(e.at),
            amount: signedRupiah(e.amount),
            reason: t(`ledger.${e.reason}`),
            ref: `${e.txId ? ` ${e.txId}` : ''}${counterpart(e, t)}`,
            saldo: rupiah(e.saldoAfter),
          }),
        );
        return [{ text: [t('mutasi.title', { n: entries.length }), ...lines].join('\n') }];
      },
    },
    {
      name: 'rekap',
      words: ['REKAP'],
      role: 'reseller',
      readsOnly: true,
      async run({ args, rest }, ctx) {
        const { t } = ctx;
        const today = wibDay(ctx.now);
        const day = args.length === 0 ? today : dayTyped(rest.trim(), ctx.now);
        // ISO days compare as text; a day still to come has nothing to sum.
        if (!day || day > today) return [{ text: t('rekap.usage') }];
        const txs = await dayTransactions(ctx, day);
        const by = new Map<TxStatus, { n: number; sum: number }>();
        let markup = 0;
        let margin = 0;
        for (const tx of txs) {
          const s = by.get(tx.status) ?? { n: 0, sum: 0 };
          s.n++;
          s.sum += tx.quote.price;
          by.set(tx.status, s);
          if (tx.status === 'SETTLED') {
            markup += tx.quote.markup;
            margin += tx.quote.bill.total - tx.quote.price;
          }
        }
        const lines = [...by].map(([status, s]) => t('rekap.line', { status: t(`status.${status}`), n: s.n, sum: rupiah(s.sum) }));
        const title = t(ctx.role === 'admin' ? 'rekap.titleAll' : 'rekap.title', { day: dayShown(day), n: txs.length });
        const tail = ctx.role === 'admin'
          ? t('rekap.operatorMargin', { amount: rupiah(markup) })
          : t('rekap.resellerMargin', { markup: rupiah(markup), margin: rupiah(margin) });
        return [{ text: [title, ...(lines.length ? lines : [t('rekap.none')]), tail].join('\n') }];
      },
    },
  ];
}
