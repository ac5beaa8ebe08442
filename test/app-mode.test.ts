/**
 * Sandbox or production, decided once (config.ts) and built so (app.ts): a biller without credentials in
 * production is off, never simulated beside a real one; the demo admin and saldo exist only for the console
 * identity on the embedded store; sandbox summaries and receipts say no payment is real.
 */
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, SANDBOX_USER, type App } from '../src/app.ts';
import type { UserId } from '../src/bot/channel.ts';
import { loadConfig } from '../src/config.ts';
import { startIakSimulator, type IakSimulator } from '../src/providers/iak/simulator.ts';
import { startMmbcSimulator, type MmbcSimulator } from '../src/providers/mmbc/simulator.ts';
import { dropPrefix, redisUrl, uniquePrefix } from './helpers/redis.ts';
import { credit } from './helpers/credit.ts';

let mmbc: MmbcSimulator;
let iak: IakSimulator;
const running: App[] = [];
const prefixes: string[] = [];

beforeAll(async () => {
  mmbc = await startMmbcSimulator({});
  iak = await startIakSimulator({});
});
afterEach(async () => {
  for (const app of running.splice(0)) await app.stop();
});
afterAll(async () => {
  await mmbc.close();
  await iak.close();
  for (const p of prefixes) await dropPrefix(redisUrl(), p);
});

/** Biller hosts point at our own simulators, so a "real" biller here is still on loopback. */
async function appWith(env: Record<string, string>): Promise<App> {
  const config = loadConfig(
    { MMBC_BASE_URL: mmbc.url, IAK_BASE_URL: iak.url, LOG_LEVEL: 'silent', FLOOD_MAX_MESSAGES: '1000', ...env },
    '/nonexistent/.env',
  );
  const app = await createApp(config, { log: pino({ level: 'silent' }), autostartWorker: false });
  running.push(app);
  return app;
}

const MMBC_CREDS = { MMBC_USERNAME: 'sandbox', MMBC_PASSWORD: 'sandbox' };
const iakCreds = () => ({ IAK_USERNAME: iak.username, IAK_API_KEY: iak.apiKey });
const ADMIN: UserId = 'telegram:1';

async function say(app: App, user: UserId, text: string): Promise<string> {
  return (await app.bot.handle({ user, text })).map((r) => r.text).join('\n---\n');
}

async function resellerWithSaldo(app: App, user: UserId): Promise<void> {
  await app.store.setReseller(user, true, 'Toko', Date.now());
  await credit(app.store, user, 1_000_000, { note: 'test' });
}

describe('production: a biller without credentials is off, never simulated', () => {
  it('MMBC credentials only: no IAK simulator, IAK-only products unknown, no fallover to a simulated IAK', async () => {
    const app = await appWith({ ...MMBC_CREDS, ADMIN_IDS: ADMIN });
    expect(app.config.sandbox).toBe(false);
    expect(app.router.providers.map((p) => p.name)).toEqual(['mmbc']);
    expect(app.simulator).toBeUndefined();
    expect(app.iakSimulator).toBeUndefined();
    await resellerWithSaldo(app, 'telegram:2');
    // MMBC answers this inquiry with HTTP 502: before, the router fell over to a simulated IAK and took saldo.
    const reply = await say(app, 'telegram:2', 'PLN 532199887766');
    expect(reply).not.toMatch(/YULIANA|Balas YA/);
    expect(await say(app, 'telegram:2', 'YA')).not.toMatch(/STRUK/);
    expect(await app.store.getSaldo('telegram:2')).toBe(1_000_000);
    expect(await say(app, 'telegram:2', 'PBBKOT.CIMAHI 327703000401005610')).not.toMatch(/ASEP|Balas YA/);
    // Its own products still work, with no sandbox mark.
    const bill = await say(app, 'telegram:2', 'PLN 123456789');
    expect(bill).toContain('SUYITNO');
    expect(bill).not.toContain('SANDBOX');
  });

  it('IAK credentials only: no MMBC simulator, MMBC-only products unknown', async () => {
    const app = await appWith({ ...iakCreds() });
    expect(app.router.providers.map((p) => p.name)).toEqual(['iak', 'iak-prepaid']);
    expect(app.simulator).toBeUndefined();
    await resellerWithSaldo(app, 'telegram:2');
    expect(await say(app, 'telegram:2', 'BPJSKS 8888801234567')).not.toMatch(/SRI WAHYUNI/);
    expect(await say(app, 'telegram:2', 'PLNPOSTPAID 531234567890')).toContain('SUPARMAN');
  });

  it('production on the embedded store: console:local is nobody special, and has no saldo', async () => {
    const app = await appWith({ ...MMBC_CREDS, ...iakCreds() });
    expect(app.router.providers.map((p) => p.name)).toEqual(['mmbc', 'iak', 'iak-prepaid']);
    expect(app.admins.has(SANDBOX_USER)).toBe(false);
    expect(await app.store.getSaldo(SANDBOX_USER)).toBe(0);
  });
});

describe('sandbox', () => {
  it('no credentials, embedded store: every biller simulated, the console identity is the demo admin with saldo', async () => {
    const app = await appWith({});
    expect(app.config.sandbox).toBe(true);
    expect(app.router.providers.map((p) => p.name)).toEqual(['mmbc', 'iak', 'iak-prepaid']);
    expect(app.simulator).toBeDefined();
    expect(app.iakSimulator).toBeDefined();
    expect(app.admins.has(SANDBOX_USER)).toBe(true);
    expect(await app.store.getSaldo(SANDBOX_USER)).toBe(1_000_000);
    // No other identity gets anything.
    expect(await app.store.getSaldo('telegram:2')).toBe(0);
    // /metrics shows the demo saldo from the start, not a minute later.
    let scraped = '';
    for (let i = 0; i < 50 && !/ppob_saldo_total_rupiah 1000000/.test(scraped); i++) {
      scraped = await app.metrics.registry.metrics();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(scraped).toMatch(/ppob_saldo_total_rupiah 1000000/);
  });

  it('every summary and receipt says SANDBOX', async () => {
    const app = await appWith({});
    const summary = await say(app, SANDBOX_USER, 'PLN 123456789');
    expect(summary.split('\n')[0]).toMatch(/^SANDBOX/);
    const receipt = await say(app, SANDBOX_USER, 'YA');
    expect(receipt).toContain('STRUK');
    expect(receipt.split('\n')[0]).toMatch(/^SANDBOX/);
  });

  it('SANDBOX=1 with credentials: simulated billers, the credentials are not used', async () => {
    const app = await appWith({ ...MMBC_CREDS, ...iakCreds(), SANDBOX: '1' });
    expect(app.config.sandbox).toBe(true);
    expect(app.simulator).toBeDefined();
    expect(app.iakSimulator).toBeDefined();
    expect(app.simulator!.url).not.toBe(mmbc.url);
  });

  it('sandbox on a real Redis: no demo admin and no demo saldo for anyone', async () => {
    const prefix = uniquePrefix('mode');
    prefixes.push(prefix);
    const app = await appWith({ REDIS_URL: redisUrl(), REDIS_PREFIX: prefix });
    expect(app.store.kind).toBe('redis');
    expect(app.config.sandbox).toBe(true);
    expect(app.admins.has(SANDBOX_USER)).toBe(false);
    expect(await app.store.getSaldo(SANDBOX_USER)).toBe(0);
    expect(await say(app, SANDBOX_USER, 'SALDO')).not.toMatch(/1\.000\.000/);
  });
});
