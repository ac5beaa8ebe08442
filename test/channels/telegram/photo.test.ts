/**
 * A reply with a picture (the QRIS code of DEPOSIT QRIS, later a receipt) goes out as sendPhoto, uploaded from
 * the Buffer, with the text as its caption in the same fixed-width form as a message and the buttons under it;
 * a text too long for a caption follows the photo whole. Photos take the same throttled, retried path as texts.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/bot/channel.ts';
import { RecipientUnreachable } from '../../../src/bot/channel.ts';
import { createTelegramChannel, type TelegramChannel, type TelegramChannelOptions } from '../../../src/channels/telegram/index.ts';
import { CAPTION_MAX_CHARS, planPhoto } from '../../../src/channels/telegram/photo.ts';
import { renderQrPng } from '../../../src/providers/tripay/qr.ts';
import { startFakeBotApi, textUpdate, type FakeBotApi } from '../../helpers/fake-bot-api.ts';
import { FAST_LIMITS } from './harness.ts';
import { type PhotoApi, startPhotoApi } from './photo-api.ts';

let api: FakeBotApi | undefined;
let front: PhotoApi | undefined;
let channel: TelegramChannel | undefined;
afterEach(async () => {
  await channel?.stop();
  await front?.close();
  await api?.close();
  api = undefined;
  front = undefined;
  channel = undefined;
});

const USER = 7101;
const QR_TEXT = '00020101021226610014COM.GO-JEK.WWW01189360091430000000000215ID10200000000010303UME51440014ID.CO.QRIS.WWW0215ID10200000000010303UME5204581253033605404500005802ID5912PPOB SANDBOX6007JAKARTA6105123456304ABCD';
const SUMMARY = ['Deposit QRIS      Rp 50.000', 'Biaya             Rp  1.100', 'Total bayar       Rp 51.100', 'Berlaku sampai 14:30 WIB'].join('\n');
const CHOICES = [{ label: 'Batal', text: 'BATAL' }];

/** The channel over long polling through the front; `replies` is what the core answers any message with. */
async function start(replies: (text: string) => Reply[], options: Partial<TelegramChannelOptions> = {}): Promise<TelegramChannel> {
  api = await startFakeBotApi();
  front = await startPhotoApi(api);
  channel = createTelegramChannel({
    token: api.token,
    apiRoot: front.url,
    log: pino({ level: 'silent' }),
    botInfo: api.botInfo,
    pollTimeoutSeconds: 1,
    throttle: FAST_LIMITS,
    ...options,
  });
  await channel.start(async (msg) => replies(msg.text));
  return channel;
}

