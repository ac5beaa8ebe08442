/**
 * Outbound limits and secrets: a broadcast never puts more than 30 messages in any second, one chat gets
 * about one a second, and no log line or thrown error carries the bot token.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/index.ts';
import { REDACT_PATHS } from '../../../src/log.ts';
import { startFakeBotApi, textUpdate, type FakeBotApi } from '../../helpers/fake-bot-api.ts';
import { sleep, startTelegramBot, type TelegramTestBot, TG_RESELLER } from './harness.ts';

let api: FakeBotApi | undefined;
let channel: TelegramChannel | undefined;
let bot: TelegramTestBot | undefined;
afterEach(async () => {
  await channel?.stop();
  await bot?.stop();
  await api?.close();
  api = undefined;
  channel = undefined;
  bot = undefined;
});

async function startChannel(): Promise<TelegramChannel> {
  api = await startFakeBotApi();
  // Telegram's limits as shipped: no throttle option given.
  channel = createTelegramChannel({ token: api.token, apiRoot: api.url, log: pino({ level: 'silent' }), botInfo: api.botInfo });
  return channel;
}

function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('outbound limits', () => {
  it('a broadcast to 45 users never puts more than 30 messages in one second', async () => {
    const ch = await startChannel();
    await Promise.all(Array.from({ length: 45 }, (_, i) => ch.send(`telegram:${8000 + i}`, { text: `Pengumuman ${i}` })));
    const times = api!.callsOf('sendMessage').map((c) => c.at);
    expect(times).toHaveLength(45);
    expect(busiestSecond(times)).toBeLessThanOrEqual(30);
  });

  it('one chat gets its messages in order, about one a second', async () => {
    const ch = await startChannel();
    await Promise.all([1, 2, 3].map((n) => ch.send('telegram:8100', { text: `pesan ${n}` })));
    const calls = api!.callsOf('sendMessage');
    expect(calls.map((c) => c.payload.text)).toEqual(['pesan 1', 'pesan 2', 'pesan 3']);
    expect(calls[2]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1900);
  });

  it('a failed send() throws a plain error; a user who is not on Telegram is refused', async () => {
    const ch = await startChannel();
    api!.failNext('sendMessage', 403, 'Forbidden: bot was blocked by the user');
    await expect(ch.send('telegram:8200', { text: 'x' })).rejects.toThrow('sendMessage: 403 Forbidden: bot was blocked by the user');
    await expect(ch.send('whatsapp:628123', { text: 'x' })).rejects.toThrow('not a Telegram user');
  });
});

describe('the bot token', () => {
  it('appears in no log line and no error, also when the Bot API server is gone', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = pino({ level: 'trace', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    api = await startFakeBotApi();
    // Failures thrown at once rather than retried for ~20 s (the shipped setting), to keep the test short.
    bot = await startTelegramBot({ api, channel: { log, retry: { attempts: 0 } } });
    api.failNext('sendMessage', 403, 'Forbidden: bot was blocked by the user');
    api.enqueue(textUpdate(TG_RESELLER, 'SALDO'));
    await api.waitFor(() => api!.callsOf('sendMessage').length === 1, 'a refused reply');
    await api.close();
    api = undefined;
    await bot.channel.send(`telegram:${TG_RESELLER}`, { text: 'x' }).then(
      () => expect.fail('send to a dead server succeeded'),
      (err: Error) => lines.push(`${err.message}\n${err.stack ?? ''}\n${JSON.stringify(err)}`),
    );
    await sleep(600);
    const all = lines.join('\n');
    expect(all).toContain('sendMessage failed');
    expect(all).toContain('long polling fails');
    expect(bot.channel.up?.()).toBe(false);
    expect(all).not.toContain(bot.channel.bot.token);
    expect(all).not.toContain(bot.channel.bot.token.split(':')[1]);
  }, 30_000);
});
