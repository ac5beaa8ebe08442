/**
 * `TIKET` cannot be exhausted: a reseller holds at most three open tickets (TICKET_MAX_OPEN), a new one of the
 * same nominal replaces its oldest, and the unique amounts of a nominal stay free for everyone else.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rupiah } from '../../../src/bot/format.ts';
import { audit } from '../../../src/payments/audit.ts';
import { ADMIN, RESELLER, STORES, startTestBot, type TestBot } from '../../helpers/app.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  if (bot) expect((await audit(bot.store)).problems).toEqual([]);
  await bot?.stop();
  bot = undefined;
});

const OTHER = 'test:r2';

/** The ticket id and amount the admins were told of last. */
function lastTicket(b: TestBot): { id: string; amount: number } {
  const m = /Tiket deposit (\S+) .*: Rp ([\d.]+)/.exec(b.inbox.get(ADMIN)!.at(-1)!.text)!;
  return { id: m[1]!, amount: Number(m[2]!.replaceAll('.', '')) };
}

describe.each(STORES)('TIKET under a per-reseller cap (%s store)', (kind) => {
  it('one reseller asking 999 times for Rp 100.000 leaves TIKET 100000 open to every other reseller', async () => {
    bot = await startTestBot({ store: kind });
    await bot.store.setReseller(OTHER, true, 'Toko Dua', Date.now());
    let last = '';
    for (let i = 0; i < 999; i++) last = await bot.say(RESELLER, 'TIKET 100000', `t${i}`);
    expect(last).toContain('Tiket deposit');
    const reply = await bot.say(OTHER, 'TIKET 100000');
    expect(reply).toContain('Tiket deposit');
    const { amount } = lastTicket(bot);
    expect(amount).toBeGreaterThan(100_000);
    expect(amount).toBeLessThan(101_000);
  }, 60_000);

  it('a fourth ticket of one nominal replaces the oldest: the reseller and the admins are told, and ACC refuses the old one', async () => {
    bot = await startTestBot({ store: kind });
    const made = [];
    for (const n of ['100000', '250000', '100000']) {
      await bot.say(RESELLER, `TIKET ${n}`);
      made.push(lastTicket(bot));
    }
    const reply = await bot.say(RESELLER, 'TIKET 100000');
    const fourth = lastTicket(bot);
    const [oldest] = made;
    expect(reply).toContain(`menggantikan tiket ${oldest!.id} (${rupiah(oldest!.amount)})`);
    expect(reply).toContain('JANGAN transfer jumlah lama');
    expect(bot.inbox.get(ADMIN)!.at(-1)!.text).toContain(`Tiket ${oldest!.id} (${rupiah(oldest!.amount)}) dari ${RESELLER} diganti`);
    expect(await bot.say(ADMIN, `ACC ${oldest!.id}`)).toContain(`Tiket ${oldest!.id} sudah diganti dengan tiket ${fourth.id}`);
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000);
    // The others, the replacing one included, are still good.
    for (const t of [made[1]!, made[2]!, fourth]) expect(await bot.say(ADMIN, `ACC ${t.id}`)).toContain('diterima: saldo');
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000 + made[1]!.amount + made[2]!.amount + fourth.amount);
  });

  it('at the cap with no open ticket of that nominal, TIKET is refused, naming the open tickets and the cap', async () => {
    bot = await startTestBot({ store: kind });
    const made = [];
    for (const n of ['100000', '200000', '300000']) {
      await bot.say(RESELLER, `TIKET ${n}`);
      made.push(lastTicket(bot));
    }
    const told = bot.inbox.get(ADMIN)!.length;
    const reply = await bot.say(RESELLER, 'TIKET 400000');
    expect(reply).toContain('sudah punya 3 tiket deposit terbuka');
    for (const t of made) expect(reply).toContain(`${t.id} (${rupiah(t.amount)}, sampai`);
    expect(bot.inbox.get(ADMIN)!.length).toBe(told);
    // Once one is accepted, there is room again.
    await bot.say(ADMIN, `ACC ${made[0]!.id}`);
    expect(await bot.say(RESELLER, 'TIKET 400000')).toContain('Tiket deposit');
  });

  it('takes its cap from TICKET_MAX_OPEN', async () => {
    bot = await startTestBot({ store: kind, env: { TICKET_MAX_OPEN: '1' } });
    expect(await bot.say(RESELLER, 'TIKET 50000')).toContain('Tiket deposit');
    expect(await bot.say(RESELLER, 'TIKET 60000')).toContain('sudah punya 1 tiket deposit terbuka');
  });
});

describe.each(STORES)('TIKET with bank mutations read by Moota (%s store)', (kind) => {
  it('tells the reseller the saldo comes by itself and the admins that ACC is needed only by exception', async () => {
    bot = await startTestBot({ store: kind, env: { MOOTA_WEBHOOK_SECRET: 'moota-secret-for-tests' } });
    expect(await bot.say(RESELLER, 'TIKET 100000')).toContain('Saldo ditambah otomatis');
    expect(bot.inbox.get(ADMIN)!.at(-1)!.text).toContain('mengkreditkannya otomatis');
  });

  it('without Moota, an admin checks the bank and ACCs', async () => {
    bot = await startTestBot({ store: kind });
    expect(await bot.say(RESELLER, 'TIKET 100000')).toContain('Saldo ditambah setelah admin mengecek');
    expect(bot.inbox.get(ADMIN)!.at(-1)!.text).toContain('tulis ACC');
  });
});
