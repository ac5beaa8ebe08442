/**
 * The webhook route. Telegram waits for our answer before it sends that chat's next update, and retries
 * what it saw no 2xx for, so the answer is given as soon as the update is known to be ours: the core's
 * replies go out afterwards as new sendMessage calls, never in the webhook response.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Update } from 'grammy/types';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** Updates are a few kilobytes; anything far larger is not Telegram. */
const MAX_BODY_BYTES = 1 << 20;

export interface WebhookOptions {
  secret: string;
  /** False while the channel is not taking updates. */
  open(): boolean;
  /** Called after the answer is written, so the core's work never delays it. */
  take(update: Update): void;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function webhookHandler(opts: WebhookOptions): RequestHandler {
  const expected = Buffer.from(opts.secret, 'utf8');
  return (req, res) => {
    if (req.method !== 'POST') return end(req, res, 405);
    const given = req.headers[SECRET_HEADER];
    if (typeof given !== 'string' || !sameSecret(Buffer.from(given, 'utf8'), expected)) return end(req, res, 401);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (tooLarge) return end(req, res, 413);
      const update = parseUpdate(Buffer.concat(chunks));
      if (!update) return end(req, res, 400);
      // 503 while stopping: Telegram keeps the update and delivers it again, to the next process.
      if (!opts.open()) return end(req, res, 503);
      end(req, res, 200);
      opts.take(update);
    });
  };
}

function sameSecret(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function parseUpdate(body: Buffer): Update | undefined {
  try {
    const u: unknown = JSON.parse(body.toString('utf8'));
    if (typeof u === 'object' && u !== null && typeof (u as { update_id?: unknown }).update_id === 'number') return u as Update;
  } catch {
    // not JSON: answered 400 below
  }
  return undefined;
}

function end(req: IncomingMessage, res: ServerResponse, status: number): void {
  // A refused body is still read off the socket, so the connection stays usable for the next update.
  if (!req.readableEnded) req.resume();
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(status === 200 ? '{"ok":true}' : `{"ok":false,"status":${status}}`);
}
