/**
 * The few parts of a Baileys socket the adapter uses. The real socket (make-socket.ts) fits this shape as it
 * is; tests drive the adapter with a fake that emits the same events.
 */
import type { AuthenticationState, BaileysEventMap, proto, WAMessageKey } from '@whiskeysockets/baileys';
import type { WaContent } from './content.ts';

export type WaEvents = Pick<BaileysEventMap, 'messages.upsert' | 'connection.update' | 'creds.update'>;

export interface WaSocket {
  ev: {
    on<K extends keyof WaEvents>(event: K, listener: (arg: WaEvents[K]) => void): void;
  };
  /** A text, or a picture with an optional caption (Baileys uploads it and sends the image message). */
  sendMessage(jid: string, content: WaContent): Promise<WaSent | undefined>;
  /** Closes the socket for good; it then emits `connection: 'close'` with this error. */
  end(error: Error | undefined): Promise<void> | void;
  readonly user?: { id: string; lid?: string | undefined } | undefined;
  requestPairingCode?(phoneNumber: string): Promise<string>;
  /** Baileys' store of LID ↔ phone number mappings it has learnt (kept with the login). */
  readonly signalRepository?: { lidMapping: { getPNForLID(lid: string): Promise<string | null> } };
}

/** What sendMessage gives back: the message as sent, kept for `getMessage` (a recipient's retry asks for it). */
export interface WaSent {
  key: { id?: string | null; remoteJid?: string | null };
  message?: proto.IMessage | null;
}

export interface SocketParams {
  auth: AuthenticationState;
  getMessage(key: WAMessageKey): Promise<proto.IMessage | undefined>;
}

/** A new socket each time: Baileys never reconnects by itself, and a closed socket is dead. */
export type SocketFactory = (params: SocketParams) => WaSocket;

/** Baileys' close reasons (DisconnectReason) the adapter acts on. */
export const CLOSE = {
  loggedOut: 401,
  connectionReplaced: 440,
  restartRequired: 515,
} as const;

/** The status code Baileys puts on a close (a Boom error), if any. */
export function closeCode(error: unknown): number | undefined {
  const code = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === 'number' ? code : undefined;
}
