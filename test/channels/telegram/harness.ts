/**
 * A bot process with the Telegram channel attached, built as test/helpers/app.ts builds every test bot
 * (real Redis under a unique prefix, the MMBC simulator over HTTP), talking to the fake Bot API server.
 * Telegram users 7001 (reseller), 7002 (customer) and 7003 (second reseller) are ready.
 */
import { pino } from 'pino';
import type { UserId } from '../../../src/bot/channel.ts';
import { createTelegramChannel, type TelegramChannel, type TelegramChannelOptions } from '../../../src/channels/telegram/index.ts';
import { type SentMessage, startFakeBotApi, type FakeBotApi } from '../../helpers/fake-bot-api.ts';
import { startTestBot, type TestBot, type TestBotOptions } from '../../helpers/app.ts';
import { credit } from '../../helpers/credit.ts';

export const TG_RESELLER = 7001;
export const TG_CUSTOMER = 7002;
export const TG_RESELLER2 = 7003;
export const tg = (id: number): UserId => `telegram:${id}`;

/** Per-chat order kept, Telegram's one-second spacing off: these tests are about conversations, not pacing. */
export const FAST_LIMITS: TelegramChannelOptions['throttle'] = { out: { maxConcurrent: 1 }, group: { maxConcurrent: 1 } };

export interface TelegramTestBot extends TestBot {
  api: FakeBotApi;
  channel: TelegramChannel;
  /** Waits for the `n`th message (1-based, counting from the start) to `chatId` and returns it. */
  nth(chatId: number, n: number, timeoutMs?: number): Promise<SentMessage>;
}

export interface TelegramTestOptions extends TestBotOptions {
  api?: FakeBotApi;
  channel?: Partial<TelegramChannelOptions>;
}

export async function startTelegramBot(opts: TelegramTestOptions = {}): Promise<TelegramTestBot> {
  const api = opts.api ?? (await startFakeBotApi());
  const base = await startTestBot({
    ...opts,
    env: { TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.url, CHANNELS: 'telegram', ...opts.env },
  });
  if (!opts.prefix) {
    for (const id of [TG_RESELLER, TG_RESELLER2]) {
      await base.store.setReseller(tg(id), true, `Toko ${id}`, Date.now());
      await credit(base.store, tg(id), 1_000_000, { note: 'test' });
    }
  }
  const channel = createTelegramChannel({
    token: api.token,
    apiRoot: api.url,
    log: pino({ level: 'silent' }),
    pollTimeoutSeconds: 1,
    throttle: FAST_LIMITS,
    ...opts.channel,
  });
  await base.app.attach(channel);
  const ownApi = !opts.api;
  return {
    ...base,
    api,
    channel,
    async nth(chatId, n, timeoutMs = 5_000) {
      await api.waitFor(() => api.sent(chatId).length >= n, `message ${n} to chat ${chatId}`, timeoutMs);
      return api.sent(chatId)[n - 1]!;
    },
    async stop() {
      await base.stop();
      if (ownApi) await api.close();
    },
  };
}

/** The callback_data of the button labelled `label` on a sent message. */
export function button(msg: SentMessage, label: string): string {
  const b = msg.reply_markup?.inline_keyboard.flat().find((x) => x.text === label);
  if (!b || !('callback_data' in b)) throw new Error(`no button ${label} on message ${msg.message_id}: ${JSON.stringify(msg.reply_markup)}`);
  return b.callback_data;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
