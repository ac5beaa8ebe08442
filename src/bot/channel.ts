/** A user is named `<channel>:<id>`: `telegram:123`, `whatsapp:6281234567890`, `console:local`. */
export type UserId = string;

/** One message from a user, as every channel hands it to the core. */
export interface IncomingMessage {
  user: UserId;
  text: string;
  /** The channel's own id for this delivery (Telegram update_id, WhatsApp key): a replay with the same id moves no money. */
  messageId?: string;
  /** Set by adapters for what the core must not treat as a command. */
  kind?: 'text' | 'media' | 'group';
  /** A button tap answers one summary: its `Reply.ref`. A stale button then never pays a newer summary. */
  ref?: string;
}

/** A choice the user can tap where the channel has buttons; elsewhere the text already says what to type. */
export interface Choice {
  label: string;
  /** The text the tap stands for, e.g. `YA` or `BATAL`. */
  text: string;
}

export interface Reply {
  text: string;
  choices?: Choice[];
  /** What the choices answer (a quote id); a tap comes back as `IncomingMessage.ref`. */
  ref?: string;
  /** The message this answers carried a PIN: the channel deletes it where it can (Telegram). */
  deleteIncoming?: boolean;
  /**
   * Laid out in columns (a bill summary, a receipt): shown in a fixed-width font where the channel has one
   * (Telegram, WhatsApp), or its amounts no longer line up.
   */
  fixedWidth?: boolean;
  /**
   * A picture that goes with the text (a QRIS code; receipts later): a photo with the text as its caption where
   * the channel sends pictures (Telegram, WhatsApp); the console writes it to a file and prints the path. The
   * text always says enough on its own (a checkout link beside a QR code), for a channel that shows none.
   */
  image?: { png: Buffer; name: string };
}

/** What the core needs to reach a user outside a reply (a later receipt, an admin alert). */
export interface Notifier {
  send(user: UserId, reply: Reply): Promise<void>;
}

/** Why a user cannot be reached at all: they blocked the bot, their account is gone, or (WhatsApp) they never wrote first. */
export type UnreachableReason = 'blocked' | 'deactivated' | 'not-found' | 'never-wrote';

/**
 * What `Channel.send` throws for a recipient no retry would reach: a broadcast counts them as skipped, not
 * failed, and an operator reads the difference between "blocked the bot" and "Telegram was down".
 */
export class RecipientUnreachable extends Error {
  override readonly name = 'RecipientUnreachable';
  readonly user: UserId;
  readonly reason: UnreachableReason;
  constructor(user: UserId, reason: UnreachableReason, message: string) {
    super(message);
    this.user = user;
    this.reason = reason;
  }
}

/** What every channel adapter gives the application: start it with a handle to the core, stop it. */
export interface Channel {
  readonly name: string;
  start(handle: (msg: IncomingMessage) => Promise<Reply[]>): Promise<void>;
  /** Delivers a message the user did not just ask for; a user who cannot be reached at all is a `RecipientUnreachable`. */
  send(user: UserId, reply: Reply): Promise<void>;
  /** Sends a message that `edit` can later rewrite in place, and gives its handle. Only where the channel can edit (Telegram). */
  post?(user: UserId, reply: Reply): Promise<string>;
  /** Rewrites the text of a message `post` sent (a progress line), without a new notification. */
  edit?(user: UserId, handle: string, reply: Reply): Promise<void>;
  /** Stops taking messages, finishes what is in flight. */
  stop(): Promise<void>;
  /** Whether the channel is connected and taking messages, for /healthz. */
  up?(): boolean;
  /** A word on the connection for /healthz (WhatsApp: `open`, `waiting-for-login`, `logged-out`…). */
  state?(): string;
  /** Resolves when the channel has nothing more to do by itself (console: end of input). */
  readonly done?: Promise<void>;
}

export function channelOf(user: UserId): string {
  const i = user.indexOf(':');
  return i < 0 ? '' : user.slice(0, i);
}
