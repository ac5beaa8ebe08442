/** The products on sale, from every provider's price list, looked up the way users type codes. */
import type { CatalogueEntry } from './provider.ts';

/** `PDAM.KOT#MEDAN`, `pdam kot  medan` and `PDAM KOT MEDAN` are one code. */
export function normaliseCode(code: string): string {
  return code.toUpperCase().split(/[\s.#]+/).filter(Boolean).join(' ');
}

export class Catalogue {
  readonly entries: readonly CatalogueEntry[];
  private readonly byCode = new Map<string, CatalogueEntry>();
  /** The most words any code has. */
  readonly maxWords: number;

  constructor(entries: readonly CatalogueEntry[]) {
    this.entries = entries;
    let max = 1;
    for (const e of entries) {
      const code = normaliseCode(e.code);
      // The first provider listed wins a code both sell; the router decides preference when it builds the list.
      if (!this.byCode.has(code)) this.byCode.set(code, e);
      max = Math.max(max, code.split(' ').length);
    }
    this.maxWords = max;
  }

  get size(): number {
    return this.byCode.size;
  }

  get(code: string): CatalogueEntry | undefined {
    return this.byCode.get(normaliseCode(code));
  }

  /** The longest run of leading words that is a product code, and how many words it took. */
  match(words: readonly string[]): { entry: CatalogueEntry; used: number } | undefined {
    for (let n = Math.min(this.maxWords, words.length); n >= 1; n--) {
      const entry = this.byCode.get(words.slice(0, n).join(' '));
      if (entry) return { entry, used: n };
    }
    return undefined;
  }

  codes(): string[] {
    return [...this.byCode.keys()];
  }
}
