/**
 * A terminal shows no pictures: the console writes a reply's PNG (the QRIS code of DEPOSIT QRIS, later a
 * receipt) to `<temp dir>/ppob-<name>` and prints the text, then a line with the path in the user's language.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/bot/channel.ts';
import { translator } from '../../../src/bot/i18n.ts';
import { createConsoleChannel, type ConsoleChannelOptions } from '../../../src/channels/console/index.ts';
import { imagePath } from '../../../src/channels/console/image.ts';
import { renderQrPng } from '../../../src/providers/tripay/qr.ts';

const QR_TEXT = '00020101021226610014COM.GO-JEK.WWW01189360091430000000005204581253033605404500005802ID5912PPOB SANDBOX6007JAKARTA6304ABCD';
const dirs: string[] = [];
const written: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  for (const f of written.splice(0)) rmSync(f, { force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ppob-console-test-'));
  dirs.push(d);
  return d;
}

/** Runs the given lines through a console channel that answers each with `replies`; gives what it printed. */
async function run(lines: string[], replies: Reply[], opts: Partial<ConsoleChannelOptions> = {}): Promise<string> {
  let out = '';
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  const input = new PassThrough();
  const ch = createConsoleChannel({ input, output, ...opts });
  await ch.start(async () => replies);
  input.end(lines.map((l) => `${l}\n`).join(''));
  await ch.done;
  return out;
}

describe('a reply with a picture on the console', () => {
  it('writes the PNG under the temp dir and prints the text, then the sentence with its path, then the choices', async () => {
    const png = await renderQrPng(QR_TEXT);
    const dir = tempDir();
    const t = translator('id');
    const text = 'Deposit QRIS Rp 50.000\nBayar sebelum 14:30 WIB: https://tripay.co.id/checkout/T1';
    const out = await run(['DEPOSIT QRIS 50000'], [{ text, image: { png, name: 'qris-T1.png' }, choices: [{ label: 'Batal', text: 'BATAL' }] }], {
      imageDir: dir,
      imageSaved: (path) => t('console.imageSaved', { path }),
    });
    const path = join(dir, 'ppob-qris-T1.png');
    expect(out).toBe(`> DEPOSIT QRIS 50000\n${text}\nGambar disimpan di ${path}\n[ Batal: BATAL ]\n\n`);
    expect(readFileSync(path).equals(png)).toBe(true);
    // A receipt names a customer: only this user may read it in a shared temp dir.
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(translator('en')('console.imageSaved', { path })).toBe(`Image saved to ${path}`);
  });

  it('by default writes to the OS temp dir as ppob-<name>, and prints the bare path without a sentence given', async () => {
    const png = await renderQrPng(QR_TEXT);
    const name = `struk-test-${process.pid}-${Date.now()}.png`;
    const path = `${tmpdir()}/ppob-${name}`;
    written.push(path);
    const out = await run(['CETAK T1'], [{ text: 'STRUK PEMBAYARAN', image: { png, name } }]);
    expect(out).toBe(`> CETAK T1\nSTRUK PEMBAYARAN\n${path}\n\n`);
    expect(readFileSync(path).equals(png)).toBe(true);
  });

  it('a notice to another console user writes its picture too', async () => {
    const png = await renderQrPng(QR_TEXT);
    const dir = tempDir();
    let out = '';
    const output = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString('utf8');
        done();
      },
    });
    const ch = createConsoleChannel({ input: new PassThrough(), output, imageDir: dir });
    await ch.send('console:budi', { text: 'Struk T1', image: { png, name: 'struk-T1.png' } });
    expect(out).toBe(`[console:budi] Struk T1\n${join(dir, 'ppob-struk-T1.png')}\n\n`);
  });

  it('a picture that cannot be written leaves the text', async () => {
    const png = Buffer.from('png');
    const out = await run(['CETAK T1'], [{ text: 'STRUK PEMBAYARAN', image: { png, name: 'x.png' } }], { imageDir: join(tempDir(), 'missing') });
    expect(out).toBe('> CETAK T1\nSTRUK PEMBAYARAN\n\n');
  });
});

describe('imagePath', () => {
  it('keeps the name inside the directory, to safe characters, as a .png', () => {
    expect(imagePath('qris-T1.png', '/tmp')).toBe('/tmp/ppob-qris-T1.png');
    for (const hostile of ['../../etc/passwd', '..', '/etc/passwd', 'a\\..\\b']) expect(dirname(imagePath(hostile, '/tmp')), hostile).toBe('/tmp');
    expect(imagePath('../../etc/passwd', '/tmp')).toBe('/tmp/ppob--..-etc-passwd.png');
    expect(imagePath('struk T1/2', '/tmp')).toBe('/tmp/ppob-struk-T1-2.png');
    expect(imagePath('', '/tmp')).toBe('/tmp/ppob-image.png');
  });
});
