/**
 * Text → intent, pure. Words are split at spaces, dots and `#`; a leading `/` comes off first. A first word
 * that starts a registered command is that command; otherwise a leading counter (`2.`) or `CEK` comes off,
 * and the product is the longest run of leading words that is a catalogue code.
 */
import type { Catalogue } from './catalogue.ts';
import type { AnyCommand, CommandIntent, Commands } from './commands.ts';
import { checkNumber, FORMS } from './forms.ts';
import type { CatalogueEntry } from './provider.ts';
import { nearest } from './suggest.ts';

/** What parse.ts itself reads: a transaction (`<PRODUK> <NOMOR>`, the one-line form), or nothing it knows. */
export type Reading =
  | { kind: 'inquiry'; entry: CatalogueEntry; customerNo: string; amount?: number; pin?: string; repeat?: number }
  | { kind: 'bad-number'; entry: CatalogueEntry; customerNo: string; hint: string }
  | { kind: 'missing-number'; entry: CatalogueEntry }
  | { kind: 'empty' }
  | { kind: 'unknown'; suggestion?: string };

export const READING_KINDS: readonly Reading['kind'][] = ['inquiry', 'bad-number', 'missing-number', 'empty', 'unknown'];

/** A message as read: a transaction, or a registered command's intent (src/bot/commands.ts). */
export type Intent<C extends AnyCommand = AnyCommand> = Reading | CommandIntent<C>;

/** A transaction's first word that only says "this is an inquiry" (CEK PLN 123…). */
const CHECK = 'CEK';

export const PIN = /^\d{4,6}$/;

export function words(text: string): string[] {
  let s = text.trim();
  if (s.startsWith('/')) s = s.slice(1).replace(/^(\w+)@\w+/, '$1'); // `/saldo@MyBot` in groups
  // ASCII letters only: `ı`.toUpperCase() is `I`, so `rıwayat` would read as RIWAYAT without being it.
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase()).split(/[\s.#]+/).filter(Boolean);
}

/**
 * `commands` gives the command words: a message whose first word starts a command is that command, when the
 * command reads the words after it; otherwise (and without `commands`) it is read as a transaction.
 */
export function parse<C extends AnyCommand = AnyCommand>(text: string, catalogue: Catalogue, commands?: Commands<C>): Intent<C> {
  const w = words(text);
  if (w.length === 0) return { kind: 'empty' };
  const starting = commands?.byWord(w[0]!);
  if (starting) {
    const after = () => textAfter(text, 1);
    for (const command of starting) {
      const input = command.read ? command.read(w.slice(1), after) : { args: w.slice(1), rest: after() };
      if (input) return { ...input, kind: command.name } as CommandIntent<C>;
    }
  }
  const suggested = commands?.suggested ?? [];
  if (w[0] === CHECK && w.length > 1) return transaction(w.slice(1), catalogue, undefined, suggested);
  let repeat: number | undefined;
  let rest = w;
  if (/^[1-9]$/.test(w[0]!) && w.length > 1) {
    repeat = Number(w[0]);
    rest = w.slice(1);
  }
  return transaction(rest, catalogue, repeat, suggested);
}

/** The original text after its first `n` words, trimmed. */
export function textAfter(text: string, n: number): string {
  const m = new RegExp(`^\\s*\\/?(?:[^\\s.#]+[\\s.#]+){${n}}(.*)$`, 's').exec(text);
  return m?.[1]?.trim() ?? '';
}

function transaction(w: string[], catalogue: Catalogue, repeat: number | undefined, commandWords: readonly string[]): Reading {
  const m = catalogue.match(w);
  if (!m) return { kind: 'unknown', ...suggestion(w, catalogue, commandWords) };
  const { entry } = m;
  const args = w.slice(m.used);
  const wantsAmount = entry.family === 'ewallet';
  const base = wantsAmount ? 2 : 1;
  if (args.length === 0) return { kind: 'missing-number', entry };
  // A phone number is often written 0812-3456-7890. Only a phone: elsewhere a dash could join a PIN to the
  // number (PDAM KOT MEDAN 0100234-1234) and send it to the biller.
  let customerNo = FORMS[entry.family].phone && /^\+?[\d-]+$/.test(args[0]!) ? args[0]!.replace(/[+-]/g, '') : args[0]!;
  if (entry.family === 'pulsa' && /^\d+$/.test(customerNo)) {
    // Written in groups (0812 3456 7890, +62 812-3456-7890): a mobile number has at least 10 digits (11 with
    // 62 before it), so groups join until it has.
    const digits = customerNo.startsWith('62') ? 11 : 10;
    while (customerNo.length < digits && args.length > base && /^\d[\d-]*$/.test(args[1]!)) customerNo += args.splice(1, 1)[0]!.replace(/-/g, '');
    // 628…, as the number is often copied from a contact, is the same number as 08….
    if (customerNo.startsWith('62')) customerNo = `0${customerNo.slice(2)}`;
  }
  // A nominal written with thousands dots (100.000) arrives as the words 100 and 000: a group of three
  // digits is never a PIN (4 to 6), so it joins the word before it.
  if (wantsAmount && args.length > 2 && /^\d{1,3}$/.test(args[1]!)) {
    let end = 2;
    while (end < args.length && /^\d{3}$/.test(args[end]!)) end++;
    if (end > 2) args.splice(1, end - 1, args.slice(1, end).join(''));
  }
  const form = checkNumber(entry.family, customerNo);
  if (form) return { kind: 'bad-number', entry, customerNo, hint: form.hint };
  let amount: number | undefined;
  if (wantsAmount) {
    if (args.length < 2 || !/^\d{1,9}$/.test(args[1]!)) return { kind: 'missing-number', entry };
    amount = Number(args[1]);
  }
  let pin: string | undefined;
  if (args.length === base + 1 && PIN.test(args[base]!)) pin = args[base];
  // The product is known and the words after it are not its form: say the form rather than guess a word.
  else if (args.length !== base) return { kind: 'missing-number', entry };
  const intent: Reading = { kind: 'inquiry', entry, customerNo };
  if (amount !== undefined) intent.amount = amount;
  if (pin !== undefined) intent.pin = pin;
  if (repeat !== undefined) intent.repeat = repeat;
  return intent;
}

/** The nearest command or product to what was typed: the product codes may span several words. */
function suggestion(w: string[], catalogue: Catalogue, commandWords: readonly string[]): { suggestion?: string } {
  const codes = catalogue.codes();
  for (let n = Math.min(catalogue.maxWords, w.length); n >= 1; n--) {
    const typed = w.slice(0, n).join(' ');
    const hit = nearest(typed, n === 1 ? [CHECK, ...commandWords, ...codes] : codes);
    // The word itself (CEK alone, RIWAYAT 5) is no suggestion: the short help says more.
    if (hit && hit !== typed) return { suggestion: hit };
  }
  // The start of several codes (PDAM, of PDAM KOT MEDAN and the rest): their price list names them all.
  const first = w[0]!;
  if (first.length >= 2 && codes.some((c) => c.startsWith(`${first} `) || (c !== first && c.startsWith(first)))) return { suggestion: `HARGA ${first}` };
  return {};
}
