/** Admin: resellers, deposits and markups, from an admin and refused from everyone else. */
import { afterEach, describe, expect, it } from 'vitest';
import { audit } from '../../../src/payments/audit.ts';
import { ADMIN, CUSTOMER, RESELLER, STORES, startTestBot, type TestBot } from '../../helpers/app.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const NEW = 'telegram:777001';

describe.each(STORES)('RESELLER (%s store)', (kind) => {
  it('adds, lists and removes a reseller, keeping their saldo and history', async () => {
    bot = await startTestBot({ store: kind });
    expect(await bot.say(ADMIN, `RESELLER TAMBAH ${NEW} Toko Makmur`)).toContain('sekarang reseller');
    expect(bot.inbox.get(NEW)).toBeUndefined(); // no test channel for telegram users: the welcome is logged, not lost silently
    expect((await bot.store.getUser(NEW))?.name).toBe('Toko Makmur');
    await bot.say(ADMIN, `DEPOSIT ${NEW} 250.000`);
    const list = await bot.say(ADMIN, 'RESELLER');
    expect(list).toContain(`${NEW} · Toko Makmur · Rp 250.000`);
    expect(await bot.say(ADMIN, `RESELLER HAPUS ${NEW}`)).toContain('Rp 250.000');
    expect((await bot.store.getUser(NEW))?.reseller).toBe(false);
    expect(await bot.store.getSaldo(NEW)).toBe(250_000);
    expect(await bot.say(ADMIN, 'RESELLER')).not.toContain(NEW);
    // Added again without a name, the one it had stays, and the reply says it.
    expect(await bot.say(ADMIN, `RESELLER TAMBAH ${NEW}`)).toContain(`${NEW} (Toko Makmur) sekarang reseller`);
  });

  it('answers a wrong user name with the expected form', async () => {
    bot = await startTestBot({ store: kind });
    for (const bad of ['RESELLER TAMBAH bob', 'RESELLER TAMBAH telegram:abc', 'RESELLER TAMBAH whatsapp:+62812', 'RESELLER HAPUS']) {
      expect(await bot.say(ADMIN, bad)).toContain('telegram:<angka>');
    }
  });

  it('is refused to resellers and customers', async () => {
    bot = await startTestBot({ store: kind });
    expect(await bot.say(RESELLER, `RESELLER TAMBAH ${NEW}`)).toContain('hanya untuk admin');
    expect(await bot.say(CUSTOMER, 'RESELLER')).toContain('hanya untuk admin');
    expect(await bot.store.getUser(NEW)).toBeNull();
  });
});

describe.each(STORES)('DEPOSIT (%s store)', (kind) => {
  it('credits a reseller with a ledger entry and tells them', async () => {
    bot = await startTestBot({ store: kind });
    expect(await bot.say(ADMIN, 'DEPOSIT telegram:555 1000')).toContain('bukan reseller');
    expect(await bot.store.getSaldo('telegram:555')).toBe(0);
    await bot.store.setReseller('console:local', true, undefined, Date.now());
    expect(await bot.say(ADMIN, 'DEPOSIT console:local 500.000')).toContain('Rp 500.000');
    expect(await bot.store.getSaldo('console:local')).toBe(500_000);
    expect(bot.inbox.get('console:local')?.at(-1)?.text).toContain('Saldo Anda ditambah Rp 500.000');
    const [entry] = await bot.store.ledger('console:local', 1);
    expect(entry).toMatchObject({ amount: 500_000, reason: 'deposit', note: `by ${ADMIN}` });
    expect((await audit(bot.store)).problems).toEqual([]);
  });

  it('acts once on a message delivered twice', async () => {
    bot = await startTestBot({ store: kind });
    await bot.store.setReseller('console:local', true, undefined, Date.now());
    await bot.say(ADMIN, 'DEPOSIT console:local 100000', 'd1');
    await bot.say(ADMIN, 'DEPOSIT console:local 100000', 'd1');
    expect(await bot.store.getSaldo('console:local')).toBe(100_000);
  });

  it('refuses bad amounts and non-admins, changing nothing', async () => {
    bot = await startTestBot({ store: kind });
    await bot.store.setReseller('console:local', true, undefined, Date.now());
    for (const bad of ['DEPOSIT console:local 0', 'DEPOSIT console:local -5', 'DEPOSIT console:local abc', 'DEPOSIT console:local 99999999999']) {
      expect(await bot.say(ADMIN, bad)).toContain('DEPOSIT <user> <nominal>');
    }
    expect(await bot.say(RESELLER, 'DEPOSIT console:local 100000')).toContain('hanya untuk admin');
    expect(await bot.store.getSaldo('console:local')).toBe(0);
  });
});

