/**
 * Broadcasts: one worker at a time holds a broadcast's lease (it lapses when its process dies) and takes the
 * recipients one by one. Taking marks the recipient in the same atomic step, before the message is handed to a
 * channel, so no recipient is ever taken twice, whichever process takes them.
 */
import type { UserId } from '../channel.ts';

export type BroadcastAudience = 'all' | 'resellers';
export type BroadcastOutcome = 'sent' | 'failed' | 'skipped';

export interface NewBroadcast {
  id: string;
  /** The admin who sent it: told when it starts, of its progress and of its tally. */
  by: UserId;
  audience: BroadcastAudience;
  /** As the admin typed it. */
  text: string;
  createdAt: number;
}

export interface Broadcast extends NewBroadcast {
  /** Recipients per channel name, fixed when it was created. */
  lanes: Record<string, number>;
  total: number;
  state: 'running' | 'done';
  /** Recipients taken for sending so far: each one once, ever. */
  taken: number;
  sent: number;
  failed: number;
  /** Blocked the bot, or cannot be reached on their channel. */
  skipped: number;
  /** Taken by a process that died before it said how the send went: counted in `failed`, never sent again. */
  unconfirmed: number;
  /** The handle of the admin's progress message, where their channel can edit it in place. */
  progress?: string;
  /** The last tenth of the way the admin was shown (0–10). */
  step: number;
  finishedAt?: number;
}

/** One recipient taken for sending, or why none was: the lane is empty, or this worker no longer holds the lease. */
export type TakeResult = { user: UserId } | 'end' | 'lost';

export interface Broadcasts {
  /** Records a broadcast with its recipients by channel, and schedules it for a worker now. */
  createBroadcast(b: NewBroadcast, lanes: Record<string, UserId[]>): Promise<Broadcast>;
  getBroadcast(id: string): Promise<Broadcast | null>;
  /** Running broadcasts due for a look by `now`, each pushed to `now + leaseMs` so other pollers pass it by meanwhile. */
  dueBroadcasts(now: number, leaseMs: number, limit: number): Promise<string[]>;
  /**
   * Takes, or renews, the lease on a running broadcast for `owner` until `now + leaseMs`; false when another
   * owner holds it or it is not running. `leaseMs` 0 gives the owner's lease up, for another process at once.
   */
  leaseBroadcast(id: string, owner: string, now: number, leaseMs: number): Promise<boolean>;
  /** The next recipient of one channel's lane, marked taken in the same step, if `owner` holds the lease at `now`. */
  takeRecipient(id: string, lane: string, owner: string, now: number): Promise<TakeResult>;
  /** How a taken recipient's send went; counted once (false for a recipient not taken, already counted, or a finished broadcast). */
  recordRecipient(id: string, user: UserId, outcome: BroadcastOutcome): Promise<boolean>;
  /**
   * Ends a running broadcast whose lanes are empty, if `owner` holds it: recipients taken without an outcome
   * (their process died mid-send) count as failed and unconfirmed. The final record, or null.
   */
  finishBroadcast(id: string, owner: string, now: number): Promise<Broadcast | null>;
  /** Remembers the admin's progress message and the last step shown, for whichever process carries on. */
  setBroadcastProgress(id: string, progress: { handle?: string; step?: number }): Promise<void>;
}
