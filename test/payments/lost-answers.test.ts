/**
 * A Redis connection that drops around a step of `YA` (a blip to a managed Redis): the reserve, or the step
 * that settles or refunds the paid bill. The step may or may not have run; the bot finds out (the reserve's
 * transaction is read back) or sends it again where that moves the transaction at most once (a
 * compare-and-set), and the payer still gets the receipt or the refund in the reply: nothing waits for an
 * admin, nothing is paid twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { translator } from '../../src/bot/i18n.ts';
import { audit } from '../../src/payments/audit.ts';
import { ADMIN, ledgerBalances, RESELLER, startTestBot, type TestBot } from '../helpers/app.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** A YA whose step carrying `marker` is cut as `cut` says; the payer must still get the receipt, paid once. */
async function payThroughCut(cut: 'arm' | 'armDrop', marker: string, messageId: string): Promise<void> {
  bot = await startTestBot({ relay: true });
  const b = bot;
  const saldo = await b.store.getSaldo(RESELLER);
  await b.say(RESELLER, 'PLN 123456789');
  b.relay![cut](marker);
  const reply = await b.say(RESELLER, 'YA', messageId);
  expect(b.relay!.cuts).toBe(1);
  expect(reply).toContain('STRUK');
  const txs = await b.store.listTx(RESELLER, 10);
  expect(txs.map((tx) => tx.status)).toEqual(['SETTLED']);
  expect((await b.store.txLog(RESELLER, txs[0]!.id)).filter((e) => e.type === 'pay')).toHaveLength(1);
  expect(b.sim.payments).toHaveLength(1);
  expect(await b.store.getSaldo(RESELLER)).toBe(saldo - txs[0]!.quote.price);
  expect(await ledgerBalances(b.store, RESELLER)).toBe(true);
  expect((await audit(b.store)).problems).toEqual([]);
}

describe('the answer to YA\'s reserve is lost with the Redis connection', () => {
  it('reads the transaction back, pays it once and answers with the receipt', async () => {
    await payThroughCut('arm', 'SENDING', 'ya-1'); // the reserve's new state: it ran, its answer is lost
  });

  it('sends the reserve again when it never reached Redis, and pays once', async () => {
    await payThroughCut('armDrop', 'SENDING', 'ya-2'); // the schedule and the reserve never arrive
  });
});

describe('the answer to a settle or a refund is lost with the Redis connection', () => {
  it('settles once and the payer gets the receipt', async () => {
    await payThroughCut('arm', 'SETTLED', 'ya-3'); // the settle step's target state: only it carries the word
  });

  it('refunds once and the payer is told', async () => {
    bot = await startTestBot({ relay: true });
    const saldo = await bot.store.getSaldo(RESELLER);
    await bot.say(RESELLER, 'PLN 500000000003'); // the simulator refuses to pay this one
    bot.relay!.arm('TRANSAKSI GAGAL'); // the biller's reason, first sent to Redis by the refund step
    const reply = await bot.say(RESELLER, 'YA');
    expect(bot.relay!.cuts).toBe(1);
    expect(reply).toContain('GAGAL');
    const [tx] = await bot.store.listTx(RESELLER, 1);
    expect(tx?.status).toBe('FAILED');
    expect(await bot.store.getSaldo(RESELLER)).toBe(saldo);
    expect((await bot.store.ledger(RESELLER, 10)).filter((e) => e.reason === 'refund')).toHaveLength(1);
    expect((await audit(bot.store)).problems).toEqual([]);
  });
});

describe('Redis stays down after the reserve lost its answer', () => {
  it('tells the payer to look first, never to try again, and the worker carries the payment on', async () => {
    bot = await startTestBot({ relay: true });
    const saldo = await bot.store.getSaldo(RESELLER);
    await bot.say(RESELLER, 'PLN 123456789');
    bot.relay!.arm('SENDING', 1_500); // the reserve runs, then Redis is unreachable: the read-back fails too
    expect(await bot.say(RESELLER, 'YA', 'ya-down')).toBe(translator('id')('error.outcomeUnknown'));
    await new Promise((r) => setTimeout(r, 1_700));
    // Debited once and never paid blind: SENDING is the worker's to ask about (it becomes PENDING).
    const [tx] = await bot.store.listTx(RESELLER, 10);
    expect(tx?.status).toBe('SENDING');
    expect(await bot.store.getSaldo(RESELLER)).toBe(saldo - tx!.quote.price);
    expect(bot.sim.payments).toHaveLength(0);
    bot.advance(10 * 60_000);
    await bot.app.worker.tick();
    expect((await bot.store.getTx(RESELLER, tx!.id))?.status).not.toBe('SENDING');
    expect((await audit(bot.store)).problems).toEqual([]);
  });
});

describe('Redis goes down while the biller is paying', () => {
  it('the payer is told to look first, not to try again; once Redis is back it is pending for the admins, never paid again', async () => {
    bot = await startTestBot({ relay: true });
    const saldo = await bot.store.getSaldo(RESELLER);
    await bot.say(RESELLER, 'PLN 123456789');
    bot.sim.setDelay(300);
    const reply = bot.say(RESELLER, 'YA', 'ya-outage');
    await new Promise((r) => setTimeout(r, 100)); // debited, the biller still paying
    bot.relay!.down(1_500); // the settle is refused (ioredis gives up reconnecting), not lost
    expect(await reply).toBe(translator('id')('error.outcomeUnknown'));
    bot.sim.setDelay(0);
    await new Promise((r) => setTimeout(r, 1_700));
    expect(bot.sim.payments).toHaveLength(1);
    const [tx] = await bot.store.listTx(RESELLER, 10);
    expect(await bot.store.getSaldo(RESELLER)).toBe(saldo - tx!.quote.price);
    // The biller's answer (its invoice) was never recorded, and MMBC is asked about a payment by its invoice:
    // the worker makes it PENDING and the admins are told, to settle it from the biller's record.
    bot.advance(10 * 60_000);
    await bot.app.worker.tick();
    expect((await bot.store.getTx(RESELLER, tx!.id))?.status).toBe('PENDING');
    expect(bot.inbox.get(ADMIN)?.at(-1)?.text).toContain(tx!.id);
    expect(await bot.say(ADMIN, `SUKSES ${tx!.id}`)).toContain('SUKSES');
    expect(bot.sim.payments).toHaveLength(1);
    expect((await audit(bot.store)).problems).toEqual([]);
  });
});
