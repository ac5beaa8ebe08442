/**
 * An update Telegram would never send (a message without its chat) is ignored quietly by the running
 * channel: no error in the log, no reply, and the next update is answered as usual.
 */
import { Writable } from 'node:stream';
import type { Update } from 'grammy/types';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { textUpdate } from '../../helpers/fake-bot-api.ts';
import { startTelegramBot, type TelegramTestBot, TG_RESELLER } from './harness.ts';

let bot: TelegramTestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe('an update with a message but no chat', () => {
  it('is ignored without an error line, and the next message is answered', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    bot = await startTelegramBot({ channel: { log: pino({ level: 'info' }, sink) } });
    const { message } = textUpdate(TG_RESELLER, 'SALDO') as unknown as { message: Record<string, unknown> };
    const { chat: _chat, ...chatless } = message;
    await bot.channel.handleUpdate({ update_id: 900_001, message: chatless } as unknown as Update);
    expect(lines.filter((l) => JSON.parse(l).level >= 40)).toEqual([]);
    expect(bot.api.callsOf('sendMessage')).toHaveLength(0);
    bot.api.enqueue(textUpdate(TG_RESELLER, 'SALDO'));
    expect((await bot.nth(TG_RESELLER, 1)).text).toContain('Rp 1.000.000');
  });
});
