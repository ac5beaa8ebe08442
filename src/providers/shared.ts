/**
 * Products more than one provider sells, each one product to the user under one code. The catalogue shows a
 * single entry for it, priced as the preferred provider sells it; the router picks the provider per inquiry.
 * A provider's own code for it (`PLNPOSTPAID`) stays in the catalogue too, and goes to that provider only.
 */
import type { CatalogueEntry, ProviderName } from '../bot/provider.ts';

export type Preference = 'cheapest' | ProviderName;

export interface SharedProduct {
  /** What the user types, e.g. `PLN`. */
  code: string;
  /** Each provider's own code for it. */
  offers: Partial<Record<ProviderName, string>>;
}

/** PLN prepaid tokens by face value: MMBC's `PLNS<thousands>` and IAK prepaid's `hpln<rupiah>` are one product. */
const PLN_TOKENS = [20, 50, 100, 200, 500, 1000].map((k) => ({ code: `PLNS${k}`, offers: { mmbc: `PLNS${k}`, 'iak-prepaid': `HPLN${k * 1000}` } }));

export const SHARED_PRODUCTS: readonly SharedProduct[] = [{ code: 'PLN', offers: { mmbc: 'PLN', iak: 'PLNPOSTPAID' } }, ...PLN_TOKENS];

const norm = (code: string) => code.trim().toUpperCase();
const billerOf = (p: ProviderName): ProviderName => (p === 'iak-prepaid' ? 'iak' : p);

export function sharedProduct(code: string): SharedProduct | undefined {
  return SHARED_PRODUCTS.find((s) => s.code === norm(code));
}

/** Every provider's entry for a shared product, available ones first in order of preference. */
export function offersOf(shared: SharedProduct, entries: readonly CatalogueEntry[], preference: Preference): CatalogueEntry[] {
  const offers = entries.filter((e) => shared.offers[e.provider] !== undefined && norm(e.code) === shared.offers[e.provider]);
  const order = new Map(entries.map((e, i) => [e, i]));
  return offers.sort((a, b) => Number(b.available) - Number(a.available) || compare(a, b, preference) || order.get(a)! - order.get(b)!);
}

/**
 * `cheapest` is what the operator pays per bill (the debit over the bill), then what the end customer pays
 * (the admin fee): the debit decides the margin, the admin only breaks a tie.
 */
function compare(a: CatalogueEntry, b: CatalogueEntry, preference: Preference): number {
  // PROVIDER_PREFERENCE names a biller: `iak` is IAK's postpaid and prepaid APIs alike.
  if (preference !== 'cheapest') return Number(billerOf(b.provider) === preference) - Number(billerOf(a.provider) === preference);
  return cost(a) - cost(b) || a.admin - b.admin;
}

/**
 * A bill of one sheet, the common case: a per-sheet fee (IAK's) costs n times as much on a bill of n sheets
 * in arrears, which the summary shows before anyone pays it.
 */
function cost(e: CatalogueEntry): number {
  if (e.debit.kind === 'bill-plus') return e.debit.plus;
  if (e.debit.kind === 'fixed') return e.debit.amount;
  return Number.MAX_SAFE_INTEGER;
}

/**
 * The providers' lists as one catalogue: each shared product becomes one entry under its own code, with the
 * preferred offer's provider, price and name, open while any offer is open. Other entries pass unchanged.
 */
export function mergeCatalogue(lists: readonly CatalogueEntry[][], preference: Preference): CatalogueEntry[] {
  const all = lists.flat();
  const out = [...all];
  for (const shared of SHARED_PRODUCTS) {
    const offers = offersOf(shared, all, preference);
    const best = offers[0];
    if (!best) continue;
    const merged: CatalogueEntry = { ...best, code: shared.code, available: offers.some((o) => o.available) };
    const at = out.findIndex((e) => norm(e.code) === shared.code);
    if (at >= 0) out.splice(at, 1, merged);
    else out.splice(out.indexOf(offers[0]!), 0, merged);
    // Two entries under the shared code would make the catalogue pick one by list order, not by preference.
    for (let i = out.length - 1; i >= 0; i--) if (out[i] !== merged && norm(out[i]!.code) === shared.code) out.splice(i, 1);
  }
  return out;
}
