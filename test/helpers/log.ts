/** The product's own logger (createLog: redaction and all), writing into memory for a test to read. */
import { Writable } from 'node:stream';
import { createLog, type Log } from '../../src/log.ts';

export type LogLine = Record<string, unknown> & { level: number; msg?: string };

export function captureLog(level = 'debug', secrets: readonly string[] = []): { log: Log; lines: LogLine[]; text: () => string } {
  let text = '';
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      const s = chunk.toString();
      text += s;
      for (const line of s.split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { log: createLog(level, { destination: sink, secrets }), lines, text: () => text };
}
