/**
 * startWhatsApp as main.ts calls it: the channel attached to the app, its state in Redis under the bot's prefix,
 * the QR code (or the pairing code) printed for the operator, and /healthz showing WhatsApp.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { translator } from '../../../src/bot/i18n.ts';
import { startWhatsApp } from '../../../src/channels/whatsapp/start.ts';
import type { WhatsAppChannel } from '../../../src/channels/whatsapp/index.ts';
import { startTestBot, type TestBot } from '../../helpers/app.ts';
import { globEscape, hashTag, redisUrl, scanKeys } from '../../helpers/redis.ts';
import { fakeSockets, textMessage, waitFor } from './fake-socket.ts';
import { captureLog } from './harness.ts';

let bot: TestBot | undefined;
let channel: WhatsAppChannel | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  channel = undefined;
});

function output() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => {
    text += c.toString();
  });
  return { out, text: () => text };
}

describe('startWhatsApp', () => {
  it('prints the QR code on first start, keeps its state in Redis under the prefix, and shows on /healthz', async () => {
    bot = await startTestBot();
    const socks = fakeSockets({ autoOpen: false });
    const { out, text } = output();
    const { log } = captureLog();
    const config = { ...bot.app.config, REDIS_URL: redisUrl(), REDIS_PREFIX: bot.prefix, WHATSAPP_ENABLED: '1' as const };
    channel = await startWhatsApp(bot.app, config, log, { makeSocket: socks.factory, output: out });
    expect(bot.app.channels.get('whatsapp')).toBe(channel);
    const sock = await socks.nth(1);
    sock.qr('2@QRDATA,abc,def');
    await waitFor(() => text().includes(translator('id')('whatsapp.scanQr')), 'the QR');
    expect(text()).toMatch(/[▀▄█]/);
    expect((await bot.app.health()).channels.whatsapp).toBe(false);
    expect(channel.state()).toBe('waiting-for-login');

    sock.link();
    sock.open();
    await waitFor(() => channel!.state() === 'open', 'open');
    expect((await bot.app.health()).channels.whatsapp).toBe(true);
    sock.deliver([textMessage('6281234500000', 'HALO')]);
    await waitFor(() => sock.sent.length === 1, 'a reply');
    const keys = await scanKeys(redisUrl(), `${globEscape(bot.prefix)}{wa}*`);
    expect(keys).toEqual(expect.arrayContaining([`${bot.prefix}{wa}:auth:creds`, `${bot.prefix}{wa}:lease`, `${bot.prefix}{wa}:contacts`]));
    for (const k of keys) expect(hashTag(k)).toBe('wa');
  });

  it('with WHATSAPP_PAIRING_NUMBER prints a pairing code instead; without Redis the login is in memory, with a warning', async () => {
    bot = await startTestBot();
    const socks = fakeSockets({ autoOpen: false });
    const { out, text } = output();
    const { log, lines } = captureLog();
    const config = { ...bot.app.config, REDIS_URL: undefined, WHATSAPP_ENABLED: '1' as const, WHATSAPP_PAIRING_NUMBER: '6281299990000', LOCALE: 'en' as const };
    channel = await startWhatsApp(bot.app, config, log, { makeSocket: socks.factory, output: out });
    const sock = await socks.nth(1);
    sock.qr();
    await waitFor(() => text().includes('ABCD-1234'), 'the pairing code');
    expect(text()).toContain(translator('en')('whatsapp.pairingCode', { number: '6281299990000', code: 'ABCD-1234' }));
    expect(sock.pairingRequests).toEqual(['6281299990000']);
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('WhatsApp login is kept in memory'))).toBe(true);
  });
});
