/**
 * The WhatsApp channel: a thin adapter over the core on a Baileys socket. Private text goes to the core and its
 * replies go back at once, in order per chat; media gets the core's polite line; groups, status and own
 * messages get nothing. Messages the user did not just ask for go through a shared queue at a slow global pace,
 * and only to users who have written to the bot. Dedup, paying once and flood limits are the core's.
 */
import { type Channel, type IncomingMessage, RecipientUnreachable, type Reply, type UserId } from '../../bot/channel.ts';
import type { Log } from '../../log.ts';
import type { WhatsAppAuth } from '../../store/whatsapp-auth.ts';
import { createConnection, type ReconnectOptions, type WhatsAppState } from './connection.ts';
import { type Contacts, createMemoryContacts } from './contacts.ts';
import { IMAGE_MAX_BYTES, type OutContent, outContent } from './content.ts';
import { readMessage } from './inbound.ts';
import { createLocalLease, type Lease } from './lease.ts';
import { createMemoryOutbox, type Outbox } from './outbox.ts';
import { createMemorySentMessages, type SentMessages } from './sent.ts';
import { createSender } from './sender.ts';
import type { SocketFactory, WaSocket } from './socket.ts';

export { whatsappText } from './content.ts';
export type { WhatsAppState } from './connection.ts';
export type { SocketFactory, WaSocket } from './socket.ts';

export interface WhatsAppChannelOptions {
  makeSocket: SocketFactory;
  auth: WhatsAppAuth;
  log: Log;
  /** Shared state; the defaults are in memory (one process, the embedded store). */
  lease?: Lease;
  contacts?: Contacts;
  sent?: SentMessages;
  outbox?: Outbox;
  pairingNumber?: string;
  onQr?(qr: string): void;
  onPairingCode?(code: string): void;
  /** Messages the user did not just ask for: one every [min, max] ms (3–6 s). */
  paceMs?: readonly [number, number];
  /** A failed send is tried this many times in all (5), waiting baseMs (1 s) doubling up to maxMs (30 s). */
  retry?: { attempts?: number; baseMs?: number; maxMs?: number };
  reconnect?: Partial<ReconnectOptions>;
  leasePollMs?: number;
  /** A user who wrote within this long (15 min) is in a conversation: their messages go before a broadcast. */
  recentMs?: number;
  /** Deliveries older than this (24 h) are not acted on. */
  maxAgeMs?: number;
  /** How long stop() lets messages in flight finish (10 s). */
  stopGraceMs?: number;
  /** How often the queue shared with other processes is looked at when idle (1 s). */
  idlePollMs?: number;
  clock?: () => number;
  random?: () => number;
}

export interface WhatsAppChannel extends Channel {
  /** The connection's state, for /healthz. */
  state(): WhatsAppState;
  /** The broadcast pace now, ms: it widens after rate-overlimit. */
  paceMs(): [number, number];
}

type Handle = (msg: IncomingMessage) => Promise<Reply[]>;

