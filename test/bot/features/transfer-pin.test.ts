/**
 * TRANSFER once a PIN is set (issue 16, item 2): `TRANSFER telegram:2 900000` once emptied a reseller whose
 * `YA` asked for the PIN. Now it takes the PIN, and a wrong one counts towards the same lock as YA's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Catalogue } from '../../../src/bot/catalogue.ts';
import { Commands } from '../../../src/bot/commands.ts';
import { transferCommands } from '../../../src/bot/features/transfer.ts';
import { translator } from '../../../src/bot/i18n.ts';
import { parse } from '../../../src/bot/parse.ts';
import { audit } from '../../../src/payments/audit.ts';
import { ADMIN, RESELLER, STORES, type StoreKind, startTestBot, type TestBot } from '../../helpers/app.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  if (bot) expect((await audit(bot.store)).problems).toEqual([]);
  await bot?.stop();
  bot = undefined;
});

const OTHER = 'console:local';
const PIN = '4829';
const id = translator('id');

async function withPinAndOther(kind: StoreKind): Promise<TestBot> {
  const b = await startTestBot({ store: kind });
  await b.store.setReseller(OTHER, true, undefined, Date.now());
  expect(await b.say(RESELLER, `PIN ${PIN}`)).toContain('PIN dibuat');
  return b;
}

async function saldos(b: TestBot): Promise<[number, number]> {
  return [await b.store.getSaldo(RESELLER), await b.store.getSaldo(OTHER)];
}

describe.each(STORES)('TRANSFER with a PIN set (%s store)', (kind) => {
  it('without the PIN moves nothing and gives the form with it', async () => {
    bot = await withPinAndOther(kind);
    const reply = await bot.say(RESELLER, `TRANSFER ${OTHER} 900000`);
    expect(reply).toBe(id('transfer.pinRequired', { to: OTHER, amount: '900000' }));
    expect(reply).toContain(`TRANSFER ${OTHER} 900000 <PIN>`);
    expect(await bot.say(RESELLER, `TRANSFER.${OTHER}.900.000`)).toContain(`TRANSFER ${OTHER} 900000 <PIN>`);
    expect(await saldos(bot)).toEqual([1_000_000, 0]);
    expect(await bot.store.ledger(RESELLER, 10)).toHaveLength(1);
    // Asking is not a wrong try.
    expect((await bot.store.getPin(RESELLER)).fails).toBe(0);
  });

  it('with the right PIN moves the saldo, in the spaced and the dotted form', async () => {
    bot = await withPinAndOther(kind);
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 150.000 ${PIN}`)).toContain('Rp 850.000');
    expect(await bot.say(RESELLER, `TRANSFER.${OTHER}.50.000.${PIN}`)).toContain('Rp 800.000');
    expect(await saldos(bot)).toEqual([800_000, 200_000]);
  });

  it('counts a wrong PIN with the same lock as YA, tells the admins, and then refuses even the right one', async () => {
    bot = await withPinAndOther(kind);
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 900000 1111`)).toContain('PIN salah. Sisa 2');
    await bot.say(RESELLER, 'PLN 123456789');
    expect(await bot.say(RESELLER, 'YA 2222')).toContain('PIN salah. Sisa 1');
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 900000 3333`)).toContain('dikunci');
    expect(bot.inbox.get(ADMIN)?.at(-1)?.text).toContain(`PIN ${RESELLER} salah 3 kali`);
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 900000 ${PIN}`)).toContain('dikunci');
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 900000`)).toContain('dikunci');
    expect(await bot.say(RESELLER, `YA ${PIN}`)).toContain('dikunci');
    expect(await saldos(bot)).toEqual([1_000_000, 0]);
    bot.advance(16 * 60_000);
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 900000 ${PIN}`)).toContain('Transfer TRF-');
    expect(await saldos(bot)).toEqual([100_000, 900_000]);
  });

  it('has the message carrying the PIN deleted, whatever the answer', async () => {
    bot = await withPinAndOther(kind);
    const send = (text: string) => bot!.app.bot.handle({ user: RESELLER, text });
    expect((await send(`TRANSFER ${OTHER} 1000 ${PIN}`))[0]).toMatchObject({ text: expect.stringContaining('Transfer TRF-'), deleteIncoming: true });
    expect((await send(`TRANSFER.${OTHER}.1.000.1111`))[0]).toMatchObject({ text: expect.stringContaining('PIN salah'), deleteIncoming: true });
    expect((await send(`TRANSFER ${OTHER} 1000 ${PIN} x`))[0]).toMatchObject({ deleteIncoming: true });
    expect((await send(`TRANSFER ${OTHER} 1000`))[0]?.deleteIncoming).toBeUndefined();
  });

  it('marks the words carrying a PIN for the core (Command.carriesPin)', () => {
    const commands = new Commands(transferCommands());
    const carries = (text: string) => commands.carriesPin(parse(text, new Catalogue([]), commands), text);
    expect(carries('TRANSFER telegram:2 10000 4829')).toBe(true);
    expect(carries('TRANSFER.telegram:2.10.000.4829')).toBe(true);
    expect(carries('TRANSFER telegram:2 10000 4829 x')).toBe(true);
    expect(carries('TRANSFER telegram:2 10000')).toBe(false);
    expect(carries('TRANSFER telegram:2 10.000')).toBe(false);
    expect(carries('TRANSFER telegram:2 10000 x')).toBe(false);
  });

  it('the right PIN clears earlier wrong tries, as for YA', async () => {
    bot = await withPinAndOther(kind);
    await bot.say(RESELLER, `TRANSFER ${OTHER} 1000 1111`);
    await bot.say(RESELLER, `TRANSFER ${OTHER} 1000 1111`);
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 1000 ${PIN}`)).toContain('Transfer TRF-');
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 1000 1111`)).toContain('PIN salah. Sisa 2');
  });
});

describe.each(STORES)('TRANSFER without a PIN (%s store)', (kind) => {
  it('moves as before without one, and refuses one given (as YA does), moving nothing', async () => {
    bot = await startTestBot({ store: kind });
    await bot.store.setReseller(OTHER, true, undefined, Date.now());
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 150000 1234`)).toBe(id('pin.notSet'));
    expect(await saldos(bot)).toEqual([1_000_000, 0]);
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 150000`)).toContain('Rp 850.000');
  });
});
