/**
 * A reply with a picture (the QRIS code of DEPOSIT QRIS, later a receipt) goes to WhatsApp as an image message,
 * `{ image: Buffer, caption }`, on the same path as a text: a reply at once in the chat's turn, a notice through
 * the queue shared in Redis, where the picture travels as base64 up to 1 MB; past that, the text goes alone.
 */
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/bot/channel.ts';
import { CAPTION_MAX_CHARS, IMAGE_MAX_BYTES, waMessages } from '../../../src/channels/whatsapp/content.ts';
import { createWhatsAppChannel, type WhatsAppChannel } from '../../../src/channels/whatsapp/index.ts';
import { redisShared } from '../../../src/channels/whatsapp/shared.ts';
import { renderQrPng } from '../../../src/providers/tripay/qr.ts';
import { keys } from '../../../src/store/keys.ts';
import { captureLog, type LogLine } from '../../helpers/log.ts';
import { assertRedis, redisUrl, uniquePrefix } from '../../helpers/redis.ts';
import { boom, fakeSockets, type FakeSockets, textMessage, waitFor } from './fake-socket.ts';

const USER = '6281234567890';
const JID = `${USER}@s.whatsapp.net`;
const QR_TEXT = '00020101021226610014COM.GO-JEK.WWW01189360091430000000000215ID10200000000010303UME5204581253033605404500005802ID5912PPOB SANDBOX6007JAKARTA6304ABCD';
const SUMMARY = ['Deposit QRIS      Rp 50.000', 'Biaya             Rp  1.100', 'Total bayar       Rp 51.100'].join('\n');

let redis: Redis;
let prefix: string;
const channels: WhatsAppChannel[] = [];
beforeEach(async () => {
  await assertRedis();
  redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  prefix = uniquePrefix('wa-images');
});
afterEach(async () => {
  for (const c of channels.splice(0)) await c.stop();
  const found = await redis.keys(`${prefix}*`);
  if (found.length > 0) await redis.del(...found);
  redis.disconnect();
});

/** A channel on a fake socket, its state in Redis under this test's prefix, answering every message with `replies`. */
function channel(opts: { socks?: FakeSockets; retry?: { attempts?: number } } = {}): { channel: WhatsAppChannel; socks: FakeSockets; logs: LogLine[] } {
  const socks = opts.socks ?? fakeSockets();
  const { log, lines } = captureLog();
  const ch = createWhatsAppChannel({
    ...redisShared({ redis, prefix, log, leaseTtlMs: 600 }),
    makeSocket: socks.factory,
    log,
    paceMs: [20, 30],
    retry: { baseMs: 10, maxMs: 20, ...opts.retry },
    reconnect: { baseMs: 20, maxMs: 100 },
    idlePollMs: 50,
    stopGraceMs: 2_000,
  });
  channels.push(ch);
  return { channel: ch, socks, logs: lines };
}

async function started(replies: Reply[], opts: { retry?: { attempts?: number } } = {}) {
  const c = channel(opts);
  await c.channel.start(async () => replies);
  const sock = await c.socks.nth(1);
  await waitFor(() => c.channel.state() === 'open', 'open');
  return { ...c, sock };
}

