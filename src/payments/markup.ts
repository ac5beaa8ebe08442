/** The operator's margin: a product's own markup wins over `*`. */
export function markupOf(markups: Readonly<Record<string, number>>, code: string): number {
  return markups[code] ?? markups['*'] ?? 0;
}
