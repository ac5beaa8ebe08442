/**
 * The money rules in one place. A payment is: one atomic reserve (quote taken, saldo debited, transaction
 * written as SENDING: the quote is consumed once, so only one process ever calls the provider), the call
 * (never inside a lock), then one atomic step to the outcome. Only a definite failure refunds; anything
 * unknown is PENDING and checked in the background (recheck.ts) until it is final. A payment is never sent
 * twice. RESERVED (debited, not sent) is only ever found in transactions written by earlier versions.
 * Every step that moves money is a ledger operation (store.money) under an id made before its first try; an
 * answer lost with the connection is recovered by sending the same operation again (retry.ts).
 */
import type { UserId } from '../bot/channel.ts';
import { type CatalogueEntry, OWN_REASONS, type PayOutcome, type Provider, type ProviderName } from '../bot/provider.ts';
import { isFinal, type Quote, type Store, type Transaction, type TxEvent } from '../bot/store.ts';
import type { Log } from '../log.ts';
import type { ProviderRouter } from '../providers/router.ts';
import type { Metrics } from '../metrics.ts';
import { wibDay } from '../bot/format.ts';
import { newQuoteId, newTxId, txIdTime } from './ids.ts';
import { opIds, type ReserveOp, type ResolveOp } from './ledger.ts';
import { retrying } from './retry.ts';
import { RESERVED_AS } from './transitions.ts';
import { creditCommissions, owesCommission } from './commissions.ts';
import { normaliseCode } from '../bot/catalogue.ts';
import { sharedProduct } from '../providers/shared.ts';

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
  /** `chain`: the account's uplines, nearest first; each one's markup is added to the price and kept on the quote. */
  inquire(
    user: UserId, entry: CatalogueEntry, customerNo: string, amount?: number,
    opts?: { pinOk?: boolean; sameDay?: boolean; chain?: readonly UserId[]; exclude?: readonly ProviderName[] },
  ): Promise<InquiryResult>;
  /**
   * Pays the open quote (`quoteId` when a button named it); `known` is that quote when the caller already read
   * it; `paidBy` the identity that wrote, when it is not the account itself (later notices go there).
   */
  confirm(user: UserId, messageId?: string, quoteId?: string, known?: Quote, paidBy?: UserId): Promise<ConfirmResult>;
  /** Carries a scheduled transaction one step towards final; used by the recheck worker. */
  recheck(user: UserId, txId: string): Promise<void>;
  /**
   * An outcome the provider pushed (IAK's callback) for the transaction `txId`, applied as a status check's
   * would be: the first of the callback and the check moves the transaction, the other changes nothing.
   */
  onProviderOutcome(txId: string, outcome: PayOutcome, source: string): Promise<'applied' | 'unchanged' | 'unknown'>;
  /**
   * `SUKSES` / `GAGAL` by an admin who checked with the provider; refused on a final transaction. `by`: the
   * admin's message (opIds.message), so a redelivered or retried one answers its first outcome; without it,
   * this one call.
   */
  settleByHand(
    txId: string, admin: UserId, outcome: { status: 'settled'; serial?: string } | { status: 'failed'; reason: string }, by?: string,
  ): Promise<HandResult>;
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

/** How long a settled sale's commissions are left to the process that settled it before the worker steps in. */
const COMMISSION_GRACE_MS = 5_000;

const first = <T>(all: readonly [T, ...unknown[]]): T => all[0];
const second = <T>(all: readonly [unknown, T, ...unknown[]]): T => all[1];

