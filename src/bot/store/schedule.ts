/** The durable schedule of transactions that need a look (in flight, pending), which the recheck worker claims. */
import type { UserId } from '../channel.ts';

export interface DueItem {
  user: UserId;
  txId: string;
}

export interface Schedule {
  /** Schedules a look at `dueAt`. Also indexes the owner (`txOwner`). */
  schedule(user: UserId, txId: string, dueAt: number): Promise<void>;
  /** Takes up to `limit` items due by `now`, pushing each to `now + leaseMs` so no other process takes it meanwhile. */
  claimDue(now: number, leaseMs: number, limit: number): Promise<DueItem[]>;
  unschedule(user: UserId, txId: string): Promise<void>;
  /** Everything scheduled, soonest first (the open transactions). */
  scheduled(limit: number): Promise<DueItem[]>;
}
