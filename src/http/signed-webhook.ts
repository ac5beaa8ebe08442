/**
 * What every signed webhook of the bot does before its own work, in this order: POST only; the raw body, at
 * most 1 MB and refused from its declared length before it is read; the signature (hex HMAC-SHA256 of those
 * exact bytes) in constant time; strict JSON and the sender's schema. Only then is the handler called, and the
 * sender is told 200 only once the handler has resolved, so whatever the push carries is stored before it is
 * acknowledged; a handler that throws is answered 500 and the sender pushes again (Moota, Tripay both do).
 * Nothing that failed a step before the handler reaches it, and no refusal changes anything.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Log } from '../log.ts';
import { MAX_WEBHOOK_BODY_BYTES, readRawBody } from './raw-body.ts';
import type { RouteHandler } from './server.ts';
import { validHmacSha256 } from './signature.ts';

export interface SignedWebhookSpec<T> {
  /** For logs: `moota`, `tripay`. */
  name: string;
  secret: string;
  /** Lower case, as node:http gives headers: `signature`, `x-callback-signature`. */
  signatureHeader: string;
  schema: z.ZodType<T>;
  /**
   * Checked after the signature, before the body is parsed: a reason to refuse (400) a request that is the
   * sender's but not for us, e.g. a Tripay callback event other than payment_status.
   */
  precheck?: (req: IncomingMessage) => string | undefined;
  handle: (data: T) => Promise<void>;
  log: Log;
  limit?: number;
}

export function signedWebhookRoute<T>(spec: SignedWebhookSpec<T>): RouteHandler {
  // An empty secret would make every request's HMAC computable by anyone: never serve unsigned.
  if (spec.secret.length === 0) throw new Error(`${spec.name} webhook: the secret is empty`);
  const { log, name } = spec;
  const limit = spec.limit ?? MAX_WEBHOOK_BODY_BYTES;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return answer(req, res, 405, 'method not allowed', { allow: 'POST' });
    // Unsigned: refused before its body costs a read.
    if (typeof req.headers[spec.signatureHeader] !== 'string') {
      log.warn({ webhook: name, signed: false }, 'webhook signature refused');
      return answer(req, res, 401, 'invalid signature');
    }
    const raw = await readRawBody(req, limit);
    if (!raw.ok) {
      log.warn({ webhook: name, status: raw.status, declared: req.headers['content-length'] }, 'webhook body refused');
      return answer(req, res, raw.status, raw.status === 413 ? 'body too large' : 'body unreadable');
    }
    if (!validHmacSha256(spec.secret, raw.body, req.headers[spec.signatureHeader])) {
      // The header's value is not logged: a guess is no one's business, and a right one would be a replay kit.
      log.warn({ webhook: name, bytes: raw.body.length, signed: spec.signatureHeader in req.headers }, 'webhook signature refused');
      return answer(req, res, 401, 'invalid signature');
    }
    const pre = spec.precheck?.(req);
    if (pre !== undefined) {
      log.warn({ webhook: name, reason: pre }, 'webhook refused');
      return answer(req, res, 400, pre);
    }
    let json: unknown;
    try {
      // Strict: the body is signed, so whatever the sender meant is exactly these bytes; no repair.
      json = JSON.parse(raw.body.toString('utf8'));
    } catch {
      log.warn({ webhook: name, bytes: raw.body.length }, 'webhook body is not JSON');
      return answer(req, res, 400, 'malformed JSON');
    }
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const reason = `unexpected shape (${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'invalid'})`;
      log.warn({ webhook: name, reason }, 'webhook body refused');
      return answer(req, res, 400, reason);
    }
    try {
      await spec.handle(parsed.data);
    } catch (err) {
      log.error({ webhook: name, err: err instanceof Error ? err.message : String(err) }, 'webhook handler failed; the sender will push again');
      return answer(req, res, 500, 'not stored, send again');
    }
    answer(req, res, 200);
  }

  return (req, res) => {
    serve(req, res).catch((err: unknown) => {
      log.error({ webhook: name, err: String(err) }, 'webhook route failed');
      if (!res.headersSent) answer(req, res, 500, 'internal error');
      else res.destroy();
    });
  };
}

/**
 * `{"success":true}` is what Tripay requires of a callback's answer and serves Moota as well; a refusal says
 * why in `message`, never echoing what was sent. A body left unread (refused before reading, or a wrong
 * method) closes the connection, so its bytes can never be taken for the next request.
 */
function answer(req: IncomingMessage, res: ServerResponse, status: number, message?: string, headers: Record<string, string> = {}): void {
  const body = status === 200 ? '{"success":true}' : JSON.stringify({ success: false, message });
  const close = !req.readableEnded;
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...(close ? { connection: 'close' } : {}),
    ...headers,
  });
  res.end(body);
}
