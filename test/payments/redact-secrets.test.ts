/**
 * Issue 16, item 7: a biller's refusal that quotes the password is shown, stored and logged without it. The
 * MMBC simulator runs with the bot's own (configured) password and is made to echo it, as typed and URL-encoded.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { Channel } from '../../src/bot/channel.ts';
import { loadConfig } from '../../src/config.ts';
import { startIakSimulator } from '../../src/providers/iak/simulator.ts';
import { startMmbcSimulator, type MmbcSimulator } from '../../src/providers/mmbc/simulator.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { ADMIN, ledgerBalances, RESELLER, STORES, type StoreKind, startTestBot, type TestBot } from '../helpers/app.ts';
import { captureLog } from '../helpers/log.ts';
import { assertRedis, dropPrefix, redisUrl, uniquePrefix } from '../helpers/redis.ts';
import { credit } from '../helpers/credit.ts';

const PASSWORD = 'S3cret!pass/word';
const FORMS = [PASSWORD, encodeURIComponent(PASSWORD), new URLSearchParams({ p: PASSWORD }).toString().slice(2)];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function expectClean(text: string): void {
  for (const form of FORMS) expect(text).not.toContain(form);
}

async function botWithPassword(kind: StoreKind): Promise<TestBot & { sim: MmbcSimulator }> {
  const sim = await startMmbcSimulator({ hangMs: 60_000, password: PASSWORD });
  cleanups.push(() => sim.close());
  const bot = await startTestBot({ store: kind, sim, env: { MMBC_PASSWORD: PASSWORD } });
  cleanups.push(() => bot.stop());
  return bot;
}

describe.each(STORES)('a biller quoting the password (%s store)', (kind) => {
  it('refuses the payment without the password in the reply, the transaction record or TRX', async () => {
    const bot = await botWithPassword(kind);
    bot.sim.setFault('532100112233', 'leak-password');
    expect(await bot.say(RESELLER, 'PLN 532100112233')).toContain('SITI AMINAH');
    const reply = await bot.say(RESELLER, 'YA');
    expectClean(reply);
    expect(reply).toContain('password *** salah');

    const [tx] = await bot.store.listTx(RESELLER, 1);
    expect(tx?.status).toBe('FAILED');
    expectClean(JSON.stringify(tx));
    const events = JSON.stringify(await bot.store.txLog(RESELLER, tx!.id));
    expectClean(events);
    expect(events).toContain('password *** salah'); // the raw answer's `message` too
    const trx = await bot.say(ADMIN, `TRX ${tx!.id}`);
    expectClean(trx);
    expect(trx).toContain('***');
    expect(await bot.store.getSaldo(RESELLER)).toBe(1_000_000); // refunded, as any refusal
    expect(await ledgerBalances(bot.store, RESELLER)).toBe(true);
  });

  it('refuses the inquiry without the password in the reply', async () => {
    const bot = await botWithPassword(kind);
    bot.sim.setFault('0216234567', 'inquiry-leak-password'); // TELKOM: MMBC's alone, so its refusal is what the user hears
    const reply = await bot.say(RESELLER, 'TELKOM 0216234567');
    expectClean(reply);
    expect(reply).toContain('password *** salah');
  });
});

// On Redis alone: what this checks is the provider layer's logging, which no store takes part in.
describe('a biller quoting the password, in the log', () => {
  it('logs no password, even from a logger that was not told the secrets', async () => {
    await assertRedis();
    const sim = await startMmbcSimulator({ hangMs: 60_000, password: PASSWORD });
    const iak = await startIakSimulator({ hangMs: 60_000 });
    const prefix = uniquePrefix('redact');
    const store = createRedisStore({ url: redisUrl(), prefix, log: pino({ level: 'silent' }) });
    cleanups.push(async () => {
      await sim.close();
      await iak.close();
      await dropPrefix(redisUrl(), prefix);
      await store.close();
    });
    const env = { MMBC_BASE_URL: sim.url, MMBC_USERNAME: 'sandbox', MMBC_PASSWORD: PASSWORD, IAK_BASE_URL: iak.url, IAK_USERNAME: iak.username, IAK_API_KEY: iak.apiKey, PROVIDER_PREFERENCE: 'mmbc' };
    const config = loadConfig(env, '/nonexistent/.env');
    // Only the provider layer can keep the secret out here: log.ts's guard is given no secrets.
    const { log, text } = captureLog('debug');
    const app = await createApp(config, { log, store, autostartWorker: false });
    cleanups.push(() => app.stop());
    const silent: Channel = { name: 'test', async start() {}, async send() {}, async stop() {} };
    await app.attach(silent);
    await store.setReseller(RESELLER, true, 'Toko Test', Date.now());
    await credit(store, RESELLER, 1_000_000, { note: 'test' });

    // PLN falls over from MMBC's refusal (about its login, not the bill) to IAK, logging MMBC's words on the way.
    sim.setFault('532100112233', 'inquiry-leak-password');
    await app.bot.handle({ user: RESELLER, text: 'PLN 532100112233' });
    sim.setFault('123456789', 'leak-password');
    await app.bot.handle({ user: RESELLER, text: 'PLN 123456789' });
    await app.bot.handle({ user: RESELLER, text: 'YA' });
    log.flush();
    await new Promise((r) => setTimeout(r, 50));
    expectClean(text());
    expect(text()).toContain('password *** salah');
  });
});
