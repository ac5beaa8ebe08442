/** The audit finds the books in order after real payments, and finds every kind of tampering. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { audit } from '../../src/payments/audit.ts';
import { ADMIN, RESELLER, STORES, startTestBot, type TestBot } from '../helpers/app.ts';
import { redisUrl } from '../helpers/redis.ts';

const run = promisify(execFile);
let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function someBusiness(b: TestBot): Promise<void> {
  for (const [text, then] of [
    ['PLN 123456789', 'YA'],
    ['PLN 500000000003', 'YA'], // refused: refunded
    ['PLN 500000000002', 'YA'], // timed out: pending
    ['PLNS100 14123456789', 'YA'],
    ['BPJSKS 8888801234567', 'BATAL'],
  ] as const) {
    await b.say(RESELLER, text);
    await b.say(RESELLER, then);
  }
}

describe.each(STORES)('audit (%s store)', (kind) => {
  it('is clean after payments, refunds and a pending one, then after the admin settles it', async () => {
    bot = await startTestBot({ store: kind });
    await someBusiness(bot);
    let report = await audit(bot.store);
    expect(report.problems).toEqual([]);
    expect(report.byStatus).toEqual({ SETTLED: 2, FAILED: 1, PENDING: 1 });
    const pending = (await bot.store.listTx(RESELLER, 10)).find((tx) => tx.status === 'PENDING')!;
    await bot.say(ADMIN, `GAGAL ${pending.id}`);
    report = await audit(bot.store);
    expect(report.problems).toEqual([]);
    expect(report.byStatus).toEqual({ SETTLED: 2, FAILED: 2 });
  });
});

// Redis only: each plants its tampering with Redis commands straight into the store's keys (and the CLI reads Redis).
describe('audit (redis store)', () => {
  it('reports a saldo that does not match its ledger, and the CLI exits 1', async () => {
    bot = await startTestBot();
    await someBusiness(bot);
    const redis = new Redis(redisUrl());
    await redis.incrby(`${bot.prefix}{${RESELLER}}:saldo`, 5);
    await redis.quit();
    const report = await audit(bot.store);
    expect(report.problems.some((p) => p.includes('ledger sums to'))).toBe(true);
    const cli = await run('npx', ['tsx', 'src/audit.ts'], {
      env: { ...process.env, REDIS_URL: redisUrl(), REDIS_PREFIX: bot.prefix },
    }).catch((err: { code: number; stdout: string }) => err);
    expect('code' in cli ? cli.code : 0).toBe(1);
    expect(cli.stdout).toContain('differences: 1');
  });

  it('reports a transaction with a refund it should not have, and an open one nobody will check', async () => {
    bot = await startTestBot();
    await someBusiness(bot);
    const settled = (await bot.store.listTx(RESELLER, 10)).find((tx) => tx.status === 'SETTLED')!;
    const redis = new Redis(redisUrl());
    // A refund entry naming a settled transaction, as a buggy step would write it.
    await redis.rpush(`${bot.prefix}{${RESELLER}}:ledger`, JSON.stringify({ at: Date.now(), amount: 0, reason: 'refund', txId: settled.id, saldoAfter: await bot.store.getSaldo(RESELLER) }));
    const pending = (await bot.store.listTx(RESELLER, 10)).find((tx) => tx.status === 'PENDING')!;
    await bot.store.unschedule(RESELLER, pending.id);
    await redis.quit();
    const problems = (await audit(bot.store)).problems.join('\n');
    expect(problems).toContain(`${settled.id} (SETTLED) has 1 refunds`);
    expect(problems).toContain(`${pending.id} is PENDING but not scheduled`);
  });
});
