/**
 * Users, accounts and their roles. A user the bot talks to is an identity (`telegram:…`, `whatsapp:…`,
 * `console:…`); saldo, PIN, history, markups, downlines and commission belong to an account. An identity that
 * was never linked is an account of its own, named as the identity, so data kept before accounts existed
 * needs no rewrite: each identity already is its own account. `TAUTKAN` maps further identities onto an
 * account; the record of an account lists them.
 */
import type { UserId } from '../channel.ts';

/** The holder of a saldo: an identity's own name, or (once that identity was unlinked from it) `acct:…`. */
export type AccountId = UserId;

export interface UserRecord {
  id: UserId;
  reseller: boolean;
  name?: string;
  firstSeen: number;
  /** A transaction PIN is set: payments must pass the PIN gate. */
  hasPin?: boolean;
  /** This identity is linked to another account; absent: it is its own account. */
  account?: AccountId;
  /** An account with linked identities: all of them, itself first when it is one. */
  identities?: UserId[];
  /** The reseller (account) that registered this one as its downline; absent: registered by the operator. */
  upline?: AccountId;
  /** Every upline, nearest first (`upline` is the first); its length is this reseller's depth less one. */
  chain?: AccountId[];
}

export interface Users {
  /** Records that an identity has messaged the bot; returns its record (created on first sight). */
  touchUser(user: UserId, now: number): Promise<UserRecord>;
  getUser(user: UserId): Promise<UserRecord | null>;
  /** Every user who has messaged the bot or was made a reseller (broadcasts, the audit). */
  allUsers(): Promise<UserId[]>;
  /** Users who are resellers now. */
  resellers(): Promise<UserId[]>;
  setReseller(user: UserId, reseller: boolean, name: string | undefined, now: number): Promise<void>;
}
