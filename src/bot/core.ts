/**
 * The conversation core: a message in, replies out, for every channel alike. It never imports a channel
 * library; adapters never touch the store or a provider.
 */
import type { Payments, PaymentEvent } from '../payments/payments.ts';
import type { Log } from '../log.ts';
import type { Catalogue } from './catalogue.ts';
import { channelOf, type IncomingMessage, type Notifier, type Reply, type UserId } from './channel.ts';
import { rupiah } from './format.ts';
import { translator, type Locale, type T } from './i18n.ts';
import { parse, type Intent } from './parse.ts';
import { priceList } from './prices.ts';
import { adminAlert, outcome, reasonText, statusLine, summary } from './render.ts';
import { pendingList, settleByHand, transactionInFull } from './admin.ts';
import { type Store, StoreOutcomeUnknown } from './store.ts';
import { TTL } from '../sessions/keys.ts';
import type { Metrics } from '../metrics.ts';
import { ROLE_RANK, type Command, type Role } from './commands.ts';
import { pinGate, type PinDeps } from './features/pin.ts';
import { transferStatus } from './features/transfer.ts';
import { isTransferId } from '../payments/transfers.ts';
import type { Family } from './provider.ts';
import type { Quote, Transaction } from './store.ts';
import { wibTime } from './format.ts';

/**
 * A PIN was typed, or may have been: `YA <PIN>`, the one-line form, the PIN command itself, a command that
 * says its words carry one, and any message that starts with a word that takes a PIN and holds a digit, read
 * or not (`YA 42 42 42`, `pin:424242`): deleting a harmless message costs nothing, leaving a PIN in a chat does.
 */
function carriesPin(intent: Intent, typed: string, commands: ReadonlyMap<string, Command>): boolean {
  if ('pin' in intent && intent.pin !== undefined) return true;
  if (intent.kind === 'command' && (intent.word === 'PIN' || commands.get(intent.word)?.carriesPin?.(intent.args) === true)) return true;
  return PIN_WORD_THEN_DIGIT.test(typed);
}
const PIN_WORD_THEN_DIGIT = /^\s*\/?(?:YA|Y|OK|BAYAR|YES|PIN)(?![A-Z0-9]).*\d/is;

/** Products with a price known before the inquiry: the one-line form pays them at once. */
const FIXED_PRICE: ReadonlySet<Family> = new Set(['pln-prepaid', 'ewallet']);

export const MAX_TEXT = 1000;

export interface BotDeps {
  store: Store;
  payments: Payments;
  /** The catalogue as it is now (it is refreshed in the background). */
  catalogue: () => Catalogue;
  notifier: Notifier;
  log: Log;
  locale: Locale;
  admins: ReadonlySet<UserId>;
  quoteTtlSeconds: number;
  /**
   * Over `max` messages in a window of `windowSeconds` (from the window's first message) a user gets one
   * warning, then silence until the window ends; no provider call for what is dropped. Admins are never slowed.
   */
  flood?: { max: number; windowSeconds: number };
  /** Feature commands (admin desk, deposits, PIN…), registered at start. */
  commands?: readonly Command[];
  metrics?: Metrics;
  clock?: () => number;
}

export type { Role } from './commands.ts';

interface Ctx {
  user: UserId;
  role: Role;
  /** Without a PIN there is no PIN state to read: the gate needs no store call. */
  hasPin: boolean;
  messageId?: string;
  ref?: string;
  /** A `YA`'s open quote, read with the message's first round trip (null: none open). */
  openQuote?: Quote | null;
  t: T;
}

export interface Bot {
  handle(msg: IncomingMessage): Promise<Reply[]>;
  /** Turns a background payment outcome into messages for the user and the admins. */
  onPaymentEvent(event: PaymentEvent): Promise<void>;
}

