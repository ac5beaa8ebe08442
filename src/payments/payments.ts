/**
 * The money rules in one place. A payment is: one atomic reserve (quote taken, saldo debited, transaction
 * written as SENDING: the quote is consumed once, so only one process ever calls the provider), the call
 * (never inside a lock), then one atomic step to the outcome. Only a definite failure refunds; anything
 * unknown is PENDING and checked in the background (recheck.ts) until it is final. A payment is never sent
 * twice. RESERVED (debited, not sent) is only ever found in transactions written by earlier versions.
 */
import type { UserId } from '../bot/channel.ts';
import { type CatalogueEntry, OWN_REASONS, type PayOutcome, type Provider } from '../bot/provider.ts';
import { isFinal, type Quote, type ReserveResult, stillUnknown, type Store, StoreOutcomeUnknown, type Transaction, type TxEvent, type TxStatus } from '../bot/store.ts';
import type { Log } from '../log.ts';
import type { ProviderRouter } from '../providers/router.ts';
import type { Metrics } from '../metrics.ts';
import { wibDay } from '../bot/format.ts';
import { newQuoteId, newTxId, txIdTime } from './ids.ts';

export interface PaymentSettings {
  quoteTtlMs: number;
  providerTimeoutMs: number;
  recheckMs: number;
  /** Sandbox mode: every quote is marked, so its summary and receipt say no payment is real. */
  sandbox?: boolean;
}

/** What happened to a transaction, for the user and the admins; the core turns it into words. */
export type PaymentEvent =
  | { type: 'settled'; tx: Transaction }
  | { type: 'failed'; tx: Transaction }
  | { type: 'pending'; tx: Transaction }
  /** The provider cannot be asked about it: an admin must look it up and settle it. */
  | { type: 'needs-admin'; tx: Transaction }
  | { type: 'stale'; tx: Transaction };

export type InquiryResult =
  /** `earlierTxId`: what the duplicate guard found for this product and number today, when asked to look. */
  | { ok: true; quote: Quote; earlierTxId?: string }
  | { ok: false; reason: 'closed' | 'refused' | 'unavailable'; message?: string };

export type ConfirmResult =
  | { kind: 'no-quote' }
  | { kind: 'insufficient'; saldo: number; price: number }
  | { kind: 'done'; tx: Transaction };

export interface Payments {
  inquire(
    user: UserId, entry: CatalogueEntry, customerNo: string, amount?: number, opts?: { pinOk?: boolean; sameDay?: boolean },
  ): Promise<InquiryResult>;
  /** Pays the open quote (`quoteId` when a button named it); `known` is that quote when the caller already read it. */
  confirm(user: UserId, messageId?: string, quoteId?: string, known?: Quote): Promise<ConfirmResult>;
  /** Carries a scheduled transaction one step towards final; used by the recheck worker. */
  recheck(user: UserId, txId: string): Promise<void>;
  /** `SUKSES` / `GAGAL` by an admin who checked with the provider; refused on a final transaction. */
  settleByHand(txId: string, admin: UserId, outcome: { status: 'settled'; serial?: string } | { status: 'failed'; reason: string }): Promise<HandResult>;
  /** Grace after a reserve before the worker treats a transaction as abandoned by a dead process. */
  readonly graceMs: number;
}

export type HandResult = { ok: true; tx: Transaction } | { ok: false; reason: 'not-found' | 'final'; tx?: Transaction };

export interface PaymentDeps {
  store: Store;
  router: ProviderRouter;
  settings: PaymentSettings;
  log: Log;
  /** The operator's margin for a product. */
  markupFor?: (entry: CatalogueEntry) => Promise<number> | number;
  /** Told of every outcome the user or the admins must hear about. */
  onEvent: (event: PaymentEvent) => Promise<void>;
  metrics?: Metrics;
  clock?: () => number;
}

/** How long a payment step keeps trying while the store is unreachable: about a managed Redis's failover. */
const STORE_PATIENCE_MS = 30_000;

