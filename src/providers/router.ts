/** Resolves a product to the provider that sells it, then delegates; the catalogue is their price lists merged. */
import type { Store } from '../bot/store.ts';
import type { CatalogueEntry, InquiryOutcome, InquiryRequest, Provider, ProviderName } from '../bot/provider.ts';
import type { Log } from '../log.ts';

export interface ProviderRouter {
  get(name: ProviderName): Provider;
  readonly providers: readonly Provider[];
  /** Every provider's price list, cached in the store for `ttlSeconds`; a provider that fails keeps its cached list. */
  catalogue(opts?: { refresh?: boolean }): Promise<CatalogueEntry[]>;
  /**
   * Resolves the product to the provider that should serve it, then delegates; says which provider and which of
   * its product entries answered, since the payment must go to that same one (a payment is never re-routed).
   */
  inquire(req: InquiryRequest): Promise<{ outcome: InquiryOutcome; entry: CatalogueEntry }>;
}

export function createProviderRouter(providers: Provider[], store: Store, log: Log, ttlSeconds = 600): ProviderRouter {
  const byName = new Map(providers.map((p) => [p.name, p]));
  return {
    providers,
    get(name) {
      const p = byName.get(name);
      if (!p) throw new Error(`no provider named ${name}`);
      return p;
    },
    async inquire(req) {
      const provider = byName.get(req.product.provider);
      if (!provider) throw new Error(`no provider named ${req.product.provider}`);
      return { outcome: await provider.inquire(req), entry: req.product };
    },
    async catalogue(opts = {}) {
      const lists = await Promise.all(
        providers.map(async (p): Promise<CatalogueEntry[]> => {
          const cacheName = `pricelist:${p.name}`;
          if (!opts.refresh) {
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
      return lists.flat();
    },
  };
}
