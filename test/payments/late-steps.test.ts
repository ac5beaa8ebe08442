/**
 * A step after the money moved that fails on a blip must not cost the payer their notice, nor a receiver a
 * second credit (found by a review of the ledger rework).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDesk } from '../../src/payments/desk.ts';
import { opIds } from '../../src/payments/ledger.ts';
import { recheckTransfer } from '../../src/payments/transfers.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { ADMIN, RESELLER, STORES, startTestBot, type TestBot } from '../helpers/app.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** The store's unschedule fails once, as when the connection blips right after the money step. */
function blipOnce<T extends { unschedule(user: string, id: string): Promise<void> }>(store: T): void {
  const real = store.unschedule.bind(store);
  let fail = true;
  store.unschedule = async (u, id) => {
    if (fail) {
      fail = false;
      throw new Error('Connection is closed.');
    }
    return real(u, id);
  };
}

describe.each(STORES)('SUKSES whose unschedule blips after the settle (%s store)', (kind) => {
  it('still sends the payer the receipt', async () => {
    bot = await startTestBot({ store: kind });
    await bot.say(RESELLER, 'PLN 500000000002');
    await bot.say(RESELLER, 'YA');
    const [tx] = await bot.store.listTx(RESELLER, 1);
    expect(tx?.status).toBe('PENDING');
    const before = bot.inbox.get(RESELLER)?.length ?? 0;
    blipOnce(bot.store);
    await bot.say(ADMIN, `SUKSES ${tx!.id} 12345678901234567890`);
    expect((await bot.store.getTx(RESELLER, tx!.id))?.status).toBe('SETTLED');
    const told = (bot.inbox.get(RESELLER) ?? []).slice(before);
    expect(told.some((r) => r.text.includes('STRUK PEMBAYARAN'))).toBe(true);
  });
});

describe('a done transfer still on the schedule after its credit record expired', () => {
  it('is not credited again by the worker', async () => {
    let now = Date.now();
    const store = createMemoryStore({ clock: () => now });
    const from = 'test:a';
    const to = 'test:b';
    await store.money.adjust({ opId: 'seed', by: 'seed', now, user: from, amount: 100_000, reason: 'deposit' });
    // Debit and credit land, then the unschedule blips and the process stops.
    blipOnce(store);
    const desk = createDesk({ store, graceMs: 60_000, patienceMs: 0 });
    await expect(desk.transfer({ opId: opIds.message(from, 'm1'), from, to, amount: 40_000, now })).rejects.toThrow();
    expect(await store.getSaldo(to)).toBe(40_000);
    const [item] = await store.scheduled(10);
    expect((await store.getTransfer(from, item!.txId))?.state).toBe('done');
    // The worker first looks 8 days later: the credit's op record (7 days) is gone.
    now += 8 * 86400_000;
    await recheckTransfer(store, from, item!.txId, now, 60_000);
    expect(await store.getSaldo(to)).toBe(40_000);
    expect(await store.scheduled(10)).toEqual([]);
  });
});
