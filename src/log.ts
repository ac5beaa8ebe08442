/**
 * pino JSON logs on stdout. Credentials are kept out two ways: the configured secrets by their value,
 * wherever they appear in a written line (a nested object, an error message, a URL in a stack), and the
 * fields that carry credentials nobody configured (a reseller's PIN, a request's authorization header) by
 * their path.
 */
import { pino, type Logger } from 'pino';

/**
 * Exact paths only: a wildcard path (`*.password`) makes pino walk every key of every logged object, which
 * cost about 20 µs a line, a sixth of the bot's CPU per paid conversation at the default level. What a
 * wildcard was there to catch, a configured secret under some other key, the value check catches anywhere.
 */
export const REDACT_PATHS = [
  'password', 'token', 'apiKey', 'api_key', 'sign', 'secret', 'authorization', 'pin',
  'body.password', 'headers.authorization', 'req.headers.authorization', 'req.headers["x-telegram-bot-api-secret-token"]',
  'headers["x-telegram-bot-api-secret-token"]',
  'MMBC_PASSWORD', 'IAK_API_KEY', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET',
  'config.MMBC_PASSWORD', 'config.IAK_API_KEY', 'config.TELEGRAM_BOT_TOKEN', 'config.TELEGRAM_WEBHOOK_SECRET',
];

const CENSOR = '[redacted]';

export type Log = Logger;

/** Replaces each secret's value, as written in JSON, in a log line; values too short to be told apart are left. */
export function redactValues(secrets: readonly (string | undefined)[]): ((line: string) => string) | undefined {
  const forms = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))];
  if (forms.length === 0) return undefined;
  return (line) => {
    let out = line;
    for (const f of forms) if (out.includes(f)) out = out.replaceAll(f, CENSOR);
    return out;
  };
}

export function createLog(level: string, opts: { destination?: pino.DestinationStream; secrets?: readonly (string | undefined)[] } = {}): Log {
  const streamWrite = redactValues(opts.secrets ?? []);
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: CENSOR }, base: undefined, ...(streamWrite ? { hooks: { streamWrite } } : {}) },
    opts.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
