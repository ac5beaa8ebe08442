/**
 * `MUTASI [n]` (saldo ledger entries), `MUTASI KOMISI [n]` (the commission book: what downlines' sales earned,
 * and what was moved to saldo) and `REKAP [tanggal]` (the day's transactions by status, and the day's
 * commissions), times in WIB. Plain MUTASI lists the saldo only, as ever, with the commission balance below it
 * when there is one: a reseller sees both balances without the two books mixed in one list.
 */
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

/** The words after MUTASI: which book, and how many entries; undefined when they are neither. */
function mutasiWords(args: string[]): { book: 'saldo' | 'komisi'; n: number } | undefined {
  const book = args[0] === 'KOMISI' ? 'komisi' : 'saldo';
  const rest = book === 'komisi' ? args.slice(1) : args;
  const n = rest[0] === undefined ? MUTASI_DEFAULT : Number(rest[0]);
  if (!Number.isInteger(n) || n < 1 || n > MUTASI_MAX || rest.length > 1) return undefined;
  return { book, n };
}

/** `MUTASI KOMISI [n]`: the commission book, newest first; a commission names the sale and the downline it came through. */
async function commissionStatement(ctx: CommandContext, n: number): Promise<string> {
  const { t } = ctx;
  const entries = await ctx.statements.commissionLedger(ctx.user, n);
  if (entries.length === 0) return t('mutasiKomisi.empty');
  const lines = entries.map((e) =>
    t('mutasiKomisi.line', {
      time: wibTime(e.at),
      amount: signedRupiah(e.amount),
      reason: t(`ledger.${e.reason}`),
      ref: `${e.txId ? ` ${e.txId}` : ''}${e.reason === 'komisi' && e.note ? ` ${t('mutasiKomisi.via', { user: e.note })}` : ''}`,
      balance: rupiah(e.saldoAfter),
    }),
  );
  return [t('mutasiKomisi.title', { n: entries.length }), ...lines].join('\n');
}

async function dayTransactions(ctx: CommandContext, day: string): Promise<Transaction[]> {
  const users = ctx.role === 'admin' ? await ctx.users.all() : [ctx.user];
  const lists = await Promise.all(users.map((u) => ctx.statements.txs(u, REKAP_SCAN)));
  return lists.flat().filter((tx) => wibDay(tx.createdAt) === day);
}

/** Σ of the commissions a book credited on a WIB day. */
function earnedOn(book: readonly LedgerEntry[], day: string): number {
  let sum = 0;
  for (const e of book) if (e.reason === 'komisi' && wibDay(e.at) === day) sum += e.amount;
  return sum;
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
        const asked = mutasiWords(args);
        if (!asked) return [{ text: t(args[0] === 'KOMISI' ? 'mutasiKomisi.usage' : 'mutasi.usage', { max: MUTASI_MAX }) }];
        if (asked.book === 'komisi') return [{ text: await commissionStatement(ctx, asked.n) }];
        const [entries, commission] = await Promise.all([ctx.statements.ledger(ctx.user, asked.n), ctx.statements.commission(ctx.user)]);
        const footer = commission === 0 ? [] : [t('mutasi.komisiFooter', { balance: rupiah(commission) })];
        if (entries.length === 0) return [{ text: [t('mutasi.empty'), ...footer].join('\n') }];
        const lines = entries.map((e) =>
          t('mutasi.line', {
            time: wibTime(e.at),
            amount: signedRupiah(e.amount),
            reason: t(`ledger.${e.reason}`),
            ref: `${e.txId ? ` ${e.txId}` : ''}${counterpart(e, t)}`,
            saldo: rupiah(e.saldoAfter),
          }),
        );
        return [{ text: [t('mutasi.title', { n: entries.length }), ...lines, ...footer].join('\n') }];
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
        const admin = ctx.role === 'admin';
        const [txs, book] = await Promise.all([
          dayTransactions(ctx, day),
          admin ? undefined : ctx.statements.commissionLedger(ctx.user, REKAP_SCAN),
        ]);
        const by = new Map<TxStatus, { n: number; sum: number }>();
        let markup = 0;
        let margin = 0;
        /** What that day's settled sales owe the uplines of their sellers (each one's markup, fixed on the quote). */
        let uplines = 0;
        let networked = false;
        for (const tx of txs) {
          const s = by.get(tx.status) ?? { n: 0, sum: 0 };
          s.n++;
          s.sum += tx.quote.price;
          by.set(tx.status, s);
          if (tx.quote.network?.length) networked = true;
          if (tx.status === 'SETTLED') {
            markup += tx.quote.markup;
            margin += tx.quote.bill.total - tx.quote.price;
            for (const share of tx.quote.network ?? []) uplines += share.markup;
          }
        }
        const lines = [...by].map(([status, s]) => t('rekap.line', { status: t(`status.${status}`), n: s.n, sum: rupiah(s.sum) }));
        const title = t(admin ? 'rekap.titleAll' : 'rekap.title', { day: dayShown(day), n: txs.length });
        const tail = [admin
          ? t('rekap.operatorMargin', { amount: rupiah(markup) })
          : t('rekap.resellerMargin', { markup: rupiah(markup), margin: rupiah(margin) })];
        // The operator sees what the network's uplines earn on the day's sales; an upline, what it earned that day
        // (credited that day); a downline never sees its uplines' part of its price.
        if (admin && networked) tail.push(t('rekap.komisiPaid', { amount: rupiah(uplines) }));
        if (book?.length) tail.push(t('rekap.komisiEarned', { amount: rupiah(earnedOn(book, day)) }));
        return [{ text: [title, ...(lines.length ? lines : [t('rekap.none')]), ...tail].join('\n') }];
      },
    },
  ];
}