export function createBot(deps: BotDeps): Bot {
  const { store, payments, notifier, log } = deps;
  const clock = deps.clock ?? Date.now;
  const t = translator(deps.locale);
  const text = (s: string): Reply[] => [{ text: s }];
  const commands = new Map<string, Command>();
  for (const c of deps.commands ?? []) for (const w of c.words) commands.set(w, c);
  const commandWords = new Set(commands.keys());

  /**
   * Whether a message may simply be sent again after the store lost an answer: it reads, or changes nothing
   * but the open quote (an inquiry without a PIN writes a new one over it, `BATAL` drops it again).
   */
  function repeatable(intent: Intent): boolean {
    switch (intent.kind) {
      case 'inquiry':
        return intent.pin === undefined;
      case 'command':
        return commands.get(intent.word)?.readsOnly === true;
      case 'bad-number':
      case 'missing-number':
      case 'cancel':
      case 'saldo':
      case 'prices':
      case 'status':
      case 'history':
      case 'help':
      case 'admin-pending':
      case 'admin-trx':
      case 'empty':
      case 'unknown':
        return true;
      // Every kind is named, so a new one must be placed on one side or the other.
      case 'confirm':
      case 'admin-settle':
      case 'admin-fail':
        return false;
    }
  }

  /**
   * The saldo to show in an outcome told later than its debit. Unreadable, the outcome is still told, with
   * the saldo its own debit or refund left: a receipt (a PLN token) must never wait on this read.
   */
  async function saldoNow(user: UserId): Promise<number | undefined> {
    try {
      return await store.getSaldo(user);
    } catch (err) {
      log.warn({ user, err: err instanceof Error ? err.message : String(err) }, 'saldo unreadable for an outcome; telling it without');
      return undefined;
    }
  }

  async function whoIs(user: UserId): Promise<{ role: Role; hasPin: boolean }> {
    const rec = await store.touchUser(user, clock());
    const role: Role = deps.admins.has(user) ? 'admin' : rec.reseller ? 'reseller' : 'customer';
    return { role, hasPin: rec.hasPin === true };
  }

  function pinDeps(): PinDeps {
    return { store, t, admins: deps.admins, now: clock(), notify: send };
  }

  async function pay(ctx: Ctx, quoteId?: string, known?: Quote): Promise<Reply[]> {
    const r = known ? await payments.confirm(ctx.user, ctx.messageId, quoteId ?? ctx.ref, known) : { kind: 'no-quote' as const };
    if (r.kind === 'no-quote') return text(t('confirm.noQuote'));
    if (r.kind === 'insufficient') return text(t('confirm.insufficient', { saldo: rupiah(r.saldo), price: rupiah(r.price) }));
    // The reply's receipt shows the saldo its debit left (read with the debit, no round trip more); a refund's
    // saldo is read as it is told.
    return [outcomeReply(r.tx, r.tx.status === 'FAILED' ? await saldoNow(ctx.user) : undefined)];
  }

  /** A payment's outcome for its payer; a receipt is laid out in columns. */
  function outcomeReply(tx: Transaction, saldoNow?: number): Reply {
    const body = outcome(tx, t, saldoNow);
    return tx.status === 'SETTLED' ? { text: body, fixedWidth: true } : { text: body };
  }

  /** The earlier transaction the duplicate guard found, unless it failed. */
  async function earlierTx(user: UserId, id: string | undefined): Promise<Transaction | undefined> {
    const tx = id ? await store.getTx(user, id) : null;
    return tx && tx.status !== 'FAILED' ? tx : undefined;
  }

  async function inquiry(intent: Extract<Intent, { kind: 'inquiry' }>, ctx: Ctx): Promise<Reply[]> {
    const canPay = ctx.role !== 'customer';
    const withPin = intent.pin !== undefined;
    if (intent.entry.minAmount !== undefined && (intent.amount ?? 0) < intent.entry.minAmount) {
      return text(t('inquiry.belowMinimum', { code: intent.entry.code, min: rupiah(intent.entry.minAmount) }));
    }
    if (withPin) {
      if (!canPay) return text(t('confirm.customer'));
      const refused = await pinGate(pinDeps(), ctx.user, intent.pin, false, ctx.hasPin);
      if (refused) return text(refused);
    }
    // A deliberate repeat (`2.`) skips the duplicate guard; otherwise the earlier payment is shown and YA is asked.
    const guard = canPay && intent.repeat === undefined;
    const r = await payments.inquire(ctx.user, intent.entry, intent.customerNo, intent.amount, { pinOk: withPin, sameDay: guard });
    if (!r.ok) {
      if (r.reason === 'closed') return text(t('inquiry.closed', { code: intent.entry.code }));
      if (r.reason === 'refused') return text(t('inquiry.refused', { reason: reasonText(r.message, t) }));
      return text(t('inquiry.unavailable'));
    }
    const earlier = guard ? await earlierTx(ctx.user, r.earlierTxId) : undefined;
    if (withPin && !earlier && FIXED_PRICE.has(r.quote.family)) return pay(ctx, r.quote.id, r.quote);
    let body = summary(r.quote, canPay, deps.quoteTtlSeconds, t);
    if (earlier) body = `${t('duplicate.warning', { id: earlier.id, time: wibTime(earlier.createdAt), status: t(`status.${earlier.status}`) })}\n${body}`;
    const reply: Reply = { text: body, fixedWidth: true };
    if (canPay) {
      reply.choices = [{ label: t('button.pay'), text: 'YA' }, { label: t('button.cancel'), text: 'BATAL' }];
      reply.ref = r.quote.id;
    }
    return [reply];
  }

  async function dispatch(intent: Intent, ctx: Ctx): Promise<Reply[]> {
    const canPay = ctx.role !== 'customer';
    if (intent.kind.startsWith('admin-') && ctx.role !== 'admin') return text(t('admin.only'));
    const admin = { store, payments, t };
    switch (intent.kind) {
      case 'command': {
        const command = commands.get(intent.word)!;
        if (ROLE_RANK[ctx.role] < ROLE_RANK[command.role]) return text(t(command.role === 'admin' ? 'admin.only' : 'reseller.only'));
        return command.run(intent.args, intent.rest, {
          user: ctx.user, role: ctx.role, t, store, payments, admins: deps.admins, catalogue: deps.catalogue(), log, now: clock(), notify: send,
          ...(ctx.messageId ? { messageId: ctx.messageId } : {}), ...(ctx.ref ? { ref: ctx.ref } : {}),
        });
      }
      case 'admin-pending':
        return text(await pendingList(admin));
      case 'admin-trx':
        return text(intent.txId ? await transactionInFull(admin, intent.txId) : t('admin.usageTrx'));
      case 'admin-settle':
      case 'admin-fail':
        return settleByHand(admin, ctx.user, intent.kind === 'admin-settle' ? 'settle' : 'fail', intent.txId, intent.note);
      case 'empty':
        return [];
      case 'help':
        return text(t(`help.${ctx.role}`));
      case 'unknown':
        return text(intent.suggestion ? t('unknown.suggest', { suggestion: intent.suggestion }) : t('unknown'));
      case 'missing-number':
        return text(t('inquiry.missingNumber', { code: intent.entry.code, form: t(intent.entry.family === 'ewallet' ? 'form.ewalletCommand' : 'form.number') }));
      case 'bad-number':
        return text(t('inquiry.badNumber', { code: intent.entry.code, number: intent.customerNo, form: t(intent.hint) }));
      case 'inquiry':
        return inquiry(intent, ctx);
      case 'confirm': {
        if (!canPay) return text(t('confirm.customer'));
        const open = ctx.openQuote !== undefined ? ctx.openQuote : await store.getQuote(ctx.user);
        // Nothing to pay (none open, or a tap on a summary already paid or replaced): say so before asking a PIN,
        // which a user would then type for whatever summary is open.
        if (!open) return text(t('confirm.noQuote'));
        if (ctx.ref && ctx.ref !== open.id) return text(t('confirm.oldSummary'));
        const checked = open.pinOk === true;
        const refused = await pinGate(pinDeps(), ctx.user, intent.pin, checked, ctx.hasPin);
        if (refused) return text(refused);
        return pay(ctx, undefined, open);
      }
      case 'cancel': {
        // A Batal tap on an old summary must not cancel the newer one.
        const open = ctx.ref ? await store.getQuote(ctx.user) : undefined;
        if (open !== undefined && open?.id !== ctx.ref) return text(t('cancel.nothing'));
        if (!(await store.dropQuote(ctx.user))) return text(t('cancel.nothing'));
        // A customer has no saldo to be told about.
        return text(t(canPay ? 'cancel.done' : 'cancel.doneCheck'));
      }
      case 'saldo':
        if (!canPay) return text(t('reseller.only'));
        return text(t('saldo', { saldo: rupiah(await store.getSaldo(ctx.user)) }));
      case 'prices':
        return text(priceList(deps.catalogue(), intent.filter, t, canPay ? await store.markups() : {}, canPay ? 'payer' : 'customer'));
      case 'status': {
        if (!canPay) return text(t('reseller.only'));
        if (!intent.txId) return text(t('status.usage'));
        if (isTransferId(intent.txId)) return text((await transferStatus(store, t, ctx.user, intent.txId)) ?? t('status.notFound', { id: intent.txId }));
        const tx = await store.getTx(ctx.user, intent.txId);
        if (!tx) return text(t('status.notFound', { id: intent.txId }));
        if (tx.status === 'SETTLED') return [outcomeReply(tx)];
        // A failure's reason is the payer's to read; an open one's is the adapter's note (timed out, HTTP 502).
        const more = tx.status === 'FAILED' ? reasonText(tx.reason, t) : t('status.openNote');
        return text(`${statusLine(tx, t)}\n${more}`);
      }
      case 'history': {
        if (!canPay) return text(t('reseller.only'));
        const list = await store.listTx(ctx.user, 10);
        if (list.length === 0) return text(t('history.empty'));
        return text([t('history.title', { n: list.length }), ...list.map((tx) => statusLine(tx, t))].join('\n'));
      }
    }
  }

  return {
    async handle(msg) {
      const channel = channelOf(msg.user);
      deps.metrics?.messagesIn.inc({ channel });
      const replies = await handleOne(msg);
      if (replies.length > 0) deps.metrics?.messagesOut.inc({ channel }, replies.length);
      return replies;
    },

    async onPaymentEvent(event) {
      const { tx } = event;
      if (event.type === 'needs-admin' || event.type === 'stale') {
        const note = adminAlert(tx, event.type, t);
        await Promise.all([...deps.admins].map((a) => send(a, { text: note })));
        return;
      }
      // Told later than its debit: the saldo shown is the one the user has now, not the one right after it.
      const final = tx.status === 'SETTLED' || tx.status === 'FAILED';
      await send(tx.user, outcomeReply(tx, final ? await saldoNow(tx.user) : undefined));
    },
  };

  /**
   * A message to someone other than the sender (a deposit notice, an admin alert, a later receipt). It never
   * throws: a user who cannot be reached must not turn a money step that already happened into an error
   * reply, which an admin would take as "try again" (a second DEPOSIT).
   */
  async function send(user: UserId, reply: Reply): Promise<void> {
    try {
      await notifier.send(user, reply);
      deps.metrics?.messagesOut.inc({ channel: channelOf(user) });
    } catch (err) {
      log.warn({ user, err: err instanceof Error ? err.message : String(err) }, 'a notification could not be delivered');
    }
  }

  /** Marks the first reply so the channel deletes the incoming message where it can. */
  function deleting(replies: Reply[]): Reply[] {
    return replies[0] ? [{ ...replies[0], deleteIncoming: true }, ...replies.slice(1)] : replies;
  }

  async function handleOne(msg: IncomingMessage): Promise<Reply[]> {
    // Whether it carried a PIN: known once parsed, and applied to every way out, a refusal's or a failure's too.
    const seen = { secret: false };
    const replies = await answer(msg, seen);
    return seen.secret ? deleting(replies) : replies;
  }

  async function answer(msg: IncomingMessage, seen: { secret: boolean }): Promise<Reply[]> {
    // What the message asked, once its command starts: before that, no step but the admit has run.
    let running: Intent | undefined;
    try {
      const counted = deps.flood && !deps.admins.has(msg.user) && msg.kind !== 'group' ? deps.flood : undefined;
      // Parsing is pure, so it comes first: a `YA` then gets its open quote from the admit step itself (the
      // replay claim with the flood count, one script), rather than from one more command after it.
      const catalogue = deps.catalogue();
      const readable = msg.kind !== 'media' && msg.kind !== 'group' && msg.text.length <= MAX_TEXT;
      // Compatibility forms read as their plain letters and digits (full-width `ＰＬＮ １２３`, `ﬁ`); parse then
      // compares ASCII only, so a letter that merely upper-cases to ASCII (`ı` → I) is not taken for one.
      const typed = readable ? msg.text.normalize('NFKC') : msg.text;
      const intent = readable ? parse(typed, catalogue, commandWords) : undefined;
      if (intent) seen.secret = carriesPin(intent, typed, commands);
      const admission = store.admit(msg.user, msg.messageId, {
        ttlSeconds: TTL.messageSeconds,
        ...(counted ? { floodWindowMs: counted.windowSeconds * 1000 } : {}),
        ...(intent?.kind === 'confirm' ? { openQuote: true } : {}),
      });
      if (msg.kind === 'group') {
        await admission;
        return [];
      }
      const [{ fresh, count, quote: openQuote }, who] = await Promise.all([admission, whoIs(msg.user)]);
      if (!fresh) {
        log.info({ user: msg.user, messageId: msg.messageId }, 'replayed delivery ignored');
        return [];
      }
      if (counted && count > counted.max) return count === counted.max + 1 ? text(t('input.flood')) : [];
      if (msg.kind === 'media') return text(t('input.media'));
      // Characters, not UTF-16 units: an emoji is one character to the user.
      if (msg.text.length > MAX_TEXT && [...msg.text].length > MAX_TEXT) return text(t('input.tooLong', { max: MAX_TEXT }));
      // Not read above when longer than MAX_TEXT in UTF-16 units but not in characters (emoji).
      const parsed = intent ?? parse(msg.text.normalize('NFKC'), catalogue, commandWords);
      seen.secret = carriesPin(parsed, typed, commands);
      if ((parsed.kind === 'unknown' || parsed.kind === 'inquiry') && catalogue.size === 0) {
        return text(t('catalogue.unavailable'));
      }
      const ctx: Ctx = { user: msg.user, role: who.role, hasPin: who.hasPin, t };
      if (msg.messageId) ctx.messageId = msg.messageId;
      if (msg.ref) ctx.ref = msg.ref;
      if (openQuote !== undefined) ctx.openQuote = openQuote;
      running = parsed;
      const replies = await dispatch(parsed, ctx);
      return replies;
    } catch (err) {
      // Nothing a user types may crash the process; the money steps are atomic, so a failure here leaves no half state.
      log.error({ user: msg.user, err: err instanceof Error ? err.stack : String(err) }, 'message failed');
      // Before the command ran, or in one that moves nothing, sending it again is all there is to do.
      const said = !running || repeatable(running)
        ? t(err instanceof StoreOutcomeUnknown ? 'error.storeRetry' : 'error.internal')
        // A command that moves money failed part way (a lost answer, Redis down after the debit): it may have
        // happened, so never "try again", which a second DEPOSIT or YA would turn into a second move.
        : t(deps.admins.has(msg.user) ? 'error.outcomeUnknownAdmin' : 'error.outcomeUnknown');
      return text(said);
    }
  }
}
