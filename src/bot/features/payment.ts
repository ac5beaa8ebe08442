/**
 * Paying a bill: the inquiry (`<PRODUK> <NOMOR>`, and the one-line form with a PIN that pays at once), `YA`
 * to pay the summary shown, `BATAL` to drop it. The money rules are in src/payments/payments.ts.
 */
import type { Reply } from '../channel.ts';
import { command } from '../commands.ts';
import type { CommandContext } from '../context.ts';
import { rupiah, wibTime } from '../format.ts';
import { PIN, type Reading } from '../parse.ts';
import type { CatalogueEntry, Family } from '../provider.ts';
import { checkCustomerNo } from '../../providers/iak-prepaid/catalogue.ts';
import { fallsOver } from '../../providers/fallover.ts';
import { OPERATOR_NAMES } from '../../providers/iak-prepaid/phone.ts';
import { outcome, reasonText, summary } from '../render.ts';
import type { Quote, Transaction } from '../store.ts';

type Inquiry = Extract<Reading, { kind: 'inquiry' }>;

/** Products with a price known before the inquiry: the one-line form pays them at once. */
/** The operator a prepaid top-up's number belongs to, when it is not the product's. */
function wrongOperator(entry: CatalogueEntry, customerNo: string): { product: string; belongsTo?: string } | undefined {
  if (entry.family !== 'pulsa') return undefined;
  const fit = checkCustomerNo(entry, customerNo);
  if (fit.ok || fit.reason !== 'wrong-operator') return undefined;
  const name = (op: string) => (op === 'byu' ? 'by.U' : OPERATOR_NAMES[op as keyof typeof OPERATOR_NAMES]);
  return { product: name(fit.product), ...(fit.belongsTo ? { belongsTo: name(fit.belongsTo) } : {}) };
}

const FIXED_PRICE: ReadonlySet<Family> = new Set(['pln-prepaid', 'ewallet', 'pulsa']);

const text = (s: string): Reply[] => [{ text: s }];

/** A payment's outcome for its payer; a receipt is laid out in columns. */
export function outcomeReply(tx: Transaction, t: CommandContext['t'], saldoNow?: number): Reply {
  const body = outcome(tx, t, saldoNow);
  return tx.status === 'SETTLED' ? { text: body, fixedWidth: true } : { text: body };
}

/**
 * The saldo to show in an outcome told later than its debit. Unreadable, the outcome is still told, with
 * the saldo its own debit or refund left: a receipt (a PLN token) must never wait on this read.
 */
export async function saldoNow(ctx: Pick<CommandContext, 'statements' | 'log'>, user: string): Promise<number | undefined> {
  try {
    return await ctx.statements.saldo(user);
  } catch (err) {
    ctx.log.warn({ user, err: err instanceof Error ? err.message : String(err) }, 'saldo unreadable for an outcome; telling it without');
    return undefined;
  }
}

async function pay(ctx: CommandContext, quoteId?: string, known?: Quote): Promise<Reply[]> {
  const { t } = ctx;
  const r = known ? await ctx.payments.confirm(ctx.user, ctx.messageId, quoteId ?? ctx.ref, known, ctx.identity) : { kind: 'no-quote' as const };
  if (r.kind === 'no-quote') return text(t('confirm.noQuote'));
  if (r.kind === 'insufficient') return text(t('confirm.insufficient', { saldo: rupiah(r.saldo), price: rupiah(r.price) }));
  // The reply's receipt shows the saldo its debit left (read with the debit, no round trip more); a refund's
  // saldo is read as it is told.
  const told = outcomeReply(r.tx, t, r.tx.status === 'FAILED' ? await saldoNow(ctx, ctx.user) : undefined);
  const other = r.tx.status === 'FAILED' ? await elsewhere(ctx, r.tx) : undefined;
  return other ? [told, ...other] : [told];
}

/**
 * A product several billers sell (a PLN token), whose top-up one of them definitely refused, for a reason
 * about that biller rather than the customer (its product down, its deposit): the money is back, and the
 * next biller's summary is offered. Never paid without the user's YA: its price may differ.
 */
async function elsewhere(ctx: CommandContext, tx: Transaction): Promise<Reply[] | undefined> {
  const { asked, provider } = tx.quote;
  const entry = asked ? ctx.catalogue.get(asked) : undefined;
  if (!entry || !fallsOver(provider, { ok: false, kind: 'refused', reason: tx.reason ?? '' })) return undefined;
  const r = await ctx.payments.inquire(ctx.user, entry, tx.quote.bill.customerNo, undefined, { chain: ctx.chain, exclude: [provider] });
  if (!r.ok) return undefined;
  const reply: Reply = {
    text: `${ctx.t('fallover.offer')}\n${summary(r.quote, true, Math.round((r.quote.expiresAt - r.quote.createdAt) / 1000), ctx.t)}`,
    fixedWidth: true, choices: [{ label: ctx.t('button.pay'), text: 'YA' }, { label: ctx.t('button.cancel'), text: 'BATAL' }], ref: r.quote.id,
  };
  return [reply];
}

/** The earlier transaction the duplicate guard found, unless it failed. */
async function earlierTx(ctx: CommandContext, id: string | undefined): Promise<Transaction | undefined> {
  const tx = id ? await ctx.statements.tx(ctx.user, id) : null;
  return tx && tx.status !== 'FAILED' ? tx : undefined;
}

