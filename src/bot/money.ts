/**
 * The money steps chat commands take besides a payment, as commands reach them (`ctx.payments`): crediting a
 * deposit (DEPOSIT), accepting a deposit ticket (ACC) and moving saldo between resellers (TRANSFER). Each is
 * one of the domain functions of src/payments/desk.ts, under an operation id made from the message that asked
 * for it before the first try, so a step whose answer was lost is sent again and acts once.
 */
import { randomBytes } from 'node:crypto';
import { createDesk, type Desk } from '../payments/desk.ts';
import { opIds } from '../payments/ledger.ts';
import { withRetries } from '../payments/retry.ts';
import type { Log } from '../log.ts';
import type { UserId } from './channel.ts';
import type { Store } from './store.ts';

/**
 * How long a command's money step keeps sending its operation again while the store fails. A lost answer is
 * sent again once the connection is back (a blip); an outage is not waited out with the user waiting for an
 * answer: they are told it may have happened, to look before repeating it (the worker finishes a transfer).
 */
export const COMMAND_PATIENCE_MS = 250;

interface FromMessage {
  now: number;
  /** The message that asked for it: its id is the operation's. Without one, an id is made for this message. */
  messageId?: string;
}

export interface DepositOp extends FromMessage {
  to: UserId;
  amount: number;
  /** The admin who credits it. */
  by: UserId;
}

export interface AcceptOp extends FromMessage {
  ticketId: string;
  by: UserId;
}

export interface TransferOp extends FromMessage {
  from: UserId;
  to: UserId;
  amount: number;
}

export interface RedeemOp extends FromMessage {
  account: UserId;
  /** Absent: all of the commission. */
  amount?: number;
}

export interface Money {
  /** `TUKAR KOMISI`: commission into saldo, once per message. */
  redeemCommission(op: RedeemOp): ReturnType<Store['money']['redeemCommission']>;
  deposit(op: DepositOp): ReturnType<Desk['deposit']>;
  acceptTicket(op: AcceptOp): ReturnType<Desk['acceptTicket']>;
  transfer(op: TransferOp): ReturnType<Desk['transfer']>;
}

/** The message's operation id; a message the channel gave no id gets one of its own. */
export function messageOp(user: UserId, messageId: string | undefined): string {
  return opIds.message(user, messageId ?? `local-${randomBytes(8).toString('hex')}`);
}

export function money(store: Store, graceMs: number, log: Log): Money {
  const desk = createDesk({ store, graceMs, log, patienceMs: COMMAND_PATIENCE_MS });
  // A DEPOSIT the channel gave no id is sent once: a lost answer is told to the admin to look first, as it
  // always was.
  const once = createDesk({ store, graceMs, log, patienceMs: 0 });
  const ledger = withRetries(store.money, { log, patienceMs: COMMAND_PATIENCE_MS });
  return {
    redeemCommission: ({ account, amount, now, messageId }) => {
      const opId = messageOp(account, messageId);
      return ledger.redeemCommission({ opId, by: opId, now, user: account, ...(amount === undefined ? {} : { amount }) });
    },
    deposit: ({ to, amount, by, now, messageId }) =>
      (messageId ? desk : once).deposit({ opId: messageOp(by, messageId), admin: by, to, amount, now }),
    acceptTicket: ({ ticketId, by, now, messageId }) => desk.acceptTicket({ opId: messageOp(by, messageId), admin: by, ticketId, now }),
    transfer: ({ from, to, amount, now, messageId }) => desk.transfer({ opId: messageOp(from, messageId), from, to, amount, now }),
  };
}
