/**
 * A Bot API that stops answering holds nothing: a failed call is retried a bounded number of times, a stop
 * ends the retries at once and gives an unanswered request a few seconds, and a start-up that cannot reach
 * the API says so in the log (without the token) and can be stopped.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, STOP_GRACE_MS, type TelegramChannel } from '../../../src/channels/telegram/index.ts';
import { startFakeBotApi, textUpdate, type FakeBotApi } from '../../helpers/fake-bot-api.ts';
import { startDeadableApi, type DeadableApi } from './dead-api.ts';
import { sleep, startTelegramBot, type TelegramTestBot, TG_RESELLER } from './harness.ts';

let api: FakeBotApi | undefined;
let dead: DeadableApi | undefined;
let bot: TelegramTestBot | undefined;
let channel: TelegramChannel | undefined;
afterEach(async () => {
  await channel?.stop();
  await bot?.stop();
  await dead?.close();
  await api?.close();
  api = dead = bot = channel = undefined;
});

function capture(): { log: pino.Logger; text: () => string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), text: () => lines.join('') };
}

/** A bot whose Bot API calls go through the relay; `retry` as given (the shipped policy when absent). */
async function botBehindRelay(retry?: { baseMs: number }): Promise<{ text: () => string }> {
  api = await startFakeBotApi();
  dead = await startDeadableApi(api.url);
  const { log, text } = capture();
  bot = await startTelegramBot({ api, channel: { apiRoot: dead.url, log, ...(retry ? { retry } : {}) } });
  return { text };
}

/** Resolves with how long `p` took, or with Infinity when it has not settled within `limitMs`. */
async function timed(p: Promise<unknown>, limitMs: number): Promise<number> {
  const t0 = Date.now();
  const settled = await Promise.race([p.then(() => true, () => true), sleep(limitMs).then(() => false)]);
  return settled ? Date.now() - t0 : Number.POSITIVE_INFINITY;
}

describe('a Bot API that stops answering', () => {
  it('a reply whose connection is cut is tried four times in all, then given up and logged', async () => {
    const { text } = await botBehindRelay({ baseMs: 50 });
    dead!.drop('sendMessage');
    api!.enqueue(textUpdate(TG_RESELLER, 'SALDO'));
    await api!.waitFor(() => text().includes('sendMessage failed'), 'the reply given up', 3_000);
    expect(dead!.seen.sendMessage).toBe(4);
    await sleep(400);
    expect(dead!.seen.sendMessage).toBe(4);
    expect(text()).toContain('Bot API call retried');
    expect(text()).not.toContain(api!.token.split(':')[1]);
  });

  it('stop() with a reply waiting to be retried returns at once', async () => {
    const { text } = await botBehindRelay();
    dead!.drop('sendMessage');
    api!.enqueue(textUpdate(TG_RESELLER, 'SALDO'));
    await api!.waitFor(() => dead!.seen.sendMessage === 1, 'the first attempt', 5_000);
    expect(await timed(bot!.channel.stop(), 8_000)).toBeLessThan(1_000);
    expect(dead!.seen.sendMessage).toBe(1);
    expect(text()).toContain('sendMessage failed');
  });

  it('stop() with a reply the API never answers returns within the stop grace', async () => {
    await botBehindRelay();
    dead!.hang('sendMessage');
    api!.enqueue(textUpdate(TG_RESELLER, 'SALDO'));
    await api!.waitFor(() => dead!.seen.sendMessage === 1, 'the request sent', 5_000);
    const took = await timed(bot!.channel.stop(), STOP_GRACE_MS + 5_000);
    expect(took).toBeGreaterThanOrEqual(STOP_GRACE_MS - 100);
    expect(took).toBeLessThan(STOP_GRACE_MS + 1_500);
  }, 20_000);

  it('a reply to a live API still goes out after stop() began', async () => {
    api = await startFakeBotApi();
    dead = await startDeadableApi(api.url);
    bot = await startTelegramBot({ api, env: { PROVIDER_TIMEOUT_MS: '10000' }, channel: { apiRoot: dead.url } });
    // The biller answers after the stop grace has run out: the reply's own request still has its time.
    bot.sim.setDelay(STOP_GRACE_MS + 1_000);
    api.enqueue(textUpdate(TG_RESELLER, 'PLN 532100112233'));
    await api.waitFor(() => bot!.sim.calls.cektagihan === 1, 'the inquiry in flight', 5_000);
    await bot.channel.stop();
    expect(api.sent(TG_RESELLER).map((m) => m.text)).toEqual([expect.stringContaining('SITI AMINAH')]);
  }, 20_000);
});

describe('starting against a dead Bot API', () => {
  it('says in the log where it is trying and that it retries, without the token, then gives up', async () => {
    api = await startFakeBotApi();
    dead = await startDeadableApi(api.url);
    dead.drop();
    const { log, text } = capture();
    channel = createTelegramChannel({ token: api.token, apiRoot: `${dead.url}/`, log, retry: { baseMs: 50 } });
    await expect(channel.start(async () => [])).rejects.toThrow('Telegram getMe failed');
    const warned = text().split('\n').filter((l) => l.includes(`Telegram API not answering at ${dead!.url}, retrying`));
    expect(warned).toHaveLength(3);
    expect(JSON.parse(warned[0]!)).toMatchObject({ level: 40, method: 'getMe', attempt: 1 });
    expect(dead.seen.getMe).toBe(4);
    expect(text()).not.toContain(api.token.split(':')[1]);
  });

  it('stop() during the wait ends the start quietly and starts no polling', async () => {
    api = await startFakeBotApi();
    dead = await startDeadableApi(api.url);
    dead.drop();
    const { log, text } = capture();
    channel = createTelegramChannel({ token: api.token, apiRoot: dead.url, log });
    const started = channel.start(async () => []);
    await api.waitFor(() => text().includes('Telegram API not answering'), 'the first warning', 3_000);
    expect(await timed(channel.stop(), 5_000)).toBeLessThan(1_000);
    await expect(started).resolves.toBeUndefined();
    await sleep(200);
    expect(dead.seen.getUpdates ?? 0).toBe(0);
    expect(dead.seen.deleteWebhook ?? 0).toBe(0);
  });
});
