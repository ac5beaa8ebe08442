/**
 * The connection's life through the fake socket: every close makes a new socket (Baileys never reconnects by
 * itself), 515 at once, 401 clears the stored login and starts a fresh one, repeated 440s wait, and every
 * creds.update is saved in Redis.
 */
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWhatsAppChannel, type WhatsAppChannel, type WhatsAppChannelOptions } from '../../../src/channels/whatsapp/index.ts';
import { redisShared } from '../../../src/channels/whatsapp/shared.ts';
import { createRedisWhatsAppAuth } from '../../../src/store/whatsapp-auth.ts';
import { assertRedis, dropPrefix, redisUrl, uniquePrefix } from '../../helpers/redis.ts';
import { fakeSockets, type FakeSockets, sleep, textMessage, waitFor } from './fake-socket.ts';
import { captureLog, startWhatsAppBot, WA_RESELLER, type LogLine, type WhatsAppTestBot } from './harness.ts';

let redis: Redis;
let prefix: string;
let channel: WhatsAppChannel | undefined;
let bot: WhatsAppTestBot | undefined;
beforeEach(async () => {
  await assertRedis();
  redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  prefix = uniquePrefix('wa-conn');
});
afterEach(async () => {
  await channel?.stop();
  await bot?.stop();
  channel = undefined;
  bot = undefined;
  await dropPrefix(redisUrl(), prefix);
  redis.disconnect();
});

function start(socks: FakeSockets, extra: Partial<WhatsAppChannelOptions> = {}): { channel: WhatsAppChannel; logs: LogLine[] } {
  const { log, lines } = captureLog();
  channel = createWhatsAppChannel({
    ...redisShared({ redis, prefix, log, leaseTtlMs: 600 }),
    makeSocket: socks.factory,
    log,
    reconnect: { baseMs: 20, maxMs: 100 },
    ...extra,
  });
  void channel.start(async () => []);
  return { channel, logs: lines };
}

const stateOf = (c: WhatsAppChannel) => c.state();

