/**
 * Durability: a bot process SIGKILLed mid-broadcast, and another on the same Redis carries it on once the lease
 * lapses, sending nobody the broadcast twice; and a process that stops hands its broadcast over at once.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { startTelegramBot, tg, type TelegramTestBot } from '../channels/telegram/harness.ts';
import { startFakeBotApi, type FakeBotApi } from '../helpers/fake-bot-api.ts';
import { dropPrefix, redisUrl, uniquePrefix } from '../helpers/redis.ts';
import { ADMIN } from '../helpers/app.ts';

const bots: TelegramTestBot[] = [];
let api: FakeBotApi | undefined;
let prefix = '';
afterEach(async () => {
  for (const b of bots.splice(0)) await b.stop();
  await api?.close();
  if (prefix) await dropPrefix(redisUrl(), prefix);
  api = undefined;
  prefix = '';
});

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const USERS = Array.from({ length: 30 }, (_, i) => 5001 + i);

describe('a broadcast survives its process', () => {
  it('SIGKILL mid-broadcast: another process carries it on after the lease, nobody gets it twice, the tally adds up', async () => {
    api = await startFakeBotApi();
    const fake = api;
    prefix = uniquePrefix('bc-kill');
    const seed = createRedisStore({ url: redisUrl(), prefix });
    for (const id of USERS) await seed.touchUser(tg(id), Date.now());
    await seed.close();
    // The first Telegram message goes to telegram:5001 (the lane runs in name order): they blocked the bot.
    fake.failNext('sendMessage', 403, 'Forbidden: bot was blocked by the user');

    // tsx as a loader in this very process, not its CLI: the CLI runs the bot in a child of its own, which a
    // SIGKILL to the CLI would leave to stop gracefully when its stdin closes.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, REDIS_URL: redisUrl(), REDIS_PREFIX: prefix, CHANNELS: 'console,telegram',
        TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.url, BROADCAST_RATE_PER_SECOND: '10', HTTP_PORT: '0', LOG_LEVEL: 'silent',
        // On Redis the console user is nobody special, sandbox or not: it is made the admin here.
        ADMIN_IDS: 'console:local',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.resume();
    const exited = new Promise((r) => child.on('exit', r));
    const MESSAGE = 'Info: server maintenance jam 23.00 WIB';
    try {
      // stdin stays open, so the process never stops by itself.
      await until(() => out.includes('console:local'), 'the child to start');
      child.stdin.write(`BC ${MESSAGE}\n`);
      const ofBroadcast = () => fake.callsOf('sendMessage').filter((c) => c.payload.text === MESSAGE);
      await until(() => ofBroadcast().length >= 10, 'ten broadcast messages from the child');
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const killedAt = Date.now();
    const id = /Broadcast (B[0-9A-Z]{7}) dimulai ke 31 penerima/.exec(out)?.[1];
    expect(id, out).toBeDefined();

    const b = await startTelegramBot({ api: fake, prefix });
    bots.push(b);
    const before = await b.store.getBroadcast(id!);
    expect(before?.state).toBe('running');
    expect(before!.taken).toBeGreaterThanOrEqual(10);
    // The dead process's lease still holds: nobody takes it over yet.
    expect(await b.app.broadcasts.tick()).toBe(0);
    b.advance(31_000);
    expect(await b.app.broadcasts.tick()).toBe(1);
    await b.app.broadcasts.idle();

    const final = await b.store.getBroadcast(id!);
    expect(final).toMatchObject({ state: 'done', total: 31, skipped: 1 });
    expect(final!.sent + final!.failed).toBe(30);
    expect(final!.failed).toBe(final!.unconfirmed);
    const received = USERS.map((u) => fake.sent(u).filter((m) => m.text === MESSAGE).length);
    expect(Math.max(...received)).toBe(1);
    expect(received[0]).toBe(0);
    const got = received.filter((n) => n === 1).length;
    // console:local got it in the child; a message in flight at the kill may or may not have arrived.
    expect(got).toBeGreaterThanOrEqual(final!.sent - 1);
    expect(got).toBeLessThanOrEqual(final!.sent - 1 + final!.unconfirmed);
    expect(fake.callsOf('sendMessage').filter((c) => c.payload.text === MESSAGE && c.at > killedAt).length).toBeGreaterThan(0);
    const tally = b.inbox.get('console:local')?.at(-1)?.text ?? '';
    expect(tally).toContain(`Broadcast ${id} selesai untuk 31 penerima: ${final!.sent} terkirim, ${final!.failed} gagal, 1 dilewati`);
  }, 40_000);

  it('a process that stops hands its broadcast to another at once, with an exact tally', async () => {
    const a = await startTelegramBot({ env: { BROADCAST_RATE_PER_SECOND: '10' } });
    bots.push(a);
    for (const id of USERS) await a.store.touchUser(tg(id), Date.now());
    const MESSAGE = 'Promo pulsa akhir pekan';
    const started = await a.say(ADMIN, `BC ${MESSAGE}`);
    const id = /Broadcast (B[0-9A-Z]{7})/.exec(started)![1]!;
    const ofBroadcast = () => a.api.sent().filter((m) => m.text === MESSAGE);
    await until(() => ofBroadcast().length >= 8, 'eight messages');
    await a.app.broadcasts.stop();
    const handedOver = ofBroadcast().length;
    const paused = await a.store.getBroadcast(id);
    expect(paused).toMatchObject({ state: 'running', unconfirmed: 0 });
    expect(paused!.sent + paused!.failed + paused!.skipped).toBe(paused!.taken);

    const b = await startTelegramBot({ api: a.api, prefix: a.prefix, env: { BROADCAST_RATE_PER_SECOND: '50' } });
    bots.push(b);
    expect(await b.app.broadcasts.tick()).toBe(1);
    await b.app.broadcasts.idle();
    // 30 users, the harness's two Telegram resellers, its test:reseller and the admin.
    expect(await b.store.getBroadcast(id)).toMatchObject({ state: 'done', total: 34, sent: 34, failed: 0, skipped: 0, unconfirmed: 0 });
    // On Telegram: the 30 users and the two resellers.
    expect(ofBroadcast().length).toBe(32);
    expect(ofBroadcast().length).toBeGreaterThan(handedOver);
    expect(new Set(ofBroadcast().map((m) => m.chat_id)).size).toBe(32);
    // The `test` lane is not paced: the admin had it from the first process.
    expect([...(a.inbox.get(ADMIN) ?? []), ...(b.inbox.get(ADMIN) ?? [])].filter((r) => r.text === MESSAGE)).toHaveLength(1);
    expect(b.inbox.get(ADMIN)?.at(-1)?.text).toMatch(/selesai untuk 34 penerima: 34 terkirim, 0 gagal, 0 dilewati/);
  });
});
