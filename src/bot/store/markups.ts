/** The operator's margins over the provider's price. */
export interface Markups {
  /** The operator's margin per product code, `*` for every product without its own. */
  markups(): Promise<Record<string, number>>;
  /** Sets a product's (or `*`'s) markup; null removes it. */
  setMarkup(code: string, amount: number | null): Promise<void>;
}