export function createWhatsAppChannel(opts: WhatsAppChannelOptions): WhatsAppChannel {
  const log = opts.log.child({ channel: 'whatsapp' });
  const clock = opts.clock ?? Date.now;
  const contacts = opts.contacts ?? createMemoryContacts();
  const sentStore = opts.sent ?? createMemorySentMessages();
  const outbox = opts.outbox ?? createMemoryOutbox();
  const recentMs = opts.recentMs ?? 15 * 60_000;
  const maxAgeMs = opts.maxAgeMs ?? 24 * 3600_000;
  let handle: Handle | undefined;
  let accepting = false;

  const conn = createConnection({
    makeSocket: opts.makeSocket,
    auth: opts.auth,
    lease: opts.lease ?? createLocalLease(),
    log,
    ...(opts.pairingNumber ? { pairingNumber: opts.pairingNumber } : {}),
    ...(opts.onQr ? { onQr: opts.onQr } : {}),
    ...(opts.onPairingCode ? { onPairingCode: opts.onPairingCode } : {}),
    ...(opts.reconnect ? { reconnect: opts.reconnect } : {}),
    ...(opts.leasePollMs ? { leasePollMs: opts.leasePollMs } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    getMessage: async (key) => (key.id ? sentStore.get(key.id) : undefined),
    onSocket: listen,
    async onHold() {
      const n = await outbox.recover();
      if (n > 0) log.info({ messages: n }, 'WhatsApp: queued messages the previous holder had not sent go out again');
    },
    onOpen: () => sender.drain(),
  });

  const sender = createSender({
    whenOpen: () => conn.whenOpen(),
    outbox,
    sent: sentStore,
    log,
    clock,
    ...(opts.paceMs ? { paceMs: opts.paceMs } : {}),
    ...(opts.retry ? { retry: opts.retry } : {}),
    ...(opts.idlePollMs ? { idlePollMs: opts.idlePollMs } : {}),
    ...(opts.random ? { random: opts.random } : {}),
  });

  function listen(sock: WaSocket): void {
    sock.ev.on('messages.upsert', ({ messages }) => {
      if (!accepting) {
        for (const m of messages) if (!m.key.fromMe) log.warn({ jid: m.key.remoteJid, id: m.key.id }, 'WhatsApp message arrived while stopping: not taken');
        return;
      }
      for (const m of messages) {
        const jid = m.key.remoteJid;
        if (jid) void sender.inChat(jid, () => take(sock, m));
      }
    });
  }

  async function take(sock: WaSocket, m: Parameters<typeof readMessage>[0]): Promise<void> {
    const inbound = await readMessage(m, {
      now: clock(),
      maxAgeMs,
      pnForLid: async (lid) => (sock.signalRepository ? sock.signalRepository.lidMapping.getPNForLID(lid) : null),
    });
    if (inbound.kind === 'ignore') {
      log.debug({ id: m.key.id, why: inbound.why }, 'WhatsApp message ignored');
      return;
    }
    const { user } = inbound.msg;
    if (inbound.namedByLid) log.info({ user }, 'WhatsApp gave no phone number for this user: named by their LID');
    if (!handle) return;
    if (inbound.kind === 'private') {
      await contacts.seen(user, { jid: inbound.jid, at: clock() }).catch((err: unknown) => {
        log.warn({ user, err: String(err) }, 'WhatsApp: could not record the contact');
      });
    }
    const replies = await handle(inbound.msg);
    // Groups are never answered: the core gives nothing, and the bot must not talk in groups.
    if (inbound.kind !== 'private') return;
    for (const reply of replies) {
      const outcome = await sender.deliver(inbound.jid, user, content(user, reply));
      if (outcome === 'abandoned') log.warn({ user }, 'WhatsApp reply not sent: the channel stopped or lost the connection first');
    }
  }

  /** The reply as the sender takes it; a picture past the cap is left out, and the operator told. */
  function content(user: UserId, reply: Reply): OutContent {
    const { dropped, ...out } = outContent(reply);
    if (dropped !== undefined) {
      log.warn({ user, image: reply.image?.name, bytes: dropped, maxBytes: IMAGE_MAX_BYTES }, 'WhatsApp image too large: the text goes alone');
    }
    return out;
  }

  return {
    name: 'whatsapp',
    async start(h) {
      handle = h;
      accepting = true;
      sender.start();
      conn.start();
    },
    async send(user, reply) {
      const contact = await contacts.get(user);
      if (!contact) {
        // Numbers that message strangers get restricted: only users who wrote first are ever messaged.
        log.warn({ user }, 'WhatsApp message not sent: this user has never written to the bot');
        throw new RecipientUnreachable(user, 'never-wrote', `WhatsApp: ${user} has never written to the bot, so nothing is sent to them`);
      }
      const { text, image } = content(user, reply);
      await outbox.push(
        { user, jid: contact.jid, text, ...(image ? { image: image.toString('base64') } : {}), at: clock() },
        clock() - contact.at < recentMs,
      );
      sender.poke();
    },
    async stop() {
      accepting = false;
      sender.pause();
      await sender.settled(opts.stopGraceMs ?? 10_000);
      sender.abandon();
      await conn.stop();
      await sender.settled();
    },
    up: () => conn.state() === 'open' || conn.state() === 'standby',
    state: () => conn.state(),
    paceMs: () => sender.paceMs(),
  };
}
