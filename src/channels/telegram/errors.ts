/**
 * What a failed Bot API call may say in a log or an error that leaves the adapter. The bot token is part
 * of every API URL, and node-fetch's own errors quote the URL, so a cause is never passed on as it is.
 */
import { GrammyError, HttpError } from 'grammy';
import type { UnreachableReason } from '../../bot/channel.ts';

// A token as BotFather issues it: the bot id, a colon, 35 URL-safe characters (matched loosely).
const TOKEN_SHAPE = /\d{5,}:[\w-]{20,}/g;

export function describeError(err: unknown, token?: string): string {
  let s: string;
  if (err instanceof GrammyError) s = `${err.method}: ${err.error_code} ${err.description}`;
  // grammY leaves the cause out of an HttpError's message unless `sensitiveLogs` is on; the cause names the URL.
  else if (err instanceof HttpError) s = err.message;
  else if (err instanceof Error) s = `${err.name}: ${err.message}`;
  else s = String(err);
  if (token) s = s.split(token).join('[redacted]');
  return s.replace(TOKEN_SHAPE, '[redacted]');
}

/** An error safe to throw past the adapter: its message is scrubbed and it carries no cause. */
export function safeError(err: unknown, token?: string): Error {
  const e = new Error(describeError(err, token));
  if (err instanceof GrammyError) Object.assign(e, { error_code: err.error_code });
  return e;
}

/**
 * Whether Telegram says no message will ever reach this chat: every 403 (blocked, deactivated, never started
 * the bot) and 400 "chat not found". Auto-retry never retries these, and a broadcast skips such users.
 */
export function unreachableReason(err: unknown): UnreachableReason | undefined {
  if (!(err instanceof GrammyError)) return undefined;
  const what = err.description.toLowerCase();
  if (err.error_code === 403) return what.includes('deactivated') ? 'deactivated' : what.includes("can't initiate") ? 'not-found' : 'blocked';
  if (err.error_code === 400 && (what.includes('chat not found') || what.includes('peer_id_invalid'))) return 'not-found';
  return undefined;
}
