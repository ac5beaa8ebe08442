/**
 * A Redis connection that drops around a step of `YA` (a blip to a managed Redis): the reserve, or the step
 * that settles or refunds the paid bill. The step may or may not have run; the bot sends the same ledger
 * operation again (its id made before the first try), which answers the first outcome if it ran and runs if
 * it did not, and the payer still gets the receipt or the refund in the reply: nothing waits for an admin,
 * nothing is paid twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { audit } from '../../src/payments/audit.ts';
import { ledgerBalances, RESELLER, startTestBot, type TestBot } from '../helpers/app.ts';

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
  it('sends the reserve again, hears its first outcome, pays once and answers with the receipt', async () => {
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

/** The inquiry and a YA whose biller takes 300 ms, Redis unreachable for 1.5 s from 100 ms in (debited, the biller still paying). */
async function payThroughOutage(inquiry: string, messageId: string): Promise<{ b: TestBot; reply: string; saldoBefore: number }> {
  const b = await startTestBot({ relay: true });
  bot = b;
  const saldoBefore = await b.store.getSaldo(RESELLER);
  await b.say(RESELLER, inquiry);
  b.sim.setDelay(300);
  const reply = b.say(RESELLER, 'YA', messageId);
  await new Promise((r) => setTimeout(r, 100));
  b.relay!.down(1_500); // the outcome step is refused (ioredis gives up reconnecting) until Redis is back
  return { b, reply: await reply, saldoBefore };
}

describe('Redis unreachable for a while in the middle of YA (a failover)', () => {
  it('after the reserve lost its answer: the bot waits for Redis, sends the reserve again, pays once, and the payer gets the receipt', async () => {
    bot = await startTestBot({ relay: true });
    const saldo = await bot.store.getSaldo(RESELLER);
    await bot.say(RESELLER, 'PLN 123456789');
    bot.relay!.arm('SENDING', 1_500); // the reserve runs, then Redis is unreachable for 1.5 s
    expect(await bot.say(RESELLER, 'YA', 'ya-down')).toContain('STRUK');
    const [tx] = await bot.store.listTx(RESELLER, 10);
    expect(tx?.status).toBe('SETTLED');
    expect(await bot.store.getSaldo(RESELLER)).toBe(saldo - tx!.quote.price);
    expect(bot.sim.payments).toHaveLength(1);
    expect((await audit(bot.store)).problems).toEqual([]);
  });

  it("while the biller pays: its answer is kept until Redis is back, and the payer gets the receipt, paid once", async () => {
    const { b, reply, saldoBefore: saldo } = await payThroughOutage('PLN 123456789', 'ya-outage');
    expect(reply).toContain('STRUK');
    const [tx] = await b.store.listTx(RESELLER, 10);
    expect(tx?.status).toBe('SETTLED');
    expect(tx?.invoice).toBeTruthy();
    expect(await b.store.getSaldo(RESELLER)).toBe(saldo - tx!.quote.price);
    expect(b.sim.payments).toHaveLength(1);
    expect((await audit(b.store)).problems).toEqual([]);
  });

  it("a refusal is kept the same way: refunded once Redis is back, not left for an admin", async () => {
    const { b, reply, saldoBefore: saldo } = await payThroughOutage('PLN 500000000003', 'ya-refused'); // the biller refuses this one
    expect(reply).toContain('GAGAL');
    const [tx] = await b.store.listTx(RESELLER, 10);
    expect(tx?.status).toBe('FAILED');
    expect(await b.store.getSaldo(RESELLER)).toBe(saldo);
    expect((await b.store.ledger(RESELLER, 10)).filter((e) => e.reason === 'refund')).toHaveLength(1);
    expect((await audit(b.store)).problems).toEqual([]);
  });
});