export function createPayments(deps: PaymentDeps): Payments {
  const { store, router, settings, log, onEvent } = deps;
  const money = store.money;
  const clock = deps.clock ?? Date.now;
  const graceMs = settings.providerTimeoutMs + 30_000;
  /** How long after a payment a biller's "no record of it" may still mean "not arrived yet". */
  const notReceivedGraceMs = 2 * settings.providerTimeoutMs + 5_000;
  /** A money step whose answer must land: sent again under its operation id while the store is unreachable. */
  const patiently = <T>(txId: string, step: () => Promise<T>) => retrying(txId, step, { log });

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

  /**
   * Applies a provider's outcome to a transaction in SENDING or PENDING, `entry` written in the same step (or
   * on its own when the step was someone else's); returns the event to tell, or undefined when another process
   * got there first. `by` sends the step: the YA's message, the worker's look, an admin's message.
   */
  async function apply(tx: Transaction, outcome0: PayOutcome, by: string, entry?: TxEvent, kick = false): Promise<PaymentEvent | undefined> {
    const now = clock();
    // "No record of it" (IAK's 42) right after the payment was sent may be a request still on its way (a slow
    // network, a busy biller): definite only once it cannot arrive any more. Until then pending, asked again.
    const outcome: PayOutcome = outcome0.status === 'failed' && outcome0.notReceived && now - tx.createdAt < notReceivedGraceMs
      ? { status: 'pending', reason: outcome0.reason }
      : outcome0;
    if (outcome.status === 'pending' && tx.status === 'PENDING') {
      // Still pending: no state changes, so no ledger step; the answer and what it taught are kept, and the
      // next look is booked.
      const invoice = outcome.invoice && outcome.invoice !== tx.invoice ? { invoice: outcome.invoice } : {};
      const learnt = outcome.reason !== tx.reason || invoice.invoice !== undefined;
      await Promise.all([
        entry ? store.logTx(tx.user, tx.id, entry) : undefined,
        learnt ? store.patchTx(tx.user, tx.id, { reason: outcome.reason, ...invoice }) : undefined,
        store.schedule(tx.user, tx.id, now + nextCheckIn(tx, now)),
      ]);
      return undefined;
    }
    const op: ResolveOp = { opId: '', by, now, user: tx.user, txId: tx.id, to: 'PENDING', known: tx };
    if (entry) op.log = entry;
    if (outcome.status === 'settled') {
      op.opId = opIds.settle(tx.id);
      op.to = 'SETTLED';
      op.patch = outcome.receipt.invoice ? { receipt: outcome.receipt, invoice: outcome.receipt.invoice } : { receipt: outcome.receipt };
    } else if (outcome.status === 'failed') {
      op.opId = opIds.fail(tx.id);
      op.to = 'FAILED';
      op.reason = outcome.reason;
    } else {
      const invoice = outcome.invoice ?? tx.invoice;
      op.opId = opIds.pending(tx.id);
      op.patch = invoice ? { reason: outcome.reason, invoice } : { reason: outcome.reason };
    }
    // A final step takes the schedule entry with it, in the same round trip; if only the step lands, the
    // worker finds a final transaction and drops the entry itself. A pending one books the next look.
    const final = op.to !== 'PENDING';
    // A settle that owes commissions keeps its schedule entry: the worker credits them. A YA's settle (`kick`)
    // credits them itself right after the receipt, and leaves the entry a few seconds on, so no other process's
    // worker sends the same credits at the same moment.
    const owes = final && op.to === 'SETTLED' && owesCommission({ ...tx, status: 'SETTLED' });
    const after = owes ? () => store.schedule(tx.user, tx.id, now + (kick ? COMMISSION_GRACE_MS : 0)) : () => store.unschedule(tx.user, tx.id);
    // A pending step books its next look in the same round trip. Booked though the step be refused (someone
    // else moved the transaction first), the look finds it final and only drops the entry.
    const next = () => store.schedule(tx.user, tx.id, now + nextCheckIn(tx, now));
    const r = await patiently(tx.id, () => Promise.all([money.resolve(op), final ? after() : next()]).then(first));
    if (!r.ok) {
      // Someone else moved it (the worker, an admin): keep the answer on record all the same.
      if (entry) await store.logTx(tx.user, tx.id, entry);
      return undefined;
    }
    if (owes && kick) kickCommissions(r.tx);
    return { type: op.to === 'SETTLED' ? 'settled' : op.to === 'FAILED' ? 'failed' : 'pending', tx: r.tx };
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
  async function send(tx: Transaction, by: string): Promise<Transaction | undefined> {
    const provider = providerOf(tx);
    const started = clock();
    const outcome = await provider
      .pay({ txId: tx.id, product: tx.quote.product, customerNo: tx.quote.bill.customerNo, bill: tx.quote.bill })
      .catch((err: unknown): PayOutcome => ({ status: 'pending', reason: `provider call threw: ${String(err)}` }));
    const ms = clock() - started;
    deps.metrics?.providerLatency.observe({ provider: provider.name, op: 'pay' }, ms / 1000);
    deps.metrics?.payments.inc({ provider: provider.name, outcome: outcome.status });
    log.info({ tx: tx.id, provider: provider.name, status: outcome.status, ms }, 'payment answered');
    const event = await apply(tx, outcome, by, { at: clock(), type: 'pay', data: { provider: provider.name, ms, outcome } }, true);
    if (!event) return undefined;
    if (event.type === 'pending' && !provider.canAskStatus(event.tx)) await flagForAdmin(event.tx, 'no-invoice');
    return event.tx;
  }

  /**
   * Credits a sale's commissions soon after its receipt is on its way, rather than at the worker's next pass;
   * the schedule entry stays until they are, so a failure here (or a crash) leaves them to the worker.
   */
  function kickCommissions(tx: Transaction): void {
    setTimeout(() => {
      creditCommissions(store, tx, clock(), log)
        .then(() => store.unschedule(tx.user, tx.id))
        .catch((err: unknown) => log.warn({ tx: tx.id, err: String(err) }, 'commissions left to the worker'));
    }, 0).unref();
  }

  async function flagForAdmin(tx: Transaction, why: string): Promise<void> {
    if (tx.flagged === why) return;
    await store.patchTx(tx.user, tx.id, { flagged: why });
    await emit({ type: why === '24h' ? 'stale' : 'needs-admin', tx: { ...tx, flagged: why } });
  }

  return {
    graceMs,

    async settleByHand(txId, admin, hand, by) {
      const user = await store.txOwner(txId);
      const tx = user ? await store.getTx(user, txId) : null;
      if (!tx) return { ok: false, reason: 'not-found' };
      if (isFinal(tx.status)) return { ok: false, reason: 'final', tx };
      const now = clock();
      const base = { by: by ?? `hand:${admin}:${newQuoteId()}`, now, user: tx.user, txId, known: tx, log: { at: now, type: 'by-hand', data: { admin, ...hand } } };
      // The table never settles from RESERVED: that payment was not sent, so it cannot have succeeded.
      const op: ResolveOp = hand.status === 'settled'
        ? { ...base, opId: opIds.settle(txId), to: 'SETTLED', patch: { receipt: { ...(tx.receipt ?? { details: [] }), ...(tx.invoice ? { invoice: tx.invoice } : {}), ...byHand(tx, hand.serial) } } }
        : { ...base, opId: opIds.fail(txId), to: 'FAILED', reason: hand.reason };
      const r = await patiently(txId, () => money.resolve(op));
      // Refused: final meanwhile, or the step is someone else's (the worker's, another admin's).
      if (!r.ok) return { ok: false, reason: 'final', tx: (await store.getTx(tx.user, txId)) ?? tx };
      // The payer is told first: a schedule entry that outlives a blip is dropped by the worker (the transaction
      // is final), while a receipt never told could never be told again (SUKSES once more is "already final").
      await emit({ type: r.tx.status === 'SETTLED' ? 'settled' : 'failed', tx: r.tx });
      // Commissions owed are the worker's, at its next pass.
      const leave = owesCommission(r.tx) ? store.schedule(tx.user, txId, clock()) : store.unschedule(tx.user, txId);
      await leave.catch((err: unknown) => {
        log.warn({ tx: txId, err: err instanceof Error ? err.message : String(err) }, 'settled by hand; its schedule entry is left for the worker to drop');
      });
      return { ok: true, tx: r.tx };
    },

    async inquire(user, asked, customerNo, amount, opts) {
      if (!asked.available) return { ok: false, reason: 'closed' };
      const started = clock();
      // The transaction id is fixed at inquiry: IAK wants it as the inquiry's ref_id, and asks for status by it.
      const txId = newTxId(started);
      const { outcome: res, entry } = await router.inquire({
        product: asked, customerNo, refId: txId, ...(amount ? { amount } : {}), ...(opts?.exclude ? { exclude: opts.exclude } : {}),
      });
      const ms = clock() - started;
      log.info({ user, product: entry.code, provider: entry.provider, ok: res.ok, ms }, 'inquiry answered');
      deps.metrics?.providerLatency.observe({ provider: entry.provider, op: 'inquiry' }, ms / 1000);
      deps.metrics?.inquiries.inc({ provider: entry.provider, outcome: res.ok ? 'ok' : res.kind });
      if (!res.ok) return { ok: false, reason: res.kind, message: res.reason };
      // The operator's margin is on what the user asked for (PLN), whichever biller served it (IAK's PLNPOSTPAID).
      const markup = Math.max(0, Math.trunc((await deps.markupFor?.(asked)) ?? 0));
      // Every upline's part, fixed now: a later MARKUP changes no open quote, and the commissions need no look-up.
      const network = opts?.chain?.length ? await store.shares(user, opts.chain, normaliseCode(asked.code)) : [];
      const shares = network.reduce((sum, s) => sum + s.markup, 0);
      const quote: Quote = {
        id: newQuoteId(),
        txId,
        user,
        provider: entry.provider,
        product: entry.code,
        ...(sharedProduct(asked.code) ? { asked: asked.code } : {}),
        family: entry.family,
        bill: res.bill,
        markup,
        ...(network.length ? { network } : {}),
        price: res.bill.debit + markup + shares,
        createdAt: clock(),
        expiresAt: clock() + settings.quoteTtlMs,
        ...(opts?.pinOk ? { pinOk: true } : {}),
        ...(settings.sandbox ? { sandbox: true as const } : {}),
      };
      const mark = opts?.sameDay ? { day: wibDay(quote.createdAt), product: quote.product, customerNo: quote.bill.customerNo } : undefined;
      const earlier = await store.putQuote(quote, mark);
      return earlier ? { ok: true, quote, earlierTxId: earlier } : { ok: true, quote };
    },

    async confirm(user, messageId, quoteId, known, paidBy) {
      const quote = known ?? (await store.getQuote(user));
      if (!quote || (quoteId && quote.id !== quoteId)) return { kind: 'no-quote' };
      const now = clock();
      const txId = quote.txId;
      // Who pays: this message (claimed by one process only), or this one call when the channel gave no id.
      const by = messageId ? opIds.message(user, messageId) : `ya:${user}:${newQuoteId()}`;
      const sameDay = { day: wibDay(now), product: quote.product, customerNo: quote.bill.customerNo };
      const op: ReserveOp = { opId: opIds.reserve(txId), by, now, user, quoteId: quote.id, txId, sameDay, quote };
      if (messageId) op.messageId = messageId;
      // Always named: the account's namesake that paid hears the outcome there, not where the account last wrote.
      if (paidBy) op.paidBy = paidBy;
      // Scheduled before the debit: if this process dies anywhere after it, the worker finds the transaction.
      // Not unscheduled when the reserve is refused: a concurrent YA may have won with this same id. The worker
      // drops an entry with no transaction once its quote can no longer be paid. Issued in this order on the
      // store's one connection, which Redis runs in order, and in the same turn of the event loop, so they
      // share one write and one round trip. A lost answer sends both again: the schedule only sets, and the
      // reserve answers its first outcome.
      const r = await patiently(txId, () => Promise.all([store.schedule(user, txId, now + graceMs), money.reserve(op)]).then(second));
      if (!r.ok) {
        const f = r.refusal;
        // Anything else (another YA's reserve: op-conflict) means this message has nothing to pay.
        return f.code === 'insufficient' ? { kind: 'insufficient', saldo: f.saldo, price: f.price } : { kind: 'no-quote' };
      }
      // The reserve is the one claim to call the biller (RESERVED_AS): a repeat whose transaction moved on since
      // (the worker, after a long outage) is not sent again.
      if (r.tx.status !== RESERVED_AS) return { kind: 'done', tx: r.tx };
      const after = await send(r.tx, by);
      // Undefined: another step moved it first (IAK's callback beating the top-up's own answer, a worker). That
      // step tells the payer its outcome, so this reply says only that it is being processed, never a second receipt.
      return { kind: 'done', tx: after ?? r.tx };
    },

    async onProviderOutcome(txId, outcome, source) {
      const user = await store.txOwner(txId);
      const tx = user ? await store.getTx(user, txId) : null;
      if (!tx) return 'unknown';
      const entry: TxEvent = { at: clock(), type: source, data: { outcome } };
      // SENDING too: the callback can beat the top-up's own answer (PROCESS) back to us.
      if (isFinal(tx.status) || outcome.status === 'pending') {
        await store.logTx(tx.user, txId, entry);
        return 'unchanged';
      }
      if (tx.status === 'RESERVED') return 'unchanged';
      // `by` is this delivery's own: a status check racing it, or the same callback delivered again at once (to
      // this process or another), sends the same step under another name, and whichever lands second is refused
      // as someone else's (op-conflict): it changes nothing and tells no one.
      const event = await apply(tx, outcome, `${source}:${txId}:${newQuoteId()}`, entry);
      if (!event) return 'unchanged';
      deps.metrics?.payments.inc({ provider: tx.quote.provider, outcome: outcome.status });
      await emit(event);
      return 'applied';
    },

    async recheck(user, txId) {
      const tx = await store.getTx(user, txId);
      const now = clock();
      // This look's own name: a step another look (another process, a lease run out) sends is not repeated as ours.
      const by = `worker:${newQuoteId()}`;
      if (!tx) {
        // Scheduled, then the reserve never happened (refused, or the process died): harmless once the quote is gone.
        if (now - (txIdTime(txId) ?? 0) > settings.quoteTtlMs + graceMs) await store.unschedule(user, txId);
        else await store.schedule(user, txId, now + settings.quoteTtlMs + graceMs);
        return;
      }
      if (isFinal(tx.status)) {
        await creditCommissions(store, tx, now, log);
        return store.unschedule(user, txId);
      }
      if (tx.status === 'RESERVED') {
        // Debited, never sent (left by a version before the reserve wrote SENDING): safe to give the money back.
        const log = { at: now, type: 'abandoned', data: { status: 'RESERVED' } };
        const r = await patiently(txId, () => money.resolve({ opId: opIds.fail(txId), by, now, user, txId, to: 'FAILED', reason: OWN_REASONS.notSent, known: tx, log }));
        if (r.ok) await emit({ type: 'failed', tx: r.tx });
        return store.unschedule(user, txId);
      }
      if (tx.status === 'SENDING') {
        // Perhaps sent by a process that died: never send again, find out instead.
        const event = await apply(tx, { status: 'pending', reason: 'outcome unknown: the bot stopped during the payment' }, by);
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
        const event = await apply(tx, outcome, by, entry);
        if (event) await emit(event);
      }
      const after = await store.getTx(user, txId);
      if (after?.status === 'PENDING' && now - after.createdAt > 24 * 3600_000 && after.flagged !== '24h') {
        await flagForAdmin(after, '24h');
      }
    },
  };
}
