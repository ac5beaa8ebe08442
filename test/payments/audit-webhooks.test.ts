/**
 * Invariant 6 (DESIGN.md): every webhook credit names its source event, and no event is credited twice. The
 * ledger operations make a second credit impossible through the product; the audit must still see one that
 * got in another way (a bug, a hand edit), or the books could hide a doubled deposit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { audit } from '../../src/payments/audit.ts';
import { type StoreKind, STORES, startTestBot, type TestBot } from '../helpers/app.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe.each(STORES)('the audit and webhook credits (%s store)', (kind: StoreKind) => {
  const deposit = (user: string, opId: string, amount: number, note: string) =>
    bot!.store.money.adjust({ opId, by: opId, now: Date.now(), user, amount, reason: 'deposit', note });

  it('is clean when each event credited once, and names an event credited twice', async () => {
    bot = await startTestBot({ store: kind });
    await deposit('telegram:71', 'tripay:REF1', 50_000, 'qris Q0000001');
    await deposit('telegram:72', 'moota:m1', 150_123, 'ticket D0000001 by moota:m1');
    await deposit('telegram:72', 'msg:admin:9', 10_000, 'by telegram:1');
    expect((await audit(bot.store)).problems).toEqual([]);

    // The same QRIS deposit and the same bank mutation credited again, under other operation ids.
    await deposit('telegram:71', 'tripay:REF1-again', 50_000, 'qris Q0000001');
    await deposit('telegram:73', 'moota:m1-again', 150_123, 'ticket D0000002 by telegram:1 moota:m1');
    const problems = (await audit(bot.store)).problems;
    expect(problems.filter((p) => p.includes('qris Q0000001 credited more than once'))).toHaveLength(1);
    expect(problems.filter((p) => p.includes('moota:m1 credited more than once'))).toHaveLength(1);
  });
});