export async function inquiry(intent: Inquiry, ctx: CommandContext, quoteTtlSeconds: number): Promise<Reply[]> {
  const { t } = ctx;
  if (ctx.catalogue.size === 0) return text(t('catalogue.unavailable'));
  // A top-up to another operator's number is refused here, before any call, naming whose number it is.
  const wrong = wrongOperator(intent.entry, intent.customerNo);
  if (wrong) return text(t('pulsa.wrongOperator', { number: intent.customerNo, code: intent.entry.code, product: wrong.product, belongsTo: wrong.belongsTo ?? t('pulsa.noOperator') }));
  const canPay = ctx.role !== 'customer';
  const withPin = intent.pin !== undefined;
  if (intent.entry.minAmount !== undefined && (intent.amount ?? 0) < intent.entry.minAmount) {
    return text(t('inquiry.belowMinimum', { code: intent.entry.code, min: rupiah(intent.entry.minAmount) }));
  }
  if (withPin) {
    if (!canPay) return text(t('confirm.customer'));
    const refused = await ctx.pins.gate(ctx.user, intent.pin, ctx.now, { hasPin: ctx.hasPin });
    if (refused) return text(refused);
  }
  // A deliberate repeat (`2.`) skips the duplicate guard; otherwise the earlier payment is shown and YA is asked.
  const guard = canPay && intent.repeat === undefined;
  const r = await ctx.payments.inquire(ctx.user, intent.entry, intent.customerNo, intent.amount, { pinOk: withPin, sameDay: guard, chain: ctx.chain });
  if (!r.ok) {
    if (r.reason === 'closed') return text(t('inquiry.closed', { code: intent.entry.code }));
    if (r.reason === 'refused') return text(t('inquiry.refused', { reason: reasonText(r.message, t) }));
    return text(t('inquiry.unavailable'));
  }
  const earlier = guard ? await earlierTx(ctx, r.earlierTxId) : undefined;
  if (withPin && !earlier && FIXED_PRICE.has(r.quote.family)) return pay(ctx, r.quote.id, r.quote);
  let body = summary(r.quote, canPay, quoteTtlSeconds, t);
  if (earlier) body = `${t('duplicate.warning', { id: earlier.id, time: wibTime(earlier.createdAt), status: t(`status.${earlier.status}`) })}\n${body}`;
  const reply: Reply = { text: body, fixedWidth: true };
  if (canPay) {
    reply.choices = [{ label: t('button.pay'), text: 'YA' }, { label: t('button.cancel'), text: 'BATAL' }];
    reply.ref = r.quote.id;
  }
  return [reply];
}

export function paymentCommands(opts: { quoteTtlSeconds: number }) {
  return [
    command<'inquiry', Inquiry>({
      name: 'inquiry',
      words: [],
      role: 'customer',
      // Without a PIN an inquiry writes nothing but a new open quote over the old one.
      readsOnly: (i) => i.pin === undefined,
      carriesPin: (i) => i.pin !== undefined,
      run: (intent, ctx) => inquiry(intent, ctx, opts.quoteTtlSeconds),
    }),
    command<'missing-number', Extract<Reading, { kind: 'missing-number' }>>({
      name: 'missing-number',
      words: [],
      role: 'customer',
      readsOnly: true,
      async run({ entry }, { t }) {
        return text(t('inquiry.missingNumber', { code: entry.code, form: t(entry.family === 'ewallet' ? 'form.ewalletCommand' : 'form.number') }));
      },
    }),
    command<'bad-number', Extract<Reading, { kind: 'bad-number' }>>({
      name: 'bad-number',
      words: [],
      role: 'customer',
      readsOnly: true,
      async run({ entry, customerNo, hint }, { t }) {
        return text(t('inquiry.badNumber', { code: entry.code, number: customerNo, form: t(hint) }));
      },
    }),
    command({
      name: 'confirm',
      // YES for a bot run in English (LOCALE=en), whose users may not know the Indonesian words.
      words: ['YA', 'Y', 'OK', 'BAYAR', 'YES'],
      read(args: string[]): { pin?: string } | undefined {
        if (args.length === 0) return {};
        return args.length === 1 && PIN.test(args[0]!) ? { pin: args[0]! } : undefined;
      },
      role: 'reseller',
      refusal: 'confirm.customer',
      carriesPin: (i) => i.pin !== undefined,
      takesPin: true,
      readsOpenQuote: true,
      async run(intent, ctx) {
        const { t } = ctx;
        const open = ctx.openQuote !== undefined ? ctx.openQuote : await ctx.quotes.open(ctx.user);
        // Nothing to pay (none open, or a tap on a summary already paid or replaced): say so before asking a PIN,
        // which a user would then type for whatever summary is open.
        if (!open) return text(t('confirm.noQuote'));
        if (ctx.ref && ctx.ref !== open.id) return text(t('confirm.oldSummary'));
        const refused = await ctx.pins.gate(ctx.user, intent.pin, ctx.now, { checked: open.pinOk === true, hasPin: ctx.hasPin });
        if (refused) return text(refused);
        return pay(ctx, undefined, open);
      },
    }),
    command({
      name: 'cancel',
      words: ['BATAL', 'TIDAK', 'N', 'CANCEL'],
      read: (args: string[]) => (args.length === 0 ? {} : undefined),
      role: 'customer',
      // It drops the open quote, which a new inquiry writes again: nothing to look at first.
      readsOnly: true,
      async run(_, ctx) {
        const { t } = ctx;
        // A Batal tap on an old summary must not cancel the newer one.
        const open = ctx.ref ? await ctx.quotes.open(ctx.user) : undefined;
        if (open !== undefined && open?.id !== ctx.ref) return text(t('cancel.nothing'));
        if (!(await ctx.quotes.drop(ctx.user))) return text(t('cancel.nothing'));
        // A customer has no saldo to be told about.
        return text(t(ctx.role !== 'customer' ? 'cancel.done' : 'cancel.doneCheck'));
      },
    }),
  ];
}
