/**
 * The terminal channel: one message per line from standard input, replies printed. Piped input works too:
 * at end of input the lines already read are all handled before `done` resolves. A reply's picture (a QRIS
 * code, a receipt) cannot be shown in a terminal: it is written to a file and its path printed under the text.
 */
import type { Channel, IncomingMessage, Reply, UserId } from '../../bot/channel.ts';
import { MAX_TEXT } from '../../bot/core.ts';
import { saveImage } from './image.ts';
import { readLines, type LineReader } from './lines.ts';

/**
 * What is kept of one line. Longer than the core reads even if every character takes two UTF-16 units, so an
 * over-long line still reaches the core as too long and is refused there, in the user's language.
 */
export const MAX_LINE = 4 * MAX_TEXT;

export interface ConsoleChannelOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  user?: UserId;
  /** Show a prompt (a terminal); otherwise echo each line so a piped transcript reads as a conversation. */
  interactive?: boolean;
  /**
   * The sandbox lets one terminal play several users: `/sebagai budi` (or `/as budi`) writes as `console:budi`
   * from the next line on, `/sebagai` alone as the first user again. Given: the line said when switching.
   */
  switching?: (user: UserId) => string;
  /**
   * The line printed under a reply whose picture was written to `path` (from the locales, e.g.
   * `(path) => t('console.imageSaved', { path })`); without it, the path alone.
   */
  imageSaved?: (path: string) => string;
  /** Where pictures are written (the OS temp dir). */
  imageDir?: string;
}

const SWITCH = /^\/(?:sebagai|as)(?:\s+([a-z0-9_-]{1,20}))?$/i;

export function createConsoleChannel(opts: ConsoleChannelOptions): Channel & { readonly done: Promise<void> } {
  const first = opts.user ?? 'console:local';
  let user = first;
  const out = opts.output;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });
  let reader: LineReader | undefined;
  // Lines are handled one after another, in order, as a user's messages are on every channel.
  let queue: Promise<void> = Promise.resolve();
  let seq = 0;

  function print(reply: Reply): void {
    out.write(`${reply.text}\n`);
    if (reply.image) {
      // The text says enough on its own: a picture that cannot be written (a full disk) only loses its line.
      const path = saveImage(reply.image, opts.imageDir);
      if (path) out.write(`${opts.imageSaved ? opts.imageSaved(path) : path}\n`);
    }
    if (reply.choices?.length) out.write(`[ ${reply.choices.map((c) => `${c.label}: ${c.text}`).join(' | ')} ]\n`);
    out.write('\n');
  }

  return {
    name: 'console',
    done,
    async start(handle) {
      const prompt = () => {
        if (opts.interactive) out.write('> ');
      };
      prompt();
      reader = readLines(opts.input, MAX_LINE, {
        line(line, cut) {
          const text = line.trim();
          queue = queue.then(async () => {
            // The echo of a piped transcript shows the start of an over-long line only.
            if (!opts.interactive && text) out.write(`> ${cut ? `${text.slice(0, 60)}…` : text}\n`);
            const switched = opts.switching ? SWITCH.exec(text) : null;
            if (switched && opts.switching) {
              user = switched[1] ? `console:${switched[1].toLowerCase()}` : first;
              out.write(`${opts.switching(user)}\n\n`);
            } else if (text) {
              const msg: IncomingMessage = { user, text, messageId: `${process.pid}-${Date.now()}-${++seq}` };
              for (const reply of await handle(msg)) print(reply);
            }
            prompt();
          });
        },
        end() {
          void queue.then(resolveDone);
        },
      });
    },
    async send(to, reply) {
      // Every console user is at this terminal: a notice to another one is printed with its name.
      if (to === user) print(reply);
      else if (to.startsWith('console:')) print({ ...reply, text: `[${to}] ${reply.text}` });
    },
    async stop() {
      reader?.close();
      await queue;
    },
  };
}
