/**
 * The console reads one message per line without ever holding more than a bounded part of a line: input
 * that never sends a newline used to grow one string until the process crashed (RangeError: Invalid string
 * length). An over-long line reaches the core cut, and the core refuses it politely.
 */
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleChannel, MAX_LINE } from '../../../src/channels/console/index.ts';
import { readLines } from '../../../src/channels/console/lines.ts';
import { MAX_TEXT } from '../../../src/bot/core.ts';
import { RESELLER, startTestBot, type TestBot } from '../../helpers/app.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

function collect(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  return { stream, text: () => out };
}

/** Writes `total` bytes of `a` in 64 KiB chunks, letting the reader run between them. */
async function flood(input: PassThrough, total: number): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  for (let sent = 0; sent < total; sent += chunk.length) {
    if (!input.write(chunk)) await new Promise((r) => input.once('drain', r));
  }
}

describe('the console channel', () => {
  it('a line that never ends is kept bounded, refused politely, and the next line is answered', async () => {
    bot = await startTestBot();
    const input = new PassThrough();
    const out = collect();
    const seen: number[] = [];
    const channel = createConsoleChannel({ input, output: out.stream, user: RESELLER });
    await channel.start(async (msg) => {
      seen.push(msg.text.length);
      return bot!.app.bot.handle(msg);
    });
    await flood(input, 32 * 1024 * 1024);
    input.end('\nSALDO\n');
    await channel.done;
    expect(seen).toEqual([MAX_LINE, 5]);
    expect(out.text()).toContain(`Pesan terlalu panjang (lebih dari ${MAX_TEXT} karakter)`);
    expect(out.text()).toContain('Saldo Anda Rp 1.000.000.');
    // The transcript echoes only the start of the long line.
    expect(out.text().length).toBeLessThan(MAX_LINE);
  }, 30_000);
});

describe('readLines', () => {
  function reader(max: number): { input: PassThrough; lines: [string, boolean][]; ended: Promise<void> } {
    const input = new PassThrough();
    const lines: [string, boolean][] = [];
    let end!: () => void;
    const ended = new Promise<void>((r) => {
      end = r;
    });
    readLines(input, max, { line: (text, cut) => lines.push([text, cut]), end });
    return { input, lines, ended };
  }

  it('splits on newlines across chunks, drops CR, keeps a last line without a newline', async () => {
    const r = reader(100);
    r.input.write('SAL');
    r.input.write('DO\r\nPLN 1');
    r.input.write('23\n\nHARGA');
    r.input.end();
    await r.ended;
    expect(r.lines).toEqual([['SALDO', false], ['PLN 123', false], ['', false], ['HARGA', false]]);
  });

  it('cuts a line at max units and drops the rest of it, however long', async () => {
    const r = reader(10);
    r.input.write('0123456');
    r.input.write('789abcdef');
    r.input.write('ghij\nok\n');
    r.input.end();
    await r.ended;
    expect(r.lines).toEqual([['0123456789', true], ['ok', false]]);
  });

  it('decodes a character split between chunks', async () => {
    const r = reader(100);
    const bytes = Buffer.from('Rp 10.000 — é 👍\n');
    for (let i = 0; i < bytes.length; i++) r.input.write(bytes.subarray(i, i + 1));
    r.input.end();
    await r.ended;
    expect(r.lines).toEqual([['Rp 10.000 — é 👍', false]]);
  });
});
