/**
 * What the user is told when the Redis connection loses a store step's answer outside the money steps
 * (those are in test/payments/lost-answers.test.ts and the DEPOSIT and TRANSFER tests): a message that only
 * reads, or was lost before its command ran, is simply sent again; one that may have moved money says to
 * look first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { translator } from '../../src/bot/i18n.ts';
import { audit } from '../../src/payments/audit.ts';
import { ADMIN, RESELLER, startTestBot, type TestBot } from '../helpers/app.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  if (bot) expect((await audit(bot.store)).problems).toEqual([]);
  await bot?.stop();
  bot = undefined;
});

const t = translator('id');

// Redis only: each loses a Redis answer through the relay, a connection the embedded store does not have.
describe('a store answer lost outside the money steps', () => {
  it('an inquiry whose admit lost its answer is to be sent again, and then works', async () => {
    bot = await startTestBot({ relay: true });
    bot.relay!.arm('inq-1'); // the admit's replay claim carries the message id
    expect(await bot.say(RESELLER, 'PLN 123456789', 'inq-1')).toBe(t('error.storeRetry'));
    expect(bot.relay!.cuts).toBe(1);
    expect(await bot.say(RESELLER, 'PLN 123456789', 'inq-2')).toContain('Saldo dipotong');
  });

  it("an inquiry whose quote write lost its answer is to be sent again; the summary's YA still pays once", async () => {
    bot = await startTestBot({ relay: true });
    bot.relay!.arm('123456789'); // the first step to carry the customer number is the quote write
    expect(await bot.say(RESELLER, 'PLN 123456789')).toBe(t('error.storeRetry'));
    expect(bot.relay!.cuts).toBe(1);
    expect(await bot.say(RESELLER, 'YA')).toContain('STRUK');
    expect(bot.sim.payments).toHaveLength(1);
  });

  it('a YA whose admit lost its answer moved nothing, says so, and the next YA pays', async () => {
    bot = await startTestBot({ relay: true });
    const saldo = await bot.store.getSaldo(RESELLER);
    await bot.say(RESELLER, 'PLN 123456789');
    bot.relay!.arm('ya-1');
    expect(await bot.say(RESELLER, 'YA', 'ya-1')).toBe(t('error.storeRetry'));
    expect(await bot.store.getSaldo(RESELLER)).toBe(saldo);
    expect(bot.sim.payments).toHaveLength(0);
    expect(await bot.say(RESELLER, 'YA', 'ya-2')).toContain('STRUK');
    expect(bot.sim.payments).toHaveLength(1);
  });

  it('a read (MUTASI) is to be sent again; a command that may have changed something says to look first', async () => {
    bot = await startTestBot({ relay: true });
    bot.relay!.arm(':ledger'); // MUTASI's one read
    expect(await bot.say(RESELLER, 'MUTASI')).toBe(t('error.storeRetry'));
    bot.relay!.arm('Toko Putus'); // the new reseller's name, first sent with its record
    expect(await bot.say(ADMIN, 'RESELLER TAMBAH telegram:777010 Toko Putus')).toBe(t('error.outcomeUnknownAdmin'));
    expect(bot.relay!.cuts).toBe(2);
  });
});
