/**
 * Why a provider call did not give us a usable answer. Like grammY's GrammyError / HttpError split:
 * "it answered and said no" must never be confused with "we do not know what happened",
 * because only the first may ever lead to a refund.
 */

export abstract class ProviderError extends Error {
  constructor(
    message: string,
    /** e.g. `mmbc`, `iak`. */
    readonly provider: string,
    /** The endpoint or method, e.g. `cektagihan`; never a URL, which may carry credentials. */
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The provider answered and said no. A definite answer: nothing was done on its side. */
export class ProviderRefused extends ProviderError {
  constructor(
    provider: string,
    operation: string,
    readonly reason: string,
  ) {
    super(`${provider} ${operation} refused: ${reason}`, provider, operation);
  }
}

/** No answer we can trust arrived: network error, timeout, or a non-2xx status. The outcome is unknown. */
export class ProviderUnreachable extends ProviderError {
  readonly timedOut: boolean;
  readonly httpStatus?: number;

  constructor(
    provider: string,
    operation: string,
    detail: { cause?: unknown; timedOut?: boolean; httpStatus?: number; message?: string },
  ) {
    const what =
      detail.message ??
      (detail.timedOut
        ? 'timed out'
        : detail.httpStatus !== undefined
          ? `HTTP ${detail.httpStatus}`
          : `network error: ${describe(detail.cause)}`);
    super(`${provider} ${operation} unreachable: ${what}`, provider, operation, { cause: detail.cause });
    this.timedOut = detail.timedOut ?? false;
    if (detail.httpStatus !== undefined) this.httpStatus = detail.httpStatus;
  }
}

/** Something came back but it is not JSON or not the shape we know. The outcome is unknown. */
export class ProviderUnreadable extends ProviderError {
  /** The start of the body, for the transaction record and the logs. */
  readonly excerpt: string;

  constructor(provider: string, operation: string, problem: string, body: string, cause?: unknown) {
    super(`${provider} ${operation} unreadable: ${problem}`, provider, operation, { cause });
    this.excerpt = excerpt(body);
  }
}

export function isProviderError(err: unknown): err is ProviderError {
  return err instanceof ProviderError;
}

const EXCERPT_CHARS = 200;

export function excerpt(text: string, max = EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} ${cause.message}` : cause.message;
  }
  return String(cause);
}
