/**
 * The money rules of CONTRACT.md § Money and payments, each tried against the MMBC simulator over HTTP, on real
 * Redis and on the embedded store `npm start` uses. Every test checks the books too: saldo equals the sum of the ledger.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { createRedisStore } from '../../src/store/redis-store.ts';
import { ADMIN, CUSTOMER, ledgerBalances, RESELLER, STORES, startTestBot, type TestBot } from '../helpers/app.ts';
import { plantInRedis } from '../store/legacy-data.ts';

type RedisStore = ReturnType<typeof createRedisStore>;

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const PRICE_123456789 = 179_600 + 700; // the demo bill plus MMBC's "Tagihan + 700"

describe.each(STORES)('paying a bill (%s store)', (kind) => {
  it('debits the saldo once, pays once and answers with the receipt', async () => {
    bot = await startTestBot({ store: kind });
    const summary = await bot.say(RESELLER, 'PLN 123456789');
    expect(summary).toContain('SUYITNO');
    expect(summary).toContain('Saldo dipotong Rp 180.300');
    const receipt = await bot.say(RESELLER, 'YA');
    expect(receipt).toContain('STRUK PEMBAYARAN');
    expect(receipt).toContain('Sisa saldo     Rp 819.700');
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000 - PRICE_123456789);
    expect(bot.sim.payments).toHaveLength(1);
    expect(await ledgerBalances(bot.store, RESELLER)).toBe(true);
    const [tx] = await bot.store.listTx(RESELLER, 1);
    expect(tx?.status).toBe('SETTLED');
    expect(tx?.invoice).toBe(bot.sim.payments[0]?.invoice);
    const log = await bot.store.txLog(RESELLER, tx!.id);
    expect(log.map((e) => e.type)).toEqual(['pay']);
  });

  it('pays a summary at most once when YA arrives 50 times at once', async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(RESELLER, 'PLN 532100112233');
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => bot!.say(RESELLER, 'YA', `m${i}`)));
    expect(replies.filter((r) => r.includes('STRUK PEMBAYARAN'))).toHaveLength(1);
    expect(replies.filter((r) => r.includes('Tidak ada tagihan yang menunggu'))).toHaveLength(49);
    expect(bot.sim.calls.bayartagihan).toBe(1);
    expect(await bot.store.listTx(RESELLER, 10)).toHaveLength(1);
    expect(await ledgerBalances(bot.store, RESELLER)).toBe(true);
  });

  it('acts once on a message delivered three times', async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(RESELLER, 'PLN 123456789', 'u1');
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await bot.say(RESELLER, 'YA', 'u2'));
    expect(replies[0]).toContain('STRUK PEMBAYARAN');
    expect(replies.slice(1)).toEqual(['', '']);
    expect(bot.sim.calls.bayartagihan).toBe(1);
  });

  it('refuses a saldo too small before any provider call and keeps the summary', async () => {
    bot = await startTestBot({ store: kind, saldo: 1_000 });
    await bot.say(RESELLER, 'PLN 123456789');
    expect(await bot.say(RESELLER, 'YA')).toContain('Saldo tidak cukup');
    expect(bot.sim.calls.bayartagihan).toBe(0);
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000);
    expect(await bot.store.getQuote(RESELLER)).not.toBeNull();
    expect(await bot.store.listTx(RESELLER, 10)).toHaveLength(0);
  });

  it('lets a customer check a bill but not pay it', async () => {
    bot = await startTestBot({ store: kind });
    const summary = await bot.say(CUSTOMER, 'PLN 123456789');
    expect(summary).toContain('SUYITNO');
    expect(summary).not.toContain('Saldo dipotong');
    expect(await bot.say(CUSTOMER, 'YA')).toContain('Hanya reseller');
    expect(bot.sim.calls.bayartagihan).toBe(0);
  });

  it('asks to check again after the summary expired', async () => {
    bot = await startTestBot({ store: kind, env: { QUOTE_TTL_SECONDS: '1' } });
    await bot.say(RESELLER, 'PLN 123456789');
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await bot.say(RESELLER, 'YA')).toContain('Cek tagihan lagi');
    expect(bot.sim.calls.bayartagihan).toBe(0);
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000);
  });

  it('makes no provider call for a malformed number', async () => {
    bot = await startTestBot({ store: kind });
    expect(await bot.say(RESELLER, 'PLN 12ab')).toContain('9 sampai 12 angka');
    expect(bot.sim.calls.cektagihan).toBe(0);
  });

  it('refuses a closed product without a provider call', async () => {
    bot = await startTestBot({ store: kind });
    expect(await bot.say(RESELLER, 'PLNS1000 14123456789')).toContain('sedang tutup');
    expect(bot.sim.calls.cektagihan).toBe(0);
  });

  it("passes the provider's refusal of an inquiry on to the user", async () => {
    bot = await startTestBot({ store: kind });
    expect(await bot.say(RESELLER, 'PLN 500000000009')).toContain('IDPEL TIDAK DITEMUKAN');
  });
});

// Redis only: two processes share one Redis under one prefix; the embedded store lives in one process.
describe('paying a bill from two processes (redis store)', () => {
  it('pays once when two bot processes sharing one Redis both get YA', async () => {
    bot = await startTestBot();
    // A second app with its own Redis connection on the same keys: a second process, as far as Redis can tell.
    const other = await startTestBot({ sim: bot.sim, prefix: bot.prefix });
    try {
      await bot.say(RESELLER, 'PLN 532100112233');
      const [a, b] = await Promise.all([bot.say(RESELLER, 'YA', 'p1'), other.say(RESELLER, 'YA', 'p2')]);
      expect([a, b].filter((r) => r.includes('STRUK PEMBAYARAN'))).toHaveLength(1);
      expect(bot.sim.calls.bayartagihan).toBe(1);
      expect(await ledgerBalances(bot.store, RESELLER)).toBe(true);
    } finally {
      await other.stop();
    }
  });
});

describe.each(STORES)('provider outcomes (%s store)', (kind) => {
  it('refunds on a definite failure (result: no), with a ledger entry', async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(RESELLER, 'PLN 500000000003');
    const reply = await bot.say(RESELLER, 'YA');
    expect(reply).toContain('GAGAL');
    expect(reply).toContain('TRANSAKSI GAGAL');
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000);
    const [tx] = await bot.store.listTx(RESELLER, 1);
    expect(tx?.status).toBe('FAILED');
    const ledger = await bot.store.ledger(RESELLER, 10);
    expect(ledger.filter((e) => e.txId === tx!.id).map((e) => e.reason).sort()).toEqual(['payment', 'refund']);
    expect(await ledgerBalances(bot.store, RESELLER)).toBe(true);
  });

  it('keeps a timed-out payment PENDING: no refund, no second call, the admins told', async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(RESELLER, 'PLN 500000000002');
    const reply = await bot.say(RESELLER, 'YA');
    expect(reply).toContain('sedang diproses');
    const [tx] = await bot.store.listTx(RESELLER, 1);
    expect(tx?.status).toBe('PENDING');
    expect(tx?.invoice).toBeUndefined();
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000 - tx!.quote.price);
    expect(bot.inbox.get(ADMIN)?.[0]?.text).toContain(tx!.id);
    expect(bot.inbox.get(ADMIN)?.[0]?.text).toContain('500000000002');
    // Background checks come and go; the payment is never sent again and never refunded blindly.
    for (let i = 0; i < 3; i++) {
      bot.advance(60 * 60_000);
      await bot.app.worker.tick();
    }
    expect(bot.sim.calls.bayartagihan).toBe(1);
    expect((await bot.store.getTx(RESELLER, tx!.id))?.status).toBe('PENDING');
    expect(bot.inbox.get(ADMIN)).toHaveLength(1); // one alert, not one per check
  });

  it('treats HTTP 502 as PENDING, not as a failure', async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(RESELLER, 'PLN 500000000004');
    expect(await bot.say(RESELLER, 'YA')).toContain('sedang diproses');
    const [tx] = await bot.store.listTx(RESELLER, 1);
    expect(tx?.status).toBe('PENDING');
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000 - tx!.quote.price);
  });

  it('treats an unreadable answer as PENDING', async () => {
    bot = await startTestBot({ store: kind });
    bot.sim.setFault('532100112233', 'garbage');
    await bot.say(RESELLER, 'PLN 532100112233');
    bot.sim.setFault('532100112233', 'garbage');
    expect(await bot.say(RESELLER, 'YA')).toContain('sedang diproses');
  });

  it('settles a pending payment by its status check and sends the receipt', async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(RESELLER, 'PLN 500000000001');
    expect(await bot.say(RESELLER, 'YA')).toContain('sedang diproses');
    const [tx] = await bot.store.listTx(RESELLER, 1);
    expect(tx?.invoice).toBeDefined();
    // The simulator still says pending at the first check and confirm at the next, as a slow biller does.
    bot.advance(2_000);
    await bot.app.worker.tick();
    expect((await bot.store.getTx(RESELLER, tx!.id))?.status).toBe('PENDING');
    expect(bot.inbox.get(RESELLER)).toBeUndefined();
    bot.advance(5_000);
    await bot.app.worker.tick();
    expect((await bot.store.getTx(RESELLER, tx!.id))?.status).toBe('SETTLED');
    expect(bot.inbox.get(RESELLER)?.[0]?.text).toContain('STRUK PEMBAYARAN');
    expect(bot.sim.calls.bayartagihan).toBe(1);
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000 - tx!.quote.price);
    expect(await ledgerBalances(bot.store, RESELLER)).toBe(true);
    // Settled means unscheduled: later passes find nothing.
    bot.advance(60_000);
    expect(await bot.app.worker.tick()).toBe(0);
  });
});

async function reserveLike(b: TestBot, status: 'RESERVED' | 'SENDING') {
  await b.say(RESELLER, 'PLN 532100112233');
  const quote = (await b.store.getQuote(RESELLER))!;
  const txId = `CRASH${status}`;
  const now = Date.now();
  await b.store.schedule(RESELLER, txId, now + b.app.payments.graceMs);
  // SENDING is what a payment's reserve writes now; RESERVED is what earlier versions left between the
  // debit and the call, and a restart after an upgrade must still settle it.
  if (status === 'SENDING') {
    const r = await b.store.money.reserve({ opId: txId, by: 'crashed', now, user: RESELLER, quoteId: quote.id, txId });
    expect(r.ok).toBe(true);
  } else {
    const saldo = await b.store.getSaldo(RESELLER);
    await plantInRedis((b.store as RedisStore).redis, b.prefix)({ id: txId, user: RESELLER, quote, status, createdAt: now, updatedAt: now, saldoAfter: saldo - quote.price });
    await b.store.dropQuote(RESELLER);
  }
  return txId;
}

describe.each(STORES)('a process that dies mid-payment (%s store)', (kind) => {
  it('never resends or refunds a payment that may have been sent: PENDING, admins told', async () => {
    bot = await startTestBot({ store: kind });
    const txId = await reserveLike(bot, 'SENDING');
    bot.advance(bot.app.payments.graceMs + 1);
    await bot.app.worker.tick();
    const tx = await bot.store.getTx(RESELLER, txId);
    expect(tx?.status).toBe('PENDING');
    expect(bot.sim.calls.bayartagihan).toBe(0);
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000 - tx!.quote.price);
    expect(bot.inbox.get(ADMIN)?.some((r) => r.text.includes(txId))).toBe(true);
  });

  it('flags a payment still pending after 24 hours to the admins', async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(RESELLER, 'PLN 500000000002');
    await bot.say(RESELLER, 'YA');
    const before = bot.inbox.get(ADMIN)?.length ?? 0;
    bot.advance(25 * 3600_000);
    await bot.app.worker.tick();
    const alerts = bot.inbox.get(ADMIN) ?? [];
    expect(alerts.length).toBe(before + 1);
    expect(alerts.at(-1)?.text).toContain('lebih dari 24 jam');
  });
});

// Redis only: the RESERVED record is planted straight into Redis's keys; the embedded store never holds an earlier version's data.
describe('a process that dies mid-payment, left by an earlier version (redis store)', () => {
  it('refunds a debit that was never sent (RESERVED, left by an earlier version)', async () => {
    bot = await startTestBot();
    const txId = await reserveLike(bot, 'RESERVED');
    expect(await bot.app.worker.tick()).toBe(0); // not abandoned yet
    bot.advance(bot.app.payments.graceMs + 1);
    await bot.app.worker.tick();
    expect((await bot.store.getTx(RESELLER, txId))?.status).toBe('FAILED');
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000);
    expect(bot.sim.calls.bayartagihan).toBe(0);
    expect(await ledgerBalances(bot.store, RESELLER)).toBe(true);
  });
});
