/**
 * The one transition table of a transaction's states. Both stores ask it which states a step may leave; no
 * caller names its own list. RESERVED is only ever read (transactions written by versions before SENDING was
 * written by the reserve itself); nothing writes it any more.
 */
import type { TxStatus } from '../bot/store.ts';

/** The state a reserve writes: consuming the quote is the one claim to call the biller, so it is sent next. */
export const RESERVED_AS: TxStatus = 'SENDING';

export const NEXT: Readonly<Record<TxStatus, readonly TxStatus[]>> = {
  RESERVED: ['SENDING', 'PENDING', 'FAILED'],
  SENDING: ['PENDING', 'SETTLED', 'FAILED'],
  PENDING: ['SETTLED', 'FAILED'],
  SETTLED: [],
  FAILED: [],
};

const STATES = Object.keys(NEXT) as TxStatus[];
const FROM = {} as Record<TxStatus, readonly TxStatus[]>;
for (const to of STATES) FROM[to] = STATES.filter((from) => NEXT[from].includes(to));

/** The states a transaction may be in for a step to move it to `to` (worked out once: every money step asks). */
export function allowedFrom(to: TxStatus): readonly TxStatus[] {
  return FROM[to];
}

export function canMove(from: TxStatus, to: TxStatus): boolean {
  return NEXT[from].includes(to);
}

/** SETTLED and FAILED are final: never left, never refunded again. */
export function isFinal(status: TxStatus): boolean {
  return NEXT[status].length === 0;
}
