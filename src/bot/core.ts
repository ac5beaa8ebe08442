/**
 * The conversation core: a message in, replies out, for every channel alike. It admits the message (replay
 * claim, flood count), parses it, looks up who sent it, and hands it to the command that answers it (one
 * registry, commands.ts). It never imports a channel library; adapters never touch the store or a provider.
 */
import type { Payments, PaymentEvent } from '../payments/payments.ts';
import type { Log } from '../log.ts';
import type { Catalogue } from './catalogue.ts';
import { channelOf, type IncomingMessage, type Notifier, type Reply, type UserId } from './channel.ts';
import { translator, type Locale } from './i18n.ts';
import { parse, READING_KINDS, type Intent } from './parse.ts';
import { adminAlert } from './render.ts';
import { type Store, StoreOutcomeUnknown } from './store.ts';
import { TTL } from '../store/keys.ts';
import type { Metrics } from '../metrics.ts';
import { type AnyCommand, Commands, type Role } from './commands.ts';
import { type DepositOps, messageContext, operations } from './context.ts';
import { accountCommands } from './features/account.ts';
import { deskCommands } from './features/desk.ts';
import { outcomeReply, paymentCommands, saldoNow } from './features/payment.ts';

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
  /** Automatic deposits' operations for the commands that use them (DEPOSIT QRIS, MUTASIBANK, ACC with a mutation). */
  deposits?: DepositOps;
  /** Feature commands (deposits, PIN, tickets…), registered at start beside the core's own. */
  commands?: readonly AnyCommand[];
  metrics?: Metrics;
  clock?: () => number;
}

export type { Role } from './commands.ts';

interface Who {
  account: UserId;
  /** The identity is linked to another account (its open quote lives there). */
  linked: boolean;
  role: Role;
  hasPin: boolean;
  chain: readonly UserId[];
}

/** The core's own commands: paying, reading one's account, the admin's money desk. */
export function coreCommands(opts: { quoteTtlSeconds: number }) {
  return [...paymentCommands(opts), ...accountCommands(), ...deskCommands()];
}

export interface Bot {
  handle(msg: IncomingMessage): Promise<Reply[]>;
  /** Turns a background payment outcome into messages for the user and the admins. */
  onPaymentEvent(event: PaymentEvent): Promise<void>;
  /** A notice to an account (where it last wrote from) or an admin, outside any reply; never throws. */
  notify(user: UserId, reply: Reply): Promise<void>;
}

