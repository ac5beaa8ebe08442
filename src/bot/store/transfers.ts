/** Saldo transfers between users as recorded; both halves move money, so they are the ledger's. */
import type { UserId } from '../channel.ts';

export interface Transfer {
  id: string;
  from: UserId;
  to: UserId;
  amount: number;
  /** debited: the sender's side is done; done: both sides. */
  state: 'debited' | 'done';
  at: number;
}

export interface Transfers {
  getTransfer(from: UserId, id: string): Promise<Transfer | null>;
}
