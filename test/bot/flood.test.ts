/** Flood control: one warning, then silence until the window passes, and no provider call for what is ignored. */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, RESELLER, startTestBot, type TestBot } from '../helpers/app.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe('flood control', () => {
  it('warns once over the limit, then ignores, and makes no provider call meanwhile', async () => {
    bot = await startTestBot({ env: { FLOOD_MAX_MESSAGES: '3', FLOOD_WINDOW_SECONDS: '1' } });
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await bot.say(RESELLER, 'SALDO'));
    expect(replies.every((r) => r.includes('Saldo Anda'))).toBe(true);
    expect(await bot.say(RESELLER, 'PLN 123456789')).toContain('terlalu cepat');
    for (let i = 0; i < 5; i++) expect(await bot.say(RESELLER, 'PLN 123456789')).toBe('');
    expect(bot.sim.calls.cektagihan).toBe(0);
    // Admins are never slowed down: they may need to act during an incident.
    for (let i = 0; i < 6; i++) expect(await bot.say(ADMIN, 'PENDING')).not.toBe('');
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await bot.say(RESELLER, 'PLN 123456789')).toContain('SUYITNO');
  });

  it('counts per user, across processes sharing Redis', async () => {
    bot = await startTestBot({ env: { FLOOD_MAX_MESSAGES: '2', FLOOD_WINDOW_SECONDS: '60' } });
    const other = await startTestBot({ sim: bot.sim, prefix: bot.prefix, env: { FLOOD_MAX_MESSAGES: '2', FLOOD_WINDOW_SECONDS: '60' } });
    try {
      await bot.say(RESELLER, 'SALDO');
      await other.say(RESELLER, 'SALDO');
      expect(await bot.say(RESELLER, 'SALDO')).toContain('terlalu cepat');
      expect(await other.say('test:someone-else', 'BANTUAN')).toContain('Perintah');
    } finally {
      await other.stop();
    }
  });
});