export function createBot(deps: BotDeps): Bot {
  const { store, payments, notifier, log } = deps;
  const clock = deps.clock ?? Date.now;
  const t = translator(deps.locale);
  const text = (s: string): Reply[] => [{ text: s }];
  const commands = new Commands([...coreCommands({ quoteTtlSeconds: deps.quoteTtlSeconds }), ...(deps.commands ?? [])]);
  for (const kind of READING_KINDS) if (!commands.has(kind)) throw new Error(`no command answers ${kind}`);
  const ops = operations(store, payments, { t, admins: deps.admins, log, notify: send }, deps.deposits);

  /**
   * The account an identity acts for, and its role. An identity never linked is its own account: its record,
   * read by the touch every message makes, is all there is to read. A linked one reads its account's too. An
   * identity in ADMIN_IDS is an admin, and so is every identity of an account one of whose identities is.
   */
  async function whoIs(identity: UserId): Promise<Who> {
    const now = clock();
    const rec = await store.touchUser(identity, now);
    const linked = rec.account !== undefined;
    const acc = rec.account === undefined ? rec : await store.touchAccount(rec.account, identity, now);
    const admin = deps.admins.has(identity) || (acc.identities ?? []).some((i) => deps.admins.has(i));
    const role: Role = admin ? 'admin' : acc.reseller ? 'reseller' : 'customer';
    return { account: rec.account ?? identity, linked, role, hasPin: acc.hasPin === true, chain: acc.chain ?? [] };
  }

  return {
    notify: (user, reply) => send(user, reply),

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
      const reply = outcomeReply(tx, t, final ? await saldoNow(ops, tx.user) : undefined);
      // To the identity that paid it; a transaction paid before accounts existed (or by the account's namesake)
      // goes where the account last wrote from.
      if (tx.paidBy) await sendTo(tx.paidBy, reply);
      else await send(tx.user, reply);
    },
  };

  /**
   * A message to someone other than the sender (a deposit notice, an admin alert, a later receipt). It never
   * throws: a user who cannot be reached must not turn a money step that already happened into an error
   * reply, which an admin would take as "try again" (a second DEPOSIT).
   */
  async function send(user: UserId, reply: Reply): Promise<void> {
    let to = user;
    try {
      to = await store.reachOf(user);
    } catch (err) {
      log.warn({ user, err: err instanceof Error ? err.message : String(err) }, 'where to reach an account could not be read; sent to its name');
    }
    await sendTo(to, reply);
  }

  /** A message to one identity, as it is. */
  async function sendTo(identity: UserId, reply: Reply): Promise<void> {
    try {
      await notifier.send(identity, reply);
      deps.metrics?.messagesOut.inc({ channel: channelOf(identity) });
    } catch (err) {
      log.warn({ user: identity, err: err instanceof Error ? err.message : String(err) }, 'a notification could not be delivered');
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
      const intent = readable ? parse(typed, catalogue, commands) : undefined;
      if (intent) seen.secret = commands.carriesPin(intent, typed);
      const admission = store.admit(msg.user, msg.messageId, {
        ttlSeconds: TTL.messageSeconds,
        ...(counted ? { floodWindowMs: counted.windowSeconds * 1000 } : {}),
        ...(intent && commands.readsOpenQuote(intent) ? { openQuote: true } : {}),
      });
      if (msg.kind === 'group') {
        await admission;
        return [];
      }
      const [{ fresh, count, quote: ownQuote }, who] = await Promise.all([admission, whoIs(msg.user)]);
      if (!fresh) {
        log.info({ user: msg.user, messageId: msg.messageId }, 'replayed delivery ignored');
        return [];
      }
      if (counted && count > counted.max) return count === counted.max + 1 ? text(t('input.flood')) : [];
      if (msg.kind === 'media') return text(t('input.media'));
      // Characters, not UTF-16 units: an emoji is one character to the user.
      if (msg.text.length > MAX_TEXT && [...msg.text].length > MAX_TEXT) return text(t('input.tooLong', { max: MAX_TEXT }));
      // Not read above when longer than MAX_TEXT in UTF-16 units but not in characters (emoji): read it now, and
      // only then see whether it carried a PIN (a message read above was looked at once, there).
      let parsed = intent;
      if (!parsed) {
        const late = msg.text.normalize('NFKC');
        parsed = parse(late, catalogue, commands);
        seen.secret = commands.carriesPin(parsed, late);
      }
      // A linked identity's open quote is its account's, which the admit step (on the identity's keys) could not read.
      const openQuote = who.linked && ownQuote !== undefined ? await store.getQuote(who.account) : ownQuote;
      const ctx = messageContext(ops, {
        user: who.account, identity: msg.user, chain: who.chain, role: who.role, hasPin: who.hasPin, now: clock(), catalogue,
        // A message id is unique per chat; two identities of one account may share one, so a linked identity's
        // money operations are named by the identity as well.
        messageId: who.linked && msg.messageId ? `${msg.user}/${msg.messageId}` : msg.messageId,
        ref: msg.ref, openQuote,
      });
      running = parsed;
      return await commands.run(parsed, ctx);
    } catch (err) {
      // Nothing a user types may crash the process; the money steps are atomic, so a failure here leaves no half state.
      log.error({ user: msg.user, err: err instanceof Error ? err.stack : String(err) }, 'message failed');
      // Before the command ran, or in one that moves nothing, sending it again is all there is to do.
      const said = !running || commands.readsOnly(running)
        ? t(err instanceof StoreOutcomeUnknown ? 'error.storeRetry' : 'error.internal')
        // A command that moves money failed part way (a lost answer, Redis down after the debit): it may have
        // happened, so never "try again", which a second DEPOSIT or YA would turn into a second move.
        : t(deps.admins.has(msg.user) ? 'error.outcomeUnknownAdmin' : 'error.outcomeUnknown');
      return text(said);
    }
  }
}
