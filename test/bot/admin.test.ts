/** SUKSES / GAGAL / PENDING / TRX: the admin settles what no status call can, once, and only an admin. */
import { afterEach, describe, expect, it } from 'vitest';
import { translator } from '../../src/bot/i18n.ts';
import { ADMIN, ledgerBalances, RESELLER, STORES, startTestBot, type TestBot } from '../helpers/app.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function timedOut(b: TestBot): Promise<string> {
  await b.say(RESELLER, 'PLN 500000000002');
  await b.say(RESELLER, 'YA');
  const [tx] = await b.store.listTx(RESELLER, 1);
  expect(tx?.status).toBe('PENDING');
  return tx!.id;
}

describe.each(STORES)('admin money desk (%s store)', (kind) => {
  it('lists open transactions and shows one in full', async () => {
    bot = await startTestBot({ store: kind });
    const id = await timedOut(bot);
    const list = await bot.say(ADMIN, 'PENDING');
    expect(list).toContain(id);
    expect(list).toContain('500000000002');
    const full = await bot.say(ADMIN, `TRX ${id}`);
    expect(full).toContain(`TRX ${id}`);
    expect(full).toContain('pay'); // the provider call and its answer
    expect(full).toContain('timed out');
    expect(full).toMatch(/-Rp [\d.]+ bayar · saldo/); // the ledger entry, in the admin's language
    expect(full).toContain('menunggu kepastian (PENDING)');
    expect(list).toMatch(/· menunggu kepastian/);
  });

  it('SUKSES sends the user the receipt, once', async () => {
    bot = await startTestBot({ store: kind });
    const id = await timedOut(bot);
    const saldo = await bot.store.getSaldo(RESELLER);
    expect(await bot.say(ADMIN, `SUKSES ${id} SN.1234-ABC`)).toContain('SUKSES');
    const tx = await bot.store.getTx(RESELLER, id);
    expect(tx?.status).toBe('SETTLED');
    expect(tx?.receipt?.reference).toBe('SN.1234-ABC');
    expect(bot.inbox.get(RESELLER)?.at(-1)?.text).toContain('STRUK PEMBAYARAN');
    expect(await bot.store.getSaldo(RESELLER)).toBe(saldo);
    expect(await bot.say(ADMIN, `SUKSES ${id}`)).toContain('sudah final (sukses)');
    expect(await bot.say(ADMIN, `GAGAL ${id}`)).toContain('sudah final');
    expect(await bot.store.getSaldo(RESELLER)).toBe(saldo);
    expect(await bot.say(ADMIN, 'PENDING')).toContain('Tidak ada transaksi');
  });

  it('SUKSES keeps the invoice on the receipt, and for a PLN token reads the serial as the token', async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(RESELLER, 'PLNS20 500000000002'); // the biller times out: pending, for the admin to settle
    await bot.say(RESELLER, 'YA');
    const [tx] = await bot.store.listTx(RESELLER, 1);
    expect(tx?.status).toBe('PENDING');
    expect(await bot.say(ADMIN, `SUKSES ${tx!.id} 1234 5678 9012 3456 7890`)).toContain('SUKSES');
    const receipt = bot.inbox.get(RESELLER)?.at(-1)?.text ?? '';
    expect(receipt).toContain(`${translator('id')('receipt.token')}: 1234 5678 9012 3456 7890`);
    expect(receipt).not.toMatch(/^Ref /m);

    await bot.say(RESELLER, 'PLN 500000000001'); // the biller answers pending, with its invoice
    await bot.say(RESELLER, 'YA');
    const [open] = await bot.store.listTx(RESELLER, 1);
    expect(open?.invoice).toBeTruthy();
    await bot.say(ADMIN, `SUKSES ${open!.id} REF-77`);
    expect(bot.inbox.get(RESELLER)?.at(-1)?.text).toMatch(new RegExp(`Invoice\\s+${open!.invoice}`));
  });

  it('GAGAL refunds once, with a ledger entry, and tells the user', async () => {
    bot = await startTestBot({ store: kind });
    const id = await timedOut(bot);
    expect(await bot.say(ADMIN, `GAGAL ${id} biller menolak`)).toContain('GAGAL');
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000);
    expect(bot.inbox.get(RESELLER)?.at(-1)?.text).toContain('biller menolak');
    const replays = await Promise.all([bot.say(ADMIN, `GAGAL ${id}`), bot.say(ADMIN, `GAGAL ${id}`)]);
    expect(replays.every((r) => r.includes('sudah final'))).toBe(true);
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000);
    expect(await ledgerBalances(bot.store, RESELLER)).toBe(true);
  });

  it("TRX names an e-wallet's receiver", async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(RESELLER, 'GOPAY 081234567890 100000');
    await bot.say(RESELLER, 'YA');
    const [tx] = await bot.store.listTx(RESELLER, 1);
    expect(await bot.say(ADMIN, `TRX ${tx!.id}`)).toContain('081234567890 · GOPAY BUDI SANTOSO ·');
  });

  it('refuses the admin commands to a reseller and changes nothing', async () => {
    bot = await startTestBot({ store: kind });
    const id = await timedOut(bot);
    for (const cmd of ['PENDING', `TRX ${id}`, `SUKSES ${id}`, `GAGAL ${id}`]) {
      expect(await bot.say(RESELLER, cmd)).toContain('hanya untuk admin');
    }
    expect((await bot.store.getTx(RESELLER, id))?.status).toBe('PENDING');
  });

  it('answers an unknown id as not found', async () => {
    bot = await startTestBot({ store: kind });
    expect(await bot.say(ADMIN, 'SUKSES NOPE')).toContain('tidak ditemukan');
    expect(await bot.say(ADMIN, 'TRX NOPE')).toContain('tidak ditemukan');
  });
});

