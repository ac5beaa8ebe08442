/**
 * What a core reply becomes on WhatsApp: its text (fixed-width between triple backticks where asked) and, when
 * it has one, its picture as an image message with the text as caption. The picture also travels through the
 * shared queue in Redis (a later receipt), as base64 in the queued JSON: a cap keeps one queued item small, and
 * a picture past it is left out, since the text always says enough on its own (the contract says so).
 */
import type { Reply } from '../../bot/channel.ts';

/** The largest picture sent or queued; past it the reply goes as text alone. A QR code or a receipt is tens of KB. */
export const IMAGE_MAX_BYTES = 1024 * 1024;
/** WhatsApp cuts a caption at 1024 characters (WhatsApp Web's MAX_CAPTION_LENGTH; the Cloud API says the same). */
export const CAPTION_MAX_CHARS = 1024;

/** One reply as the sender delivers it. */
export interface OutContent {
  text: string;
  image?: Buffer;
}

/** What goes to Baileys' sendMessage, one message each: the part of its AnyMessageContent the adapter uses. */
export type WaContent = { text: string } | { image: Buffer; caption?: string; mimetype: string };

/**
 * WhatsApp shows text between triple backticks in a fixed-width font: how a summary's columns stay lined up.
 * A text that holds backticks of its own (a biller's odd field) goes as it is rather than half formatted.
 */
export function whatsappText(reply: Reply): string {
  return reply.fixedWidth && !reply.text.includes('```') ? `\`\`\`${reply.text}\`\`\`` : reply.text;
}

/** The reply's text and picture, or its text alone when the picture is past the cap (`dropped` then says so). */
export function outContent(reply: Reply): OutContent & { dropped?: number } {
  const text = whatsappText(reply);
  const png = reply.image?.png;
  if (!png) return { text };
  if (png.length > IMAGE_MAX_BYTES) return { text, dropped: png.length };
  return { text, image: png };
}

/**
 * The messages one reply takes: the picture with the text as caption when it fits, else the picture and then the
 * whole text (never a text cut in two: a receipt's fixed-width block would fall apart across two messages).
 */
export function waMessages(content: OutContent): WaContent[] {
  const { text, image } = content;
  if (!image) return [{ text }];
  const picture = { image, mimetype: 'image/png' };
  if (!text) return [picture];
  if (text.length <= CAPTION_MAX_CHARS) return [{ ...picture, caption: text }];
  return [picture, { text }];
}
