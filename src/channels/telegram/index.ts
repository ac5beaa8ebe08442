/**
 * The Telegram channel: a thin grammY adapter over the core. Long polling with @grammyjs/runner by default
 * (one chat's updates in order, chats concurrently), or a webhook served by the operator's HTTP server.
 * Nothing here touches the store or a provider: dedup by update_id, paying once, stale buttons are the core's.
 */
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import { Bot, type Context, GrammyError, InputFile } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { type Channel, type IncomingMessage, RecipientUnreachable, type Reply, type UserId } from '../../bot/channel.ts';
import type { Locale } from '../../bot/i18n.ts';
import type { Log } from '../../log.ts';
import { applyLimits, pollWatch, type ApiLimits } from './api.ts';
import { describeError, safeError, unreachableReason } from './errors.ts';
import { createGroupNotices, groupNoticeText } from './group.ts';
import { inlineKeyboard, splitText } from './keyboard.ts';
import { fixedWidthEntities, planPhoto } from './photo.ts';
import { createRecentIds } from './recent.ts';
import { readUpdate } from './updates.ts';
import { type RequestHandler, webhookHandler } from './webhook.ts';

export { SECRET_HEADER } from './webhook.ts';
export type { RequestHandler } from './webhook.ts';

const DEFAULT_API_ROOT = 'https://api.telegram.org';
/**
 * How long a Bot API request may go unanswered once the channel stops (retries end at once): a live API
 * answers in milliseconds, a dead one must not hold the process past its stop grace period (compose gives
 * 40 s for a payment in flight, Docker's default is 10 s).
 */
export const STOP_GRACE_MS = 5_000;
/** Start-up says so when getMe has had no answer for this long (a black-holed API fails only after 60 s). */
const START_WARN_MS = 10_000;
const ALLOWED_UPDATES = ['message', 'callback_query', 'channel_post'] as const;

export interface TelegramChannelOptions extends ApiLimits {
  token: string;
  log: Log;
  /** Another Bot API server (a local one, or a test server). */
  apiRoot?: string;
  /** Webhook mode: the public URL registered with Telegram and the secret it must present. */
  webhook?: { url: string; secret: string };
  locale?: Locale;
  /** Skips getMe at start (tests, benchmarks). */
  botInfo?: UserFromGetMe;
  /** Seconds one getUpdates long poll may wait (30). */
  pollTimeoutSeconds?: number;
  /** Updates handled at once across chats (500, the runner's default). */
  concurrency?: number;
  clock?: () => number;
}

export interface TelegramChannel extends Channel {
  readonly bot: Bot;
  /** Webhook mode only: the route the HTTP server serves at `path`. */
  readonly webhook?: { path: string; handler: RequestHandler };
  /** One update through the adapter as polling or the webhook would hand it; resolves when it is handled. */
  handleUpdate(update: Update): Promise<void>;
}

type Handle = (msg: IncomingMessage) => Promise<Reply[]>;

