/**
 * What users actually type: compatibility characters (full-width, ligatures) read as plain letters and digits,
 * letters that only upper-case to ASCII do not pass for it, and a PIN in any shape is deleted from the chat.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RESELLER, STORES, startTestBot, type TestBot } from '../helpers/app.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe.each(STORES)('letters and digits as typed (%s store)', (kind) => {
  it('reads full-width words and digits as their plain forms (NFKC)', async () => {
    bot = await startTestBot({ store: kind });
    expect(await bot.say(RESELLER, 'ＳＡＬＤＯ')).toContain('Rp 1.000.000');
    expect(await bot.say(RESELLER, 'ＰＬＮ １２３４５６７８９')).toContain('SUYITNO');
  });

  it('does not take a letter that merely upper-cases to ASCII for it', async () => {
    bot = await startTestBot({ store: kind });
    // `ı` (dotless i) upper-cases to `I`: before, `rıwayat` read as RIWAYAT and `tıdak` as TIDAK.
    expect(await bot.say(RESELLER, 'rıwayat')).toMatch(/tidak dikenali/);
    expect(await bot.say(RESELLER, 'PLN 123456789')).toContain('SUYITNO');
    expect(await bot.say(RESELLER, 'tıdak')).toMatch(/tidak dikenali/);
    // The summary is still open: the odd word cancelled nothing.
    expect(await bot.say(RESELLER, 'YA')).toContain('STRUK');
  });
});

describe('a PIN in any shape is deleted from the chat', () => {
  it.each(['YA 42 42 42', 'pin:424242', 'ya:1234', 'PIN 12 34', 'ok 1 2 3 4'])('%s', async (typed) => {
    bot = await startTestBot();
    const replies = await bot.app.bot.handle({ user: RESELLER, text: typed });
    expect(replies[0]?.deleteIncoming).toBe(true);
  });

  it.each(['YA', 'SALDO 1234', 'PLN 123456789', 'PINTU 1234', 'YAKIN 1234'])('not %s', async (typed) => {
    bot = await startTestBot();
    const replies = await bot.app.bot.handle({ user: RESELLER, text: typed });
    expect(replies[0]?.deleteIncoming).toBeUndefined();
  });
});
