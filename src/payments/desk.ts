/**
 * The money steps chat commands take besides paying a bill: crediting a deposit (DEPOSIT), accepting a
 * deposit ticket (ACC) and moving saldo between resellers (TRANSFER). A command handler calls these and never
 * the store's money methods. Each takes an operation id the caller made before the first try
 * (`opIds.message(user, messageId)` for a chat message; a freshly minted one where the channel gives none):
 * the operation is sent again through withRetries after a lost answer, so it acts once however often its
 * answer is lost, and answers its first outcome. Settling a payment by hand (SUKSES / GAGAL) is
 * Payments.settleByHand, which takes the same kind of id as its `by`.
 */
import type { UserId } from '../bot/channel.ts';
import type { Store, Ticket } from '../bot/store.ts';
import type { Log } from '../log.ts';
import { txIdOf } from './ids.ts';
import { type OpId, opIds, type Outcome } from './ledger.ts';
import { retrying, type RetryOptions, withRetries } from './retry.ts';
import { completeTransfer, TRANSFER_PREFIX } from './transfers.ts';

export interface DeskDeps {
  store: Store;
  /** How long the worker leaves a transfer to its sender before it finishes one a crash interrupted. */
  graceMs: number;
  log?: Log;
  /** How long a step keeps trying while the store is unreachable (STORE_PATIENCE_MS). */
  patienceMs?: number;
}

export interface DepositRequest {
  opId: OpId;
  /** The admin who credits it: named in the ledger entry's note. */
  admin: UserId;
  to: UserId;
  amount: number;
  now: number;
}

export interface AcceptRequest {
  opId: OpId;
  admin: UserId;
  ticketId: string;
  now: number;
}

export interface TransferRequest {
  opId: OpId;
  from: UserId;
  to: UserId;
  amount: number;
  now: number;
}

export interface Desk {
  /** DEPOSIT: credits `amount` to `to`; `saldo` is the receiver's after it. */
  deposit(req: DepositRequest): Promise<Outcome<{ saldo: number }>>;
  /** ACC: credits an open ticket's amount to its owner; refused `ticket-used`, `-expired`, `-replaced`, `unknown-ticket`. */
  acceptTicket(req: AcceptRequest): Promise<Outcome<{ ticket: Ticket; saldo: number }>>;
  /**
   * TRANSFER: debits the sender, then credits the receiver. Scheduled before the debit, so the worker finishes
   * a transfer whose sender stopped half way. `saldo`: the sender's after; `received`: the receiver's after.
   * Refused `insufficient` with nothing moved.
   */
  transfer(req: TransferRequest): Promise<Outcome<{ id: string; saldo: number; received: number }>>;
}

/**
 * The transfer an operation makes: the same operation at the same `now` always names the same transfer
 * (`TRF-` + txIdOf). `now` is part of the operation: a caller sends it unchanged with every retry, as the chat
 * handlers do (read once per message); a retry with a later `now` would name a second transfer.
 */
export function transferIdOf(opId: OpId, now: number): string {
  return `${TRANSFER_PREFIX}${txIdOf(now, opId)}`;
}

export function createDesk(deps: DeskDeps): Desk {
  const { store, graceMs, log } = deps;
  const opts: RetryOptions = { ...(log ? { log } : {}), ...(deps.patienceMs !== undefined ? { patienceMs: deps.patienceMs } : {}) };
  const money = withRetries(store.money, opts);

  return {
    // A chat command is its own sender: `by` is its operation id, so only a repeat of the same message
    // (a lost answer) hears the first outcome.
    deposit: ({ opId, admin, to, amount, now }) =>
      money.adjust({ opId, by: opId, now, user: to, amount, reason: 'deposit', note: `by ${admin}` }),

    acceptTicket: ({ opId, admin, ticketId, now }) => money.acceptTicket({ opId, by: opId, now, ticketId, acceptedBy: admin }),

    async transfer({ opId, from, to, amount, now }) {
      const id = transferIdOf(opId, now);
      // Scheduled first: a crash after the debit leaves the credit to the worker, never to chance.
      await retrying(id, () => store.schedule(from, id, now + graceMs), opts);
      const out = await money.transferOut({ opId: opIds.transferOut(id), by: opId, now, transferId: id, from, to, amount });
      if (!out.ok) {
        // Nothing was debited: nothing for the worker to finish.
        await store.unschedule(from, id);
        return out;
      }
      const done = await completeTransfer(store, from, id, opts, { id, from, to, amount, at: now });
      return { ok: true, repeat: out.repeat, id, saldo: out.saldo, received: done?.saldo ?? 0 };
    },
  };
}
