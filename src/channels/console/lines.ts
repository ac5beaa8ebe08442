/**
 * Lines of a text stream, each kept to at most `max` UTF-16 units: what follows on the same line is read and
 * dropped. readline keeps a line until its newline comes, so input without one grew a single string until
 * V8 refused it (`RangeError: Invalid string length`) and the console crashed.
 */
import { StringDecoder } from 'node:string_decoder';

export interface LineReader {
  /** Stops reading; `onEnd` is called once (now, unless the input already ended). */
  close(): void;
}

export interface LineHandlers {
  /** A line without its line ending; `cut` when the line was longer than `max` and only its start is given. */
  line(text: string, cut: boolean): void;
  /** End of input (a last line without a newline has been given first), an input error, or close(). */
  end(): void;
}

export function readLines(input: NodeJS.ReadableStream, max: number, on: LineHandlers): LineReader {
  const decoder = new StringDecoder('utf8');
  let current = '';
  let cut = false;
  let ended = false;

  function take(part: string): void {
    const room = max - current.length;
    if (part.length > room) {
      cut = true;
      if (room > 0) current += part.slice(0, room);
    } else {
      current += part;
    }
  }

  function emit(): void {
    const text = current.endsWith('\r') && !cut ? current.slice(0, -1) : current;
    const wasCut = cut;
    current = '';
    cut = false;
    on.line(text, wasCut);
  }

  function onData(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      take(text.slice(from, nl));
      emit();
      from = nl + 1;
    }
    take(text.slice(from));
  }

  function finish(): void {
    if (ended) return;
    ended = true;
    input.off('data', onData);
    input.off('end', onEndOfInput);
    on.end();
  }

  function onEndOfInput(): void {
    take(decoder.end());
    if (current.length > 0 || cut) emit();
    finish();
  }

  input.on('data', onData);
  input.once('end', onEndOfInput);
  // Kept after the end too: an error nobody listens to would be thrown.
  input.on('error', finish);

  return {
    close() {
      // Like readline's close: a terminal stops being read, so the process can end.
      input.pause();
      finish();
    },
  };
}
