/**
 * A lost answer is recovered one way: the same operation is sent again. Every ledger operation carries an id
 * made before its first try, so a second try of an operation that ran answers its recorded outcome (`repeat`)
 * and changes nothing; one that never ran runs now. While the store cannot be reached (a failover) the
 * operation is tried again, backing off, for about as long as a managed Redis takes to fail over; then
 * StoreOutcomeUnknown, and the user is told to look before doing it again.
 */
import { StoreOutcomeUnknown } from '../bot/store.ts';
import type { Log } from '../log.ts';
import type { Ledger } from './ledger.ts';

/** How long an operation keeps trying while the store is unreachable: about a managed Redis's failover. */
export const STORE_PATIENCE_MS = 30_000;

export interface RetryOptions {
  /** Give up after this long (STORE_PATIENCE_MS). */
  patienceMs?: number;
  log?: Log;
  /** The longest wait between two tries (2 s). */
  maxBackoffMs?: number;
}

/**
 * The failures worth another try of the same operation: an answer lost with the connection, and the
 * connection itself down or refusing (ioredis gives up on a command after maxRetriesPerRequest reconnections;
 * a replica promoted mid-failover refuses writes for a moment). Anything else (a bug, a refusal by Redis of
 * the script itself) is thrown at once.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof StoreOutcomeUnknown) return true;
  if (!(err instanceof Error)) return false;
  if (err.name === 'MaxRetriesPerRequestError') return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN)$/.test(code)) return true;
  return /Connection is closed|Stream isn't writeable|^(READONLY|LOADING|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)\b/.test(err.message);
}

/**
 * Runs `step` until it answers, trying again after a transient failure with backoff. `step` must be safe to
 * send again: ledger operations under their ids, or idempotent writes beside them (a schedule entry). The
 * patience counts from the first failure; a step that answers at once costs one promise more than itself.
 */
export function retrying<T>(what: string, step: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  return step().catch((err: unknown) => again(what, step, opts, err));
}

async function again<T>(what: string, step: () => Promise<T>, opts: RetryOptions, first: unknown): Promise<T> {
  const deadline = performance.now() + (opts.patienceMs ?? STORE_PATIENCE_MS);
  let err = first;
  for (let attempt = 0; ; attempt++) {
    if (!isTransient(err)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (performance.now() >= deadline) {
      throw err instanceof StoreOutcomeUnknown ? err : new StoreOutcomeUnknown(`the store stayed unreachable: ${message}`);
    }
    opts.log?.warn({ what, attempt, err: message }, 'the store failed a money step; sending the same operation again');
    await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, opts.maxBackoffMs ?? 2_000)));
    try {
      return await step();
    } catch (next) {
      err = next;
    }
  }
}

/**
 * The ledger with every operation sent again after a lost answer or a connection error (retrying). Every
 * method is wrapped as it is, so an operation added to the port needs nothing here.
 */
export function withRetries(ledger: Ledger, opts: RetryOptions = {}): Ledger {
  const wrapped: Record<string, (op: { opId: string }) => Promise<unknown>> = {};
  for (const [name, step] of Object.entries(ledger) as Array<[string, (op: { opId: string }) => Promise<unknown>]>) {
    wrapped[name] = (op) => retrying(`${name} ${op.opId}`, () => step.call(ledger, op), opts);
  }
  return wrapped as unknown as Ledger;
}
