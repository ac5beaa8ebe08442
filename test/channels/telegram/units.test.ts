/** The adapter's pure parts: callback data, message splitting, reading updates, error text, group pacing. */
import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { describeError, safeError } from '../../../src/channels/telegram/errors.ts';
import { createGroupNotices } from '../../../src/channels/telegram/group.ts';
import { CALLBACK_DATA_MAX_BYTES, decodeChoice, encodeChoice, inlineKeyboard, splitText } from '../../../src/channels/telegram/keyboard.ts';
import { createRecentIds } from '../../../src/channels/telegram/recent.ts';
import { readUpdate } from '../../../src/channels/telegram/updates.ts';
import { channelPostUpdate, FAKE_TOKEN, groupUpdate, mediaUpdate, tapUpdate, textUpdate, type NewUpdate } from '../../helpers/fake-bot-api.ts';
import type { Update } from 'grammy/types';

const me = { id: 123456789, username: 'ppob_test_bot' };
const read = (u: NewUpdate, id = 10) => readUpdate({ ...u, update_id: id } as Update, me);

describe('callback data', () => {
  it('round-trips the choice text and the ref, within 64 bytes', () => {
    const data = encodeChoice('YA', '0123456789ABCDEFGHJK')!;
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
    expect(decodeChoice(data)).toEqual({ text: 'YA', ref: '0123456789ABCDEFGHJK' });
    expect(decodeChoice(encodeChoice('BATAL')!)).toEqual({ text: 'BATAL' });
    expect(decodeChoice(encodeChoice('A|B', 'R')!)).toEqual({ text: 'A|B', ref: 'R' });
  });

  it('leaves out a choice that would not fit, and refuses foreign data', () => {
    expect(encodeChoice('x'.repeat(70), 'R')).toBeUndefined();
    expect(encodeChoice('é'.repeat(30), 'R')).toBeDefined(); // 4 + 60 bytes: exactly the limit
    expect(encodeChoice('é'.repeat(31), 'R')).toBeUndefined(); // bytes count, not characters
    expect(decodeChoice('YA')).toBeUndefined();
    expect(decodeChoice('c|R|')).toBeUndefined();
    const kb = inlineKeyboard({ text: 's', ref: 'Q1', choices: [{ label: 'Bayar', text: 'YA' }, { label: 'Long', text: 'x'.repeat(80) }] });
    expect(kb).toEqual({ inline_keyboard: [[{ text: 'Bayar', callback_data: 'c|Q1|YA' }]] });
    expect(inlineKeyboard({ text: 'no choices' })).toBeUndefined();
  });
});

describe('splitText', () => {
  it('keeps a short text whole and cuts a long one at line ends, under the limit', () => {
    expect(splitText('abc')).toEqual(['abc']);
    const lines = Array.from({ length: 500 }, (_, i) => `PLN${i} Rp ${i}.000`);
    const parts = splitText(lines.join('\n'), 1000);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(1000);
    expect(parts.join('\n')).toBe(lines.join('\n'));
  });

  it('cuts a text without line ends, never inside an emoji', () => {
    const text = `a${'😀'.repeat(10)}`;
    const parts = splitText(text, 4);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4);
    expect(parts.join('')).toBe(text);
    expect(parts.every((p) => !/[\uD800-\uDBFF]$/.test(p))).toBe(true);
  });
});

