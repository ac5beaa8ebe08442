/**
 * What one Telegram update means to the bot, decided without any I/O: a private message for the core, a
 * button tap, a group message the core only counts, or nothing. The core's dedup key is the update_id.
 */
import type { Message, Update } from 'grammy/types';
import type { IncomingMessage } from '../../bot/channel.ts';
import { decodeChoice } from './keyboard.ts';

export interface Me {
  id: number;
  username: string;
}

export type Inbound =
  | { kind: 'private'; chatId: number; msg: IncomingMessage }
  | { kind: 'group'; chatId: number; msg: IncomingMessage; addressed: boolean }
  /** `msg` is absent when the data is not a choice of ours; the tap is still answered. */
  | { kind: 'tap'; queryId: string; chatId?: number; messageId?: number; msg?: IncomingMessage }
  | { kind: 'ignore' };

export function readUpdate(update: Update, me: Me): Inbound {
  const messageId = String(update.update_id);
  if (update.callback_query) {
    const q = update.callback_query;
    const chat = q.message?.chat;
    const where = chat ? { chatId: chat.id, messageId: q.message!.message_id } : {};
    const choice = q.data ? decodeChoice(q.data) : undefined;
    // Buttons are only ever sent to private chats; a tap anywhere else is answered and otherwise ignored.
    if (!choice || chat?.type !== 'private') return { kind: 'tap', queryId: q.id, ...where };
    const msg: IncomingMessage = { user: `telegram:${q.from.id}`, text: choice.text, messageId };
    if (choice.ref) msg.ref = choice.ref;
    return { kind: 'tap', queryId: q.id, ...where, msg };
  }
  if (update.channel_post) {
    const post = update.channel_post;
    // Telegram always names the chat; a server or proxy that does not sends nothing we could answer.
    if (!post.chat) return { kind: 'ignore' };
    return { kind: 'group', chatId: post.chat.id, addressed: false, msg: { user: `telegram:${post.chat.id}`, text: post.text ?? '', messageId, kind: 'group' } };
  }
  const m = update.message;
  // A message names its chat on Telegram; one that does not (a proxy, a fake server) has nowhere to answer.
  if (!m?.chat || m.from?.is_bot) return { kind: 'ignore' };
  const from = m.from?.id ?? m.chat.id;
  const user = `telegram:${from}`;
  if (m.chat.type !== 'private') {
    return { kind: 'group', chatId: m.chat.id, addressed: addressed(m, me), msg: { user, text: m.text ?? m.caption ?? '', messageId, kind: 'group' } };
  }
  if (typeof m.text !== 'string') return { kind: 'private', chatId: m.chat.id, msg: { user, text: '', messageId, kind: 'media' } };
  return { kind: 'private', chatId: m.chat.id, msg: { user, text: withoutBotName(m.text, me.username), messageId } };
}

/** `/saldo@MyPpobBot` is `/saldo`: Telegram clients append the bot's name to a command picked from the menu. */
function withoutBotName(text: string, username: string): string {
  const first = text.match(/^(\/\w+)@(\w+)/);
  return first && first[2]!.toLowerCase() === username.toLowerCase() ? first[1]! + text.slice(first[0].length) : text;
}

/** Whether a group message speaks to this bot: a command (not another bot's), a mention, or a reply to it. */
function addressed(m: Message, me: Me): boolean {
  const text = m.text ?? m.caption ?? '';
  const name = me.username.toLowerCase();
  const command = text.match(/^\/\w+(?:@(\w+))?/);
  if (command) return command[1] === undefined || command[1].toLowerCase() === name;
  if (m.reply_to_message?.from?.id === me.id) return true;
  return text.toLowerCase().includes(`@${name}`);
}
