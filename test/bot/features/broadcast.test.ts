/**
 * BC from the admin's side, on the recording `test` channel (no edit in place: a new line per tenth): who gets
 * it, the tally, refusals, and the same on the embedded store.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.ts';
import type { Channel, Reply, UserId } from '../../../src/bot/channel.ts';
import { loadConfig } from '../../../src/config.ts';
import { ADMIN, CUSTOMER, RESELLER, startTestBot, type TestBot } from '../../helpers/app.ts';

let bot: TestBot | undefined;
let app: App | undefined;
afterEach(async () => {
  await bot?.stop();
  await app?.stop();
  bot = undefined;
  app = undefined;
});

const customers = Array.from({ length: 25 }, (_, i) => `test:c${String(i + 1).padStart(2, '0')}`);
const texts = (b: TestBot, u: UserId) => (b.inbox.get(u) ?? []).map((r) => r.text);

/** A channel named `flaky` whose send fails for one user, as a channel does after its own retries. */
function flakyChannel(inbox: Map<UserId, Reply[]>, failFor: UserId): Channel {
  return {
    name: 'flaky',
    async start() {},
    async send(user, reply) {
      if (user === failFor) throw new Error('network down');
      inbox.set(user, [...(inbox.get(user) ?? []), reply]);
    },
    async stop() {},
  };
}

describe('BC', () => {
  it('reaches every user who has messaged the bot once, as typed, and the admin sees tenths and the tally', async () => {
    bot = await startTestBot();
    for (const c of customers) await bot.store.touchUser(c, Date.now());
    // One user on a channel that fails, one on a channel this process does not run.
    await bot.app.attach(flakyChannel(bot.inbox, 'flaky:2'));
    for (const u of ['flaky:1', 'flaky:2', 'gone:1']) await bot.store.touchUser(u, Date.now());
    const message = 'Info: harga token PLN naik besok.\nCek HARGA PLN ya, #hemat';
    const started = await bot.say(ADMIN, `BC ${message}`);
    // Everyone: 25 customers, the reseller, the admin, flaky:1, flaky:2, gone:1.
    expect(started).toMatch(/^Broadcast B[0-9A-Z]{7} dimulai ke 30 penerima \(semua pengguna\)\.$/);
    const id = /Broadcast (B[0-9A-Z]{7})/.exec(started)![1]!;
    await bot.app.broadcasts.idle();
    for (const u of [...customers, RESELLER, 'flaky:1']) expect(texts(bot, u), u).toEqual([message]);
    expect(bot.inbox.get('flaky:2')).toBeUndefined();
    const admin = texts(bot, ADMIN);
    expect(admin.filter((t) => t === message)).toHaveLength(1);
    const lines = admin.filter((t) => t.startsWith(`Broadcast ${id}:`));
    const percents = lines.map((l) => Number(/: (\d+)%/.exec(l)![1]));
    expect(percents.length).toBeGreaterThan(0);
    expect(percents.length).toBeLessThanOrEqual(9);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(new Set(percents.map((p) => Math.floor(p / 10))).size).toBe(percents.length);
    expect(admin.at(-1)).toBe(`Broadcast ${id} selesai untuk 30 penerima: 28 terkirim, 1 gagal, 1 dilewati (memblokir bot atau tidak bisa dihubungi).`);
    expect(await bot.store.getBroadcast(id)).toMatchObject({ state: 'done', total: 30, sent: 28, failed: 1, skipped: 1, unconfirmed: 0, audience: 'all', by: ADMIN, text: message });
  });

  it('BC RESELLER reaches resellers only', async () => {
    bot = await startTestBot();
    for (const c of customers) await bot.store.touchUser(c, Date.now());
    await bot.store.setReseller('test:r2', true, 'Toko Dua', Date.now());
    await bot.store.setReseller('test:r3', true, 'Toko Tiga', Date.now());
    await bot.store.setReseller('test:r3', false, undefined, Date.now());
    expect(await bot.say(ADMIN, 'bc reseller Deposit via TIKET mulai hari ini')).toMatch(/dimulai ke 2 penerima \(reseller saja\)/);
    await bot.app.broadcasts.idle();
    expect(texts(bot, RESELLER)).toEqual(['Deposit via TIKET mulai hari ini']);
    expect(texts(bot, 'test:r2')).toEqual(['Deposit via TIKET mulai hari ini']);
    for (const u of [...customers, 'test:r3', CUSTOMER]) expect(bot.inbox.get(u), u).toBeUndefined();
    expect(texts(bot, ADMIN).at(-1)).toMatch(/selesai untuk 2 penerima: 2 terkirim, 0 gagal, 0 dilewati/);
  });

  it('is refused to a reseller and a customer, and nothing is sent or recorded', async () => {
    bot = await startTestBot();
    for (const c of customers) await bot.store.touchUser(c, Date.now());
    expect(await bot.say(RESELLER, 'BC Promo besar')).toContain('hanya untuk admin');
    expect(await bot.say(CUSTOMER, 'BC RESELLER Promo besar')).toContain('hanya untuk admin');
    await bot.app.broadcasts.idle();
    expect([...bot.inbox.keys()]).toEqual([]);
    expect(await bot.store.dueBroadcasts(Date.now() + 3_600_000, 1000, 10)).toEqual([]);
  });

  it('asks for a message, and says so when there is nobody to send to', async () => {
    bot = await startTestBot();
    expect(await bot.say(ADMIN, 'BC')).toContain('BC RESELLER <pesan>');
    expect(await bot.say(ADMIN, 'BC RESELLER')).toContain('BC RESELLER <pesan>');
    await bot.store.setReseller(RESELLER, false, undefined, Date.now());
    expect(await bot.say(ADMIN, 'BC RESELLER halo')).toBe('Broadcast tidak dikirim: belum ada penerima (reseller saja).');
    expect(await bot.store.dueBroadcasts(Date.now() + 3_600_000, 1000, 10)).toEqual([]);
  });

  it('acts once on a BC delivered twice (a channel re-delivering the update)', async () => {
    bot = await startTestBot();
    for (const c of customers.slice(0, 3)) await bot.store.touchUser(c, Date.now());
    expect(await bot.say(ADMIN, 'BC Sekali saja', 'update-77')).toContain('dimulai ke 5 penerima');
    expect(await bot.say(ADMIN, 'BC Sekali saja', 'update-77')).toBe('');
    await bot.app.broadcasts.idle();
    for (const u of [...customers.slice(0, 3), RESELLER]) expect(texts(bot, u), u).toEqual(['Sekali saja']);
  });

  it('is listed in the admin help', async () => {
    bot = await startTestBot();
    expect(await bot.say(ADMIN, 'BANTUAN')).toContain('BC [RESELLER] <pesan>');
    expect(await bot.say(RESELLER, 'BANTUAN')).not.toContain('BC ');
  });
});

