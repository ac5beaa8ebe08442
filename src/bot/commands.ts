/**
 * Commands beyond the core's own (parse.ts): each feature is a factory of `Command`s, registered with the
 * core at start, in the spirit of grammY's plugins. A command gets the words after its own and a narrow
 * context; it never sees a channel.
 */
import type { Log } from '../log.ts';
import type { Payments } from '../payments/payments.ts';
import type { Catalogue } from './catalogue.ts';
import type { Reply, UserId } from './channel.ts';
import type { T } from './i18n.ts';
import type { Store } from './store.ts';

export type Role = 'customer' | 'reseller' | 'admin';

export const ROLE_RANK: Record<Role, number> = { customer: 0, reseller: 1, admin: 2 };

export interface CommandContext {
  user: UserId;
  role: Role;
  /** The channel's id of this delivery; a command that moves money acts once per id (the core already drops replays). */
  messageId?: string;
  ref?: string;
  t: T;
  store: Store;
  payments: Payments;
  admins: ReadonlySet<UserId>;
  catalogue: Catalogue;
  log: Log;
  now: number;
  /** Reaches another user (or an admin) on their own channel. */
  notify(user: UserId, reply: Reply): Promise<void>;
}

export interface Command {
  /** The first word(s) that start it, upper case, e.g. `['DEPOSIT']`. */
  words: readonly string[];
  /** The least role that may use it; others are told it is not for them. */
  role: Role;
  /** It only reads: when the store's answer is lost on the way, the user is told to simply send it again. */
  readsOnly?: true;
  /**
   * Whether this message's words (`args`, as `run` gets them) carry a PIN: the core then marks the reply so the
   * channel deletes the message, as it does for `YA <PIN>`. Absent: never.
   */
  carriesPin?(args: readonly string[]): boolean;
  /** `args`: the upper-cased words after the command word; `rest`: the original text after it. */
  run(args: string[], rest: string, ctx: CommandContext): Promise<Reply[]>;
}
