/**
 * Bounded retries of Bot API calls, ended by shutdown.
 *
 * @grammyjs/auto-retry was used before. It retries a network error (grammY's HttpError) without limit, its
 * `maxRetryAttempts` counting only 429 and 5xx answers, so a dead API held a reply (and so SIGTERM) for good;
 * and its waits end only when the request's own abort signal fires, which would also cut a reply that is
 * being delivered while the process stops. So the same policy is kept here, bounded on every path, and a
 * stop ends the waits without touching a request that is being answered.
 */
import { setMaxListeners } from 'node:events';
import { HttpError, type Transformer } from 'grammy';

export interface RetryOptions {
  /** Retries after the first attempt, whatever failed (3). */
  attempts?: number;
  /** A 429 asking for a longer wait than this is given up at once (60 s). */
  maxDelaySeconds?: number;
  /** The wait after the first network error or 5xx answer, doubling each time (3 s, as auto-retry's). */
  baseMs?: number;
}

export interface RetryNotice {
  method: string;
  /** 1 for the first retry. */
  attempt: number;
  waitMs: number;
  /** The error thrown (no answer) or the answer's `error_code description`. */
  why: unknown;
}

export interface Retrying {
  transformer: Transformer;
  /**
   * Shutting down: no retry is started or waited for any more (a call ends with its last failure), and a
   * request gets `graceMs` from now (or from its start, if later) to be answered before it is abandoned.
   */
  halt(graceMs: number): void;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { attempts: 3, maxDelaySeconds: 60, baseMs: 3_000 };

export function retrying(options: RetryOptions = {}, onRetry?: (notice: RetryNotice) => void): Retrying {
  const { attempts, maxDelaySeconds, baseMs } = { ...DEFAULT_RETRY, ...options };
  const halted = new AbortController();
  // Every request in flight listens for the halt (and lets go when it ends): dozens at once is normal, not a leak.
  setMaxListeners(0, halted.signal);
  let graceMs = 0;

  /** The signal one attempt is made with: the caller's, and the grace deadline once halted. */
  function attemptSignal(signal: AbortSignal | undefined): { signal: AbortSignal; done(): void } {
    const late = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      timer = setTimeout(() => late.abort(new Error('no answer from the Bot API while stopping')), graceMs);
      timer.unref();
    };
    if (halted.signal.aborted) arm();
    else halted.signal.addEventListener('abort', arm, { once: true });
    return {
      signal: signal ? AbortSignal.any([signal, late.signal]) : late.signal,
      done() {
        clearTimeout(timer);
        halted.signal.removeEventListener('abort', arm);
      },
    };
  }

  const transformer: Transformer = async (prev, method, payload, given) => {
    // grammY types its signal with the abort-controller shim's; on Node it is the platform's own.
    const signal = given as unknown as AbortSignal | undefined;
    type ShimSignal = typeof given;
    // The runner retries its long poll itself, every 2 s, so polling resumes soon after an outage ends.
    if (method === 'getUpdates') return prev(method, payload, given);
    for (let attempt = 0; ; attempt++) {
      const one = attemptSignal(signal);
      let answer: Awaited<ReturnType<typeof prev>> | undefined;
      let thrown: unknown;
      try {
        answer = await prev(method, payload, one.signal as unknown as ShimSignal);
      } catch (err) {
        // Anything but "no answer" (a bad payload, our own abort) is not helped by trying again.
        if (!(err instanceof HttpError) || signal?.aborted) throw err;
        thrown = err;
      } finally {
        one.done();
      }
      let waitMs: number;
      if (answer) {
        if (answer.ok) return answer;
        const after = answer.parameters?.retry_after;
        if (typeof after === 'number') {
          if (after > maxDelaySeconds) return answer;
          waitMs = after * 1000;
        } else if (answer.error_code >= 500) {
          waitMs = baseMs * 2 ** attempt;
        } else {
          return answer;
        }
      } else {
        waitMs = baseMs * 2 ** attempt;
      }
      const giveUp = () => {
        if (answer) return answer;
        throw thrown;
      };
      if (attempt >= attempts || halted.signal.aborted) return giveUp();
      onRetry?.({ method, attempt: attempt + 1, waitMs, why: answer ? `${answer.error_code} ${answer.description}` : thrown });
      if (!(await pause(waitMs, [signal, halted.signal]))) return giveUp();
    }
  };

  return {
    transformer,
    halt(ms) {
      graceMs = ms;
      halted.abort();
    },
  };
}

/** Resolves true after `ms`, or false as soon as one of the signals is aborted. */
function pause(ms: number, signals: (AbortSignal | undefined)[]): Promise<boolean> {
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  if (live.some((s) => s.aborted)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const end = (result: boolean) => {
      clearTimeout(timer);
      for (const s of live) s.removeEventListener('abort', stop);
      resolve(result);
    };
    const stop = () => end(false);
    const timer = setTimeout(() => end(true), ms);
    for (const s of live) s.addEventListener('abort', stop, { once: true });
  });
}
