/**
 * No secret reaches the logs: the MMBC password, the IAK key, the Telegram token and webhook secret and a
 * reseller's PIN go through every path that logs (start, inquiries, payments, provider faults, recheck,
 * errors), and none of them appears in what was written.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { configSecrets, loadConfig } from '../src/config.ts';
import { signPriceList, signStatus } from '../src/providers/iak/sign.ts';
import { startMmbcSimulator } from '../src/providers/mmbc/simulator.ts';
import { createRedisStore } from '../src/store/redis-store.ts';
import { dropPrefix, redisUrl, uniquePrefix } from './helpers/redis.ts';
import { captureLog } from './helpers/log.ts';
import { credit } from './helpers/credit.ts';

const MMBC_SECRET = 'mmbc-Secret-7f3a9c';
const IAK_SECRET = 'iak-Key-2b8e41';
const TG_TOKEN = '123456:AAH-tg-Token-91ac';
const WEBHOOK_SECRET = 'wh-Secret-55d0';
const PIN = '719364';

describe('logs', () => {
  it('never contain a secret, whatever happens', async () => {
    const sim = await startMmbcSimulator({ password: MMBC_SECRET, hangMs: 5_000 });
    const prefix = uniquePrefix('log');
    const store = createRedisStore({ url: redisUrl(), prefix });
    const config = loadConfig(
      {
        MMBC_BASE_URL: sim.url, MMBC_USERNAME: 'sandbox', MMBC_PASSWORD: MMBC_SECRET, IAK_USERNAME: 'iak', IAK_API_KEY: IAK_SECRET,
        PROVIDER_TIMEOUT_MS: '300', LOG_LEVEL: 'trace', ADMIN_IDS: 'console:local',
      },
      '/nonexistent/.env',
    );
    // As main.ts makes it: the configured secrets are what it keeps out by value.
    const { log, text } = captureLog('trace', [...configSecrets(config), TG_TOKEN, WEBHOOK_SECRET]);
    // The whole configuration, secrets and all, as a careless log line would pass it.
    log.info({ config: { ...config, TELEGRAM_BOT_TOKEN: TG_TOKEN, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET } }, 'configuration');
    log.info({ password: MMBC_SECRET, apiKey: IAK_SECRET, token: TG_TOKEN, pin: PIN, secret: WEBHOOK_SECRET }, 'flat secrets');
    log.info({ req: { headers: { authorization: `Bearer ${TG_TOKEN}` } } }, 'nested secrets');
    // Under keys no path names, and inside strings: only the value check catches these.
    log.info({ provider: { pass: MMBC_SECRET }, url: `https://x.test/bot${TG_TOKEN}/getMe` }, 'secrets under other names');
    log.error({ err: new Error(`upstream said: key ${IAK_SECRET} is wrong`).stack }, 'a secret in an error');
    log.info({ user: 'telegram:42', pin: PIN, body: { password: MMBC_SECRET } }, 'a PIN by its path');
    const app = await createApp(config, { log, store, autostartWorker: false });
    try {
      const user = 'telegram:42';
      await store.setReseller(user, true, undefined, Date.now());
      await credit(store, user, 5_000_000);
      const say = (text: string) => app.bot.handle({ user, text });
      await say(`PIN ${PIN}`);
      for (const no of ['123456789', '500000000002', '500000000003', '500000000004', '500000000001']) {
        await say(`PLN.${no}.${PIN}`);
        await say(`YA ${PIN}`);
      }
      await say('YA 000000');
      await app.worker.tick();
    } finally {
      await app.stop();
      await sim.close();
      await store.close();
      await dropPrefix(redisUrl(), prefix);
    }
    await new Promise((r) => setImmediate(r));
    const written = text();
    expect(written.length).toBeGreaterThan(1000);
    for (const secret of [MMBC_SECRET, IAK_SECRET, TG_TOKEN, WEBHOOK_SECRET, PIN]) {
      const line = written.split("\n").find((l) => l.includes(secret));
      expect(line, secret).toBeUndefined();
    }
  });
});

describe('redaction by value', () => {
  function written(secrets: string[], obj: Record<string, unknown>): string {
    const { log, text } = captureLog('info', secrets);
    log.info(obj, 'x');
    return text();
  }

  it('shows nothing of a secret that contains another one', async () => {
    const line = written(['abcd', 'abcdefgh'], { note: 'key abcdefgh and abcd' });
    await new Promise((r) => setImmediate(r));
    expect(line).not.toContain('efgh');
    expect(line).not.toContain('abcd');
  });

  it('keeps the line JSON when a secret is all digits, and leaves numbers alone', () => {
    const line = written(['0000'], { amount: 100000, note: 'pin 0000 at 10000' });
    const parsed = JSON.parse(line) as { amount: number; note: string };
    expect(parsed.amount).toBe(100000);
    expect(parsed.note).toBe('pin [redacted] at 1[redacted]');
  });

  it('catches a secret URL-encoded, JSON-escaped twice, and under any key', () => {
    const secret = 'pa ss+w/rd%"\\x';
    const body = new URLSearchParams({ username: 'u', password: secret }).toString();
    const line = written([secret], { deep: { body }, twice: JSON.stringify({ p: secret }), url: `https://x/?p=${encodeURIComponent(secret)}` });
    expect(line).not.toContain(encodeURIComponent(secret));
    expect(line).not.toContain(body.split('password=')[1]!);
    expect(line).not.toContain('pa ss+w');
    expect(() => JSON.parse(line)).not.toThrow();
  });

  it("counts the Redis URL's password among the configured secrets", () => {
    const config = loadConfig({ REDIS_URL: 'redis://:s3cr%40tpw@redis.internal:6379/0' }, '/nonexistent/.env');
    expect(configSecrets(config)).toContain('s3cr@tpw');
  });

  it("counts IAK's standing signatures (status, price list) among them, as good as the key for those calls", () => {
    const creds = { username: 'iak-user', apiKey: 'iak-Key-2b8e41' };
    const config = loadConfig({ IAK_USERNAME: creds.username, IAK_API_KEY: creds.apiKey }, '/nonexistent/.env');
    expect(configSecrets(config)).toEqual(expect.arrayContaining([creds.apiKey, signPriceList(creds), signStatus(creds, 'any')]));
  });
});
