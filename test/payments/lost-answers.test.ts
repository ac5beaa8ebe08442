/**
 * A Redis connection that drops just as Redis answers the step that settles or fails a paid bill (a blip to a
 * managed Redis). The step may have run; the bot sends it again, which moves the transaction at most once,
 * and the payer still gets the receipt or the refund in the reply to `YA`: nothing waits for an admin.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { audit } from '../../src/payments/audit.ts';
import { ledgerBalances, RESELLER, startTestBot, type TestBot } from '../helpers/app.ts';
import { type AnswerDropper, answerDropper } from '../helpers/redis.ts';

let bot: TestBot | undefined;
let relay: AnswerDropper | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await relay?.close();
  relay = undefined;
});

describe('the answer to YA\'s reserve is lost with the Redis connection', () => {
  it('reads the transaction back, pays it once and answers with the receipt', async () => {
    relay = await answerDropper();
    bot = await startTestBot({ redisUrl: relay.url });
    const saldo = await bot.store.getSaldo(RESELLER);
    await bot.say(RESELLER, 'PLN 123456789');
    relay.arm('SENDING'); // the reserve's new state: it ran, its answer is lost
    const reply = await bot.say(RESELLER, 'YA', 'ya-1');
    expect(relay.cuts).toBe(1);
    expect(reply).toContain('STRUK');
    const txs = await bot.store.listTx(RESELLER, 10);
    expect(txs.map((tx) => tx.status)).toEqual(['SETTLED']);
    expect(bot.sim.payments).toHaveLength(1);
    expect(await bot.store.getSaldo(RESELLER)).toBe(saldo - txs[0]!.quote.price);
    expect((await audit(bot.store)).problems).toEqual([]);
  });

  it('sends the reserve again when it never reached Redis, and pays once', async () => {
    relay = await answerDropper();
    bot = await startTestBot({ redisUrl: relay.url });
    const saldo = await bot.store.getSaldo(RESELLER);
    await bot.say(RESELLER, 'PLN 123456789');
    relay.armDrop('SENDING'); // the schedule and the reserve never arrive
    const reply = await bot.say(RESELLER, 'YA', 'ya-2');
    expect(relay.cuts).toBe(1);
    expect(reply).toContain('STRUK');
    const txs = await bot.store.listTx(RESELLER, 10);
    expect(txs.map((tx) => tx.status)).toEqual(['SETTLED']);
    expect(bot.sim.payments).toHaveLength(1);
    expect(await bot.store.getSaldo(RESELLER)).toBe(saldo - txs[0]!.quote.price);
    expect((await audit(bot.store)).problems).toEqual([]);
  });
});

describe('the answer to a settle or a refund is lost with the Redis connection', () => {
  it('settles once and the payer gets the receipt', async () => {
    relay = await answerDropper();
    bot = await startTestBot({ redisUrl: relay.url });
    const saldo = await bot.store.getSaldo(RESELLER);
    await bot.say(RESELLER, 'PLN 123456789');
    relay.arm('SETTLED'); // the settle step's target state: only it carries the word
    const reply = await bot.say(RESELLER, 'YA');
    expect(relay.cuts).toBe(1);
    expect(reply).toContain('STRUK');
    const [tx] = await bot.store.listTx(RESELLER, 1);
    expect(tx?.status).toBe('SETTLED');
    expect((await bot.store.txLog(RESELLER, tx!.id)).filter((e) => e.type === 'pay')).toHaveLength(1);
    expect(bot.sim.payments).toHaveLength(1);
    expect(await bot.store.getSaldo(RESELLER)).toBe(saldo - tx!.quote.price);
    expect(await ledgerBalances(bot.store, RESELLER)).toBe(true);
    expect((await audit(bot.store)).problems).toEqual([]);
  });

  it('refunds once and the payer is told', async () => {
    relay = await answerDropper();
    bot = await startTestBot({ redisUrl: relay.url });
    const saldo = await bot.store.getSaldo(RESELLER);
    await bot.say(RESELLER, 'PLN 500000000003'); // the simulator refuses to pay this one
    relay.arm('TRANSAKSI GAGAL'); // the biller's reason, first sent to Redis by the refund step
    const reply = await bot.say(RESELLER, 'YA');
    expect(relay.cuts).toBe(1);
    expect(reply).toContain('GAGAL');
    const [tx] = await bot.store.listTx(RESELLER, 1);
    expect(tx?.status).toBe('FAILED');
    expect(await bot.store.getSaldo(RESELLER)).toBe(saldo);
    expect((await bot.store.ledger(RESELLER, 10)).filter((e) => e.reason === 'refund')).toHaveLength(1);
    expect((await audit(bot.store)).problems).toEqual([]);
  });
});
