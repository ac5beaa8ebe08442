/**
 * Sending: replies at once in each chat's order; messages the user did not just ask for (broadcasts, later
 * receipts) at a slow global pace, users in a conversation first; rate-overlimit widens the pace; a failed
 * send is retried with backoff and, when it never goes, logged as an error naming the user.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisContacts } from '../../../src/channels/whatsapp/contacts.ts';
import { whatsappText } from '../../../src/channels/whatsapp/index.ts';
import { boom, rateOverlimit, sleep, textMessage, waitFor } from './fake-socket.ts';
import { startWhatsAppBot, wa, WA_CUSTOMER, WA_RESELLER, type WhatsAppTestBot } from './harness.ts';

let bot: WhatsAppTestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const OTHER = '6281100000001';

async function wrote(b: WhatsAppTestBot, digits: string): Promise<void> {
  const before = b.sentTo(digits).length;
  b.socks.last().deliver([textMessage(digits, 'HALO')]);
  await b.nth(digits, before + 1);
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe('sending on WhatsApp', () => {
  it('a broadcast goes at the global pace, while a reply to a user who just wrote goes at once', async () => {
    bot = await startWhatsAppBot({ channel: { paceMs: [300, 300] } });
    const sock = await bot.socks.nth(1);
    const users = ['6281100000011', '6281100000012', '6281100000013', '6281100000014'];
    for (const u of users) await wrote(bot, u);
    await sleep(200);
    for (const u of users) await bot.channel.send(wa(u), { text: 'Info: harga token naik besok' });
    await waitFor(() => sock.sent.filter((m) => m.text.startsWith('Info')).length >= 1, 'first broadcast message');
    const asked = Date.now();
    sock.deliver([textMessage(WA_RESELLER, 'SALDO')]);
    await bot.nth(WA_RESELLER, 1);
    const replied = Date.now() - asked;
    await waitFor(() => sock.sent.filter((m) => m.text.startsWith('Info')).length === users.length, 'the broadcast', 5_000);
    const times = sock.sent.filter((m) => m.text.startsWith('Info')).map((m) => m.at);
    // Paced from one take of the queue to the next; a few ms of Redis latency either side.
    for (const gap of gaps(times)) expect(gap).toBeGreaterThanOrEqual(260);
    expect(replied).toBeLessThan(250);
    expect(sock.sent.filter((m) => m.text.startsWith('Info')).map((m) => m.jid)).toEqual(users.map((u) => `${u}@s.whatsapp.net`));
  });

  it('users in a conversation go before the broadcast backlog', async () => {
    bot = await startWhatsAppBot({ channel: { paceMs: [100, 100], recentMs: 60_000 } });
    const sock = await bot.socks.nth(1);
    const contacts = createRedisContacts({ redis: bot.redis, prefix: bot.prefix });
    const quiet = ['6281100000021', '6281100000022', '6281100000023'];
    for (const u of quiet) await contacts.seen(wa(u), { jid: `${u}@s.whatsapp.net`, at: Date.now() - 3_600_000 });
    await wrote(bot, WA_RESELLER);
    await sleep(150);
    for (const u of quiet) await bot.channel.send(wa(u), { text: `Promo ${u}` });
    await waitFor(() => sock.sent.some((m) => m.text.startsWith('Promo')), 'first promo');
    await bot.channel.send(wa(WA_RESELLER), { text: 'Struk Anda' });
    await waitFor(() => sock.sent.filter((m) => m.text.startsWith('Promo')).length === 3, 'all promos', 5_000);
    const order = sock.sent.slice(1).map((m) => m.text);
    expect(order.indexOf('Struk Anda')).toBe(1);
  });

  it('rate-overlimit slows the broadcast pace down, and the refused message still goes', async () => {
    bot = await startWhatsAppBot({ channel: { paceMs: [80, 80], retry: { baseMs: 10, maxMs: 20 } } });
    const sock = await bot.socks.nth(1);
    const users = ['6281100000031', '6281100000032', '6281100000033'];
    for (const u of users) await wrote(bot, u);
    await sleep(100);
    expect(bot.channel.paceMs()).toEqual([80, 80]);
    sock.failures.push(rateOverlimit());
    for (const u of users) await bot.channel.send(wa(u), { text: `Kabar ${u}` });
    await waitFor(() => sock.sent.filter((m) => m.text.startsWith('Kabar')).length === users.length, 'all three', 5_000);
    expect(bot.channel.paceMs()).toEqual([160, 160]);
    const times = sock.sent.filter((m) => m.text.startsWith('Kabar')).map((m) => m.at);
    // Well past the old 80 ms gap (a few ms of Redis latency either side of the new 160).
    for (const gap of gaps(times)) expect(gap).toBeGreaterThanOrEqual(130);
    expect(sock.sent.filter((m) => m.text.startsWith('Kabar')).map((m) => m.jid)).toContain(`${users[0]}@s.whatsapp.net`);
    expect(bot.logs.some((l) => l.level === 40 && String(l.msg).includes('rate-overlimit'))).toBe(true);
  });

  it('a failed send is retried with backoff; one that never goes is logged as an error with the user', async () => {
    bot = await startWhatsAppBot({ channel: { retry: { attempts: 3, baseMs: 20, maxMs: 40 } } });
    const sock = await bot.socks.nth(1);
    sock.failures.push(new Error('socket hang up'), boom(428, 'Connection Closed'));
    sock.deliver([textMessage(WA_RESELLER, 'SALDO')]);
    expect(await bot.nth(WA_RESELLER, 1)).toContain('Rp 1.000.000');
    expect(bot.sentTo(WA_RESELLER)).toHaveLength(1);
    const retries = bot.logs.filter((l) => l.msg === 'WhatsApp send failed; retrying');
    expect(retries.map((l) => l.attempt)).toEqual([1, 2]);
    expect(retries.every((l) => l.user === wa(WA_RESELLER))).toBe(true);

    await wrote(bot, WA_CUSTOMER);
    sock.failures.push(new Error('boom 1'), new Error('boom 2'), new Error('boom 3'));
    await bot.channel.send(wa(WA_CUSTOMER), { text: 'Tidak akan sampai' });
    await waitFor(() => bot!.logs.some((l) => l.level === 50 && l.msg === 'WhatsApp message not delivered after retries'), 'the error');
    const error = bot.logs.find((l) => l.level === 50)!;
    expect(error).toMatchObject({ user: wa(WA_CUSTOMER), attempts: 3 });
    // Given up on, not retried forever: the queue is empty.
    await sleep(100);
    expect(await bot.redis.llen(`${bot.prefix}{wa}:outbox:inflight`)).toBe(0);
    expect(bot.sentTo(WA_CUSTOMER).filter((t) => t === 'Tidak akan sampai')).toHaveLength(0);
  });

  it("the bot's sent messages are kept for Baileys' getMessage (a recipient's retry), across sockets", async () => {
    bot = await startWhatsAppBot();
    const first = await bot.socks.nth(1);
    await wrote(bot, OTHER);
    const [sent] = first.sent;
    first.close(408);
    const second = await bot.socks.nth(2);
    const message = await second.params.getMessage({ remoteJid: sent!.jid, id: sent!.id, fromMe: true });
    expect(message?.conversation).toBe(sent!.text);
    expect(await second.params.getMessage({ remoteJid: sent!.jid, id: 'NOT-OURS' })).toBeUndefined();
  });

  it('a send while the connection is down waits for the new socket, and a chat keeps its order', async () => {
    bot = await startWhatsAppBot({ channel: { paceMs: [10, 10] } });
    const first = await bot.socks.nth(1);
    await wrote(bot, OTHER);
    first.close(408);
    for (let i = 1; i <= 3; i++) await bot.channel.send(wa(OTHER), { text: `pesan ${i}` });
    const second = await bot.socks.nth(2);
    await waitFor(() => second.sent.length === 3, 'three on the new socket');
    expect(second.sent.map((m) => m.text)).toEqual(['pesan 1', 'pesan 2', 'pesan 3']);
  });

  it('messages queued with nobody connected wait in Redis and go when a holder connects', async () => {
    bot = await startWhatsAppBot();
    await bot.socks.nth(1);
    await wrote(bot, OTHER);
    await bot.channel.stop();
    await bot.channel.send(wa(OTHER), { text: 'Struk tertunda' });
    expect(await bot.redis.llen(`${bot.prefix}{wa}:outbox:urgent`)).toBe(1);
    await bot.channel.start(async () => []);
    await waitFor(() => bot!.sentTo(OTHER).includes('Struk tertunda'), 'the queued message');
    expect(bot.socks.sockets).toHaveLength(2);
  });
});

describe('whatsappText', () => {
  it('wraps a reply laid out in columns in triple backticks, leaves others, and one holding backticks of its own', () => {
    expect(whatsappText({ text: 'Tagihan  Rp 1.000', fixedWidth: true })).toBe('```Tagihan  Rp 1.000```');
    expect(whatsappText({ text: 'Saldo Anda Rp 1.000.' })).toBe('Saldo Anda Rp 1.000.');
    expect(whatsappText({ text: 'Nama ```X```', fixedWidth: true })).toBe('Nama ```X```');
  });
});
