/**
 * A small fake Telegram Bot API server on loopback, for tests and the benchmark: it records every call,
 * serves getUpdates long polling from a queue the test fills (with Telegram's offset rule: an update stays
 * until a later call's offset passes it), and answers 429 with retry_after when asked to.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InlineKeyboardMarkup, Update, UserFromGetMe } from 'grammy/types';

export const FAKE_TOKEN = '123456789:AAfakeTOKENfakeTOKENfakeTOKEN_fake-1';

export interface FakeCall {
  method: string;
  payload: Record<string, unknown>;
  at: number;
  /** Answered with an error (see rateLimit, failNext). */
  refused?: boolean;
}

export interface SentMessage {
  chat_id: number;
  message_id: number;
  text: string;
  reply_markup?: InlineKeyboardMarkup;
}

export type NewUpdate = Omit<Update, 'update_id'> & { update_id?: number };

export interface FakeBotApi {
  /** The apiRoot to give grammY, `http://127.0.0.1:PORT`. */
  url: string;
  token: string;
  botInfo: UserFromGetMe;
  calls: FakeCall[];
  /** Calls answered with success, by method; kept even when `record` is off. */
  counts: Record<string, number>;
  callsOf(method: string): FakeCall[];
  /** sendMessage calls answered with a message, optionally to one chat. */
  sent(chatId?: number): SentMessage[];
  /** Queues an update for getUpdates; returns its update_id (given, or the next one). */
  enqueue(update: NewUpdate): number;
  /** Updates queued and not yet confirmed by a later getUpdates offset. */
  pending(): number;
  /** The next `times` calls of `method` are answered 429 with `retry_after` seconds. */
  rateLimit(method: string, retryAfterSeconds: number, times?: number): void;
  /** The next `times` calls of `method` fail with this Bot API error (e.g. 403, bot was blocked by the user). */
  failNext(method: string, errorCode: number, description: string, times?: number): void;
  webhook: { url?: string; secret?: string };
  /** Forgets the recorded calls and drops every queued update (between benchmark phases). */
  reset(): void;
  /** Resolves once `pred()` holds, polling; rejects after `timeoutMs` naming `what`. */
  waitFor(pred: () => boolean, what?: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface FakeBotApiOptions {
  token?: string;
  username?: string;
  /** Keep every call in `calls` (default); the benchmark turns it off and reads `counts`. */
  record?: boolean;
}

export async function startFakeBotApi(opts: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const token = opts.token ?? FAKE_TOKEN;
  const botInfo: UserFromGetMe = {
    id: Number(token.split(':')[0]),
    is_bot: true,
    first_name: 'PPOB Test',
    username: opts.username ?? 'ppob_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
  } as UserFromGetMe;
  const calls: FakeCall[] = [];
  const counts: Record<string, number> = {};
  const queue: Update[] = [];
  const waiters = new Set<() => void>();
  const failures = new Map<string, { error_code: number; description: string; parameters?: { retry_after: number }; times: number }>();
  const webhook: { url?: string; secret?: string } = {};
  let nextUpdateId = 1;
  let nextMessageId = 1;

  const wake = () => {
    for (const w of [...waiters]) w();
  };

  function answer(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
  const ok = (res: ServerResponse, result: unknown) => answer(res, 200, { ok: true, result });

  async function getUpdates(res: ServerResponse, p: Record<string, unknown>): Promise<void> {
    const offset = Number(p.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100)));
    const timeout = Number(p.timeout ?? 0);
    // An offset confirms every update before it, as on Telegram.
    if (offset > 0) {
      for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.update_id < offset) queue.splice(i, 1);
    }
    const ready = () => queue.filter((u) => u.update_id >= offset).slice(0, limit);
    let batch = ready();
    if (batch.length === 0 && timeout > 0) {
      let gone = false;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          res.off('close', closed);
          resolve();
        };
        const closed = () => {
          gone = true;
          done();
        };
        const timer = setTimeout(done, timeout * 1000);
        waiters.add(done);
        res.on('close', closed);
      });
      if (gone) return;
      batch = ready();
    }
    ok(res, batch);
  }

  function call(entry: FakeCall, res: ServerResponse): void | Promise<void> {
    const { method, payload: p } = entry;
    const failure = failures.get(method);
    if (failure && failure.times > 0) {
      failure.times--;
      entry.refused = true;
      const { times: _, ...body } = failure;
      return answer(res, failure.error_code, { ok: false, ...body });
    }
    const chatId = Number(p.chat_id);
    switch (method) {
      case 'getMe':
        return ok(res, botInfo);
      case 'getUpdates':
        return getUpdates(res, p);
      case 'sendMessage': {
        const message_id = nextMessageId++;
        (p as { message_id?: number }).message_id = message_id;
        return ok(res, {
          message_id,
          date: Math.floor(Date.now() / 1000),
          chat: chatId > 0 ? { id: chatId, type: 'private', first_name: 'User' } : { id: chatId, type: 'group', title: 'Group' },
          from: { id: botInfo.id, is_bot: true, first_name: botInfo.first_name },
          text: p.text,
          ...(p.reply_markup ? { reply_markup: p.reply_markup } : {}),
        });
      }
      case 'editMessageReplyMarkup':
        return ok(res, { message_id: Number(p.message_id), date: 0, chat: { id: chatId, type: 'private', first_name: 'User' } });
      case 'editMessageText':
        return ok(res, { message_id: Number(p.message_id), date: 0, chat: { id: chatId, type: 'private', first_name: 'User' }, text: p.text });
      case 'answerCallbackQuery':
      case 'deleteMessage':
        return ok(res, true);
      case 'setWebhook':
        webhook.url = String(p.url);
        webhook.secret = p.secret_token === undefined ? undefined : String(p.secret_token);
        return ok(res, true);
      case 'deleteWebhook':
        delete webhook.url;
        delete webhook.secret;
        return ok(res, true);
      case 'getWebhookInfo':
        return ok(res, { url: webhook.url ?? '', has_custom_certificate: false, pending_update_count: 0 });
      default:
        return answer(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const m = url.pathname.match(/^\/bot([^/]+)\/(\w+)$/);
      if (!m) return answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      if (m[1] !== token) return answer(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      let payload: Record<string, unknown> = Object.fromEntries(url.searchParams);
      const body = Buffer.concat(chunks).toString('utf8');
      if (body) {
        try {
          payload = { ...payload, ...(JSON.parse(body) as Record<string, unknown>) };
        } catch {
          return answer(res, 400, { ok: false, error_code: 400, description: 'Bad Request: the fake reads JSON only' });
        }
      }
      const method = m[2]!;
      const entry: FakeCall = { method, payload, at: Date.now() };
      if (opts.record !== false) calls.push(entry);
      void call(entry, res);
      if (!entry.refused) counts[method] = (counts[method] ?? 0) + 1;
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    botInfo,
    calls,
    counts,
    webhook,
    callsOf: (method) => calls.filter((c) => c.method === method),
    sent(chatId) {
      return calls
        .filter((c) => c.method === 'sendMessage' && !c.refused && (chatId === undefined || Number(c.payload.chat_id) === chatId))
        .map((c) => ({
          chat_id: Number(c.payload.chat_id),
          message_id: Number(c.payload.message_id),
          text: String(c.payload.text),
          ...(c.payload.reply_markup ? { reply_markup: c.payload.reply_markup as InlineKeyboardMarkup } : {}),
        }));
    },
    enqueue(update) {
      const update_id = update.update_id ?? nextUpdateId++;
      if (update_id >= nextUpdateId) nextUpdateId = update_id + 1;
      queue.push({ ...update, update_id } as Update);
      wake();
      return update_id;
    },
    pending: () => queue.length,
    reset() {
      calls.length = 0;
      queue.length = 0;
      for (const k of Object.keys(counts)) delete counts[k];
    },
    rateLimit(method, retryAfter, times = 1) {
      failures.set(method, { error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter }, times });
    },
    failNext(method, error_code, description, times = 1) {
      failures.set(method, { error_code, description, times });
    },
    async waitFor(pred, what = 'condition', timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      while (!pred()) {
        if (Date.now() > until) throw new Error(`fake Bot API: timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// Updates as Telegram sends them, for a user whose private chat id is their user id.

const user = (id: number) => ({ id, is_bot: false, first_name: `User${id}`, language_code: 'id' });
const privateChat = (id: number) => ({ id, type: 'private' as const, first_name: `User${id}` });
const now = () => Math.floor(Date.now() / 1000);
let nextIncoming = 1;

export function textUpdate(from: number, text: string): NewUpdate {
  return { message: { message_id: nextIncoming++, date: now(), chat: privateChat(from), from: user(from), text } } as NewUpdate;
}

export function groupUpdate(from: number, groupId: number, text: string, type: 'group' | 'supergroup' = 'supergroup'): NewUpdate {
  return { message: { message_id: nextIncoming++, date: now(), chat: { id: groupId, type, title: 'Grup Test' }, from: user(from), text } } as NewUpdate;
}

export function channelPostUpdate(channelId: number, text: string): NewUpdate {
  return { channel_post: { message_id: nextIncoming++, date: now(), chat: { id: channelId, type: 'channel', title: 'Kanal' }, text } } as NewUpdate;
}

export function mediaUpdate(from: number, kind: 'sticker' | 'photo' | 'voice' | 'document'): NewUpdate {
  const media = {
    sticker: { sticker: { file_id: 'st', file_unique_id: 'st', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } },
    photo: { photo: [{ file_id: 'ph', file_unique_id: 'ph', width: 90, height: 90 }], caption: 'PLN 123456789' },
    voice: { voice: { file_id: 'vo', file_unique_id: 'vo', duration: 3 } },
    document: { document: { file_id: 'do', file_unique_id: 'do', file_name: 'tagihan.pdf' } },
  }[kind];
  return { message: { message_id: nextIncoming++, date: now(), chat: privateChat(from), from: user(from), ...media } } as NewUpdate;
}

/** A tap on a button of the bot's message `messageId` in `from`'s private chat. */
export function tapUpdate(from: number, messageId: number, data: string): NewUpdate {
  return {
    callback_query: {
      id: `cb${nextIncoming++}`,
      from: user(from),
      chat_instance: `ci${from}`,
      data,
      message: { message_id: messageId, date: now(), chat: privateChat(from), from: { id: 1, is_bot: true, first_name: 'Bot' }, text: '…' },
    },
  } as NewUpdate;
}
