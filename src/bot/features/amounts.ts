/**
 * Rupiah amounts as resellers type them, read whole or not at all. A command's words reach it split at spaces,
 * dots and `#` (parse.ts), so `10.000`, `10 000` and `DEPOSIT.telegram:2.10.000` all arrive as the pieces `10`,
 * `000`. The rule: an amount is one number, or a number of 1–3 digits followed by pieces of exactly three digits
 * (thousands); `Rp` may lead it (glued or as its own word) and `rb`/`k`/`jt` may end it. Every piece must be
 * used: pieces left over make the whole message a refusal, never a smaller amount (`10 0000` is not 10).
 */

const LEAD = /^(RP)?(\d+)(RB|K|JT)?$/;
const GROUP = /^(\d{3})(RB|K|JT)?$/;
const FACTOR: ReadonlyMap<string, number> = new Map([['RB', 1000], ['K', 1000], ['JT', 1_000_000]]);

/** The amount the pieces mean together, or undefined when they are not exactly one amount. Zero is `0` only. */
export function amountOf(pieces: readonly string[]): number | undefined {
  const p = pieces.map((s) => s.toUpperCase());
  let i = 0;
  const standaloneRp = p[0] === 'RP';
  if (standaloneRp) i++;
  const lead = LEAD.exec(p[i] ?? '');
  if (!lead || (standaloneRp && lead[1])) return undefined;
  const leadDigits = lead[2]!;
  let digits = leadDigits;
  let suffix = lead[3];
  i++;
  // Thousands groups follow only a lead with nothing glued to its end.
  for (let group = GROUP.exec(p[i] ?? ''); group && !suffix; group = GROUP.exec(p[i] ?? '')) {
    digits += group[1];
    suffix = group[2];
    i++;
  }
  // A unit as its own word: `10 rb`.
  if (!suffix && FACTOR.has(p[i] ?? '')) suffix = p[i++];
  if (i !== p.length) return undefined;
  // Grouped, the lead is 1–3 digits (`10.000`, not `1000.000`); `0500` and `0.500` are not ways to write 500,
  // while a lone `0` is zero (MARKUP * 0), which the money commands then refuse.
  if (digits.length > leadDigits.length && leadDigits.length > 3) return undefined;
  if (digits.length > 1 && digits.startsWith('0')) return undefined;
  const v = Number(digits) * (suffix ? FACTOR.get(suffix)! : 1);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** One amount as typed in one word or several (`500000`, `500.000`, `Rp 500.000`, `500rb`, `1jt`); above zero. */
export function amountTyped(typed: string | undefined): number | undefined {
  if (!typed) return undefined;
  const v = amountOf(typed.trim().split(/[\s.#]+/).filter(Boolean));
  return v !== undefined && v > 0 ? v : undefined;
}

/**
 * The words after a command whose last word is an amount: the first `want - 1` words as they are, then the
 * rest read as one amount, given back as its plain digits. Empty when the words are not exactly that, so a
 * command reading `argsOf(…)[0]` gets nothing rather than the first piece of a longer amount.
 */
export function argsOf(args: readonly string[], _rest: string, want: number): string[] {
  const head = args.slice(0, want - 1);
  const amount = amountOf(args.slice(want - 1));
  return head.length === want - 1 && amount !== undefined ? [...head, String(amount)] : [];
}
