/**
 * One Baileys message → what the core should see, or nothing. Users are named by phone number; where WhatsApp
 * hides it behind a LID, the number Baileys knows for that LID is used, and only without one the LID itself.
 */
import type { WAMessage, proto } from '@whiskeysockets/baileys';
import type { IncomingMessage } from '../../bot/channel.ts';

export type Inbound =
  | { kind: 'ignore'; why: string }
  | { kind: 'private' | 'group'; jid: string; msg: IncomingMessage; namedByLid: boolean };

export interface ReadContext {
  now: number;
  /** Older deliveries (a long-offline backlog) are dropped rather than acted on late. */
  maxAgeMs: number;
  /** Baileys' own LID → phone mapping, e.g. `6281…:0@s.whatsapp.net`. */
  pnForLid(lid: string): Promise<string | null | undefined>;
}

const PN_SERVERS = new Set(['s.whatsapp.net', 'c.us', 'hosted']);
const LID_SERVERS = new Set(['lid', 'hosted.lid']);
const MEDIA = [
  'imageMessage', 'videoMessage', 'ptvMessage', 'audioMessage', 'stickerMessage', 'documentMessage', 'locationMessage',
  'liveLocationMessage', 'contactMessage', 'contactsArrayMessage',
] as const;

/** `6281234:12@s.whatsapp.net` → user `6281234`, server `s.whatsapp.net` (device and agent dropped). */
export function splitJid(jid: string | null | undefined): { user: string; server: string } | undefined {
  if (!jid) return undefined;
  const at = jid.lastIndexOf('@');
  if (at <= 0) return undefined;
  const user = jid.slice(0, at).split(':')[0]!.split('_')[0]!;
  return /^\d{5,20}$/.test(user) ? { user, server: jid.slice(at + 1) } : undefined;
}

async function nameOf(jid: string | null | undefined, alt: string | null | undefined, ctx: ReadContext) {
  const p = splitJid(jid);
  if (!p) return undefined;
  if (PN_SERVERS.has(p.server)) return { user: `whatsapp:${p.user}`, namedByLid: false };
  if (!LID_SERVERS.has(p.server)) return undefined;
  const a = splitJid(alt);
  if (a && PN_SERVERS.has(a.server)) return { user: `whatsapp:${a.user}`, namedByLid: false };
  const mapped = splitJid(await ctx.pnForLid(`${p.user}@${p.server}`).catch(() => undefined));
  if (mapped && PN_SERVERS.has(mapped.server)) return { user: `whatsapp:${mapped.user}`, namedByLid: false };
  return { user: `whatsapp:${p.user}`, namedByLid: true };
}

/** Disappearing and view-once wrappers hold the real content one level down. */
function unwrap(message: proto.IMessage | null | undefined): proto.IMessage | undefined {
  let m = message ?? undefined;
  for (let i = 0; m && i < 4; i++) {
    const inner = m.ephemeralMessage ?? m.viewOnceMessage ?? m.viewOnceMessageV2 ?? m.viewOnceMessageV2Extension ?? m.documentWithCaptionMessage;
    if (!inner) break;
    m = inner.message ?? undefined;
  }
  return m;
}

function seconds(ts: WAMessage['messageTimestamp']): number | undefined {
  if (typeof ts === 'number') return ts;
  if (ts && typeof ts === 'object' && 'toNumber' in ts) return ts.toNumber();
  return undefined;
}

export async function readMessage(m: WAMessage, ctx: ReadContext): Promise<Inbound> {
  const { key } = m;
  const remote = key.remoteJid;
  if (!remote || !key.id) return { kind: 'ignore', why: 'no key' };
  if (key.fromMe) return { kind: 'ignore', why: 'own message' };
  if (remote.endsWith('@broadcast') || remote.endsWith('@newsletter')) return { kind: 'ignore', why: 'status or broadcast' };
  const sentAt = seconds(m.messageTimestamp);
  if (sentAt !== undefined && ctx.now - sentAt * 1000 > ctx.maxAgeMs) return { kind: 'ignore', why: 'too old' };

  const content = unwrap(m.message);
  if (!content) return { kind: 'ignore', why: 'no content' };
  const text = content.conversation ?? content.extendedTextMessage?.text ?? undefined;
  const media = MEDIA.some((k) => content[k]);
  // Reactions, edits, deletions, poll votes, key distribution: nothing a user typed as a command.
  if (text == null && !media) return { kind: 'ignore', why: 'not a text or media message' };

  const group = remote.endsWith('@g.us');
  const who = group ? await nameOf(key.participant, key.participantAlt, ctx) : await nameOf(remote, key.remoteJidAlt, ctx);
  if (!who) return { kind: 'ignore', why: 'sender is not a user' };
  const msg: IncomingMessage = { user: who.user, text: media ? '' : (text ?? '').trim(), messageId: `${remote}/${key.id}` };
  if (group) msg.kind = 'group';
  else if (media) msg.kind = 'media';
  return { kind: group ? 'group' : 'private', jid: remote, msg, namedByLid: who.namedByLid };
}
