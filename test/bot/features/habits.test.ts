/**
 * What resellers are used to from server-pulsa software: PIN, one-line purchases, the duplicate guard,
 * deposit tickets, transfers, statements and complaints; the books stay clean through all of it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { translator } from '../../../src/bot/i18n.ts';
import { audit } from '../../../src/payments/audit.ts';
import { opIds } from '../../../src/payments/ledger.ts';
import { ADMIN, RESELLER, STORES, startTestBot, type TestBot } from '../../helpers/app.ts';
import { credit } from '../../helpers/credit.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  if (bot) expect((await audit(bot.store)).problems).toEqual([]);
  await bot?.stop();
  bot = undefined;
});

const OTHER = 'console:local';
const TOKEN = 'PLNS100.14123456789';

async function withPin(b: TestBot, pin = '4829'): Promise<void> {
  expect(await b.say(RESELLER, `PIN ${pin}`)).toContain('PIN dibuat');
}

describe.each(STORES)('PIN (%s store)', (kind) => {
  it('is kept only as a salted hash, and YA then needs it', async () => {
    bot = await startTestBot({ store: kind });
    await withPin(bot);
    const state = await bot.store.getPin(RESELLER);
    expect(state.hash).toMatch(/^scrypt\$/);
    expect(state.hash).not.toContain('4829');
    await bot.say(RESELLER, 'PLN 123456789');
    expect(await bot.say(RESELLER, 'YA')).toContain('YA <PIN>');
    expect(bot.sim.calls.bayartagihan).toBe(0);
    expect(await bot.say(RESELLER, 'YA 4829')).toContain('STRUK PEMBAYARAN');
  });

  it('a Bayar tap on a summary already paid, or a YA with none open, is not asked for the PIN', async () => {
    bot = await startTestBot({ store: kind });
    await withPin(bot);
    await bot.say(RESELLER, 'PLNS100.14123456789.4829'); // paid at once
    const [paid] = await bot.store.listTx(RESELLER, 1);
    const noQuote = translator('id')('confirm.noQuote');
    const tap = await bot.app.bot.handle({ user: RESELLER, text: 'YA', ref: paid!.quote.id, messageId: 'tap-1' });
    expect(tap.map((r) => r.text)).toEqual([noQuote]);
    await bot.say(RESELLER, 'PLN 123456789'); // a newer summary is open: the old tap still pays nothing
    expect((await bot.app.bot.handle({ user: RESELLER, text: 'YA', ref: paid!.quote.id, messageId: 'tap-2' })).map((r) => r.text)).toEqual([
      translator('id')('confirm.oldSummary'),
    ]);
    await bot.say(RESELLER, 'BATAL');
    expect(await bot.say(RESELLER, 'YA')).toBe(noQuote);
    expect((await bot.store.getPin(RESELLER)).fails).toBe(0);
    expect(bot.sim.payments).toHaveLength(1);
  });

  it('changes only with the old PIN, and refuses a PIN of the wrong form', async () => {
    bot = await startTestBot({ store: kind });
    for (const bad of ['PIN 12', 'PIN 1234567', 'PIN abcd']) expect(await bot.say(RESELLER, bad)).toContain('4 sampai 6 angka');
    await withPin(bot);
    expect(await bot.say(RESELLER, 'PIN 1111')).toContain('PIN <lama> <baru>');
    expect(await bot.say(RESELLER, 'PIN 1111 2222')).toContain('PIN salah');
    expect(await bot.say(RESELLER, 'PIN 4829 2222')).toContain('PIN diganti');
    await bot.say(RESELLER, 'PLN 123456789');
    expect(await bot.say(RESELLER, 'YA 2222')).toContain('STRUK');
  });

  it('locks payments for 15 minutes after three wrong PINs and tells the admins', async () => {
    bot = await startTestBot({ store: kind });
    await withPin(bot);
    await bot.say(RESELLER, 'PLN 123456789');
    expect(await bot.say(RESELLER, 'YA 1111')).toContain('Sisa 2');
    expect(await bot.say(RESELLER, 'YA 1112')).toContain('Sisa 1');
    expect(await bot.say(RESELLER, 'YA 1113')).toContain('dikunci');
    expect(bot.inbox.get(ADMIN)?.at(-1)?.text).toContain(`PIN ${RESELLER} salah 3 kali`);
    expect(await bot.say(RESELLER, 'YA 4829')).toContain('dikunci');
    expect(bot.sim.calls.bayartagihan).toBe(0);
    bot.advance(15 * 60_000 + 1);
    await bot.say(RESELLER, 'PLN 123456789');
    expect(await bot.say(RESELLER, 'YA 4829')).toContain('STRUK');
  });

  it('asks Telegram to delete the message that carried it', async () => {
    bot = await startTestBot({ store: kind });
    const replies = await bot.app.bot.handle({ user: RESELLER, text: 'PIN 4829' });
    expect(replies[0]?.deleteIncoming).toBe(true);
  });
});

describe.each(STORES)('the one-line form (%s store)', (kind) => {
  it('pays a token at once with the PIN, exactly once', async () => {
    bot = await startTestBot({ store: kind });
    await withPin(bot);
    const receipt = await bot.say(RESELLER, `${TOKEN}.4829`, 'm1');
    expect(receipt).toContain('TOKEN:');
    expect(await bot.say(RESELLER, `${TOKEN}.4829`, 'm1')).toBe(''); // the same delivery again
    expect(bot.sim.calls.bayartagihan).toBe(1);
  });

  it('shows a bill and lets YA pay it without the PIN again', async () => {
    bot = await startTestBot({ store: kind });
    await withPin(bot);
    expect(await bot.say(RESELLER, 'PLN.123456789.4829')).toContain('Saldo dipotong');
    expect(bot.sim.calls.bayartagihan).toBe(0);
    expect(await bot.say(RESELLER, 'YA')).toContain('STRUK');
  });

  it('pays nothing with a wrong PIN or without a PIN set', async () => {
    bot = await startTestBot({ store: kind });
    expect(await bot.say(RESELLER, `${TOKEN}.4829`)).toContain('belum membuat PIN');
    await withPin(bot);
    expect(await bot.say(RESELLER, `${TOKEN}.1111`)).toContain('PIN salah');
    expect(bot.sim.calls.bayartagihan).toBe(0);
    expect(bot.sim.calls.cektagihan).toBe(0);
  });
});

describe.each(STORES)('the duplicate guard (%s store)', (kind) => {
  it('shows the earlier payment and asks for YA instead of paying; 2. pays deliberately', async () => {
    bot = await startTestBot({ store: kind });
    await withPin(bot);
    await bot.say(RESELLER, `${TOKEN}.4829`);
    const [first] = await bot.store.listTx(RESELLER, 1);
    const again = await bot.say(RESELLER, `${TOKEN}.4829`);
    expect(again).toContain('sudah dibayar hari ini');
    expect(again).toContain(first!.id);
    expect(bot.sim.calls.bayartagihan).toBe(1);
    expect(await bot.say(RESELLER, 'YA')).toContain('STRUK'); // a fresh YA, the PIN already given
    expect(await bot.say(RESELLER, `2.${TOKEN}.4829`)).toContain('STRUK');
    expect(bot.sim.calls.bayartagihan).toBe(3);
  });

  it('does not count a failed payment', async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(RESELLER, 'PLN 500000000003');
    await bot.say(RESELLER, 'YA');
    expect(await bot.say(RESELLER, 'PLN 500000000003')).not.toContain('sudah dibayar');
  });
});

describe.each(STORES)('deposit tickets (%s store)', (kind) => {
  it('gives a unique amount, tells the admins, and ACC credits it once', async () => {
    bot = await startTestBot({ store: kind, env: { DEPOSIT_BANK_INFO: 'BCA 1234567890 a.n. PT Contoh' } });
    const a = await bot.say(RESELLER, 'TIKET 500.000');
    expect(a).toContain('BCA 1234567890');
    await bot.say(RESELLER, 'TIKET 500000');
    const [t1, t2] = (bot.inbox.get(ADMIN) ?? []).map((r) => /Tiket deposit (\S+) .*: Rp ([\d.]+)/.exec(r.text)!);
    expect(t1![2]).not.toBe(t2![2]);
    const amount = Number(t1![2]!.replaceAll('.', ''));
    expect(amount).toBeGreaterThan(500_000);
    expect(amount).toBeLessThan(501_000);
    const accs = await Promise.all(Array.from({ length: 10 }, (_, i) => bot!.say(ADMIN, `ACC ${t1![1]}`, `acc${i}`)));
    expect(accs.filter((r) => r.includes('diterima: saldo'))).toHaveLength(1);
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000 + amount);
    expect(await bot.say(RESELLER, 'MUTASI 1')).toContain(`deposit tiket ${t1![1]} · saldo`);
    expect(await bot.say(ADMIN, `ACC ${t1![1]}`)).toContain('sudah pernah diterima');
    expect(await bot.say(ADMIN, 'ACC NOPE')).toContain('tidak ditemukan');
    expect(await bot.say(RESELLER, `ACC ${t2![1]}`)).toContain('hanya untuk admin');
  });

  it('never asks for less than the nominal: the unique digits go on top', async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(RESELLER, 'TIKET 99999');
    const amount = Number(/: Rp ([\d.]+)/.exec(bot.inbox.get(ADMIN)!.at(-1)!.text)![1]!.replaceAll('.', ''));
    expect(amount).toBeGreaterThanOrEqual(100_000);
    expect(amount).toBeLessThan(101_000);
  });

  it('expires after 24 hours', async () => {
    bot = await startTestBot({ store: kind });
    expect(await bot.say(RESELLER, 'TIKET 100000')).toContain('Hubungi admin');
    const id = /Tiket deposit (\S+)/.exec(bot.inbox.get(ADMIN)![0]!.text)![1]!;
    bot.advance(24 * 3600_000 + 1);
    expect(await bot.say(ADMIN, `ACC ${id}`)).toContain('kedaluwarsa');
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000);
  });

  it('refuses a nominal out of range', async () => {
    bot = await startTestBot({ store: kind });
    for (const bad of ['TIKET', 'TIKET 500', 'TIKET abc', 'TIKET 999999999999']) expect(await bot.say(RESELLER, bad)).toContain('TIKET <nominal>');
  });
});

describe.each(STORES)('TRANSFER (%s store)', (kind) => {
  it('moves saldo between resellers, one ledger entry on each side, both told', async () => {
    bot = await startTestBot({ store: kind });
    await bot.store.setReseller(OTHER, true, undefined, Date.now());
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 150.000`)).toContain('Rp 850.000');
    expect(await bot.say(RESELLER, 'MUTASI 1')).toMatch(new RegExp(`-Rp 150\\.000 · transfer keluar TRF-\\w+ ke ${OTHER} · saldo Rp 850\\.000`));
    expect(await bot.say(OTHER, 'MUTASI 1')).toContain(`dari ${RESELLER} · saldo Rp 150.000`);
    // The admin looks it up like a payment: both sides and the entry on each.
    const id = (await bot.store.ledger(RESELLER, 1))[0]!.txId!;
    const trx = await bot.say(ADMIN, `TRX ${id}`);
    expect(trx).toContain(`TRANSFER ${id} · ${RESELLER} → ${OTHER} · Rp 150.000`);
    expect(trx).toContain('Selesai');
    expect(trx).toMatch(new RegExp(`${RESELLER} -Rp 150\\.000 transfer keluar · saldo Rp 850\\.000`));
    expect(trx).toMatch(new RegExp(`${OTHER} \\+Rp 150\\.000 transfer masuk · saldo Rp 150\\.000`));
    // Either side finds it with STATUS; nobody else does.
    for (const side of [RESELLER, OTHER]) expect(await bot.say(side, `STATUS ${id}`)).toContain(`transfer Rp 150.000 dari ${RESELLER} ke ${OTHER} · selesai`);
    await bot.store.setReseller('telegram:31337', true, undefined, Date.now());
    expect(await bot.say('telegram:31337', `STATUS ${id}`)).toContain('tidak ditemukan');
    expect(await bot.store.getSaldo(OTHER)).toBe(150_000);
    expect(bot.inbox.get(OTHER)?.at(-1)?.text).toContain('Rp 150.000');
    const [out] = await bot.store.ledger(RESELLER, 1);
    const [inn] = await bot.store.ledger(OTHER, 1);
    expect(out).toMatchObject({ amount: -150_000, reason: 'transfer-out' });
    expect(inn).toMatchObject({ amount: 150_000, reason: 'transfer-in', txId: out!.txId });
  });

  it('refuses a non-reseller, oneself, zero and more than the saldo, changing nothing', async () => {
    bot = await startTestBot({ store: kind });
    expect(await bot.say(RESELLER, 'TRANSFER telegram:999 1000')).toContain('bukan reseller');
    await bot.store.setReseller(OTHER, true, undefined, Date.now());
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 0`)).toContain('TRANSFER <user> <nominal>');
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 2000000`)).toContain('Saldo tidak cukup');
    await bot.store.setReseller('telegram:5', true, undefined, Date.now());
    await credit(bot.store, 'telegram:5', 1000);
    expect(await bot.app.bot.handle({ user: 'telegram:5', text: 'TRANSFER telegram:5 100' })).toEqual([{ text: expect.stringContaining('diri sendiri') }]);
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000);
    expect(await bot.store.getSaldo(OTHER)).toBe(0);
  });

  it('never overdraws under concurrent transfers', async () => {
    bot = await startTestBot({ store: kind });
    await bot.store.setReseller(OTHER, true, undefined, Date.now());
    const replies = await Promise.all(Array.from({ length: 25 }, (_, i) => bot!.say(RESELLER, `TRANSFER ${OTHER} 100000`, `t${i}`)));
    expect(replies.filter((r) => r.includes('Transfer TRF-'))).toHaveLength(10);
    expect(await bot.store.getSaldo(RESELLER)).toBe(0);
    expect(await bot.store.getSaldo(OTHER)).toBe(1_000_000);
  });

  it('is refused while three wrong PINs have locked payments', async () => {
    bot = await startTestBot({ store: kind });
    await bot.store.setReseller(OTHER, true, undefined, Date.now());
    await withPin(bot);
    await bot.say(RESELLER, 'PLN 123456789');
    for (let i = 0; i < 3; i++) await bot.say(RESELLER, 'YA 0000');
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 100000`)).toContain('dikunci');
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000);
    bot.advance(16 * 60_000);
    // With a PIN set, a transfer takes it like YA (test/bot/features/transfer-pin.test.ts).
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 100000 4829`)).toContain('Transfer TRF-');
  });

  it('is finished by the worker when the process died between the two halves', async () => {
    bot = await startTestBot({ store: kind });
    await bot.store.setReseller(OTHER, true, undefined, Date.now());
    const id = 'TRF-CRASHED00000001';
    await bot.store.schedule(RESELLER, id, Date.now() + 1000);
    await bot.store.money.transferOut({ opId: opIds.transferOut(id), by: 'dead', now: Date.now(), transferId: id, from: RESELLER, to: OTHER, amount: 70_000 });
    expect(await bot.store.getSaldo(OTHER)).toBe(0);
    expect(await bot.say(ADMIN, `TRX ${id}`)).toContain('belum ditambah');
    bot.advance(2_000);
    await bot.app.worker.tick();
    await bot.app.worker.tick();
    expect(await bot.store.getSaldo(OTHER)).toBe(70_000);
    expect(await bot.store.getSaldo(RESELLER)).toBe(930_000);
    expect((await bot.store.getTransfer(RESELLER, id))?.state).toBe('done');
  });
});

describe.each(STORES)('statements and complaints (%s store)', (kind) => {
  it('MUTASI lists ledger entries newest first, REKAP sums the day', async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(RESELLER, 'PLN 123456789');
    await bot.say(RESELLER, 'YA');
    await bot.say(RESELLER, 'PLN 500000000003');
    await bot.say(RESELLER, 'YA');
    const mutasi = await bot.say(RESELLER, 'MUTASI 3');
    const lines = mutasi.split('\n');
    expect(lines[0]).toContain('3 mutasi');
    expect(lines[1]).toContain('pengembalian');
    expect(lines[2]).toContain('bayar');
    expect(lines[3]).toContain('-Rp 180.300');
    expect(await bot.say(RESELLER, 'MUTASI 0')).toContain('MUTASI <jumlah>');
    const rekap = await bot.say(RESELLER, 'REKAP');
    expect(rekap).toContain('2 transaksi');
    expect(rekap).toContain('sukses: 1 · Rp 180.300');
    expect(rekap).toContain('gagal, dana dikembalikan: 1');
    expect(await bot.say(RESELLER, 'REKAP 01/01/2020')).toContain('Tidak ada transaksi');
    expect(await bot.say(RESELLER, 'REKAP 31/02/2026')).toContain('REKAP <tanggal>');
    expect(await bot.say(RESELLER, 'REKAP 2099-01-01')).toContain('REKAP <tanggal>');
    expect(await bot.say(RESELLER, 'REKAP 2020-01-01')).toMatch(/^Rekap 01\/01\/2020: /);
    expect(await bot.say(RESELLER, 'REKAP 02.01.2020')).toMatch(/^Rekap 02\/01\/2020: /);
    expect(await bot.say(ADMIN, 'REKAP')).toContain('Untung operator');
  });

  it('KOMPLAIN forwards one of their own transactions to the admins; someone else\'s is not found', async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(RESELLER, 'PLN 123456789');
    await bot.say(RESELLER, 'YA');
    const [tx] = await bot.store.listTx(RESELLER, 1);
    const reply = await bot.say(RESELLER, `KOMPLAIN ${tx!.id} token belum masuk`);
    expect(reply).toMatch(/Komplain KMP-[0-9A-F]{6}/);
    const alert = bot.inbox.get(ADMIN)?.at(-1)?.text ?? '';
    expect(alert).toContain('token belum masuk');
    expect(alert).toContain(tx!.id);
    await bot.store.setReseller(OTHER, true, undefined, Date.now());
    expect(await bot.app.bot.handle({ user: OTHER, text: `KOMPLAIN ${tx!.id} bukan punya saya` })).toEqual([{ text: expect.stringContaining('tidak ditemukan') }]);
  });
});

// Redis only: each loses a Redis answer through the relay, a connection the embedded store does not have.
describe('ACC and TRANSFER when Redis loses an answer', () => {
  it('ACC whose answer the Redis connection lost credits once and the admin is told it is credited', async () => {
    bot = await startTestBot({ relay: true });
    await bot.say(RESELLER, 'TIKET 200000');
    const id = /Tiket deposit (\S+)/.exec(bot.inbox.get(ADMIN)![0]!.text)![1]!;
    const { amount } = (await bot.store.getTicket(id))!;
    bot.relay!.arm(`ticket ${id} by`); // the credit's ledger note: only the credit step carries it
    expect(await bot.say(ADMIN, `ACC ${id}`)).toContain('diterima: saldo');
    expect(bot.relay!.cuts).toBe(1);
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000 + amount);
    expect((await bot.store.ledger(RESELLER, 10)).filter((e) => e.reason === 'deposit' && e.amount === amount)).toHaveLength(1);
    expect((await bot.store.getTicket(id))?.paidAt).toBeGreaterThan(0);
    expect(bot.inbox.get(RESELLER)?.at(-1)?.text).toContain(`Rp ${(1_000_000 + amount).toLocaleString('id-ID')}`);
  });

  it('says "look first", never "try again", when Redis stays down after the debit lost its answer; the worker finishes it', async () => {
    bot = await startTestBot({ relay: true });
    await bot.store.setReseller(OTHER, true, undefined, Date.now());
    bot.relay!.arm(':transfer:TRF-', 1_500); // the debit runs, then Redis is unreachable for 1.5 s: the retry fails too
    expect(await bot.say(RESELLER, `TRANSFER ${OTHER} 150000`, 'trf-down')).toBe(translator('id')('error.outcomeUnknown'));
    await new Promise((r) => setTimeout(r, 1_700));
    expect(await bot.store.getSaldo(RESELLER)).toBe(850_000);
    bot.advance(10 * 60_000);
    await bot.app.worker.tick();
    expect(await bot.store.getSaldo(OTHER)).toBe(150_000);
    expect((await bot.store.ledger(RESELLER, 10)).filter((e) => e.reason === 'transfer-out')).toHaveLength(1);
  });

  // The Redis connection lost with a step in flight: the debit ran and its answer was lost, the debit never
  // reached Redis, or the credit's answer was lost. Each time the transfer moves once and the sender is told.
  it.each([
    ['the debit ran, its answer lost', 'arm', ':transfer:TRF-'],
    ['the debit never sent', 'armDrop', ':transfer:TRF-'],
    ["the credit's answer lost", 'arm', ':credited:TRF-'],
  ] as const)('moves saldo once when the Redis connection drops: %s', async (_, how, marker) => {
    bot = await startTestBot({ relay: true });
    await bot.store.setReseller(OTHER, true, undefined, Date.now());
    bot.relay![how](marker);
    const reply = await bot.say(RESELLER, `TRANSFER ${OTHER} 150000`, 'trf-1');
    expect(bot.relay!.cuts).toBe(1);
    expect(reply).toContain('Transfer TRF-');
    expect(reply).toContain('Rp 850.000');
    expect(bot.inbox.get(OTHER)?.at(-1)?.text).toContain('Rp 150.000');
    expect(await bot.store.getSaldo(RESELLER)).toBe(850_000);
    expect(await bot.store.getSaldo(OTHER)).toBe(150_000);
    expect((await bot.store.ledger(RESELLER, 10)).filter((e) => e.reason === 'transfer-out')).toHaveLength(1);
    expect((await bot.store.ledger(OTHER, 10)).filter((e) => e.reason === 'transfer-in')).toHaveLength(1);
  });
});