export function createPayments(deps: PaymentDeps): Payments {
  const { store, router, settings, log, onEvent } = deps;
  const clock = deps.clock ?? Date.now;
  const graceMs = settings.providerTimeoutMs + 30_000;

  async function emit(event: PaymentEvent): Promise<void> {
    try {
      await onEvent(event);
    } catch (err) {
      log.error({ err: String(err), tx: event.tx.id, event: event.type }, 'could not deliver a payment event');
    }
  }

  async function record(tx: Transaction, type: string, data: unknown): Promise<void> {
    await store.logTx(tx.user, tx.id, { at: clock(), type, data });
  }

  /** Applies a provider's outcome to a transaction in SENDING or PENDING; returns the event to tell. */
  /**
   * Applies a provider's outcome to a transaction in SENDING or PENDING, with `log` written in the same step;
   * returns the event to tell, or undefined when another process got there first.
   */
  async function apply(tx: Transaction, outcome: PayOutcome, log?: TxEvent): Promise<PaymentEvent | undefined> {
    const now = clock();
    const from = ['SENDING', 'PENDING'] as const;
    if (outcome.status === 'settled') {
      // The unschedule rides behind the state change in the same write; if only the change lands, the worker
      // finds a final transaction and drops the entry itself.
      const invoice = outcome.receipt.invoice ? { invoice: outcome.receipt.invoice } : {};
      const ok = await stepOnce(tx, 'SETTLED', now, async () => {
        const [moved] = await Promise.all([
          store.transition(tx.user, tx.id, from, 'SETTLED', now, { receipt: outcome.receipt, ...invoice }, log),
          store.unschedule(tx.user, tx.id),
        ]);
        return moved;
      });
      return ok ? { type: 'settled', tx: { ...tx, status: 'SETTLED', receipt: outcome.receipt, updatedAt: now, ...invoice } } : undefined;
    }
    if (outcome.status === 'failed') {
      const ok = await stepOnce(tx, 'FAILED', now, async () => {
        const [moved] = await Promise.all([store.fail(tx.user, tx.id, from, outcome.reason, now, log), store.unschedule(tx.user, tx.id)]);
        return moved;
      });
      return ok ? { type: 'failed', tx: { ...tx, status: 'FAILED', reason: outcome.reason, updatedAt: now } } : undefined;
    }
    const invoice = outcome.invoice ?? tx.invoice;
    const wasPending = tx.status === 'PENDING';
    const ok = await stepOnce(tx, 'PENDING', now, () =>
      store.transition(tx.user, tx.id, from, 'PENDING', now, { reason: outcome.reason, ...(invoice ? { invoice } : {}) }, log),
    );
    if (!ok) return undefined;
    await patiently(tx.id, 'schedule', () => store.schedule(tx.user, tx.id, now + nextCheckIn(tx, now)));
    const pending: Transaction = { ...tx, status: 'PENDING', reason: outcome.reason, updatedAt: now, ...(invoice ? { invoice } : {}) };
    return wasPending ? undefined : { type: 'pending', tx: pending };
  }

  /**
   * A compare-and-set of a transaction whose answer the Redis connection lost: it may have run. Sent again, it
   * moves the transaction at most once (it only moves it out of the states it names); when it then says no,
   * the transaction shows whether the lost one was ours: it is in `to`, stamped with our `now`. Without this,
   * a blip after a paid bill left it SENDING without the receipt, for an admin to settle by hand.
   */
  function stepOnce(tx: Transaction, to: TxStatus, now: number, step: () => Promise<boolean>): Promise<boolean> {
    return patiently(tx.id, to, async (lost) => {
      if (await step()) return true;
      if (!lost) return false;
      const after = await store.getTx(tx.user, tx.id);
      return after?.status === to && after.updatedAt === now;
    });
  }

  /**
   * A payment step that must land once the biller has answered (or once the debit may have): while the store
   * cannot be reached or loses the answer, it is tried again, backing off, for as long as a Redis failover
   * takes, rather than dropping the biller's answer and leaving the payment for an admin. `lost`: an earlier
   * try may have run. Every step given here is safe to send again (a compare-and-set, a set, a read).
   */
  async function patiently<T>(txId: string, what: string, run: (lost: boolean) => Promise<T>): Promise<T> {
    const deadline = performance.now() + STORE_PATIENCE_MS;
    let lost = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await run(lost);
      } catch (err) {
        if (err instanceof StoreOutcomeUnknown) lost = true;
        if (performance.now() >= deadline) throw lost ? stillUnknown(err) : err;
        log.warn({ tx: txId, what, attempt, err: err instanceof Error ? err.message : String(err) }, 'the store failed a payment step; trying again');
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 2_000)));
      }
    }
  }

  /**
   * What the admin typed after SUKSES: for a PLN token the serial is the token (20 digits, as the biller's
   * record shows it, spaces or dashes and all), which the receipt must carry in groups of four; else a reference.
   */
  function byHand(tx: Transaction, serial: string | undefined): { token?: string; reference?: string } {
    if (!serial) return {};
    const digits = serial.replace(/[\s.-]/g, '');
    return tx.quote.family === 'pln-prepaid' && /^\d{20}$/.test(digits) ? { token: digits } : { reference: serial };
  }

  /** Backs off with the transaction's age: often at first, at most every 30 minutes. */
  function nextCheckIn(tx: Transaction, now: number): number {
    return Math.min(Math.max(settings.recheckMs, (now - tx.createdAt) / 2), 30 * 60_000);
  }

  function providerOf(tx: Transaction): Provider {
    return router.get(tx.quote.provider);
  }

  /**
   * The one provider call of a payment. The payer hears the outcome in the reply to their `YA`, so only the
   * admins' alerts are emitted here. Returns the transaction as it now is, or undefined when another process
   * moved it meanwhile.
   */
  async function send(tx: Transaction): Promise<Transaction | undefined> {
    const provider = providerOf(tx);
    const started = clock();
    const outcome = await provider
      .pay({ txId: tx.id, product: tx.quote.product, customerNo: tx.quote.bill.customerNo, bill: tx.quote.bill })
      .catch((err: unknown): PayOutcome => ({ status: 'pending', reason: `provider call threw: ${String(err)}` }));
    const ms = clock() - started;
    deps.metrics?.providerLatency.observe({ provider: provider.name, op: 'pay' }, ms / 1000);
    deps.metrics?.payments.inc({ provider: provider.name, outcome: outcome.status });
    log.info({ tx: tx.id, provider: provider.name, status: outcome.status, ms }, 'payment answered');
    const event = await apply(tx, outcome, { at: clock(), type: 'pay', data: { provider: provider.name, ms, outcome } });
    if (!event) {
      // Someone else moved it (the worker, an admin): keep the answer on record all the same.
      await record(tx, 'pay', { provider: provider.name, ms, outcome });
      return undefined;
    }
    if (event.type === 'pending' && !provider.canAskStatus(event.tx)) await flagForAdmin(event.tx, 'no-invoice');
    return event.tx;
  }

  async function flagForAdmin(tx: Transaction, why: string): Promise<void> {
    if (tx.flagged === why) return;
    await store.patchTx(tx.user, tx.id, { flagged: why });
    await emit({ type: why === '24h' ? 'stale' : 'needs-admin', tx: { ...tx, flagged: why } });
  }

  return {
    graceMs,

    async settleByHand(txId, admin, hand) {
      const user = await store.txOwner(txId);
      const tx = user ? await store.getTx(user, txId) : null;
      if (!tx) return { ok: false, reason: 'not-found' };
      if (isFinal(tx.status)) return { ok: false, reason: 'final', tx };
      const now = clock();
      let done: Transaction | undefined;
      if (hand.status === 'settled') {
        const receipt = { ...(tx.receipt ?? { details: [] }), ...(tx.invoice ? { invoice: tx.invoice } : {}), ...byHand(tx, hand.serial) };
        // Never from RESERVED: that payment was not sent, so it cannot have succeeded.
        if (await stepOnce(tx, 'SETTLED', now, () => store.transition(tx.user, txId, ['SENDING', 'PENDING'], 'SETTLED', now, { receipt }))) {
          done = { ...tx, status: 'SETTLED', receipt, updatedAt: now };
        }
      } else if (await stepOnce(tx, 'FAILED', now, () => store.fail(tx.user, txId, ['RESERVED', 'SENDING', 'PENDING'], hand.reason, now))) {
        done = { ...tx, status: 'FAILED', reason: hand.reason, updatedAt: now };
      }
      if (!done) return { ok: false, reason: 'final', tx: (await store.getTx(tx.user, txId)) ?? tx };
      await store.unschedule(tx.user, txId);
      await record(tx, 'by-hand', { admin, ...hand });
      await emit({ type: done.status === 'SETTLED' ? 'settled' : 'failed', tx: done });
      return { ok: true, tx: done };
    },

    async inquire(user, asked, customerNo, amount, opts) {
      if (!asked.available) return { ok: false, reason: 'closed' };
      const started = clock();
      // The transaction id is fixed at inquiry: IAK wants it as the inquiry's ref_id, and asks for status by it.
      const txId = newTxId(started);
      const { outcome: res, entry } = await router.inquire({ product: asked, customerNo, refId: txId, ...(amount ? { amount } : {}) });
      const ms = clock() - started;
      log.info({ user, product: entry.code, provider: entry.provider, ok: res.ok, ms }, 'inquiry answered');
      deps.metrics?.providerLatency.observe({ provider: entry.provider, op: 'inquiry' }, ms / 1000);
      deps.metrics?.inquiries.inc({ provider: entry.provider, outcome: res.ok ? 'ok' : res.kind });
      if (!res.ok) return { ok: false, reason: res.kind, message: res.reason };
      // The operator's margin is on what the user asked for (PLN), whichever biller served it (IAK's PLNPOSTPAID).
      const markup = Math.max(0, Math.trunc((await deps.markupFor?.(asked)) ?? 0));
      const quote: Quote = {
        id: newQuoteId(),
        txId,
        user,
        provider: entry.provider,
        product: entry.code,
        family: entry.family,
        bill: res.bill,
        markup,
        price: res.bill.debit + markup,
        createdAt: clock(),
        expiresAt: clock() + settings.quoteTtlMs,
        ...(opts?.pinOk ? { pinOk: true } : {}),
        ...(settings.sandbox ? { sandbox: true as const } : {}),
      };
      const mark = opts?.sameDay ? { day: wibDay(quote.createdAt), product: quote.product, customerNo: quote.bill.customerNo } : undefined;
      const earlier = await store.putQuote(quote, mark);
      return earlier ? { ok: true, quote, earlierTxId: earlier } : { ok: true, quote };
    },

    async confirm(user, messageId, quoteId, known) {
      const quote = known ?? (await store.getQuote(user));
      if (!quote || (quoteId && quote.id !== quoteId)) return { kind: 'no-quote' };
      const now = clock();
      const txId = quote.txId;
      // Scheduled before the debit: if this process dies anywhere after it, the worker finds the transaction.
      // Not unscheduled when the reserve fails: a concurrent YA may have won with this same id. The worker
      // drops an entry with no transaction once its quote can no longer be paid.
      const sameDay = { day: wibDay(now), product: quote.product, customerNo: quote.bill.customerNo };
      // Issued in this order on the store's one connection, which Redis runs in order: the schedule first. Sent
      // in the same turn of the event loop, they also share one write and so one round trip.
      // The reserve writes SENDING itself: consuming the quote is already the one claim to send, so no
      // RESERVED→SENDING round trip sits between the debit and the call. A crash in between leaves SENDING,
      // which the worker turns into PENDING and asks about: never sent twice, never refunded blind.
      const reserve = () => store.reserve(user, quote.id, txId, now, { ...(messageId ? { messageId } : {}), sameDay, sending: true, quote });
      let r: ReserveResult;
      try {
        [, r] = await Promise.all([store.schedule(user, txId, now + graceMs), reserve()]);
      } catch (err) {
        if (!(err instanceof StoreOutcomeUnknown) || !messageId) throw err;
        // The answers were lost with the connection. The schedule only sets, so it is sent again. The reserve is
        // one atomic step, so the transaction tells whether it ran: not at all, and it is sent again; as this
        // message's (its id is on it, and a message id is claimed by one process only), and this process holds
        // the one claim to pay it, as it would have. Anything else is not ours to touch.
        log.warn({ tx: txId }, 'a reserve lost its answer; reading it back');
        const [landed, resent] = await patiently(txId, 'reserve', async () => {
          await store.schedule(user, txId, now + graceMs);
          const tx = await store.getTx(user, txId);
          return [tx, tx ? undefined : await reserve()] as const;
        });
        if (resent) r = resent;
        else if (landed?.messageId !== messageId) return { kind: 'no-quote' };
        else if (landed.status === 'SENDING') r = { ok: true, tx: landed };
        else return { kind: 'done', tx: landed };
      }
      if (!r.ok) return r.reason === 'insufficient' ? { kind: 'insufficient', saldo: r.saldo, price: r.price } : { kind: 'no-quote' };
      const after = await send(r.tx);
      return { kind: 'done', tx: after ?? (await store.getTx(user, txId)) ?? r.tx };
    },

    async recheck(user, txId) {
      const tx = await store.getTx(user, txId);
      const now = clock();
      if (!tx) {
        // Scheduled, then the reserve never happened (refused, or the process died): harmless once the quote is gone.
        if (now - (txIdTime(txId) ?? 0) > settings.quoteTtlMs + graceMs) await store.unschedule(user, txId);
        else await store.schedule(user, txId, now + settings.quoteTtlMs + graceMs);
        return;
      }
      if (isFinal(tx.status)) return store.unschedule(user, txId);
      if (tx.status === 'RESERVED') {
        // Debited, never sent (a SENDING claim would have moved it): safe to give the money back.
        if (await store.fail(user, txId, ['RESERVED'], OWN_REASONS.notSent, now)) {
          await record(tx, 'abandoned', { status: 'RESERVED' });
          await emit({ type: 'failed', tx: { ...tx, status: 'FAILED', reason: OWN_REASONS.notSent } });
        }
        return store.unschedule(user, txId);
      }
      if (tx.status === 'SENDING') {
        // Perhaps sent by a process that died: never send again, find out instead.
        const event = await apply(tx, { status: 'pending', reason: 'outcome unknown: the bot stopped during the payment' });
        await record(tx, 'abandoned', { status: 'SENDING' });
        if (event) await emit(event);
        const pending = (await store.getTx(user, txId)) ?? tx;
        if (!providerOf(pending).canAskStatus(pending)) await flagForAdmin(pending, 'no-invoice');
        return;
      }
      // PENDING: ask the provider, if it can be asked.
      const provider = providerOf(tx);
      const started = clock();
      const outcome = await provider
        .status({ txId, product: tx.quote.product, customerNo: tx.quote.bill.customerNo, ...(tx.invoice ? { invoice: tx.invoice } : {}) })
        .catch((err: unknown) => ({ status: 'pending' as const, reason: `status call threw: ${String(err)}` }));
      const ms = clock() - started;
      deps.metrics?.providerLatency.observe({ provider: provider.name, op: 'status' }, ms / 1000);
      if (outcome.status === 'settled' || outcome.status === 'failed') deps.metrics?.payments.inc({ provider: provider.name, outcome: outcome.status });
      const entry: TxEvent = { at: clock(), type: 'status', data: { provider: provider.name, ms, outcome } };
      if (outcome.status === 'unknowable') {
        await store.logTx(user, txId, entry);
        await flagForAdmin(tx, 'no-invoice');
        await store.schedule(user, txId, now + nextCheckIn(tx, now));
      } else {
        const event = await apply(tx, outcome, entry);
        if (event) await emit(event);
        else if (outcome.status !== 'pending') await store.logTx(user, txId, entry);
      }
      const after = await store.getTx(user, txId);
      if (after?.status === 'PENDING' && now - after.createdAt > 24 * 3600_000 && after.flagged !== '24h') {
        await flagForAdmin(after, '24h');
      }
    },
  };
}
