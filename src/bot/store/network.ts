/**
 * The reseller network: who registered whom (`DAFTAR`), and what each reseller adds over its own price for
 * its downlines (`MARKUP` by a reseller). A downline's record holds its upline and its whole chain of uplines,
 * so pricing a sale needs no walk up the tree: one round trip reads every level's markup.
 */
import type { UserId } from '../channel.ts';
import type { NetworkShare } from './conversations.ts';
import type { AccountId } from './users.ts';

/** A reseller's markup key: `*`, a product code, or either for one downline (`<user>|*`, `<user>|PLN`). */
export const markupKey = (code: string, downline?: AccountId) => (downline ? `${downline}|${code}` : code);

/**
 * Each upline's markup on a sale of `code` by `seller`, from the uplines' markup tables (`tables[i]` is
 * `chain[i]`'s): an upline judges the downline on the seller's side of it (the seller itself at level 1), and
 * takes that downline's own markup for the product, its own `*`, the general product, the general `*`, else 0.
 */
export function sharesFrom(
  tables: ReadonlyArray<Readonly<Record<string, number>>>, seller: AccountId, chain: readonly AccountId[], code: string,
): NetworkShare[] {
  return chain.map((account, i) => {
    const m = tables[i] ?? {};
    const below = i === 0 ? seller : chain[i - 1]!;
    return { account, markup: m[`${below}|${code}`] ?? m[`${below}|*`] ?? m[code] ?? m['*'] ?? 0 };
  });
}

export interface Network {
  /**
   * Makes `account` a reseller registered by `upline` (`chain`: the upline's own chain): its record names its
   * uplines, and the upline lists it. Without an upline, a reseller of the operator's. `exists`: it became a
   * reseller under another chain meanwhile (two uplines registering it at once): nothing of this one is kept.
   * Sent again with the same upline, it finishes what a cut left and answers `registered`.
   */
  register(
    account: AccountId, upline: { id: AccountId; chain: AccountId[] } | null, name: string | undefined, now: number,
  ): Promise<'registered' | 'exists'>;
  /** An account's direct downlines. */
  downlines(account: AccountId): Promise<AccountId[]>;
  /** An upline's markups by key (markupKey). */
  netMarkups(account: AccountId): Promise<Record<string, number>>;
  setNetMarkup(account: AccountId, key: string, amount: number | null): Promise<void>;
  /**
   * What each upline on `chain` adds to a sale of `code` by `seller`, nearest first: an upline's markup for the
   * downline on the seller's side of it (its own for that product, its own `*`, the general product, the
   * general `*`), 0 where none is set. One round trip whatever the depth.
   */
  shares(seller: AccountId, chain: readonly AccountId[], code: string): Promise<NetworkShare[]>;
  /**
   * `RESELLER HAPUS` of an upline: its direct downlines move to its own upline (or the operator) and it leaves
   * every chain below it. Safe to run again after a crash part way. Returns how many downlines moved.
   */
  detach(removed: AccountId): Promise<number>;
}

export type { UserId };
