/** Every setting, parsed once at start from the environment and a `.env` file; a bad value stops the program. */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { standingSignatures } from './providers/iak/sign.ts';

const int = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d+$/, `${what}, a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `${what}, from ${min} to ${max}`).max(max, `${what}, from ${min} to ${max}`));
const url = (what: string) => z.url({ protocol: /^https?$/, error: `${what}, an http(s) URL` });
const optional = <T extends z.ZodType>(s: T) => s.optional();
const userList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^(telegram:\d+|whatsapp:\d+|console:local)$/, 'a comma list of user names such as telegram:12345,whatsapp:6281234567890')));

const schema = z.object({
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')),
  REDIS_PREFIX: z.string().regex(/^[\w:.-]{1,64}$/, 'up to 64 letters, digits, _ : . or -').default('ppob:'),
  MMBC_BASE_URL: url('the MMBC JSON API base').default('https://klikmbc.co.id/json'),
  MMBC_USERNAME: optional(z.string().min(1)),
  MMBC_PASSWORD: optional(z.string().min(1)),
  PROVIDER_PREFERENCE: z.enum(['cheapest', 'mmbc', 'iak'], { error: 'cheapest, mmbc or iak' }).default('cheapest'),
  IAK_BASE_URL: url('the IAK postpaid API base').default('https://mobilepulsa.net'),
  IAK_PREPAID_BASE_URL: url('the IAK prepaid API base').default('https://prepaid.iak.id'),
  IAK_USERNAME: optional(z.string().min(1)),
  IAK_API_KEY: optional(z.string().min(1)),
  TELEGRAM_BOT_TOKEN: optional(z.string().regex(/^\d+:[\w-]+$/, 'a bot token from @BotFather, like 123456:ABC-def')),
  TELEGRAM_API_ROOT: url('a Bot API server root').default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: optional(url('the public https URL Telegram posts updates to')),
  TELEGRAM_WEBHOOK_SECRET: optional(z.string().regex(/^[\w-]{1,256}$/, '1-256 characters of A-Z, a-z, 0-9, _ and -')),
  WHATSAPP_ENABLED: z.enum(['0', '1'], { error: '1 to connect WhatsApp, 0 or unset otherwise' }).default('0'),
  WHATSAPP_PAIRING_NUMBER: optional(z.string().regex(/^\d{8,15}$/, 'phone digits with country code, no +')),
  ADMIN_IDS: userList.default([]),
  HTTP_PORT: int(0, 65535, 'a TCP port').default(8080),
  HTTP_HOST: z.string().regex(/^[\w.:-]{1,253}$/, 'an interface address such as 127.0.0.1 or 0.0.0.0').default('127.0.0.1'),
  SANDBOX: z.enum(['0', '1'], { error: '1 for sandbox mode (every biller simulated), 0 or unset to decide by the credentials' }).optional(),
  TICKET_MAX_OPEN: int(1, 100, 'open deposit tickets per reseller').default(3),
  MOOTA_WEBHOOK_SECRET: optional(z.string().min(8, 'the secret token of the Moota webhook, at least 8 characters')),
  TRIPAY_API_KEY: optional(z.string().min(8, 'the API key from the Tripay dashboard')),
  TRIPAY_PRIVATE_KEY: optional(z.string().min(8, 'the private key from the Tripay dashboard')),
  TRIPAY_MERCHANT_CODE: optional(z.string().regex(/^[A-Za-z0-9]{2,32}$/, 'the merchant code from the Tripay dashboard, like T12345')),
  TRIPAY_BASE_URL: url('the Tripay API base').default('https://tripay.co.id/api'),
  QRIS_FEE_PAID_BY: z.enum(['reseller', 'operator'], { error: 'reseller or operator' }).default('reseller'),
  MAX_MARKUP: int(0, 1_000_000, 'rupiah, the most one upline may add per sale').default(5000),
  MAX_NETWORK_DEPTH: int(1, 20, 'levels, the deepest chain of resellers').default(5),
  QUOTE_TTL_SECONDS: int(1, 86400, 'seconds').default(300),
  PROVIDER_TIMEOUT_MS: int(100, 600000, 'milliseconds').default(30000),
  PENDING_RECHECK_SECONDS: int(1, 86400, 'seconds').default(30),
  FLOOD_MAX_MESSAGES: int(1, 10000, 'messages').default(20),
  FLOOD_WINDOW_SECONDS: int(1, 86400, 'seconds').default(60),
  BROADCAST_RATE_PER_SECOND: int(1, 1000, 'messages a second').default(20),
  LOCALE: z.enum(['id', 'en'], { error: 'id or en' }).default('id'),
  DEPOSIT_BANK_INFO: optional(z.string().min(1)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'a pino level: fatal, error, warn, info, debug, trace or silent' }).default('info'),
  CHANNELS: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.enum(['console', 'telegram', 'whatsapp'], { error: 'a comma list of console, telegram, whatsapp' })))
    .optional(),
});

export type Config = z.infer<typeof schema> & {
  /**
   * One decision for the whole process: sandbox (every biller simulated, no real money) when no biller has
   * credentials or SANDBOX=1; production otherwise, where a biller without its own credentials is off.
   */
  sandbox: boolean;
  /** The billers that serve products: in sandbox mode all (simulated), in production those with credentials. */
  billers: { mmbc: boolean; iak: boolean };
  /** The variables the operator set (environment or .env), as opposed to defaults. */
  given: ReadonlySet<string>;
};

export class ConfigError extends Error {}

/** Reads `.env` (the environment wins over it) and validates everything. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = '.env'): Config {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  // An empty value means unset, as in most .env files.
  for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'configuration');
    const expected = issue.code === 'invalid_type' ? 'a value' : issue.message;
    throw new ConfigError(`${name} is not valid: expected ${expected}`);
  }
  const c = parsed.data;
  if (Boolean(c.MMBC_USERNAME) !== Boolean(c.MMBC_PASSWORD)) throw new ConfigError('MMBC_USERNAME and MMBC_PASSWORD go together: set both, or neither for sandbox mode');
  const tripay = [c.TRIPAY_API_KEY, c.TRIPAY_PRIVATE_KEY, c.TRIPAY_MERCHANT_CODE].filter(Boolean).length;
  if (tripay !== 0 && tripay !== 3) throw new ConfigError('TRIPAY_API_KEY, TRIPAY_PRIVATE_KEY and TRIPAY_MERCHANT_CODE go together: set all three, or none');
  if (Boolean(c.IAK_USERNAME) !== Boolean(c.IAK_API_KEY)) throw new ConfigError('IAK_USERNAME and IAK_API_KEY go together: set both, or neither for sandbox mode');
  if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_WEBHOOK_SECRET) throw new ConfigError('TELEGRAM_WEBHOOK_SECRET is not valid: expected a secret whenever TELEGRAM_WEBHOOK_URL is set');
  const credentials = { mmbc: Boolean(c.MMBC_USERNAME), iak: Boolean(c.IAK_USERNAME) };
  const anyCredentials = credentials.mmbc || credentials.iak;
  if (c.SANDBOX === '0' && !anyCredentials) throw new ConfigError('SANDBOX is not valid: expected 1 or unset when no biller has credentials (SANDBOX=0 needs MMBC or IAK credentials)');
  const sandbox = c.SANDBOX === '1' || !anyCredentials;
  return { ...c, sandbox, billers: sandbox ? { mmbc: true, iak: true } : credentials, given: new Set(Object.keys(merged)) };
}

/**
 * The configured credentials, and what is as good as one (IAK's standing signatures): the log writes none of
 * these values, wherever they turn up.
 */
export function configSecrets(c: Config): string[] {
  let redisPassword: string | undefined;
  try {
    redisPassword = c.REDIS_URL ? decodeURIComponent(new URL(c.REDIS_URL).password) : undefined;
  } catch {
    redisPassword = undefined;
  }
  const iak = c.IAK_USERNAME && c.IAK_API_KEY ? standingSignatures({ username: c.IAK_USERNAME, apiKey: c.IAK_API_KEY }) : [];
  return [
    c.MMBC_PASSWORD, c.IAK_API_KEY, c.TELEGRAM_BOT_TOKEN, c.TELEGRAM_WEBHOOK_SECRET, redisPassword, ...iak,
    c.MOOTA_WEBHOOK_SECRET, c.TRIPAY_API_KEY, c.TRIPAY_PRIVATE_KEY,
  ].filter((v): v is string => Boolean(v));
}
