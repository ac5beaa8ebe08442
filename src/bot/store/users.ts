/** Users and their roles: who has messaged the bot, and who is a reseller. */
import type { UserId } from '../channel.ts';

export interface UserRecord {
  id: UserId;
  reseller: boolean;
  name?: string;
  firstSeen: number;
  /** A transaction PIN is set: payments must pass the PIN gate. */
  hasPin?: boolean;
}

export interface Users {
  /** Records that a user has messaged the bot; returns the record (created on first sight). */
  touchUser(user: UserId, now: number): Promise<UserRecord>;
  getUser(user: UserId): Promise<UserRecord | null>;
  /** Every user who has messaged the bot or was made a reseller (broadcasts, the audit). */
  allUsers(): Promise<UserId[]>;
  /** Users who are resellers now. */
  resellers(): Promise<UserId[]>;
  setReseller(user: UserId, reseller: boolean, name: string | undefined, now: number): Promise<void>;
}
