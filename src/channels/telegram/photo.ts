/**
 * How a reply with a picture (a QRIS code, a receipt) becomes Telegram messages. A photo's caption may hold
 * 1024 characters, a quarter of a message: a text that fits is the caption, so picture, words and buttons are
 * one message; a longer one goes whole as the message after the photo rather than cut in two, because a cut
 * splits a fixed-width block (a receipt's columns) between two messages and leaves half the text beside the
 * picture and half under it. The buttons then go with the text, under the question they answer.
 */
import type { MessageEntity } from 'grammy/types';
import type { Reply } from '../../bot/channel.ts';

/** Telegram refuses a caption over 1024 characters (UTF-16 code units after entity parsing, as JS counts). */
export const CAPTION_MAX_CHARS = 1024;

/** What the photo carries, and whether the text still has to follow it as messages of its own. */
export interface PhotoPlan {
  caption?: string;
  /** The text goes after the photo (too long for a caption); the buttons go with it. */
  textAfter: boolean;
}

export function planPhoto(reply: Reply): PhotoPlan {
  if (!reply.text) return { textAfter: false };
  return reply.text.length <= CAPTION_MAX_CHARS ? { caption: reply.text, textAfter: false } : { textAfter: true };
}

/**
 * A `pre` entity over the whole of a fixed-width text, rather than HTML or Markdown: the text goes as typed,
 * nothing to escape (offsets and lengths in UTF-16 units, as JavaScript counts). Used for messages and captions.
 */
export function fixedWidthEntities(reply: Reply, text: string): MessageEntity[] | undefined {
  return reply.fixedWidth && text ? [{ type: 'pre', offset: 0, length: text.length }] : undefined;
}
