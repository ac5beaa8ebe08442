/**
 * A stand-in for the Baileys socket, through the adapter's narrow interface: it emits Baileys-shaped
 * `messages.upsert`, `connection.update` and `creds.update` events and records what the bot sends.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { WAMessage } from '@whiskeysockets/baileys';
import type { WaContent } from '../../../src/channels/whatsapp/content.ts';
import type { SocketFactory, SocketParams, WaEvents, WaSent, WaSocket } from '../../../src/channels/whatsapp/socket.ts';

export interface SentText {
  id: string;
  jid: string;
  /** The text, or an image's caption ('' for an image without one). */
  text: string;
  /** An image message: the bytes Baileys would upload, and its mimetype. */
  image?: { bytes: Buffer; mimetype?: string };
  at: number;
}

/** A close as Baileys reports it: a Boom error with the DisconnectReason as its status code. */
export function boom(statusCode: number, message = `closed ${statusCode}`): Error {
  return Object.assign(new Error(message), { isBoom: true, output: { statusCode } });
}

/** What Baileys throws when WhatsApp answers "too many requests". */
export function rateOverlimit(): Error {
  return Object.assign(new Error('rate-overlimit'), { isBoom: true, data: 429 });
}

export class FakeSocket implements WaSocket {
  private readonly emitter = new EventEmitter();
  readonly ev = {
    on: <K extends keyof WaEvents>(event: K, listener: (arg: WaEvents[K]) => void) => {
      this.emitter.on(event, listener);
    },
  };
  readonly sent: SentText[] = [];
  /** Errors the next sendMessage calls throw, in order. */
  readonly failures: Error[] = [];
  readonly pairingRequests: string[] = [];
  readonly lids = new Map<string, string>();
  readonly signalRepository = { lidMapping: { getPNForLID: async (lid: string) => this.lids.get(lid) ?? null } };
  user: { id: string } | undefined;
  ended = false;
  endedWith: Error | undefined;
  private seq = 0;

  constructor(readonly params: SocketParams) {}

  async sendMessage(jid: string, content: WaContent): Promise<WaSent> {
    if (this.ended) throw boom(428, 'Connection Closed');
    const failure = this.failures.shift();
    if (failure) throw failure;
    const id = `BOT${++this.seq}${randomBytes(3).toString('hex').toUpperCase()}`;
    if ('image' in content) {
      if (!Buffer.isBuffer(content.image)) throw new TypeError('the fake takes an image as a Buffer, as the adapter sends it');
      const caption = content.caption ?? '';
      this.sent.push({ id, jid, text: caption, image: { bytes: content.image, mimetype: content.mimetype }, at: Date.now() });
      // As Baileys gives it back: the uploaded media's reference and the caption, never the bytes.
      const imageMessage = { url: `https://mmg.whatsapp.net/${id}`, mimetype: content.mimetype, ...(content.caption ? { caption } : {}) };
      return { key: { id, remoteJid: jid }, message: { imageMessage } };
    }
    this.sent.push({ id, jid, text: content.text, at: Date.now() });
    return { key: { id, remoteJid: jid }, message: { conversation: content.text } };
  }

  async requestPairingCode(phone: string): Promise<string> {
    this.pairingRequests.push(phone);
    return 'ABCD1234';
  }

  end(error: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.endedWith = error;
    this.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
  }

  emit<K extends keyof WaEvents>(event: K, arg: WaEvents[K]): void {
    this.emitter.emit(event, arg);
  }

  open(me = '6280000000001:7@s.whatsapp.net'): void {
    this.user = { id: me };
    this.emit('connection.update', { connection: 'open' });
  }

  /** WhatsApp closes the connection with this DisconnectReason. */
  close(code: number): void {
    this.end(boom(code));
  }

  qr(code = `2@${randomBytes(8).toString('hex')}`): void {
    this.emit('connection.update', { connection: 'connecting', qr: code });
  }

  /** A phone linked this login: Baileys fills the creds in and says so. */
  link(me = '6280000000001:7@s.whatsapp.net'): void {
    const { creds } = this.params.auth;
    creds.me = { id: me, name: 'Bot' };
    creds.registered = true;
    this.emit('creds.update', { me: creds.me, registered: true });
  }

  deliver(messages: WAMessage[], type: 'notify' | 'append' = 'notify'): void {
    this.emit('messages.upsert', { messages, type });
  }
}

export interface FakeSockets {
  factory: SocketFactory;
  sockets: FakeSocket[];
  /** The latest socket. */
  last(): FakeSocket;
  /** Waits until `n` sockets were made and returns the nth (1-based). */
  nth(n: number, timeoutMs?: number): Promise<FakeSocket>;
}

/** Every socket opens at once (a stored login) unless `autoOpen` is false. */
export function fakeSockets(opts: { autoOpen?: boolean } = {}): FakeSockets {
  const sockets: FakeSocket[] = [];
  const factory: SocketFactory = (params) => {
    const s = new FakeSocket(params);
    sockets.push(s);
    if (opts.autoOpen !== false) setImmediate(() => s.open());
    return s;
  };
  return {
    factory,
    sockets,
    last: () => sockets[sockets.length - 1]!,
    async nth(n, timeoutMs = 5_000) {
      await waitFor(() => sockets.length >= n, `socket ${n}`, timeoutMs);
      return sockets[n - 1]!;
    },
  };
}

let ids = 0;
/** A private text message as Baileys delivers it. */
export function textMessage(from: string, text: string, extra: { id?: string; key?: Partial<WAMessage['key']> } = {}): WAMessage {
  return {
    key: { remoteJid: `${from}@s.whatsapp.net`, fromMe: false, id: extra.id ?? `3EB0${++ids}${randomBytes(4).toString('hex').toUpperCase()}`, ...extra.key },
    message: { conversation: text },
    messageTimestamp: Math.floor(Date.now() / 1000),
    pushName: 'Pelanggan',
  };
}

export async function waitFor(cond: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
