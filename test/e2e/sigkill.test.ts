/**
 * Contract rule 5 with a real crash: a bot process is SIGKILLed while MMBC holds its payment call (after
 * the debit, before any answer). Another process on the same Redis finds the transaction, never sends it
 * again and never refunds it blindly: it goes PENDING, the admins are told, and SUKSES settles it once.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { audit } from '../../src/payments/audit.ts';
import { startMmbcSimulator, type MmbcSimulator } from '../../src/providers/mmbc/simulator.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { ADMIN, startTestBot, type TestBot } from '../helpers/app.ts';
import { dropPrefix, redisUrl, uniquePrefix } from '../helpers/redis.ts';
import { credit } from '../helpers/credit.ts';

const USER = 'console:local';
let sim: MmbcSimulator | undefined;
let bot: TestBot | undefined;
let prefix = '';

afterEach(async () => {
  await bot?.stop();
  await sim?.close();
  if (prefix) await dropPrefix(redisUrl(), prefix);
  bot = undefined;
  sim = undefined;
});

async function until(cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('SIGKILL between the debit and the provider answer', () => {
  it('is resolved exactly once by another process', async () => {
    sim = await startMmbcSimulator({ hangMs: 60_000 });
    prefix = uniquePrefix('sigkill');
    const seed = createRedisStore({ url: redisUrl(), prefix });
    await seed.setReseller(USER, true, 'Kasir', Date.now());
    await credit(seed, USER, 1_000_000, { note: 'test' });
    await seed.close();

    // node --import tsx, not tsx's CLI: the CLI is a wrapper whose death would leave the real bot running.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, REDIS_URL: redisUrl(), REDIS_PREFIX: prefix, CHANNELS: 'console',
        MMBC_BASE_URL: sim.url, MMBC_USERNAME: 'sandbox', MMBC_PASSWORD: 'sandbox', PROVIDER_TIMEOUT_MS: '30000',
        HTTP_PORT: '0', LOG_LEVEL: 'silent',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdout.resume();
    child.stderr.resume();
    child.stdin.write('PLN 500000000002\n');
    await new Promise((r) => setTimeout(r, 300));
    child.stdin.write('YA\n');
    const s = sim;
    await until(() => s.calls.bayartagihan === 1);
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;

    bot = await startTestBot({ sim, prefix });
    const [tx] = await bot.store.listTx(USER, 1);
    expect(tx?.status).toBe('SENDING');
    expect(await bot.store.getSaldo(USER)).toBe(1_000_000 - tx!.quote.price);

    // The dead process scheduled its look for after its own grace (30 s timeout + 30 s).
    bot.advance(61_000);
    await bot.app.worker.tick();
    const pending = await bot.store.getTx(USER, tx!.id);
    expect(pending?.status).toBe('PENDING');
    expect(bot.inbox.get(ADMIN)?.[0]?.text).toContain(tx!.id);
    expect(sim.calls.bayartagihan).toBe(1);

    // The simulator made that payment; the admin checks MMBC's side and settles it.
    expect(sim.payments.map((p) => p.customerNo)).toEqual(['500000000002']);
    expect(await bot.say(ADMIN, `SUKSES ${tx!.id}`)).toContain('SUKSES');
    expect((await bot.store.getTx(USER, tx!.id))?.status).toBe('SETTLED');
    expect(await bot.store.getSaldo(USER)).toBe(1_000_000 - tx!.quote.price);
    expect(sim.calls.bayartagihan).toBe(1);
    expect((await audit(bot.store)).problems).toEqual([]);
  });
});