describe('BC on the embedded store', () => {
  it('runs in process, once per user, with the tally', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', FLOOD_MAX_MESSAGES: '10000', LOCALE: 'en' }, '/nonexistent/.env');
    app = await createApp(config, { log: pino({ level: 'silent' }), autostartWorker: false });
    expect(app.store.kind).toBe('memory');
    const inbox = new Map<UserId, Reply[]>();
    const recording = (name: string): Channel => ({
      name,
      async start() {},
      async send(user, reply) {
        inbox.set(user, [...(inbox.get(user) ?? []), reply]);
      },
      async stop() {},
    });
    await app.attach(recording('console'));
    await app.attach(recording('test'));
    for (const c of customers) await app.store.touchUser(c, Date.now());
    // In sandbox mode console:local is the admin.
    const [reply] = await app.bot.handle({ user: 'console:local', text: 'BC Maintenance tonight 23:00 WIB' });
    expect(reply?.text).toMatch(/^Broadcast B[0-9A-Z]{7} started to 26 recipients \(all users\)\.$/);
    await app.broadcasts.idle();
    for (const c of customers) expect(inbox.get(c)?.map((r) => r.text)).toEqual(['Maintenance tonight 23:00 WIB']);
    const admin = (inbox.get('console:local') ?? []).map((r) => r.text);
    expect(admin.filter((t) => t === 'Maintenance tonight 23:00 WIB')).toHaveLength(1);
    expect(admin.at(-1)).toMatch(/finished for 26 recipients: 26 sent, 0 failed, 0 skipped/);
  });
});
