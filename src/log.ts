/** pino JSON logs on stdout; anything that may hold a credential is redacted wherever it appears. */
import { pino, type Logger } from 'pino';

export const REDACT_PATHS = [...new Set([
  'password', '*.password', 'token', '*.token', 'apiKey', '*.apiKey', 'api_key', '*.api_key', 'sign', '*.sign',
  'secret', '*.secret', 'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'req.headers.authorization', 'req.headers["x-telegram-bot-api-secret-token"]', '*.headers["x-telegram-bot-api-secret-token"]',
  'pin', '*.pin', 'password', 'body.password', '*.body.password', 'apiKey', 'api_key',
  'MMBC_PASSWORD', 'IAK_API_KEY', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'config.MMBC_PASSWORD',
  'config.IAK_API_KEY', 'config.TELEGRAM_BOT_TOKEN', 'config.TELEGRAM_WEBHOOK_SECRET',
])];

export type Log = Logger;

export function createLog(level: string, destination?: NodeJS.WritableStream): Log {
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: undefined },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
