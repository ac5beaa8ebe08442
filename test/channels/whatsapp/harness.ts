/**
 * A bot process with the WhatsApp channel attached on a fake socket, built as test/helpers/app.ts builds every
 * test bot (real Redis under a unique prefix, the MMBC simulator over HTTP). The channel's own state (login,
 * lease, contacts, queue) is in the same Redis under the same prefix. `whatsapp:6281234567890` is a reseller.
 */
import { Redis } from 'ioredis';
import type { UserId } from '../../../src/bot/channel.ts';
import { redisShared } from '../../../src/channels/whatsapp/shared.ts';
import { createWhatsAppChannel, type WhatsAppChannel, type WhatsAppChannelOptions } from '../../../src/channels/whatsapp/index.ts';
import { startTestBot, type TestBot, type TestBotOptions } from '../../helpers/app.ts';
import { captureLog, type LogLine } from '../../helpers/log.ts';
import { redisUrl } from '../../helpers/redis.ts';
import { fakeSockets, type FakeSockets, waitFor } from './fake-socket.ts';
import { credit } from '../../helpers/credit.ts';

export const WA_RESELLER = '6281234567890';
export const WA_CUSTOMER = '6289876543210';
export const wa = (digits: string): UserId => `whatsapp:${digits}`;

export { captureLog, type LogLine };

export interface WhatsAppTestBot extends TestBot {
  channel: WhatsAppChannel;
  socks: FakeSockets;
  redis: Redis;
  logs: LogLine[];
  /** Every text sent to this phone number, over every socket, in order. */
  sentTo(digits: string): string[];
  /** Waits for the nth (1-based) text to this number. */
  nth(digits: string, n: number, timeoutMs?: number): Promise<string>;
}

export interface WhatsAppTestOptions extends TestBotOptions {
  socks?: FakeSockets;
  leaseTtlMs?: number;
  channel?: Partial<WhatsAppChannelOptions>;
}

export async function startWhatsAppBot(opts: WhatsAppTestOptions = {}): Promise<WhatsAppTestBot> {
  const base = await startTestBot(opts);
  if (!opts.prefix) {
    await base.store.setReseller(wa(WA_RESELLER), true, 'Toko WA', Date.now());
    await credit(base.store, wa(WA_RESELLER), 1_000_000, { note: 'test' });
  }
  const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  const socks = opts.socks ?? fakeSockets();
  const { log, lines } = captureLog();
  const channel = createWhatsAppChannel({
    ...redisShared({ redis, prefix: base.prefix, log, leaseTtlMs: opts.leaseTtlMs ?? 600 }),
    makeSocket: socks.factory,
    log,
    paceMs: [20, 30],
    retry: { baseMs: 20, maxMs: 100 },
    reconnect: { baseMs: 20, maxMs: 100 },
    idlePollMs: 50,
    stopGraceMs: 2_000,
    ...opts.channel,
  });
  await base.app.attach(channel);
  const sentTo = (digits: string) =>
    socks.sockets.flatMap((s) => s.sent).filter((m) => m.jid.startsWith(`${digits}@`)).map((m) => m.text);
  return {
    ...base,
    channel,
    socks,
    redis,
    logs: lines,
    sentTo,
    async nth(digits, n, timeoutMs = 5_000) {
      await waitFor(() => sentTo(digits).length >= n, `message ${n} to ${digits}`, timeoutMs);
      return sentTo(digits)[n - 1]!;
    },
    async stop() {
      await base.stop();
      redis.disconnect();
    },
  };
}