export function createTelegramChannel(opts: TelegramChannelOptions): TelegramChannel {
  const { token } = opts;
  const log = opts.log.child({ channel: 'telegram' });
  const apiRoot = (opts.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/, '');
  const bot = new Bot(token, { client: { apiRoot, timeoutSeconds: 60 }, ...(opts.botInfo ? { botInfo: opts.botInfo } : {}) });
  const watch = pollWatch((ok, why) => {
    if (ok) log.info('long polling answers again');
    else log.error({ err: describeError(why, token) }, 'long polling fails; retrying');
  });
  // Where the bot is trying to reach, for the operator: never the URL of a call, which holds the token.
  const where = rootForLog(apiRoot);
  let starting = false;
  const retry = applyLimits(bot.api, opts, {
    inner: [watch.transformer],
    onRetry: ({ method, attempt, waitMs, why }) => {
      const fields = { method, attempt, retryInSeconds: waitMs / 1000, err: describeError(why, token) };
      // Before start the operator is looking at an empty log: say why nothing happens.
      if (starting) log.warn(fields, `Telegram API not answering at ${where}, retrying`);
      else log.debug(fields, 'Bot API call retried');
    },
  });

  const notices = createGroupNotices(opts.clock);
  const recent = createRecentIds();
  const inflight = new Set<Promise<unknown>>();
  let handle: Handle | undefined;
  let runner: RunnerHandle | undefined;
  let runnerFailed = false;
  let accepting = false;
  let stopped = false;

  bot.catch((err) => log.error({ err: describeError(err.error, token), update: err.ctx.update.update_id }, 'update failed'));

  // Counted before anything waits, so stop() sees every update this process has taken.
  bot.use((ctx, next) => {
    if (!recent.add(ctx.update.update_id)) return;
    const p = next();
    inflight.add(p);
    return p.finally(() => inflight.delete(p));
  });
  // One chat's (and one user's) updates one after another; the core's state is per user.
  bot.use(sequentialize((ctx: Context) => {
    const keys: string[] = [];
    if (ctx.chat) keys.push(`c${ctx.chat.id}`);
    if (ctx.from) keys.push(`u${ctx.from.id}`);
    return keys.length > 0 ? keys : undefined;
  }));
  bot.use((ctx) => onUpdate(ctx));

  async function onUpdate(ctx: Context): Promise<void> {
    if (!handle) return;
    const me = ctx.me;
    const inbound = readUpdate(ctx.update, { id: me.id, username: me.username });
    switch (inbound.kind) {
      case 'ignore':
        return;
      case 'private': {
        const replies = await handle(inbound.msg);
        // The message carried a PIN: a bot may delete what a user sent it in a private chat, so it goes.
        const carried = ctx.msg?.message_id;
        if (carried !== undefined && replies.some((r) => r.deleteIncoming)) {
          await quietly('deleteMessage', bot.api.deleteMessage(inbound.chatId, carried), { chat: inbound.chatId });
        }
        return deliver(inbound.chatId, replies);
      }
      case 'group': {
        await handle(inbound.msg);
        if (inbound.addressed && notices.take(inbound.chatId)) {
          await quietly('group notice', bot.api.sendMessage(inbound.chatId, groupNoticeText(opts.locale ?? 'id', me.username)));
        }
        return;
      }
      case 'tap': {
        const { chatId, messageId } = inbound;
        // The spinner stops and the buttons go while the core works; the receipt follows the removal.
        const acks = Promise.all([
          quietly('answerCallbackQuery', bot.api.answerCallbackQuery(inbound.queryId)),
          chatId !== undefined && messageId !== undefined && inbound.msg
            ? quietly('editMessageReplyMarkup', bot.api.editMessageReplyMarkup(chatId, messageId))
            : undefined,
        ]);
        const replies = inbound.msg ? await handle(inbound.msg) : [];
        await acks;
        if (chatId !== undefined) await deliver(chatId, replies);
        return;
      }
    }
  }

  async function sendReply(chatId: number, reply: Reply): Promise<void> {
    const keyboard = inlineKeyboard(reply);
    if (reply.image) {
      const plan = planPhoto(reply);
      const captionEntities = plan.caption ? fixedWidthEntities(reply, plan.caption) : undefined;
      // Through bot.api like every message: the same throttler and bounded retries (a Buffer is re-read on a retry).
      const sent = await sendPhoto(chatId, reply, {
        ...(plan.caption ? { caption: plan.caption } : {}),
        ...(captionEntities ? { caption_entities: captionEntities } : {}),
        ...(!plan.textAfter && keyboard ? { reply_markup: keyboard } : {}),
      });
      if (sent && !plan.textAfter) return;
    }
    if (!reply.text) return;
    const parts = splitText(reply.text);
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      const part = parts[i]!;
      const entities = fixedWidthEntities(reply, part);
      await bot.api.sendMessage(chatId, part, {
        link_preview_options: { is_disabled: true },
        // Each part of a long reply gets its own `pre` entity.
        ...(entities ? { entities } : {}),
        ...(last && keyboard ? { reply_markup: keyboard } : {}),
      });
    }
  }

  /**
   * False when Telegram refused the picture itself (a 400 such as IMAGE_PROCESS_FAILED): the text says enough
   * on its own, so it then goes as a plain message. A user who cannot be reached, a 429 or an outage past the
   * retries throws, as a text would.
   */
  async function sendPhoto(chatId: number, reply: Reply, other: Parameters<typeof bot.api.sendPhoto>[2]): Promise<boolean> {
    const image = reply.image!;
    try {
      await bot.api.sendPhoto(chatId, new InputFile(image.png, image.name), other);
      return true;
    } catch (err) {
      if (!(err instanceof GrammyError) || err.error_code !== 400 || unreachableReason(err)) throw err;
      log.warn({ chat: chatId, image: image.name, bytes: image.png.length, err: describeError(err, token) }, 'photo refused; sending the text alone');
      return false;
    }
  }

  /** A reply the user waits for: a failure (the user blocked the bot) is logged, never thrown at the runner. */
  async function deliver(chatId: number, replies: Reply[]): Promise<void> {
    for (const reply of replies) await quietly('sendMessage', sendReply(chatId, reply), { chat: chatId });
  }

  async function quietly(what: string, p: Promise<unknown>, context: Record<string, unknown> = {}): Promise<void> {
    try {
      await p;
    } catch (err) {
      log.warn({ ...context, err: describeError(err, token) }, `${what} failed`);
    }
  }

  function take(update: Update): Promise<void> {
    const p = bot.handleUpdate(update).catch((err: unknown) => {
      log.error({ err: describeError(err, token), update: update.update_id }, 'update failed');
    });
    inflight.add(p);
    return p.finally(() => inflight.delete(p));
  }

  async function drain(): Promise<void> {
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  }

  const webhook = opts.webhook
    ? {
        path: new URL(opts.webhook.url).pathname,
        handler: webhookHandler({
          secret: opts.webhook.secret,
          open: () => accepting,
          take: (update) => void take(update),
        }),
      }
    : undefined;

  /** In a private chat the chat id is the user id. */
  function chatOf(user: UserId): number {
    const id = user.startsWith('telegram:') ? Number(user.slice('telegram:'.length)) : Number.NaN;
    if (!Number.isSafeInteger(id)) throw new Error(`not a Telegram user: ${user}`);
    return id;
  }

  /** What a failed send throws past the adapter: scrubbed of the token, typed when the user cannot be reached at all. */
  function outward(user: UserId, err: unknown): Error {
    const reason = unreachableReason(err);
    if (!reason) return safeError(err, token);
    const e = new RecipientUnreachable(user, reason, describeError(err, token));
    if (err instanceof GrammyError) Object.assign(e, { error_code: err.error_code });
    return e;
  }

  async function call<T>(what: string, p: () => Promise<T>): Promise<T> {
    try {
      return await p();
    } catch (err) {
      // Thrown past the adapter (main prints it), so it must not carry the URL with the token.
      throw new Error(`Telegram ${what} failed: ${describeError(err, token)}`);
    }
  }

  return {
    name: 'telegram',
    bot,
    ...(webhook ? { webhook } : {}),
    handleUpdate: take,

    async start(h) {
      handle = h;
      starting = true;
      const t0 = Date.now();
      const slow = setTimeout(() => log.warn({ waitedSeconds: Math.round((Date.now() - t0) / 1000) }, `Telegram API not answering at ${where}, retrying`), START_WARN_MS);
      slow.unref();
      try {
        // Not bot.init(): it retries getMe without limit, whatever the retry stage allows.
        if (!bot.isInited()) bot.botInfo = await call('getMe', () => bot.api.getMe());
        if (opts.webhook && !stopped) {
          await call('setWebhook', () =>
            bot.api.setWebhook(opts.webhook!.url, { secret_token: opts.webhook!.secret, allowed_updates: [...ALLOWED_UPDATES] }),
          );
        }
        // getUpdates is refused (409) while a webhook is set; pending updates are kept.
        if (!opts.webhook && !stopped) await call('deleteWebhook', () => bot.api.deleteWebhook());
      } catch (err) {
        // Stopped while starting (SIGTERM during a wait for a dead API): nothing failed that anyone asked for.
        if (stopped) return;
        throw err;
      } finally {
        starting = false;
        clearTimeout(slow);
      }
      if (stopped) return;
      if (opts.webhook) {
        accepting = true;
        log.info({ path: webhook!.path }, 'webhook registered');
        return;
      }
      runner = run(bot, {
        runner: {
          // The runner prints fetch errors with their cause, whose message holds the URL and so the token.
          silent: true,
          fetch: { timeout: opts.pollTimeoutSeconds ?? 30, allowed_updates: [...ALLOWED_UPDATES] },
          // Its default backoff doubles without bound and gives up after 15 hours; an outage should end in
          // polling again within seconds of the network coming back, however long it lasted.
          retryInterval: 2_000,
          maxRetryTime: Number.POSITIVE_INFINITY,
        },
        ...(opts.concurrency ? { sink: { concurrency: opts.concurrency } } : {}),
      });
      runner.task()?.catch((err: unknown) => {
        runnerFailed = true;
        log.error({ err: describeError(err, token) }, 'long polling stopped');
      });
      log.info({ username: bot.botInfo.username }, 'long polling started');
    },

    async send(user: UserId, reply: Reply) {
      const id = chatOf(user);
      try {
        await sendReply(id, reply);
      } catch (err) {
        throw outward(user, err);
      }
    },

    async post(user: UserId, reply: Reply) {
      const id = chatOf(user);
      try {
        const sent = await bot.api.sendMessage(id, reply.text, { link_preview_options: { is_disabled: true } });
        return String(sent.message_id);
      } catch (err) {
        throw outward(user, err);
      }
    },

    async edit(user: UserId, handle: string, reply: Reply) {
      try {
        await bot.api.editMessageText(chatOf(user), Number(handle), reply.text, { link_preview_options: { is_disabled: true } });
      } catch (err) {
        // The same text again is not an error to anyone but the Bot API.
        if (describeError(err).includes('message is not modified')) return;
        throw outward(user, err);
      }
    },

    async stop() {
      stopped = true;
      accepting = false;
      // Retries end now and an unanswered request is given up after STOP_GRACE_MS: replies to a live API
      // still go out, a dead API holds nothing.
      retry.halt(STOP_GRACE_MS);
      // Stops fetching (the open long poll is aborted); what was fetched is handled below before we return.
      if (runner?.isRunning()) await runner.stop();
      await drain();
    },

    up() {
      if (stopped || !handle) return false;
      if (opts.webhook) return accepting;
      return !runnerFailed && watch.ok() && (runner?.isRunning() ?? false);
    },
  };
}

/** The API root as the operator configured it, minus any credentials in the URL. */
function rootForLog(apiRoot: string): string {
  try {
    const u = new URL(apiRoot);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return '(invalid TELEGRAM_API_ROOT)';
  }
}
