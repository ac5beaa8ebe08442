/**
 * One registry for every command, the core's (YA, SALDO, SUKSES…) and the features' (DEPOSIT, TIKET…) alike,
 * in the spirit of grammY's Composer: each command is a small handler with its words, the least role that may
 * use it, whether it only reads and whether its words carry a PIN; a feature is a factory of commands,
 * registered at start. The registry holds the rules every command shares, in one place: the role check, the
 * "it only reads: send it again" answer to a failure, and which messages are deleted for carrying a PIN.
 *
 * parse.ts reads transactions (`<PRODUK> <NOMOR>`, the one-line form, counters) and asks the registry for the
 * command words; what it reads has a handler here too (a command without words: `inquiry`, `unknown`…).
 *
 * Adding a command (a feature is a factory of them):
 * ```ts
 * export function balanceCommands(): Command[] {
 *   return [{
 *     name: 'balance', words: ['SISA'], role: 'reseller', readsOnly: true,
 *     async run(_words, ctx) {
 *       return [{ text: ctx.t('saldo', { saldo: rupiah(await ctx.statements.saldo(ctx.user)) }) }];
 *     },
 *   }];
 * }
 * ```
 * then `...balanceCommands()` in createBot's `commands` (src/app.ts). A command with its own reading of the words
 * declares `read` and is written `command({ name, words, read(args: string[]) { … }, … })`, so its handler and
 * checks get what `read` returns (features/payment.ts).
 */
import type { Reply } from './channel.ts';
import type { CommandContext } from './context.ts';

export type Role = 'customer' | 'reseller' | 'admin';

export const ROLE_RANK: Record<Role, number> = { customer: 0, reseller: 1, admin: 2 };

/** What a command gets by default: the upper-cased words after its own, and the original text after it. */
export interface Words {
  args: string[];
  rest: string;
}

/** A test of what a command read. Bivariant (a method's type), so commands of any input share one registry. */
export type Check<I> = { check(input: I): boolean }['check'];

export interface Command<I extends object = Words, K extends string = string> {
  /** The kind of message it answers: what parse.ts calls an intent it read (`confirm`, `inquiry`, `deposit`). */
  name: K;
  /**
   * The words that start it, upper case, e.g. `['DEPOSIT']`; none for what parse.ts reads as a transaction.
   * Several commands may share a word, each reading its own form (`DEPOSIT QRIS <nominal>` beside
   * `DEPOSIT <user> <nominal>`): the first registered whose `read` takes the words answers.
   */
  words: readonly string[];
  /**
   * Reads the words after the command word (declare it before the checks below, so they know its type). Undefined:
   * these words are not this command (`YA 12`), and the message is read as a transaction instead. Absent: every
   * message starting with its word is this command, with its words as they are (`Words`).
   */
  read?(args: string[], rest: () => string): I | undefined;
  /** The least role that may use it; others get `refusal` (by default: for admins only / for resellers only). */
  role: Role;
  refusal?: string;
  /**
   * It only reads, or changes nothing but the open quote: when it fails (the store's answer lost on the way) the
   * user is told to simply send it again. Otherwise it may have moved money, and they are told to look first.
   */
  readsOnly?: boolean | Check<I>;
  /** This message's words carry a PIN: the reply asks the channel to delete the message. */
  carriesPin?: boolean | Check<I>;
  /**
   * Its words take a PIN: a message that starts with one of them and holds a digit is deleted, read or not
   * (`YA 42 42 42`, `pin:424242`): deleting a harmless message costs nothing, leaving a PIN in a chat does.
   */
  takesPin?: true;
  /** It pays the open quote: the message's first store step (the replay claim) reads it too, as `ctx.openQuote`. */
  readsOpenQuote?: true;
  run(input: I, ctx: CommandContext): Promise<Reply[]>;
}

/** A command of any input: what the registry holds. */
export type AnyCommand = Command<object>;

/** Declares a command with its input's type taken from its `read` (without one: `Words`), wherever it is listed. */
export function command<const K extends string, I extends object = Words>(c: Command<I, K>): Command<NoInfer<I>, K> {
  return c;
}

/** The intent a command's reading makes: its name as `kind`, with what it read. */
export type CommandIntent<C> = C extends Command<infer I, infer K> ? { kind: K } & I : never;

/** The registry: commands by word and by name, and the rules they share. */
export class Commands<C extends AnyCommand = AnyCommand> {
  readonly #byWord = new Map<string, C[]>();
  readonly #byName = new Map<string, C>();
  readonly #suggested: string[] = [];
  readonly #pinWords: RegExp;

  constructor(list: readonly C[]) {
    for (const c of list) {
      if (this.#byName.has(c.name)) throw new Error(`two commands are named ${c.name}`);
      this.#byName.set(c.name, c);
      for (const w of c.words) {
        const sharing = this.#byWord.get(w) ?? [];
        // One that reads every message starting with the word would leave nothing to the ones after it.
        const taker = sharing.find((s) => !s.read);
        if (taker) throw new Error(`${taker.name} takes every message starting with ${w}: ${c.name} would never answer`);
        this.#byWord.set(w, [...sharing, c]);
        // A short alias (Y, OK, N) is one slip from too many typos to be offered as "did you mean"; a command's
        // only word is offered whatever its length (BC).
        if (sharing.length === 0 && (w.length > 2 || c.words.length === 1)) this.#suggested.push(w);
      }
    }
    const taking = list.filter((c) => c.takesPin).flatMap((c) => c.words.map((w) => w.replace(/[^A-Z0-9]/g, '\\$&')));
    this.#pinWords = taking.length ? new RegExp(`^\\s*\\/?(?:${taking.join('|')})(?![A-Z0-9]).*\\d`, 'is') : /$^/;
  }

  /** The commands a first word starts, in the order they were registered. */
  byWord(word: string): readonly C[] | undefined {
    return this.#byWord.get(word);
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** Words offered as "did you mean" for a typo. */
  get suggested(): readonly string[] {
    return this.#suggested;
  }

  /** Runs the command an intent names, once its role allows. */
  run(intent: { kind: string }, ctx: CommandContext): Promise<Reply[]> {
    const c = this.#named(intent.kind);
    if (ROLE_RANK[ctx.role] < ROLE_RANK[c.role]) {
      return Promise.resolve([{ text: ctx.t(c.refusal ?? (c.role === 'admin' ? 'admin.only' : 'reseller.only')) }]);
    }
    return c.run(intent, ctx);
  }

  /** Whether a message read as `intent` may simply be sent again after it failed: it moved nothing. */
  readsOnly(intent: { kind: string }): boolean {
    return holds(this.#named(intent.kind).readsOnly, intent);
  }

  /** Whether the message's first store step should also read the open quote for this command. */
  readsOpenQuote(intent: { kind: string }): boolean {
    return this.#named(intent.kind).readsOpenQuote === true;
  }

  /** Whether a message carried a PIN, or may have: its command says so, or it starts with a word that takes one and holds a digit. */
  carriesPin(intent: { kind: string }, typed: string): boolean {
    return holds(this.#named(intent.kind).carriesPin, intent) || this.#pinWords.test(typed);
  }

  #named(name: string): C {
    const c = this.#byName.get(name);
    if (!c) throw new Error(`no command answers ${name}`);
    return c;
  }
}

function holds(check: boolean | Check<object> | undefined, input: object): boolean {
  return typeof check === 'function' ? check(input) : check === true;
}
