/**
 * A broadcast across real channel adapters: Telegram on the fake Bot API server, WhatsApp on the fake socket and
 * the recording `test` channel. A user who blocked the bot and one who never wrote on WhatsApp are skipped and
 * counted; an admin on Telegram watches one message rewritten in place; Telegram goes at the configured rate.
 */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserId } from '../../src/bot/channel.ts';
import { createWhatsAppChannel } from '../../src/channels/whatsapp/index.ts';
import { redisShared } from '../../src/channels/whatsapp/shared.ts';
import { ADMIN, RESELLER } from '../helpers/app.ts';
import { redisUrl } from '../helpers/redis.ts';
import { startTelegramBot, tg, type TelegramTestBot } from '../channels/telegram/harness.ts';
import { fakeSockets, textMessage, waitFor } from '../channels/whatsapp/fake-socket.ts';
import { textUpdate } from '../helpers/fake-bot-api.ts';

let bot: TelegramTestBot | undefined;
let redis: Redis | undefined;
afterEach(async () => {
  await bot?.stop();
  redis?.disconnect();
  bot = undefined;
  redis = undefined;
});

const silent = pino({ level: 'silent' });
const WA_WROTE = '6281300000001';
const WA_COLD = '6281300000002';
const BLOCKED = 1000;

async function withWhatsApp(b: TelegramTestBot) {
  redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  const socks = fakeSockets();
  const channel = createWhatsAppChannel({
    ...redisShared({ redis, prefix: b.prefix, leaseTtlMs: 600 }),
    makeSocket: socks.factory,
    log: silent,
    paceMs: [20, 30],
    retry: { baseMs: 20, maxMs: 100 },
    reconnect: { baseMs: 20, maxMs: 100 },
    idlePollMs: 50,
    stopGraceMs: 2_000,
  });
  await b.app.attach(channel);
  await socks.nth(1);
  const sentTo = (digits: string) => socks.sockets.flatMap((s) => s.sent).filter((m) => m.jid.startsWith(`${digits}@`)).map((m) => m.text);
  return { socks, sentTo };
}

describe('broadcast over Telegram and WhatsApp', () => {
  it('reaches each user once on their own channel; the blocked and the never-written are skipped and counted', async () => {
    bot = await startTelegramBot();
    const b = bot;
    const wa = await withWhatsApp(b);
    // A WhatsApp user who wrote (so may be messaged) and a reseller added by number who never did.
    wa.socks.last().deliver([textMessage(WA_WROTE, 'HALO')]);
    await waitFor(() => wa.sentTo(WA_WROTE).length === 1, 'the reply to HALO');
    await b.store.setReseller(`whatsapp:${WA_COLD}`, true, 'Toko Dingin', Date.now());
    const tgUsers = [BLOCKED, ...Array.from({ length: 20 }, (_, i) => 8001 + i)];
    for (const id of tgUsers) await b.store.touchUser(tg(id), Date.now());
    // Telegram's lane goes in user-name order, so the first Telegram message is the blocked user's.
    b.api.failNext('sendMessage', 403, 'Forbidden: bot was blocked by the user');

    const message = 'Pengumuman: layanan PDAM gangguan 1 jam. Mohon maaf.';
    const started = await b.say(ADMIN, `BC ${message}`);
    // Telegram: 1000, 7001, 7003, 8001–8020; WhatsApp: 2; test: the reseller and the admin.
    expect(started).toContain('dimulai ke 27 penerima');
    await b.app.broadcasts.idle();

    const refused = b.api.callsOf('sendMessage').filter((c) => c.refused);
    expect(refused.map((c) => Number(c.payload.chat_id))).toEqual([BLOCKED]);
    expect(b.api.sent(BLOCKED)).toEqual([]);
    for (const id of [...tgUsers.slice(1), 7001, 7003]) expect(b.api.sent(id).map((m) => m.text), `telegram:${id}`).toEqual([message]);
    await waitFor(() => wa.sentTo(WA_WROTE).length === 2, 'the broadcast on WhatsApp');
    expect(wa.sentTo(WA_WROTE)[1]).toBe(message);
    expect(wa.sentTo(WA_COLD)).toEqual([]);
    for (const u of [RESELLER, ADMIN] as UserId[]) expect(b.inbox.get(u)?.filter((r) => r.text === message), u).toHaveLength(1);
    expect(b.inbox.get(ADMIN)?.at(-1)?.text).toMatch(/selesai untuk 27 penerima: 25 terkirim, 0 gagal, 2 dilewati/);
  });

  it('shows an admin on Telegram one progress message rewritten in place, and goes at the configured rate', async () => {
    bot = await startTelegramBot({ env: { BROADCAST_RATE_PER_SECOND: '20' } });
    const b = bot;
    const ADMIN_TG = 9001;
    (b.app.admins as Set<UserId>).add(tg(ADMIN_TG));
    const users = Array.from({ length: 30 }, (_, i) => 8101 + i);
    for (const id of users) await b.store.touchUser(tg(id), Date.now());
    b.api.enqueue(textUpdate(ADMIN_TG, 'BC Promo: admin 0 rupiah untuk BPJS minggu ini!'));
    // The start (the progress message), the broadcast itself (the admin has messaged the bot too), the tally.
    const live = await b.nth(ADMIN_TG, 1);
    // 30 users, the two Telegram resellers of the harness and its `test:reseller`, and the admin.
    expect(live.text).toMatch(/^Broadcast (B[0-9A-Z]{7}) dimulai ke 34 penerima \(semua pengguna\)\.\nBroadcast \1: 0% \(0\/34\)/);
    const tally = await b.nth(ADMIN_TG, 3, 10_000);
    expect(tally.text).toMatch(/selesai untuk 34 penerima: 34 terkirim, 0 gagal, 0 dilewati/);
    await b.app.broadcasts.idle();
    expect(b.api.sent(ADMIN_TG)).toHaveLength(3);

    const edits = b.api.callsOf('editMessageText');
    expect(edits.length).toBeGreaterThan(1);
    expect(edits.length).toBeLessThanOrEqual(10);
    for (const e of edits) expect([Number(e.payload.chat_id), Number(e.payload.message_id)]).toEqual([ADMIN_TG, live.message_id]);
    const percents = edits.map((e) => Number(/: (\d+)% /.exec(String(e.payload.text))![1]));
    expect(percents).toEqual([...percents].sort((x, y) => x - y));
    expect(new Set(percents.map((p) => Math.min(10, Math.floor(p / 10)))).size).toBe(percents.length);
    expect(percents.at(-1)).toBe(100);

    // Paced at 20 a second: 33 Telegram messages take about 1.6 s, and no second holds more than the rate and a short catch-up.
    const times = b.api.callsOf('sendMessage').filter((c) => String(c.payload.text).startsWith('Promo:')).map((c) => c.at);
    expect(times).toHaveLength(33);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(1_400);
    for (const t of times) expect(times.filter((x) => x >= t && x < t + 1_000).length).toBeLessThanOrEqual(22);
  });
});
