/**
 * One POST to a provider, bounded by a timeout, for every provider client. It only tells "here is the body"
 * from the two ways of not knowing: ProviderUnreachable (network, timeout, an HTTP status the provider does
 * not answer with) and, later in the caller, ProviderUnreadable.
 */
import { Agent, request } from 'undici';
import { ProviderUnreachable } from './errors.ts';

const TIMED_OUT = Symbol('timed out');

export interface PostRequest {
  provider: string;
  /** The endpoint or command, for errors and logs; never the URL. */
  operation: string;
  url: string;
  contentType: string;
  body: string;
  timeoutMs: number;
  /** Statuses whose body is an answer; MMBC answers with 2xx only, IAK also with 400. */
  answers?: (status: number) => boolean;
}

const is2xx = (status: number) => status >= 200 && status <= 299;

/** One keep-alive pool per client: a new TLS handshake per payment would dominate the latency. */
export function keepAliveAgent(): Agent {
  return new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, pipelining: 1 });
}

export async function postText(agent: Agent, req: PostRequest): Promise<{ status: number; text: string }> {
  const { provider, operation, timeoutMs } = req;
  const answers = req.answers ?? is2xx;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
  try {
    const res = await request(req.url, {
      method: 'POST',
      headers: { 'content-type': req.contentType, accept: 'application/json' },
      body: req.body,
      dispatcher: agent,
      signal: controller.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    if (!answers(res.statusCode)) {
      await res.body.dump().catch(() => undefined);
      throw new ProviderUnreachable(provider, operation, { httpStatus: res.statusCode });
    }
    return { status: res.statusCode, text: await res.body.text() };
  } catch (err) {
    if (err instanceof ProviderUnreachable) throw err;
    throw new ProviderUnreachable(provider, operation, {
      cause: err === TIMED_OUT ? undefined : err,
      timedOut: controller.signal.aborted || isUndiciTimeout(err),
    });
  } finally {
    clearTimeout(timer);
  }
}

function isUndiciTimeout(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

/** Hides secrets in a body excerpt that lands in logs and transaction records. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.replaceAll(s, '***');
  return out;
}
