/**
 * The one transition table of a transaction's states. Both stores ask it which states a step may leave; no
 * caller names its own list. RESERVED is only ever read (transactions written by versions before SENDING was
 * written by the reserve itself); nothing writes it any more.
 */
import type { TxStatus } from '../bot/store.ts';

export const NEXT: Readonly<Record<TxStatus, readonly TxStatus[]>> = {
  RESERVED: ['SENDING', 'PENDING', 'FAILED'],
  SENDING: ['PENDING', 'SETTLED', 'FAILED'],
  PENDING: ['SETTLED', 'FAILED'],
  SETTLED: [],
  FAILED: [],
};

/** The states a transaction may be in for a step to move it to `to`. */
export function allowedFrom(to: TxStatus): TxStatus[] {
  return (Object.keys(NEXT) as TxStatus[]).filter((from) => NEXT[from].includes(to));
}

export function canMove(from: TxStatus, to: TxStatus): boolean {
  return NEXT[from].includes(to);
}

/** SETTLED and FAILED are final: never left, never refunded again. */
export function isFinal(status: TxStatus): boolean {
  return NEXT[status].length === 0;
}
