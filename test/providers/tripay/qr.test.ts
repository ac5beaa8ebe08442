/**
 * The QR image of a QRIS payload: a PNG whose pixels, read back module by module, are exactly the QR code of
 * that payload (no QR decoder is installed here: the PNG is decoded below with zlib, and its modules are
 * compared with the symbol qrcode builds for the text, which is what a scanner would decode).
 */
import { inflateSync } from 'node:zlib';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { MAX_QR_TEXT, renderQrPng } from '../../../src/providers/tripay/qr.ts';
import { qrisCrc, sandboxQrisString } from '../../../src/providers/tripay/sim-qris.ts';

interface Png {
  width: number;
  height: number;
  /** Grey level 0–255 of the pixel at x, y. */
  grey(x: number, y: number): number;
}

/** Just enough PNG: 8-bit grey, RGB or RGBA, not interlaced, the five row filters. */
function decodePng(buf: Buffer): Png {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8);
      colorType = data[9]!;
      expect(data[12]).toBe(0);
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const channels = { 0: 1, 2: 3, 6: 4 }[colorType as 0 | 2 | 6];
  if (!channels) throw new Error(`colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= channels ? px[y * stride + i - channels]! : 0;
      const b = y > 0 ? px[(y - 1) * stride + i]! : 0;
      const c = y > 0 && i >= channels ? px[(y - 1) * stride + i - channels]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter]!;
      px[y * stride + i] = (x + pred) & 0xff;
    }
  }
  return { width, height, grey: (x, y) => px[y * stride + x * channels]! };
}

function modulesOf(png: Png, size: number, scale: number, margin: number): boolean[] {
  const out: boolean[] = [];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) out.push(png.grey((c + margin) * scale + (scale >> 1), (r + margin) * scale + (scale >> 1)) < 128);
  }
  return out;
}

describe('renderQrPng', () => {
  it('renders a QRIS payload as a PNG whose modules are that payload’s QR code, quiet zone white', async () => {
    const text = sandboxQrisString({ merchantCode: 'T4242', reference: 'DEV-T4242123456ABCD', amount: 101_461 });
    const png = await renderQrPng(text);
    const symbol = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const size = symbol.modules.size;
    const image = decodePng(png);
    expect(image.width).toBe((size + 8) * 8);
    expect(image.height).toBe(image.width);
    expect(modulesOf(image, size, 8, 4)).toEqual(Array.from(symbol.modules.data, Boolean));
    for (const [x, y] of [[0, 0], [image.width - 1, image.height - 1], [16, image.height >> 1]] as const) expect(image.grey(x, y)).toBe(255);
  });

  it('another payload is another image; scale and margin are honoured', async () => {
    const a = await renderQrPng('00020101021226...A');
    const b = await renderQrPng('00020101021226...B');
    expect(a.equals(b)).toBe(false);
    const small = decodePng(await renderQrPng('hello', { scale: 4, margin: 2 }));
    const size = QRCode.create('hello', { errorCorrectionLevel: 'M' }).modules.size;
    expect(small.width).toBe((size + 4) * 4);
  });

  it('refuses an empty payload or one no QR code holds', async () => {
    await expect(renderQrPng('')).rejects.toThrow();
    await expect(renderQrPng('x'.repeat(MAX_QR_TEXT + 1))).rejects.toThrow();
  });
});

describe('sandbox QRIS payload', () => {
  it('is EMV TLV with the amount in tag 54 and a CRC-16/CCITT-FALSE that checks', () => {
    const text = sandboxQrisString({ merchantCode: 'T4242', reference: 'DEV-T1', amount: 50_000 });
    expect(text.startsWith('000201010212')).toBe(true);
    expect(text).toContain('540550000');
    expect(text).toContain('5303360');
    expect(text.slice(-4)).toBe(qrisCrc(text.slice(0, -4)));
    // The standard's check value for CRC-16/CCITT-FALSE.
    expect(qrisCrc('123456789')).toBe('29B1');
  });
});
