/**
 * Text → intent, pure. Words are split at spaces, dots and `#`; a leading `/` and a leading counter
 * (`2.`) come off first; the product is the longest run of leading words that is a catalogue code.
 */
import type { Catalogue } from './catalogue.ts';
import { checkNumber, FORMS } from './forms.ts';
import type { CatalogueEntry } from './provider.ts';
import { nearest } from './suggest.ts';

export type Intent =
  | { kind: 'inquiry'; entry: CatalogueEntry; customerNo: string; amount?: number; pin?: string; repeat?: number }
  | { kind: 'bad-number'; entry: CatalogueEntry; customerNo: string; hint: string }
  | { kind: 'missing-number'; entry: CatalogueEntry }
  | { kind: 'confirm'; pin?: string }
  | { kind: 'cancel' }
  | { kind: 'saldo' }
  | { kind: 'prices'; filter?: string }
  | { kind: 'status'; txId?: string }
  | { kind: 'history' }
  | { kind: 'help' }
  | { kind: 'admin-pending' }
  | { kind: 'admin-trx'; txId?: string }
  | { kind: 'admin-settle'; txId?: string; note?: string }
  | { kind: 'admin-fail'; txId?: string; note?: string }
  | { kind: 'empty' }
  /** A registered feature command (src/bot/commands.ts). */
  | { kind: 'command'; word: string; args: string[]; rest: string }
  | { kind: 'unknown'; suggestion?: string };

/** Command words and the intent each starts; aliases share an entry. */
type Command = 'confirm' | 'cancel' | 'saldo' | 'prices' | 'status' | 'history' | 'help' | 'check' | 'pending' | 'trx' | 'settle' | 'fail';
const COMMANDS: Record<string, Command> = {
  // YES and CANCEL for a bot run in English (LOCALE=en), whose users may not know the Indonesian words.
  YA: 'confirm', Y: 'confirm', OK: 'confirm', BAYAR: 'confirm', YES: 'confirm',
  BATAL: 'cancel', TIDAK: 'cancel', N: 'cancel', CANCEL: 'cancel',
  SALDO: 'saldo',
  HARGA: 'prices',
  STATUS: 'status',
  RIWAYAT: 'history',
  BANTUAN: 'help', MENU: 'help', HELP: 'help', START: 'help',
  CEK: 'check',
  PENDING: 'pending',
  TRX: 'trx',
  SUKSES: 'settle',
  GAGAL: 'fail',
};
export const COMMAND_WORDS = Object.keys(COMMANDS).filter((w) => w.length > 2);

const PIN = /^\d{4,6}$/;

export function words(text: string): string[] {
  let s = text.trim();
  if (s.startsWith('/')) s = s.slice(1).replace(/^(\w+)@\w+/, '$1'); // `/saldo@MyBot` in groups
  // ASCII letters only: `ı`.toUpperCase() is `I`, so `rıwayat` would read as RIWAYAT without being it.
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase()).split(/[\s.#]+/).filter(Boolean);
}

export function parse(text: string, catalogue: Catalogue, extra: ReadonlySet<string> = new Set()): Intent {
  const w = words(text);
  if (w.length === 0) return { kind: 'empty' };
  if (extra.has(w[0]!)) return { kind: 'command', word: w[0]!, args: w.slice(1), rest: textAfter(text, 1) };
  const cmd = COMMANDS[w[0]!];
  switch (cmd) {
    case 'confirm':
      if (w.length === 1) return { kind: 'confirm' };
      if (w.length === 2 && PIN.test(w[1]!)) return { kind: 'confirm', pin: w[1]! };
      break;
    case 'cancel':
      if (w.length === 1) return { kind: 'cancel' };
      break;
    case 'saldo':
    case 'history':
    case 'help':
      if (w.length === 1) return { kind: cmd };
      break;
    case 'prices':
      return w.length === 1 ? { kind: 'prices' } : { kind: 'prices', filter: w.slice(1).join(' ') };
    case 'status':
      return w.length === 2 ? { kind: 'status', txId: w[1]! } : { kind: 'status' };
    case 'check':
      if (w.length > 1) return transaction(w.slice(1), catalogue, undefined, extra);
      break;
    case 'pending':
      if (w.length === 1) return { kind: 'admin-pending' };
      break;
    case 'trx':
      return w.length === 2 ? { kind: 'admin-trx', txId: w[1]! } : { kind: 'admin-trx' };
    case 'settle':
    case 'fail': {
      const kind = cmd === 'settle' ? 'admin-settle' : 'admin-fail';
      if (w.length < 2) return { kind };
      // The serial number or reason is kept as typed: dots and case matter in a provider's SN.
      const note = textAfter(text, 2);
      return note ? { kind, txId: w[1]!, note } : { kind, txId: w[1]! };
    }
  }
  let repeat: number | undefined;
  let rest = w;
  if (/^[1-9]$/.test(w[0]!) && w.length > 1) {
    repeat = Number(w[0]);
    rest = w.slice(1);
  }
  return transaction(rest, catalogue, repeat, extra);
}

/** The original text after its first `n` words, trimmed. */
function textAfter(text: string, n: number): string {
  const m = new RegExp(`^\\s*\\/?(?:[^\\s.#]+[\\s.#]+){${n}}(.*)$`, 's').exec(text);
  return m?.[1]?.trim() ?? '';
}

function transaction(w: string[], catalogue: Catalogue, repeat: number | undefined, extra: ReadonlySet<string> = new Set()): Intent {
  const m = catalogue.match(w);
  if (!m) return { kind: 'unknown', ...suggestion(w, catalogue, extra) };
  const { entry } = m;
  const args = w.slice(m.used);
  const wantsAmount = entry.family === 'ewallet';
  const base = wantsAmount ? 2 : 1;
  if (args.length === 0) return { kind: 'missing-number', entry };
  // A phone number is often written 0812-3456-7890. Only a phone: elsewhere a dash could join a PIN to the
  // number (PDAM KOT MEDAN 0100234-1234) and send it to the biller.
  const customerNo = FORMS[entry.family].phone && /^[\d-]+$/.test(args[0]!) ? args[0]!.replaceAll('-', '') : args[0]!;
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
  const intent: Intent = { kind: 'inquiry', entry, customerNo };
  if (amount !== undefined) intent.amount = amount;
  if (pin !== undefined) intent.pin = pin;
  if (repeat !== undefined) intent.repeat = repeat;
  return intent;
}

/** The nearest command or product to what was typed: the product codes may span several words. */
function suggestion(w: string[], catalogue: Catalogue, extra: ReadonlySet<string>): { suggestion?: string } {
  const codes = catalogue.codes();
  for (let n = Math.min(catalogue.maxWords, w.length); n >= 1; n--) {
    const typed = w.slice(0, n).join(' ');
    const hit = nearest(typed, n === 1 ? [...COMMAND_WORDS, ...extra, ...codes] : codes);
    // The word itself (CEK alone, RIWAYAT 5) is no suggestion: the short help says more.
    if (hit && hit !== typed) return { suggestion: hit };
  }
  // The start of several codes (PDAM, of PDAM KOT MEDAN and the rest): their price list names them all.
  const first = w[0]!;
  if (first.length >= 2 && codes.some((c) => c.startsWith(`${first} `) || (c !== first && c.startsWith(first)))) return { suggestion: `HARGA ${first}` };
  return {};
}
