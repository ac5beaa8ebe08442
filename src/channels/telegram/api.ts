/**
 * Every outbound Bot API call goes through the same stack: Telegram's published limits (30 messages a
 * second overall, about one a second per private chat, 20 a minute per group) are kept by the throttler,
 * and a 429 that still happens (another process on the same token, a broadcast), a 5xx or no answer at all
 * is retried a bounded number of times (retry.ts). The throttler is outermost, so a retry keeps its chat's
 * place in line.
 */
import { apiThrottler, type APIThrottlerOptions } from '@grammyjs/transformer-throttler';
import type { Api, Transformer } from 'grammy';
import { type Retrying, type RetryNotice, type RetryOptions, retrying } from './retry.ts';

export type { APIThrottlerOptions, RetryOptions };

export interface ApiLimits {
  /** Telegram's limits by default (TELEGRAM_LIMITS); `false` only to measure the adapter alone. */
  throttle?: APIThrottlerOptions | false;
  /** Bounded on every path (DEFAULT_RETRY), so that a dead API cannot hold a reply or a stopping process. */
  retry?: RetryOptions;
}

/**
 * The plugin's defaults, except overall: it lets 30 calls go at the start of each second, so two bursts
 * at a second's edge put 60 within one second. Evenly spaced at 25 a second instead, the margin absorbing
 * the jitter between leaving here and reaching Telegram, no one-second window holds more than 30.
 */
export const TELEGRAM_LIMITS: APIThrottlerOptions = { global: { minTime: 40 } };

/** Returns the retry stage, whose `halt` a stopping channel calls. */
export function applyLimits(api: Api, limits: ApiLimits, hooks: { inner?: Transformer[]; onRetry?: (notice: RetryNotice) => void } = {}): Retrying {
  // Later transformers wrap earlier ones: `inner` sees each raw attempt, the throttler sees each call once.
  if (hooks.inner?.length) api.config.use(...hooks.inner);
  const retry = retrying(limits.retry, hooks.onRetry);
  api.config.use(retry.transformer);
  if (limits.throttle !== false) api.config.use(apiThrottler(limits.throttle ?? TELEGRAM_LIMITS));
  return retry;
}

/** Watches long polling: whether the last getUpdates got an answer, for /healthz. */
export function pollWatch(onChange: (ok: boolean, why?: unknown) => void): { transformer: Transformer; ok(): boolean } {
  let ok = true;
  const set = (next: boolean, why?: unknown) => {
    if (next !== ok) {
      ok = next;
      onChange(next, why);
    }
  };
  const transformer: Transformer = async (prev, method, payload, signal) => {
    if (method !== 'getUpdates') return prev(method, payload, signal);
    try {
      const res = await prev(method, payload, signal);
      set(res.ok, res.ok ? undefined : `${res.error_code} ${res.description}`);
      return res;
    } catch (err) {
      // An abort is our own stop, not an outage.
      if (!signal?.aborted) set(false, err);
      throw err;
    }
  };
  return { transformer, ok: () => ok };
}