// Redis only: each loses a Redis answer through the relay, a connection the embedded store does not have.
describe('admin money desk when Redis loses an answer', () => {
  it('SUKSES whose answer the Redis connection lost settles once and the user gets the receipt', async () => {
    bot = await startTestBot({ relay: true });
    const id = await timedOut(bot);
    const saldo = await bot.store.getSaldo(RESELLER);
    bot.relay!.arm('SN-BLIP-7'); // the reference, first sent with the settle step
    expect(await bot.say(ADMIN, `SUKSES ${id} SN-BLIP-7`)).toContain('SUKSES');
    expect(bot.relay!.cuts).toBe(1);
    expect((await bot.store.getTx(RESELLER, id))?.status).toBe('SETTLED');
    expect(bot.inbox.get(RESELLER)?.at(-1)?.text).toContain('STRUK PEMBAYARAN');
    expect(await bot.store.getSaldo(RESELLER)).toBe(saldo);
  });

  it('GAGAL whose answer the Redis connection lost refunds once and the user is told', async () => {
    bot = await startTestBot({ relay: true });
    const id = await timedOut(bot);
    bot.relay!.arm('biller putus'); // the reason, first sent with the refund step
    expect(await bot.say(ADMIN, `GAGAL ${id} biller putus`)).toContain('GAGAL');
    expect(bot.relay!.cuts).toBe(1);
    expect((await bot.store.getTx(RESELLER, id))?.status).toBe('FAILED');
    expect(bot.inbox.get(RESELLER)?.at(-1)?.text).toContain('biller putus');
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000);
    expect((await bot.store.ledger(RESELLER, 10)).filter((e) => e.reason === 'refund')).toHaveLength(1);
    expect(await ledgerBalances(bot.store, RESELLER)).toBe(true);
  });

  it('a DEPOSIT whose answer the Redis connection lost is sent again under its message id and credited once', async () => {
    bot = await startTestBot({ relay: true });
    const shop = 'telegram:777002';
    await bot.say(ADMIN, `RESELLER TAMBAH ${shop} Toko Putus`);
    bot.relay!.arm(`by ${ADMIN}`); // the deposit's own note: only its credit carries it
    const reply = await bot.say(ADMIN, `DEPOSIT ${shop} 50000`, 'dep-1');
    expect(bot.relay!.cuts).toBe(1);
    expect(reply).toContain('Rp 50.000');
    expect(await bot.store.getSaldo(shop)).toBe(50_000);
    expect(await ledgerBalances(bot.store, shop)).toBe(true);
    expect((await bot.store.ledger(shop, 10)).filter((e) => e.reason === 'deposit')).toHaveLength(1);
  });

  it('a DEPOSIT whose answer was lost in an outage longer than its retry tells the admin to look first, and credited once', async () => {
    bot = await startTestBot({ relay: true });
    const shop = 'telegram:777005';
    await bot.say(ADMIN, `RESELLER TAMBAH ${shop} Toko Mati`);
    bot.relay!.arm(`by ${ADMIN}`, 1_500);
    expect(await bot.say(ADMIN, `DEPOSIT ${shop} 50000`, 'dep-down')).toBe(translator('id')('error.outcomeUnknownAdmin'));
    await new Promise((r) => setTimeout(r, 1_700));
    expect(await bot.store.getSaldo(shop)).toBe(50_000);
    expect(await ledgerBalances(bot.store, shop)).toBe(true);
  });

  it("SUKSES still sends the receipt when the saldo to show in it cannot be read", async () => {
    bot = await startTestBot({ relay: true });
    const id = await timedOut(bot);
    const before = bot.inbox.get(RESELLER)?.length ?? 0;
    bot.relay!.arm(`{${RESELLER}}:saldo`); // the saldo read for the receipt loses its answer
    expect(await bot.say(ADMIN, `SUKSES ${id} SN-9`)).toContain('SUKSES');
    expect(bot.relay!.cuts).toBe(1);
    const sent = (bot.inbox.get(RESELLER) ?? []).slice(before);
    expect(sent.map((r) => r.text).join('\n')).toContain('STRUK PEMBAYARAN');
  });

  it('a DEPOSIT without a message id whose answer was lost credits once, and the admin is told to check first', async () => {
    bot = await startTestBot({ relay: true });
    const shop = 'telegram:777004';
    await bot.say(ADMIN, `RESELLER TAMBAH ${shop} Toko Putus`);
    bot.relay!.arm(`by ${ADMIN}`);
    const reply = await bot.say(ADMIN, `DEPOSIT ${shop} 50000`);
    expect(reply).toBe(translator('id')('error.outcomeUnknownAdmin'));
    // The store reconnects; the credit Redis ran before the cut is there once, not run again on the way.
    expect(await bot.store.getSaldo(shop)).toBe(50_000);
    expect(await ledgerBalances(bot.store, shop)).toBe(true);
    expect(await bot.say(ADMIN, 'RESELLER')).toContain(`${shop} · Toko Putus · Rp 50.000`);
  });
});