describe.each(STORES)('MARKUP (%s store)', (kind) => {
  it("adds the operator's margin to the debit, a product's own winning over *", async () => {
    bot = await startTestBot({ store: kind });
    expect(await bot.say(ADMIN, 'MARKUP * 500')).toContain('Rp 500');
    let summary = await bot.say(RESELLER, 'PLN 123456789');
    expect(summary).toContain('Saldo dipotong Rp 180.800'); // 179.600 + 700 + 500
    expect(await bot.say(ADMIN, 'MARKUP PLN 1.000')).toContain('Rp 1.000');
    summary = await bot.say(RESELLER, 'PLN 123456789');
    expect(summary).toContain('Saldo dipotong Rp 181.300');
    expect(await bot.say(RESELLER, 'HARGA PLN')).toContain('tagihan + Rp 1.700');
    expect(await bot.say(RESELLER, 'HARGA PLNS100')).toContain('Rp 101.200'); // 100.700 + * 500
    await bot.say(RESELLER, 'YA');
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000 - 181_300);
  });

  it("shows a customer the face value and the biller's admin fee, never the debit or the markup", async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(ADMIN, 'MARKUP * 500');
    const customer = await bot.say('telegram:4242', 'HARGA PLN');
    expect(customer).toContain('PLNS100 · ');
    expect(customer).toContain('daftar jadi reseller');
    expect(customer).not.toMatch(/dipotong|tagihan \+|Rp 101\.200|Rp 100\.700/);
    expect(await bot.say(RESELLER, 'HARGA PLN')).toContain('saldo yang dipotong');
  });

  it('knows product codes with spaces, and refuses unknown ones', async () => {
    bot = await startTestBot({ store: kind });
    expect(await bot.say(ADMIN, 'MARKUP PDAM KOT MEDAN 300')).toContain('PDAM KOT MEDAN');
    expect(await bot.say(ADMIN, 'MARKUP NOPE 300')).toContain('tidak ada di katalog');
    expect(await bot.say(ADMIN, 'MARKUP')).toContain('PDAM KOT MEDAN · Rp 300');
    // A reseller's MARKUP is its own, for its downlines: it never touches the operator's margin.
    expect(await bot.say(RESELLER, 'MARKUP * 700')).toContain('bagi semua downline');
    expect(await bot.say(ADMIN, 'MARKUP')).not.toContain('* · Rp 700');
  });
});

describe.each(STORES)('a user who cannot be reached (%s store)', (kind) => {
  it('does not turn a DEPOSIT that happened into an error the admin would repeat', async () => {
    bot = await startTestBot({ store: kind });
    await bot.store.setReseller('console:local', true, undefined, Date.now());
    // The user's channel refuses every message (WhatsApp: the user never wrote; Telegram: blocked).
    await bot.app.attach({
      name: 'console',
      async start() {},
      async send() {
        throw new Error('recipient unreachable');
      },
      async stop() {},
    });
    expect(await bot.say(ADMIN, 'DEPOSIT console:local 100000')).toContain('Saldo console:local ditambah Rp 100.000');
    expect(await bot.store.getSaldo('console:local')).toBe(100_000);
  });
});
