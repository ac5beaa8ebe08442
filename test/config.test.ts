import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'ppob-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NO_FILE = join(dir, 'does-not-exist.env');

function envFile(body: string): string {
  const p = join(dir, `${Math.random().toString(36).slice(2)}.env`);
  writeFileSync(p, body);
  return p;
}

function failure(env: Record<string, string>, file = NO_FILE): ConfigError {
  try {
    loadConfig(env, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig defaults', () => {
  it('fills every default from an empty environment', () => {
    const c = loadConfig({}, NO_FILE);
    expect(c).toMatchObject({
      MMBC_BASE_URL: 'https://klikmbc.co.id/json',
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
      WHATSAPP_ENABLED: '0',
      ADMIN_IDS: [],
      HTTP_PORT: 8080,
      QUOTE_TTL_SECONDS: 300,
      PROVIDER_TIMEOUT_MS: 30000,
      PENDING_RECHECK_SECONDS: 30,
      FLOOD_MAX_MESSAGES: 20,
      FLOOD_WINDOW_SECONDS: 60,
      LOCALE: 'id',
      LOG_LEVEL: 'info',
      HTTP_HOST: '127.0.0.1',
      TICKET_MAX_OPEN: 3,
      sandbox: true,
      billers: { mmbc: true, iak: true },
    });
    expect(c.IAK_BASE_URL).toMatch(/^https:\/\//);
    for (const k of ['REDIS_URL', 'MMBC_USERNAME', 'MMBC_PASSWORD', 'IAK_USERNAME', 'IAK_API_KEY', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_URL', 'DEPOSIT_BANK_INFO', 'CHANNELS'] as const) {
      expect(c[k], k).toBeUndefined();
    }
  });

  it('treats an empty value as unset', () => {
    const c = loadConfig({ HTTP_PORT: '', LOCALE: '', REDIS_URL: '' }, NO_FILE);
    expect(c.HTTP_PORT).toBe(8080);
    expect(c.LOCALE).toBe('id');
    expect(c.REDIS_URL).toBeUndefined();
  });

  it('reads good values', () => {
    const c = loadConfig(
      {
        REDIS_URL: 'redis://localhost:6379/0',
        HTTP_PORT: '0',
        QUOTE_TTL_SECONDS: '600',
        LOCALE: 'en',
        ADMIN_IDS: 'telegram:12345, whatsapp:6281234567890,console:local',
        CHANNELS: 'Console, telegram',
        MMBC_USERNAME: 'user',
        MMBC_PASSWORD: 'pw',
        TELEGRAM_BOT_TOKEN: '123456:ABC-def_g',
        LOG_LEVEL: 'silent',
      },
      NO_FILE,
    );
    expect(c.REDIS_URL).toBe('redis://localhost:6379/0');
    expect(c.HTTP_PORT).toBe(0);
    expect(c.QUOTE_TTL_SECONDS).toBe(600);
    expect(c.LOCALE).toBe('en');
    expect(c.ADMIN_IDS).toEqual(['telegram:12345', 'whatsapp:6281234567890', 'console:local']);
    expect(c.CHANNELS).toEqual(['console', 'telegram']);
    expect(c.sandbox).toBe(false);
    expect(c.billers).toEqual({ mmbc: true, iak: false });
  });
});

describe('loadConfig rejects bad values', () => {
  it.each([
    ['QUOTE_TTL_SECONDS', 'abc'],
    ['QUOTE_TTL_SECONDS', '0'],
    ['QUOTE_TTL_SECONDS', '-1'],
    ['QUOTE_TTL_SECONDS', '1.5'],
    ['HTTP_PORT', '99999'],
    ['HTTP_PORT', '80a'],
    ['PROVIDER_TIMEOUT_MS', '10'],
    ['PENDING_RECHECK_SECONDS', '0'],
    ['FLOOD_MAX_MESSAGES', 'many'],
    ['FLOOD_WINDOW_SECONDS', '999999'],
    ['LOCALE', 'fr'],
    ['LOCALE', 'ID'],
    ['ADMIN_IDS', 'bob'],
    ['ADMIN_IDS', 'telegram:1,bob'],
    ['ADMIN_IDS', 'telegram:abc'],
    ['REDIS_URL', 'http://x'],
    ['REDIS_URL', 'localhost:6379'],
    ['MMBC_BASE_URL', 'not a url'],
    ['MMBC_BASE_URL', 'ftp://example.com/json'],
    ['IAK_BASE_URL', 'mobilepulsa'],
    ['TELEGRAM_API_ROOT', 'file:///etc/passwd'],
    ['TELEGRAM_BOT_TOKEN', 'nonsense'],
    ['TELEGRAM_WEBHOOK_SECRET', 'has spaces in it'],
    ['WHATSAPP_ENABLED', 'yes'],
    ['WHATSAPP_PAIRING_NUMBER', '+6281234567890'],
    ['LOG_LEVEL', 'verbose'],
    ['CHANNELS', 'console,sms'],
  ])('%s=%j throws one line naming the variable', (name, value) => {
    const err = failure({ [name]: value });
    expect(err.message).toContain(name);
    expect(err.message.startsWith(name)).toBe(true);
    expect(err.message).not.toMatch(/\n/);
    expect(err.message.length).toBeLessThan(200);
  });

  it.each([
    [{ MMBC_USERNAME: 'u' }, 'MMBC_USERNAME'],
    [{ MMBC_PASSWORD: 'p' }, 'MMBC_PASSWORD'],
    [{ IAK_USERNAME: 'u' }, 'IAK_USERNAME'],
    [{ IAK_API_KEY: 'k' }, 'IAK_API_KEY'],
    [{ TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/hook' }, 'TELEGRAM_WEBHOOK_SECRET'],
  ])('%j alone throws naming %s', (env, name) => {
    const err = failure(env);
    expect(err.message).toContain(name);
    expect(err.message).not.toMatch(/\n/);
  });

  it('never echoes a secret in the message', () => {
    const secrets: Array<[string, string]> = [
      ['TELEGRAM_BOT_TOKEN', 'SuperSecretTokenValue-XYZ'],
      ['TELEGRAM_BOT_TOKEN', '123456:ABC def hunter2'],
      ['TELEGRAM_WEBHOOK_SECRET', 'hunter2 with a space'],
      ['REDIS_URL', 'http://admin:hunter2pass@redis.internal:6379'],
    ];
    for (const [name, value] of secrets) {
      const err = failure({ [name]: value });
      expect(err.message).toContain(name);
      expect(err.message).not.toContain(value);
      expect(err.message).not.toMatch(/hunter2|SuperSecret/);
    }
    const pair = failure({ MMBC_PASSWORD: 'my-mmbc-password' });
    expect(pair.message).not.toContain('my-mmbc-password');
    const key = failure({ IAK_API_KEY: 'my-iak-key-123' });
    expect(key.message).not.toContain('my-iak-key-123');
  });
});

describe('loadConfig and .env', () => {
  it('reads values from the file', () => {
    const file = envFile('# settings\nHTTP_PORT=9090\nLOCALE=en\nADMIN_IDS="telegram:42"\nQUOTE_TTL_SECONDS=120\n');
    const c = loadConfig({}, file);
    expect(c.HTTP_PORT).toBe(9090);
    expect(c.LOCALE).toBe('en');
    expect(c.ADMIN_IDS).toEqual(['telegram:42']);
    expect(c.QUOTE_TTL_SECONDS).toBe(120);
  });

  it('lets the environment win over the file', () => {
    const file = envFile('HTTP_PORT=9090\nLOCALE=en\n');
    const c = loadConfig({ HTTP_PORT: '7070' }, file);
    expect(c.HTTP_PORT).toBe(7070);
    expect(c.LOCALE).toBe('en');
  });

  it('a good environment value overrides a bad one in the file', () => {
    const file = envFile('HTTP_PORT=notaport\n');
    expect(() => loadConfig({}, file)).toThrow(ConfigError);
    expect(loadConfig({ HTTP_PORT: '8081' }, file).HTTP_PORT).toBe(8081);
  });

  it('validates file values too, without echoing secrets', () => {
    const file = envFile('TELEGRAM_BOT_TOKEN=file-secret-token\n');
    const err = failure({}, file);
    expect(err.message).toContain('TELEGRAM_BOT_TOKEN');
    expect(err.message).not.toContain('file-secret-token');
  });

  it('credentials from the file turn sandbox off', () => {
    const file = envFile('IAK_USERNAME=me\nIAK_API_KEY=key\n');
    const c = loadConfig({}, file);
    expect(c.sandbox).toBe(false);
    expect(c.billers).toEqual({ mmbc: false, iak: true });
  });
});

describe('sandbox or production: one decision', () => {
  const MMBC = { MMBC_USERNAME: 'u', MMBC_PASSWORD: 'p' };
  const IAK = { IAK_USERNAME: 'u', IAK_API_KEY: 'k' };
  it.each([
    ['no credentials at all', {}, true, { mmbc: true, iak: true }],
    ['MMBC only: IAK is off, never simulated', MMBC, false, { mmbc: true, iak: false }],
    ['IAK only: MMBC is off, never simulated', IAK, false, { mmbc: false, iak: true }],
    ['both', { ...MMBC, ...IAK }, false, { mmbc: true, iak: true }],
    ['SANDBOX=1 with credentials: every biller simulated', { ...MMBC, SANDBOX: '1' }, true, { mmbc: true, iak: true }],
    ['SANDBOX=1 without credentials', { SANDBOX: '1' }, true, { mmbc: true, iak: true }],
    ['SANDBOX=0 with credentials', { ...IAK, SANDBOX: '0' }, false, { mmbc: false, iak: true }],
  ] as const)('%s', (_what, env, sandbox, billers) => {
    const c = loadConfig({ ...env }, NO_FILE);
    expect(c.sandbox).toBe(sandbox);
    expect(c.billers).toEqual(billers);
  });

  it('refuses SANDBOX=0 with no biller credentials: nothing could be sold', () => {
    expect(failure({ SANDBOX: '0' }).message).toMatch(/^SANDBOX is not valid/);
  });

  it('refuses a SANDBOX value other than 0 or 1', () => {
    expect(failure({ SANDBOX: 'yes' }).message).toMatch(/^SANDBOX is not valid/);
  });
});

describe('what the operator set', () => {
  it('tells variables given apart from defaults, an empty value counting as unset', () => {
    const c = loadConfig({ LOG_LEVEL: 'debug', LOCALE: '' }, '/nonexistent/.env');
    expect(c.given.has('LOG_LEVEL')).toBe(true);
    expect(c.given.has('LOCALE')).toBe(false);
    expect(c.given.has('HTTP_PORT')).toBe(false);
  });
});
