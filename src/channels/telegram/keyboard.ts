/**
 * How a core reply becomes Telegram messages: an inline keyboard for its choices, and text cut to the
 * Bot API's message size. A button's callback_data carries the choice text and the reply's `ref`, so a
 * tap on an old summary can be told from a tap on the open one.
 */
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Reply } from '../../bot/channel.ts';

/** Telegram refuses callback_data over 64 bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;
/** Telegram refuses a message text over 4096 characters (UTF-16 code units, as JS counts). */
export const MESSAGE_MAX_CHARS = 4096;

// `c|<ref>|<text>`: the marker lets a foreign or old-format payload be recognised and ignored.
const MARK = 'c';

export function encodeChoice(text: string, ref?: string): string | undefined {
  if (ref?.includes('|')) return undefined;
  const data = `${MARK}|${ref ?? ''}|${text}`;
  return Buffer.byteLength(data, 'utf8') <= CALLBACK_DATA_MAX_BYTES ? data : undefined;
}

export function decodeChoice(data: string): { text: string; ref?: string } | undefined {
  if (!data.startsWith(`${MARK}|`)) return undefined;
  const rest = data.slice(MARK.length + 1);
  const bar = rest.indexOf('|');
  if (bar < 0) return undefined;
  const ref = rest.slice(0, bar);
  const text = rest.slice(bar + 1);
  if (!text) return undefined;
  return ref ? { text, ref } : { text };
}

/** One row of buttons; a choice whose data would not fit is left out (the text already says what to type). */
export function inlineKeyboard(reply: Reply): InlineKeyboardMarkup | undefined {
  const row = [];
  for (const choice of reply.choices ?? []) {
    const data = encodeChoice(choice.text, reply.ref);
    if (data) row.push({ text: choice.label, callback_data: data });
  }
  return row.length > 0 ? { inline_keyboard: [row] } : undefined;
}

/** Cuts at line ends where it can, so a long price list stays readable across messages. */
export function splitText(text: string, max = MESSAGE_MAX_CHARS): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut <= 0) {
      cut = max;
      // Never between the two halves of an emoji.
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut--;
    }
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest) parts.push(rest);
  return parts;
}
