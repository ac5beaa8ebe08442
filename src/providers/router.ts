/**
 * Resolves a product to the provider that sells it, then delegates; the catalogue is their price lists merged,
 * a product more than one provider sells shown once (shared.ts). Its inquiry goes to the preferred provider and
 * falls over to the next only as fallover.ts allows; the payment then goes to whichever answered, never re-routed.
 */
import type { Store } from '../bot/store.ts';
import type { CatalogueEntry, InquiryOutcome, InquiryRequest, Provider, ProviderName } from '../bot/provider.ts';
import type { Log } from '../log.ts';
import { fallsOver } from './fallover.ts';
import { createRedactor } from './redact.ts';
import { redactingProvider } from './redacting.ts';
import { mergeCatalogue, offersOf, type Preference, type SharedProduct, sharedProduct } from './shared.ts';

export type { Preference } from './shared.ts';

export interface ProviderRouter {
  get(name: ProviderName): Provider;
  readonly providers: readonly Provider[];
  readonly preference: Preference;
  /** Every provider's price list, cached in the store for `ttlSeconds`; a provider that fails keeps its cached list. */
  catalogue(opts?: { refresh?: boolean }): Promise<CatalogueEntry[]>;
  /**
   * Resolves the product to the provider that should serve it, then delegates; says which provider and which of
   * its product entries answered, since the payment must go to that same one (a payment is never re-routed).
   */
  inquire(req: InquiryRequest): Promise<{ outcome: InquiryOutcome; entry: CatalogueEntry }>;
}

export interface RouterOptions {
  ttlSeconds?: number;
  /** `PROVIDER_PREFERENCE`: who serves a product both sell. */
  preference?: Preference;
  /** Names the price-list cache, so a sandbox list kept in a shared store never stands in for a live one. */
  cacheTag?: string;
  /** Configured secrets: never shown, logged or stored, whatever a provider's answer quotes. */
  secrets?: readonly string[];
}

export function createProviderRouter(
  billers: Provider[],
  store: Store,
  log: Log,
  options: number | RouterOptions = {},
): ProviderRouter {
  const { ttlSeconds = 600, preference = 'cheapest', cacheTag, secrets = [] } = typeof options === 'number' ? { ttlSeconds: options } : options;
  // Every call passes here, so this is where a biller's words lose any configured secret they quote: before
  // the payment code shows them to the user, stores them on the transaction or logs them (below, too).
  const redactor = createRedactor(secrets);
  const providers = billers.map((p) => redactingProvider(p, redactor));
  const byName = new Map(providers.map((p) => [p.name, p]));
  /** The lists the last catalogue() saw, per provider: where a shared product's offers are found. */
  let latest: CatalogueEntry[][] | undefined;
  /**
   * A shared product's offers, worked out once per set of lists rather than per inquiry (a scan and a sort of
   * the whole catalogue for every PLN inquiry): the key is the lists' identity, which a refresh replaces.
   */
  const offersByLists = new WeakMap<CatalogueEntry[][], Map<string, CatalogueEntry[]>>();

  function availableOffers(shared: SharedProduct, from: CatalogueEntry[][]): CatalogueEntry[] {
    let byCode = offersByLists.get(from);
    if (!byCode) {
      byCode = new Map();
      offersByLists.set(from, byCode);
    }
    let offers = byCode.get(shared.code);
    if (!offers) {
      offers = offersOf(shared, from.flat(), preference).filter((o) => o.available);
      byCode.set(shared.code, offers);
    }
    return offers;
  }

  function get(name: ProviderName): Provider {
    const p = byName.get(name);
    if (!p) throw new Error(`no provider named ${name}`);
    return p;
  }

  async function lists(refresh: boolean): Promise<CatalogueEntry[][]> {
    latest = await Promise.all(
      providers.map(async (p): Promise<CatalogueEntry[]> => {
        const cacheName = cacheTag ? `pricelist:${cacheTag}:${p.name}` : `pricelist:${p.name}`;
        if (!refresh) {
          const cached = await store.getCache(cacheName);
          if (cached) return JSON.parse(cached) as CatalogueEntry[];
        }
        try {
          const list = await p.priceList();
          await store.setCache(cacheName, JSON.stringify(list), ttlSeconds * 6);
          return list;
        } catch (err) {
          log.warn({ provider: p.name, err: String(err) }, 'price list unavailable');
          const cached = await store.getCache(cacheName);
          return cached ? (JSON.parse(cached) as CatalogueEntry[]) : [];
        }
      }),
    );
    return latest;
  }

  return {
    providers,
    preference,
    get,

    async catalogue(opts = {}) {
      return mergeCatalogue(await lists(opts.refresh ?? false), preference);
    },

    async inquire(req) {
      const shared = sharedProduct(req.product.code);
      const all = shared ? availableOffers(shared, latest ?? (await lists(false))) : [];
      const offers = req.exclude ? all.filter((o) => !req.exclude!.includes(o.provider)) : all;
      if (shared && all.length > 0 && offers.length === 0) {
        return { outcome: { ok: false, kind: 'refused', reason: 'no other biller sells it' }, entry: req.product };
      }
      if (offers.length === 0) return { outcome: await get(req.product.provider).inquire(req), entry: req.product };

      let shown: { outcome: InquiryOutcome; entry: CatalogueEntry } | undefined;
      for (const [i, entry] of offers.entries()) {
        const outcome = await get(entry.provider).inquire({ ...req, product: entry });
        if (outcome.ok || !fallsOver(entry.provider, outcome)) return { outcome, entry };
        const last = i === offers.length - 1;
        log.warn({ product: req.product.code, provider: entry.provider, kind: outcome.kind, reason: outcome.reason }, last ? 'inquiry failed at the last provider that sells it' : 'inquiry falls over to the next provider');
        // The user hears a provider's refusal rather than a later one's silence.
        if (!shown || (shown.outcome.ok === false && shown.outcome.kind === 'unavailable' && outcome.kind === 'refused')) {
          shown = { outcome, entry };
        }
      }
      return shown!;
    },
  };
}
