/**
 * `HARGA [grup|produk]`: the catalogue as this user pays it. A reseller sees what their saldo is debited; a
 * customer, who cannot pay here, sees the face value and the biller's admin fee, never the operator's cost.
 */
import type { Catalogue } from './catalogue.ts';
import { normaliseCode } from './catalogue.ts';
import { rupiah } from './format.ts';
import type { T } from './i18n.ts';
import type { CatalogueEntry } from './provider.ts';
import { markupOf } from '../payments/markup.ts';

const MAX_LINES = 60;

function perSheet(e: CatalogueEntry): e is CatalogueEntry & { debit: { kind: 'bill-plus'; plus: number; perSheet: true } } {
  return e.debit.kind === 'bill-plus' && e.debit.perSheet === true;
}

/** What this user's saldo is debited: the provider's debit plus the operator's markup. */
function price(e: CatalogueEntry, markup: number, t: T): string {
  if (e.debit.kind === 'fixed') return rupiah(e.debit.amount + markup);
  if (perSheet(e)) {
    // The biller's fee comes with every sheet, the operator's markup once: a four-month bill is 4 × fee + markup.
    const fee = t('prices.billPlus', { amount: `${rupiah(e.debit.plus)} ${t('prices.perSheet')}` });
    return markup ? `${fee} + ${rupiah(markup)}` : fee;
  }
  if (e.debit.kind === 'bill-plus') return t('prices.billPlus', { amount: rupiah(e.debit.plus + markup) });
  return t('prices.onInquiry');
}

export function priceList(
  catalogue: Catalogue,
  filter: string | undefined,
  t: T,
  markups: Readonly<Record<string, number>> = {},
  view: 'payer' | 'customer' = 'payer',
  /** What a downline's uplines add to a product, by its normalised code (0 for a reseller of the operator's). */
  uplines: (code: string) => number = () => 0,
): string {
  const entries = catalogue.entries;
  if (entries.length === 0) return t('catalogue.unavailable');
  if (!filter) {
    const groups = new Map<string, number>();
    for (const e of entries) groups.set(e.group, (groups.get(e.group) ?? 0) + 1);
    const lines = [...groups].map(([g, n]) => t('prices.groupLine', { group: g, count: n }));
    return [t('prices.groupsTitle'), ...lines, t('prices.groupsHint')].join('\n');
  }
  const f = normaliseCode(filter);
  const hits = entries.filter(
    (e) => normaliseCode(e.group).includes(f) || normaliseCode(e.code).startsWith(f) || normaliseCode(e.name).includes(f),
  );
  if (hits.length === 0) return t('prices.none', { filter });
  const lines = hits.slice(0, MAX_LINES).map((e) => {
    const code = normaliseCode(e.code);
    const debit = view === 'payer' ? ` · ${price(e, markupOf(markups, code) + uplines(code), t)}` : '';
    const admin = e.admin ? ` · ${t('amount.admin')} ${rupiah(e.admin)}${perSheet(e) ? ` ${t('prices.perSheet')}` : ''}` : '';
    return `${e.code} · ${e.name}${e.nominal ? ` ${rupiah(e.nominal)}` : ''}${debit}${admin}${e.available ? '' : ` · ${t('prices.closed')}`}`;
  });
  if (hits.length > MAX_LINES) lines.push(t('prices.more', { n: hits.length - MAX_LINES }));
  if (view === 'customer') return [t('prices.titleCustomer', { filter }), ...lines, t('prices.customerHint')].join('\n');
  return [t('prices.title', { filter }), ...lines].join('\n');
}
