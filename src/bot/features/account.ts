/**
 * What a user reads about themselves and the catalogue: `SALDO`, `HARGA [grup|produk]`, `STATUS <ID>`,
 * `RIWAYAT`, `BANTUAN`; and the answers to a message that is nothing (empty) or not understood.
 */
import { isTransferId } from '../../payments/transfers.ts';
import type { Reply } from '../channel.ts';
import { command } from '../commands.ts';
import { rupiah } from '../format.ts';
import type { Reading } from '../parse.ts';
import { uplineMarkups } from './network.ts';
import { priceList } from '../prices.ts';
import { reasonText, statusLine } from '../render.ts';
import { outcomeReply } from './payment.ts';
import { transferStatus } from './transfer.ts';

const text = (s: string): Reply[] => [{ text: s }];
const alone = (args: string[]) => (args.length === 0 ? {} : undefined);

export function accountCommands() {
  return [
    command({
      name: 'saldo',
      words: ['SALDO'],
      read: alone,
      role: 'reseller',
      readsOnly: true,
      async run(_, { t, statements, user }) {
        return text(t('saldo', { saldo: rupiah(await statements.saldo(user)) }));
      },
    }),
    command({
      name: 'prices',
      words: ['HARGA'],
      read: (args: string[]): { filter?: string } => (args.length === 0 ? {} : { filter: args.join(' ') }),
      role: 'customer',
      readsOnly: true,
      async run({ filter }, ctx) {
        const canPay = ctx.role !== 'customer';
        if (!canPay) return text(priceList(ctx.catalogue, filter, ctx.t, {}, 'customer'));
        // As this user would pay: a downline's prices carry every upline's markup, as its summaries do.
        const [markups, uplines] = await Promise.all([ctx.markups.all(), uplineMarkups(ctx)]);
        return text(priceList(ctx.catalogue, filter, ctx.t, markups, 'payer', uplines));
      },
    }),
    command({
      name: 'status',
      words: ['STATUS'],
      read: (args: string[]): { txId?: string } => (args.length === 1 ? { txId: args[0]! } : {}),
      role: 'reseller',
      readsOnly: true,
      async run({ txId }, ctx) {
        const { t, statements } = ctx;
        if (!txId) return text(t('status.usage'));
        if (isTransferId(txId)) return text((await transferStatus(statements, t, ctx.user, txId)) ?? t('status.notFound', { id: txId }));
        const tx = await statements.tx(ctx.user, txId);
        if (!tx) return text(t('status.notFound', { id: txId }));
        if (tx.status === 'SETTLED') return [outcomeReply(tx, t)];
        // A failure's reason is the payer's to read; an open one's is the adapter's note (timed out, HTTP 502).
        const more = tx.status === 'FAILED' ? reasonText(tx.reason, t) : t('status.openNote');
        return text(`${statusLine(tx, t)}\n${more}`);
      },
    }),
    command({
      name: 'history',
      words: ['RIWAYAT'],
      read: alone,
      role: 'reseller',
      readsOnly: true,
      async run(_, { t, statements, user }) {
        const list = await statements.txs(user, 10);
        if (list.length === 0) return text(t('history.empty'));
        return text([t('history.title', { n: list.length }), ...list.map((tx) => statusLine(tx, t))].join('\n'));
      },
    }),
    command({
      name: 'help',
      words: ['BANTUAN', 'MENU', 'HELP', 'START'],
      read: alone,
      role: 'customer',
      readsOnly: true,
      async run(_, { t, role }) {
        return text(t(`help.${role}`));
      },
    }),
    command<'empty', Extract<Reading, { kind: 'empty' }>>({
      name: 'empty',
      words: [],
      role: 'customer',
      readsOnly: true,
      async run() {
        return [];
      },
    }),
    command<'unknown', Extract<Reading, { kind: 'unknown' }>>({
      name: 'unknown',
      words: [],
      role: 'customer',
      readsOnly: true,
      async run({ suggestion }, { t, catalogue }) {
        if (catalogue.size === 0) return text(t('catalogue.unavailable'));
        return text(suggestion ? t('unknown.suggest', { suggestion }) : t('unknown'));
      },
    }),
  ];
}