describe('the WhatsApp connection', () => {
  it('a closed socket is replaced by a new one, and the conversation carries on', async () => {
    bot = await startWhatsAppBot();
    const first = await bot.socks.nth(1);
    await waitFor(() => bot!.channel.state() === 'open', 'open');
    first.close(428); // connectionClosed
    expect(bot.channel.up!()).toBe(false);
    const second = await bot.socks.nth(2);
    expect(second).not.toBe(first);
    await waitFor(() => bot!.channel.state() === 'open', 'open again');
    second.deliver([textMessage(WA_RESELLER, 'SALDO')]);
    expect(await bot.nth(WA_RESELLER, 1)).toContain('Rp 1.000.000');
    expect(first.sent).toHaveLength(0);
    expect(bot.logs.some((l) => l.msg === 'WhatsApp connection closed; reconnecting' && l.code === 428)).toBe(true);
  });

  it('restartRequired (515, right after pairing) reconnects at once; other closes back off', async () => {
    const socks = fakeSockets();
    const { channel: c } = start(socks, { reconnect: { baseMs: 1_500, maxMs: 1_500 } });
    const first = await socks.nth(1);
    await waitFor(() => stateOf(c) === 'open', 'open');
    const t0 = Date.now();
    first.close(515);
    await socks.nth(2);
    expect(Date.now() - t0).toBeLessThan(300);
    await waitFor(() => stateOf(c) === 'open', 'open');
    socks.last().close(408);
    expect(stateOf(c)).toBe('reconnecting');
    await sleep(400);
    expect(socks.sockets).toHaveLength(2);
    await socks.nth(3, 3_000);
  });

  it('linking by QR, then 515: the new socket at once, with the login just saved', async () => {
    const socks = fakeSockets({ autoOpen: false });
    const { channel: c } = start(socks);
    const first = await socks.nth(1);
    first.qr();
    first.link('6280000000003:2@s.whatsapp.net');
    first.close(515);
    const second = await socks.nth(2);
    expect(second.params.auth.creds.registered).toBe(true);
    expect(second.params.auth.creds.me?.id).toBe('6280000000003:2@s.whatsapp.net');
    second.open();
    await waitFor(() => stateOf(c) === 'open', 'open');
  });

  it('loggedOut (401) clears the stored login, says so on health, and waits for a new login with a fresh QR', async () => {
    const socks = fakeSockets({ autoOpen: false });
    const qrs: string[] = [];
    const { channel: c, logs } = start(socks, { onQr: (qr) => qrs.push(qr) });
    const first = await socks.nth(1);
    first.qr('2@first');
    expect(qrs).toEqual(['2@first']);
    expect(stateOf(c)).toBe('waiting-for-login');
    first.link();
    first.open();
    await waitFor(() => stateOf(c) === 'open', 'open');
    await sleep(50);
    const stored = JSON.parse((await redis.get(`${prefix}{wa}:auth:creds`))!) as { registered: boolean; me: { id: string } };
    expect(stored.registered).toBe(true);
    const oldNoise = first.params.auth.creds.noiseKey.public;

    first.close(401);
    const second = await socks.nth(2);
    expect(stateOf(c)).toBe('logged-out');
    expect(c.up!()).toBe(false);
    // Not the revoked login again: new keys, not registered, nothing of the old one left in Redis.
    expect(second.params.auth.creds.registered).toBe(false);
    expect(second.params.auth.creds.me).toBeUndefined();
    expect(Buffer.from(second.params.auth.creds.noiseKey.public).equals(Buffer.from(oldNoise))).toBe(false);
    expect(await redis.get(`${prefix}{wa}:auth:creds`)).toBeNull();
    expect(logs.some((l) => l.level === 50 && String(l.msg).includes('logged this device out'))).toBe(true);
    second.qr('2@second');
    expect(qrs).toEqual(['2@first', '2@second']);
    expect(stateOf(c)).toBe('logged-out');
    await sleep(200);
    expect(socks.sockets).toHaveLength(2);

    second.link('6280000000002:1@s.whatsapp.net');
    second.open();
    await waitFor(() => stateOf(c) === 'open', 'open with the new login');
    expect(c.up!()).toBe(true);
  });

  it('a loop of connectionReplaced (440) is broken: after a few, it waits before trying again', async () => {
    const socks = fakeSockets();
    const { channel: c, logs } = start(socks, {
      reconnect: { baseMs: 10, maxMs: 20, replacedLimit: 3, replacedWindowMs: 10_000, replacedWaitMs: 60_000 },
    });
    for (let n = 1; n <= 3; n++) {
      const s = await socks.nth(n);
      await waitFor(() => stateOf(c) === 'open' && socks.sockets.length === n, `open ${n}`);
      s.close(440);
    }
    await sleep(500);
    expect(socks.sockets).toHaveLength(3);
    expect(stateOf(c)).toBe('reconnecting');
    expect(logs.some((l) => l.level === 50 && String(l.msg).includes('keeps replacing'))).toBe(true);
  });

  it('every creds.update is saved; a pairing code is asked for once and shown instead of the QR', async () => {
    const socks = fakeSockets({ autoOpen: false });
    const qrs: string[] = [];
    const codes: string[] = [];
    start(socks, { pairingNumber: '6280000000009', onQr: (q) => qrs.push(q), onPairingCode: (code) => codes.push(code) });
    const s = await socks.nth(1);
    s.qr();
    s.qr();
    await waitFor(() => codes.length === 1, 'pairing code');
    expect(s.pairingRequests).toEqual(['6280000000009']);
    expect(qrs).toEqual([]);
    const { creds } = s.params.auth;
    for (let i = 1; i <= 5; i++) {
      creds.nextPreKeyId = 100 + i;
      s.emit('creds.update', { nextPreKeyId: creds.nextPreKeyId });
    }
    await waitFor(() => true, 'tick');
    await sleep(100);
    const login = await createRedisWhatsAppAuth({ redis, prefix }).load();
    expect(login.state.creds.nextPreKeyId).toBe(105);
  });

  it('a socket ended by the bot itself (stop) is not reconnected; the lease is given back', async () => {
    const socks = fakeSockets();
    const { channel: c } = start(socks);
    const s = await socks.nth(1);
    await waitFor(() => stateOf(c) === 'open', 'open');
    await c.stop();
    channel = undefined;
    expect(s.ended).toBe(true);
    expect(stateOf(c)).toBe('stopped');
    await sleep(200);
    expect(socks.sockets).toHaveLength(1);
    expect(await redis.get(`${prefix}{wa}:lease`)).toBeNull();
  });
});