describe('readUpdate', () => {
  it('a private text is a core message named telegram:<user id>, keyed by update_id', () => {
    expect(read(textUpdate(7001, 'PLN 123'), 55)).toEqual({ kind: 'private', chatId: 7001, msg: { user: 'telegram:7001', text: 'PLN 123', messageId: '55' } });
  });

  it("strips this bot's name from a command, not another's", () => {
    expect(read(textUpdate(1, '/saldo@PPOB_test_bot'))).toMatchObject({ msg: { text: '/saldo' } });
    expect(read(textUpdate(1, '/cek@ppob_test_bot PLN 1'))).toMatchObject({ msg: { text: '/cek PLN 1' } });
    expect(read(textUpdate(1, '/saldo@other_bot'))).toMatchObject({ msg: { text: '/saldo@other_bot' } });
  });

  it('media in a private chat is kind media, with no text to parse', () => {
    for (const kind of ['sticker', 'photo', 'voice', 'document'] as const) {
      expect(read(mediaUpdate(7001, kind))).toMatchObject({ kind: 'private', msg: { kind: 'media', text: '' } });
    }
  });

  it('group messages and channel posts are kind group; only a command, mention or reply addresses the bot', () => {
    expect(read(groupUpdate(7001, -100, 'PLN 123'))).toMatchObject({ kind: 'group', chatId: -100, addressed: false, msg: { user: 'telegram:7001', kind: 'group' } });
    expect(read(groupUpdate(7001, -100, '/help'))).toMatchObject({ addressed: true });
    expect(read(groupUpdate(7001, -100, '/help@ppob_test_bot'))).toMatchObject({ addressed: true });
    expect(read(groupUpdate(7001, -100, '/help@other_bot'))).toMatchObject({ addressed: false });
    expect(read(groupUpdate(7001, -100, 'tolong @PPOB_Test_Bot'))).toMatchObject({ addressed: true });
    const { message } = groupUpdate(7001, -100, 'berapa?');
    const toBot = { message_id: 1, date: 0, chat: { id: -100, type: 'supergroup', title: 'g' }, from: { id: me.id, is_bot: true, first_name: 'b' } };
    expect(read({ message: { ...message, reply_to_message: toBot } } as unknown as NewUpdate)).toMatchObject({ addressed: true });
    expect(read(channelPostUpdate(-1005, 'x'))).toMatchObject({ kind: 'group', addressed: false, msg: { kind: 'group' } });
  });

  it('a tap carries the choice text and the ref; foreign data is answered and ignored', () => {
    expect(read(tapUpdate(7001, 42, 'c|Q1|YA'), 77)).toMatchObject({
      kind: 'tap', chatId: 7001, messageId: 42, msg: { user: 'telegram:7001', text: 'YA', ref: 'Q1', messageId: '77' },
    });
    const foreign = read(tapUpdate(7001, 42, 'something else'));
    expect(foreign.kind === 'tap' && foreign.msg).toBe(undefined);
  });

  it('ignores what is neither (edited messages, messages from bots)', () => {
    expect(read({ edited_message: (textUpdate(1, 'x') as { message: unknown }).message } as NewUpdate)).toEqual({ kind: 'ignore' });
    const fromBot = textUpdate(1, 'x') as { message: { from: { is_bot: boolean } } };
    fromBot.message.from.is_bot = true;
    expect(read(fromBot as NewUpdate)).toEqual({ kind: 'ignore' });
  });

  it('ignores a message or channel post that names no chat, rather than failing on it', () => {
    const { message } = textUpdate(7001, 'SALDO') as unknown as { message: Record<string, unknown> };
    const { chat: _chat, ...chatless } = message;
    expect(read({ message: chatless } as unknown as NewUpdate)).toEqual({ kind: 'ignore' });
    expect(read({ message: { ...chatless, chat: null } } as unknown as NewUpdate)).toEqual({ kind: 'ignore' });
    const { channel_post: post } = channelPostUpdate(-1005, 'x') as unknown as { channel_post: Record<string, unknown> };
    const { chat: _c, ...chatlessPost } = post;
    expect(read({ channel_post: chatlessPost } as unknown as NewUpdate)).toEqual({ kind: 'ignore' });
  });
});

describe('error text', () => {
  it('never carries the token, whatever the error holds', () => {
    const cause = new Error(`request to http://127.0.0.1:1/bot${FAKE_TOKEN}/sendMessage failed, reason: ECONNREFUSED`);
    const http = new HttpError("Network request for 'sendMessage' failed!", cause);
    expect(describeError(http, FAKE_TOKEN)).toBe("Network request for 'sendMessage' failed!");
    expect(describeError(cause, FAKE_TOKEN)).not.toContain(FAKE_TOKEN);
    expect(describeError(cause)).not.toContain(FAKE_TOKEN.split(':')[1]);
    const api = new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }, 'sendMessage', {});
    expect(describeError(api)).toBe('sendMessage: 403 Forbidden: bot was blocked by the user');
    const safe = safeError(http, FAKE_TOKEN);
    expect(JSON.stringify(safe) + String(safe) + (safe.stack ?? '')).not.toContain(FAKE_TOKEN);
  });
});

describe('group notices and recent ids', () => {
  it('one line per group per hour', () => {
    let now = 0;
    const n = createGroupNotices(() => now);
    expect([n.take(-1), n.take(-1), n.take(-2)]).toEqual([true, false, true]);
    now += 3_599_999;
    expect(n.take(-1)).toBe(false);
    now += 1;
    expect(n.take(-1)).toBe(true);
  });

  it('remembers the last ids up to its capacity', () => {
    const r = createRecentIds(3);
    expect([1, 2, 1, 3, 4].map((id) => r.add(id))).toEqual([true, true, false, true, true]);
    expect(r.add(1)).toBe(true); // forgotten: the oldest went when 4 came
    expect(r.add(4)).toBe(false);
  });
});
