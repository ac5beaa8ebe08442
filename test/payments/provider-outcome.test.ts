/**
 * `payments.onProviderOutcome`: an outcome IAK pushes (its callback), applied as a status check's would be, on
 * both stores. The first of the callback and the status check moves the transaction; whatever comes after it
 * (the same callback again, at once or later, from another process, a status check) changes nothing and tells
 * the payer nothing more. Every outcome is kept on the transaction's record.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PayOutcome } from '../../src/bot/provider.ts';
import { RESELLER, STORES, startTestBot, type TestBot } from '../helpers/app.ts';
import { decided, inboxOf, lastTx, ledgerOf, type PrepaidBot, receiptsOf, startPrepaidBot, statusCheck, txNow } from '../helpers/prepaid.ts';

let bot: PrepaidBot | undefined;
let other: TestBot | undefined;
afterEach(async () => {
  await other?.stop();
  await bot?.stop();
  bot = other = undefined;
});

const settled = (sn: string): PayOutcome => ({ status: 'settled', receipt: { invoice: '3482', reference: sn, details: [], debit: 10_850 } });
const failed: PayOutcome = { status: 'failed', reason: 'FAILED (RC 07)' };
const stillPending: PayOutcome = { status: 'pending', reason: 'PROCESS (RC 39)', invoice: '3482' };

/** A top-up IAK answered PROCESS, with no callback coming: the transaction waits PENDING. */
async function pendingTopUp(b: PrepaidBot): Promise<string> {
  await b.say(RESELLER, 'PULSA 081234567890 10000');
  expect(await b.say(RESELLER, 'YA')).toContain('sedang diproses');
  const tx = await lastTx(b);
  expect(tx.status).toBe('PENDING');
  return tx.id;
}

const types = async (b: TestBot, id: string) => (await b.store.txLog(RESELLER, id)).map((e) => e.type);

