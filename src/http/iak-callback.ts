/**
 * `POST /iak/callback`: IAK's word on a prepaid top-up (success or failed, docs/iak-prepaid-notes.md). A body
 * over 1 MB is refused before it is read (raw-body.ts); one whose `sign` is not md5(username + api_key +
 * ref_id) is answered 403 and nothing else is done; one we cannot read is answered 400. The outcome is worked
 * out exactly as a check-status answer's would be (outcome.ts), handed to `onResult`, and only once that has
 * resolved is IAK answered 200: a callback the bot failed to act on is answered 500, for IAK to send again.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PayOutcome } from '../bot/provider.ts';
import type { Log } from '../log.ts';
import { statusVerdict } from '../providers/iak-prepaid/codes.ts';
import { outcomeOf } from '../providers/iak-prepaid/outcome.ts';
import { prepaidCallback } from '../providers/iak-prepaid/schemas.ts';
import { type IakCredentials, validCallbackSign } from '../providers/iak-prepaid/sign.ts';
import { parseJsonLenient } from '../providers/json.ts';
import { readRawBody } from './raw-body.ts';
import type { RouteHandler } from './server.ts';

export const IAK_CALLBACK_PATH = '/iak/callback';

export interface IakCallbackResult {
  /** Our transaction id, as the top-up sent it. */
  refId: string;
  outcome: PayOutcome;
}

/**
 * `unknown`: no transaction of ours has this ref_id (answered 200 all the same, so IAK stops sending it);
 * `applied` or `unchanged` (it was final already, or the status check got there first): for the log only.
 */
export type IakCallbackHandled = 'applied' | 'unchanged' | 'unknown';

export interface IakCallbackOptions {
  credentials: IakCredentials;
  onResult(result: IakCallbackResult): Promise<IakCallbackHandled>;
  log: Log;
}

export function iakCallbackRoute({ credentials, onResult, log }: IakCallbackOptions): RouteHandler {
  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err: String(err) }, 'iak callback failed');
      answer(res, 500, 'error');
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return answer(res, 405, 'method not allowed');
    const raw = await readRawBody(req);
    if (!raw.ok) return answer(res, raw.status, raw.status === 413 ? 'too large' : 'bad request', true);

    let body: unknown;
    try {
      body = parseJsonLenient(raw.body.toString('utf8'));
    } catch {
      return answer(res, 400, 'bad request');
    }
    // The sign first, from the two fields it covers: nothing IAK did not sign is read any further.
    const { refId, sign } = signedFields(body);
    if (refId === undefined || !validCallbackSign(credentials, refId, sign)) {
      log.warn({ refId }, 'iak callback with a wrong or missing sign refused');
      return answer(res, 403, 'forbidden');
    }
    const parsed = prepaidCallback.safeParse(body);
    if (!parsed.success) {
      log.warn({ refId, issue: parsed.error.issues[0]?.message }, 'iak callback unreadable');
      return answer(res, 400, 'bad request');
    }
    const { tx } = parsed.data;
    const outcome = outcomeOf(statusVerdict(tx), tx, redactSign(body));
    const handled = await onResult({ refId, outcome });
    if (handled === 'unknown') log.warn({ refId, rc: tx.rc, status: tx.status }, 'iak callback for an unknown ref_id');
    else log.info({ refId, rc: tx.rc, status: tx.status, outcome: outcome.status, handled }, 'iak callback');
    answer(res, 200, 'OK');
  }
}

function signedFields(body: unknown): { refId?: string; sign?: unknown } {
  if (!body || typeof body !== 'object') return {};
  const outer = body as Record<string, unknown>;
  const d = outer.data && typeof outer.data === 'object' ? (outer.data as Record<string, unknown>) : outer;
  const refId = typeof d.ref_id === 'string' || typeof d.ref_id === 'number' ? String(d.ref_id).trim() : undefined;
  return { ...(refId ? { refId } : {}), sign: d.sign };
}

/** The callback as it goes on the transaction's record: its sign is as good as a check-status request's. */
function redactSign(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const outer = body as Record<string, unknown>;
  if (outer.data && typeof outer.data === 'object') return { ...outer, data: { ...(outer.data as object), sign: '***' } };
  return { ...outer, sign: '***' };
}

function answer(res: ServerResponse, status: number, text: string, close = false): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...(close ? { connection: 'close' } : {}) });
  res.end(text);
}