describe('a reply with a picture on Telegram', () => {
  it('is one sendPhoto: the PNG uploaded from the buffer, the text as a fixed-width caption, the buttons under it', async () => {
    const png = await renderQrPng(QR_TEXT);
    await start(() => [{ text: SUMMARY, fixedWidth: true, choices: CHOICES, ref: 'Q1', image: { png, name: 'qris-T1.png' } }]);
    api!.enqueue(textUpdate(USER, 'DEPOSIT QRIS 50000'));
    await api!.waitFor(() => front!.photos.length === 1, 'the photo');
    const [photo] = front!.photos;
    expect(photo!.chat_id).toBe(USER);
    expect(photo!.photo.name).toBe('qris-T1.png');
    expect(photo!.photo.bytes.equals(png)).toBe(true);
    expect(photo!.caption).toBe(SUMMARY);
    // The same `pre` entity a fixed-width message gets: the amounts stay lined up under the picture too.
    expect(photo!.caption_entities).toEqual([{ type: 'pre', offset: 0, length: SUMMARY.length }]);
    expect(photo!.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Batal', callback_data: 'c|Q1|BATAL' }]] });
    // Nothing else: the caption is the text.
    expect(api!.callsOf('sendMessage')).toHaveLength(0);
  });

  it('a plain reply keeps a plain caption; a notice with a picture (send) goes the same way', async () => {
    const png = await renderQrPng(QR_TEXT);
    const ch = await start(() => []);
    await ch.send(`telegram:${USER}`, { text: 'Struk transaksi T1', image: { png, name: 'struk-T1.png' } });
    expect(front!.photos).toHaveLength(1);
    expect(front!.photos[0]!.caption).toBe('Struk transaksi T1');
    expect(front!.photos[0]!.caption_entities).toBeUndefined();
    expect(front!.photos[0]!.reply_markup).toBeUndefined();
  });

  it('a text over 1024 characters follows the photo whole, as a message carrying the buttons', async () => {
    const png = await renderQrPng(QR_TEXT);
    const long = Array.from({ length: 60 }, (_, i) => `Baris ${String(i + 1).padStart(2, '0')} ${'.'.repeat(20)} Rp 1.000`).join('\n');
    expect(long.length).toBeGreaterThan(CAPTION_MAX_CHARS);
    await start(() => [{ text: long, fixedWidth: true, choices: CHOICES, ref: 'Q2', image: { png, name: 'struk.png' } }]);
    api!.enqueue(textUpdate(USER, 'CETAK T1'));
    await api!.waitFor(() => api!.sent(USER).length === 1, 'the text after the photo');
    expect(front!.photos).toHaveLength(1);
    expect(front!.photos[0]!.caption).toBeUndefined();
    expect(front!.photos[0]!.reply_markup).toBeUndefined();
    const [text] = api!.callsOf('sendMessage');
    expect(text!.payload.text).toBe(long);
    expect(text!.payload.entities).toEqual([{ type: 'pre', offset: 0, length: long.length }]);
    expect(text!.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Batal', callback_data: 'c|Q2|BATAL' }]] });
    expect(front!.order.filter((m) => m === 'sendPhoto' || m === 'sendMessage')).toEqual(['sendPhoto', 'sendMessage']);
  });

  it('a 429 on sendPhoto is waited out and sent again, the same bytes', async () => {
    const png = await renderQrPng(QR_TEXT);
    const ch = await start(() => []);
    front!.failNext(429, 'Too Many Requests: retry after 1', { retryAfter: 1 });
    const t0 = Date.now();
    await ch.send(`telegram:${USER}`, { text: 'QRIS', image: { png, name: 'qris.png' } });
    expect(front!.refused).toBe(1);
    expect(front!.photos).toHaveLength(1);
    expect(front!.photos[0]!.photo.bytes.equals(png)).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it("a photo and the next text to one chat keep Telegram's pace of about one a second", async () => {
    const png = await renderQrPng(QR_TEXT);
    // Telegram's limits as shipped.
    const ch = await start(() => [], { throttle: undefined });
    await Promise.all([
      ch.send(`telegram:${USER}`, { text: 'QRIS', image: { png, name: 'qris.png' } }),
      ch.send(`telegram:${USER}`, { text: 'Saldo Anda Rp 50.000.' }),
    ]);
    const textAt = api!.callsOf('sendMessage')[0]!.at;
    expect(textAt - front!.photos[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('a picture Telegram refuses (400) leaves the text, sent as a message with its buttons', async () => {
    const png = Buffer.from('not a png');
    await start(() => [{ text: 'Scan QRIS atau buka https://tripay.co.id/checkout/T1', choices: CHOICES, ref: 'Q3', image: { png, name: 'qris.png' } }]);
    front!.failNext(400, 'Bad Request: IMAGE_PROCESS_FAILED');
    api!.enqueue(textUpdate(USER, 'DEPOSIT QRIS 50000'));
    const [text] = await (async () => {
      await api!.waitFor(() => api!.sent(USER).length === 1, 'the text instead of the photo');
      return api!.sent(USER);
    })();
    expect(text!.text).toContain('https://tripay.co.id/checkout/T1');
    expect(text!.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Batal', callback_data: 'c|Q3|BATAL' }]] });
    expect(front!.photos).toHaveLength(0);
  });

  it('a user who blocked the bot is unreachable for a photo as for a text', async () => {
    const png = await renderQrPng(QR_TEXT);
    const ch = await start(() => []);
    front!.failNext(403, 'Forbidden: bot was blocked by the user');
    const err = await ch.send(`telegram:${USER}`, { text: 'Struk', image: { png, name: 'struk.png' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecipientUnreachable);
    expect((err as RecipientUnreachable).reason).toBe('blocked');
    expect(api!.callsOf('sendMessage')).toHaveLength(0);
  });
});

describe('planPhoto', () => {
  it('a text of up to 1024 UTF-16 units is the caption; longer follows; none, no caption', () => {
    const png = Buffer.alloc(1);
    const image = { png, name: 'x.png' };
    expect(planPhoto({ text: 'x'.repeat(CAPTION_MAX_CHARS), image })).toEqual({ caption: 'x'.repeat(CAPTION_MAX_CHARS), textAfter: false });
    expect(planPhoto({ text: 'x'.repeat(CAPTION_MAX_CHARS + 1), image })).toEqual({ textAfter: true });
    // An emoji is two units, as Telegram counts.
    expect(planPhoto({ text: '👍'.repeat(513), image }).textAfter).toBe(true);
    expect(planPhoto({ text: '', image })).toEqual({ textAfter: false });
  });
});