describe('a reply with a picture on WhatsApp', () => {
  it('is one image message: the PNG as a Buffer, the text (fixed-width as a message would be) as its caption', async () => {
    const png = await renderQrPng(QR_TEXT);
    const { sock } = await started([{ text: SUMMARY, fixedWidth: true, image: { png, name: 'qris-T1.png' } }]);
    sock.deliver([textMessage(USER, 'DEPOSIT QRIS 50000')]);
    await waitFor(() => sock.sent.length === 1, 'the image');
    const [sent] = sock.sent;
    expect(sent!.jid).toBe(JID);
    expect(sent!.image?.bytes.equals(png)).toBe(true);
    expect(sent!.image?.mimetype).toBe('image/png');
    expect(sent!.text).toBe(`\`\`\`${SUMMARY}\`\`\``);
    // Kept for a recipient's retry like any sent message: the media reference, never the bytes.
    const kept = await redis.get(keys(prefix).waSent(sent!.id));
    expect(kept).toContain('imageMessage');
  });

  it('a text too long for a caption follows the picture whole', async () => {
    const png = await renderQrPng(QR_TEXT);
    const long = Array.from({ length: 60 }, (_, i) => `Baris ${i + 1} ${'.'.repeat(20)} Rp 1.000`).join('\n');
    expect(long.length).toBeGreaterThan(CAPTION_MAX_CHARS);
    const { sock } = await started([{ text: long, image: { png, name: 'struk.png' } }, { text: 'Saldo Anda Rp 1.000.' }]);
    sock.deliver([textMessage(USER, 'CETAK T1')]);
    await waitFor(() => sock.sent.length === 3, 'image, text, next reply');
    expect(sock.sent[0]!.image?.bytes.equals(png)).toBe(true);
    expect(sock.sent[0]!.text).toBe('');
    expect(sock.sent.slice(1).map((m) => [m.text, m.image])).toEqual([[long, undefined], ['Saldo Anda Rp 1.000.', undefined]]);
  });

  it('a notice with a picture is queued in Redis with the PNG as base64, and another process sends it as an image', async () => {
    const png = await renderQrPng(QR_TEXT);
    // A process that never connects (a web or worker process) queues; the holder of the connection sends.
    const queuer = channel();
    await redisShared({ redis, prefix }).contacts.seen(`whatsapp:${USER}`, { jid: JID, at: Date.now() });
    await queuer.channel.send(`whatsapp:${USER}`, { text: 'Struk T1', image: { png, name: 'struk-T1.png' } });
    const [raw] = await redis.lrange(keys(prefix).waOutbox('urgent'), 0, -1);
    const item = JSON.parse(raw!) as { text: string; image?: string };
    expect(item.text).toBe('Struk T1');
    expect(Buffer.from(item.image!, 'base64').equals(png)).toBe(true);

    const holder = await started([]);
    await waitFor(() => holder.sock.sent.length === 1, 'the queued image');
    expect(holder.sock.sent[0]!.image?.bytes.equals(png)).toBe(true);
    expect(holder.sock.sent[0]!.text).toBe('Struk T1');
    // Done with it: nothing left in flight for a next holder to send again.
    for (let i = 0; (await redis.llen(keys(prefix).waOutboxInflight())) > 0; i++) {
      if (i > 100) throw new Error('the item stayed in flight');
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await redis.llen(keys(prefix).waOutbox('urgent'))).toBe(0);
  });

  it('a picture over 1 MB is left out of the queue and the reply: the text goes alone, the operator is told', async () => {
    const big = Buffer.alloc(IMAGE_MAX_BYTES + 1, 7);
    const { sock, channel: ch, logs } = await started([{ text: 'QRIS: buka https://tripay.co.id/checkout/T1', image: { png: big, name: 'big.png' } }]);
    sock.deliver([textMessage(USER, 'DEPOSIT QRIS 50000')]);
    await waitFor(() => sock.sent.length === 1, 'the reply');
    expect(sock.sent[0]!.image).toBeUndefined();
    expect(sock.sent[0]!.text).toContain('https://tripay.co.id/checkout/T1');

    await ch.send(`whatsapp:${USER}`, { text: 'Struk T1', image: { png: big, name: 'struk.png' } });
    await waitFor(() => sock.sent.length === 2, 'the notice');
    expect(sock.sent[1]).toMatchObject({ text: 'Struk T1' });
    expect(sock.sent[1]!.image).toBeUndefined();
    const warned = logs.filter((l) => l.level === 40 && String(l.msg).includes('image too large'));
    expect(warned).toHaveLength(2);
    expect(warned[0]).toMatchObject({ bytes: IMAGE_MAX_BYTES + 1, maxBytes: IMAGE_MAX_BYTES });
  });

  it('a picture that never goes (upload failing on every try) leaves its text to go alone', async () => {
    const png = await renderQrPng(QR_TEXT);
    const { sock, logs } = await started([{ text: 'QRIS: buka https://tripay.co.id/checkout/T1', image: { png, name: 'qris.png' } }], { retry: { attempts: 2 } });
    sock.failures.push(boom(500, 'Media upload failed on all hosts'), boom(500, 'Media upload failed on all hosts'));
    sock.deliver([textMessage(USER, 'DEPOSIT QRIS 50000')]);
    await waitFor(() => sock.sent.length === 1, 'the text');
    expect(sock.sent[0]!.image).toBeUndefined();
    expect(sock.sent[0]!.text).toBe('QRIS: buka https://tripay.co.id/checkout/T1');
    expect(logs.some((l) => String(l.msg).includes('image not delivered'))).toBe(true);
  });
});

describe('waMessages', () => {
  it('a caption up to 1024 characters, the picture then the text beyond, the text alone without a picture', () => {
    const image = Buffer.alloc(4);
    const fits = 'x'.repeat(CAPTION_MAX_CHARS);
    expect(waMessages({ text: fits, image })).toEqual([{ image, mimetype: 'image/png', caption: fits }]);
    expect(waMessages({ text: `${fits}x`, image })).toEqual([{ image, mimetype: 'image/png' }, { text: `${fits}x` }]);
    expect(waMessages({ text: '', image })).toEqual([{ image, mimetype: 'image/png' }]);
    expect(waMessages({ text: 'hi' })).toEqual([{ text: 'hi' }]);
  });
});