describe.each(STORES)('an outcome the provider pushes (%s store)', (kind) => {
  it('for a transaction the bot does not have: unknown, and nothing is written', async () => {
    bot = await startPrepaidBot({ store: kind, callbacks: false });
    expect(await bot.app.payments.onProviderOutcome('T00000000000ZZ', settled('1'), 'iak-callback')).toBe('unknown');
    expect(await bot.store.txOwner('T00000000000ZZ')).toBeNull();
    expect(await bot.store.listTx(RESELLER, 5)).toEqual([]);
  });

  it('still pending: unchanged, kept on the record, nothing told', async () => {
    bot = await startPrepaidBot({ store: kind, callbacks: false });
    const id = await pendingTopUp(bot);
    expect(await bot.app.payments.onProviderOutcome(id, stillPending, 'iak-callback')).toBe('unchanged');
    expect((await txNow(bot, id)).status).toBe('PENDING');
    expect(await types(bot, id)).toContain('iak-callback');
    expect(inboxOf(bot)).toEqual([]);
  });

  it('settled: applied once with its receipt; the same again is unchanged, and kept on the record', async () => {
    bot = await startPrepaidBot({ store: kind, callbacks: false });
    const id = await pendingTopUp(bot);
    expect(await bot.app.payments.onProviderOutcome(id, settled('SN-1'), 'iak-callback')).toBe('applied');
    expect(await bot.app.payments.onProviderOutcome(id, settled('SN-1'), 'iak-callback')).toBe('unchanged');
    const tx = await txNow(bot, id);
    expect(tx.status).toBe('SETTLED');
    expect(tx.receipt?.reference).toBe('SN-1');
    expect(receiptsOf(bot)).toHaveLength(1);
    expect(receiptsOf(bot)[0]).toMatch(/SN\s+SN-1/);
    expect((await types(bot, id)).filter((t) => t === 'iak-callback')).toHaveLength(2);
    expect(await ledgerOf(bot, id)).toEqual([{ amount: -10_850, reason: 'payment' }]);
  });

  // Fixed bug (src/payments/payments.ts, onProviderOutcome, `apply(tx, outcome, `${source}:${txId}`, entry)`): every
  // delivery of a callback sends the settle under the same `by`, and the ledger answers the same operation from
  // the same sender with its recorded outcome, so each concurrent delivery is 'applied' and tells the payer the
  // receipt again. Each delivery needs a name of its own: `${source}:${txId}:${newQuoteId()}`; the second is then
  // someone else's step (op-conflict), unchanged.
  it('five of the same at once: one applied, one receipt, one settle', async () => {
    bot = await startPrepaidBot({ store: kind, callbacks: false });
    const id = await pendingTopUp(bot);
    const answers = await Promise.all(Array.from({ length: 5 }, () => bot!.app.payments.onProviderOutcome(id, settled('SN-5'), 'iak-callback')));
    expect(answers.filter((a) => a === 'applied')).toHaveLength(1);
    expect(answers.filter((a) => a === 'unchanged')).toHaveLength(4);
    expect(receiptsOf(bot)).toHaveLength(1);
    expect(inboxOf(bot)).toHaveLength(1);
    expect(await ledgerOf(bot, id)).toEqual([{ amount: -10_850, reason: 'payment' }]);
  });

  it('racing the status check: whichever lands first settles, the other changes nothing; one receipt', async () => {
    bot = await startPrepaidBot({ store: kind, callbacks: false });
    const id = await pendingTopUp(bot);
    const t = await decided(bot.prepaid, id);
    bot.advance(2_000);
    const [answer] = await Promise.all([bot.app.payments.onProviderOutcome(id, settled(t.sn!), 'iak-callback'), bot.app.worker.tick()]);
    expect(['applied', 'unchanged']).toContain(answer);
    expect((await txNow(bot, id)).status).toBe('SETTLED');
    expect(receiptsOf(bot)).toHaveLength(1);
    expect(await ledgerOf(bot, id)).toEqual([{ amount: -10_850, reason: 'payment' }]);
  });

  it('failed: refunded once; a success told after the refund changes nothing, and is kept for the admins', async () => {
    bot = await startPrepaidBot({ store: kind, callbacks: false });
    const id = await pendingTopUp(bot);
    expect(await bot.app.payments.onProviderOutcome(id, failed, 'iak-callback')).toBe('applied');
    expect(await bot.app.payments.onProviderOutcome(id, failed, 'iak-callback')).toBe('unchanged');
    expect(await bot.app.payments.onProviderOutcome(id, settled('LATE'), 'iak-callback')).toBe('unchanged');
    const tx = await txNow(bot, id);
    expect(tx.status).toBe('FAILED');
    expect(tx.receipt).toBeUndefined();
    expect(await ledgerOf(bot, id)).toEqual([{ amount: -10_850, reason: 'payment' }, { amount: 10_850, reason: 'refund' }]);
    expect(inboxOf(bot).filter((x) => x.includes('GAGAL'))).toHaveLength(1);
    expect(receiptsOf(bot)).toEqual([]);
    expect((await types(bot, id)).filter((x) => x === 'iak-callback')).toHaveLength(3);
    // And the status check after it neither refunds again nor asks IAK.
    const asked = bot.prepaid.calls['check-status'];
    await statusCheck(bot);
    expect(bot.prepaid.calls['check-status']).toBe(asked);
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000);
  });
});

describe('an outcome pushed to two processes sharing one Redis', () => {
  // Fixed bug: as above (payments.ts onProviderOutcome's `by`).
  it('the same callback to both at once: one applied, one receipt', async () => {
    bot = await startPrepaidBot({ callbacks: false });
    other = await startTestBot({ prefix: bot.prefix, sim: bot.sim, iak: bot.iak, env: { IAK_PREPAID_BASE_URL: bot.prepaid.url } });
    const id = await pendingTopUp(bot);
    const answers = await Promise.all([
      ...Array.from({ length: 3 }, () => bot!.app.payments.onProviderOutcome(id, settled('SN-2P'), 'iak-callback')),
      ...Array.from({ length: 3 }, () => other!.app.payments.onProviderOutcome(id, settled('SN-2P'), 'iak-callback')),
    ]);
    expect(answers.filter((a) => a === 'applied')).toHaveLength(1);
    expect([...receiptsOf(bot), ...receiptsOf(other)]).toHaveLength(1);
    expect(await ledgerOf(bot, id)).toEqual([{ amount: -10_850, reason: 'payment' }]);
  });
});
