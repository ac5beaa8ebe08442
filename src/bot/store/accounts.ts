/**
 * One account on every channel: which account an identity acts for, and the linking of identities (`TAUTKAN`,
 * `LEPAS`). A link touches two records, the identity's and the account's, which live under two hash tags; so it
 * is two idempotent steps in an order that fails safe. The identity's pointer is the truth (who pays for what
 * it types); the account's list follows it and is mended by the linked identity's next message
 * (`touchAccount`), so a crash between the two steps never makes an identity act for an account it was not
 * linked to.
 */
import type { UserId } from '../channel.ts';
import type { AccountId, UserRecord } from './users.ts';

export type LinkResult = 'linked' | 'holds-own';
export type UnlinkResult = 'unlinked' | 'last' | 'not-linked';

export interface Accounts {
  /** The account an identity acts for: the one it is linked to, else itself. */
  accountOf(identity: UserId): Promise<AccountId>;
  /**
   * A linked identity's message: the account's record, after noting `identity` as the one last used (and
   * listing it, should a crash have left it off the list).
   */
  touchAccount(account: AccountId, identity: UserId, now: number): Promise<UserRecord>;
  /** Where a notice to the account goes: the identity it last wrote from (itself, when never linked). */
  reachOf(account: AccountId): Promise<UserId>;
  /** Stores a link code for `account` for `ttlMs`; false when the code is in use (make another). */
  putLinkCode(code: string, account: AccountId, ttlMs: number): Promise<boolean>;
  /** The account a live code links to, without using it up. */
  peekLinkCode(code: string): Promise<AccountId | null>;
  /** Uses a code up: the account it links to, for one caller only; null when unknown, expired or used. */
  takeLinkCode(code: string): Promise<AccountId | null>;
  /**
   * Points `identity` at `account`, unless the identity holds a saldo, a commission, a ledger or transactions
   * of its own (`holds-own`: nothing changes), then lists it on the account.
   */
  link(identity: UserId, account: AccountId, now: number): Promise<LinkResult>;
  /**
   * Takes `identity` off `account`, never its last identity. The identity acts for itself again; when it is
   * the identity the account is named after, for `fresh`, a new empty account.
   */
  unlink(identity: UserId, account: AccountId, fresh: AccountId): Promise<UnlinkResult>;
}
