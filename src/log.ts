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
  'MOOTA_WEBHOOK_SECRET', 'TRIPAY_API_KEY', 'TRIPAY_PRIVATE_KEY', 'privateKey', 'headers.signature', 'headers["x-callback-signature"]',
  'config.MOOTA_WEBHOOK_SECRET', 'config.TRIPAY_API_KEY', 'config.TRIPAY_PRIVATE_KEY',
];

const CENSOR = '[redacted]';

export type Log = Logger;

/** A secret as it can turn up in a JSON log line: as typed, JSON-escaped (once or twice), URL-encoded. */
function formsOf(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  return [secret, json, JSON.stringify(json).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];
}

/**
 * Replaces each secret's value in a log line, inside its JSON strings only: a secret of digits must not turn
 * an amount into something that is no longer JSON. Longest forms first, so a secret that contains another is
 * not left half shown. Values under 4 characters are left: they cannot be told apart from ordinary text.
 */
export function redactValues(secrets: readonly (string | undefined)[]): ((line: string) => string) | undefined {
  const kept = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const forms = [...new Set(kept.flatMap(formsOf))].sort((a, b) => b.length - a.length);
  if (forms.length === 0) return undefined;
  return (line) => (forms.some((f) => line.includes(f)) ? censorInStrings(line, forms) : line);
}

/** The line with every form replaced within its JSON string literals; everything outside them as it was. */
function censorInStrings(line: string, forms: readonly string[]): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const open = line.indexOf('"', i);
    if (open < 0) break;
    let close = open + 1;
    while (close < line.length && line[close] !== '"') close += line[close] === '\\' ? 2 : 1;
    let literal = line.slice(open + 1, close);
    for (const f of forms) if (literal.includes(f)) literal = literal.replaceAll(f, CENSOR);
    out += `${line.slice(i, open)}"${literal}"`;
    i = close + 1;
  }
  return out + line.slice(i);
}

/**
 * Where the JSON lines go: stdout, or a file. Written in batches (4 KB, or every second, and at exit) rather
 * than one write per line: at a few thousand lines a second a write each cost more than the lines themselves.
 * A process killed outright (SIGKILL, OOM) loses at most its last second of log lines, never a money record:
 * those live in the store.
 */
export function logDestination(target: number | string = 1): pino.DestinationStream {
  return pino.destination({ ...(typeof target === 'number' ? { fd: target } : { dest: target }), sync: false, minLength: 4096, periodicFlush: 1000 });
}

export function createLog(level: string, opts: { destination?: pino.DestinationStream; secrets?: readonly (string | undefined)[] } = {}): Log {
  const streamWrite = redactValues(opts.secrets ?? []);
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: CENSOR }, base: undefined, ...(streamWrite ? { hooks: { streamWrite } } : {}) },
    opts.destination ?? logDestination(1),
  );
}
