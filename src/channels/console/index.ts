/**
 * The terminal channel: one message per line from standard input, replies printed. Piped input works too:
 * at end of input the lines already read are all handled before `done` resolves.
 */
import { createInterface } from 'node:readline';
import type { Channel, IncomingMessage, Reply, UserId } from '../../bot/channel.ts';

export interface ConsoleChannelOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  user?: UserId;
  /** Show a prompt (a terminal); otherwise echo each line so a piped transcript reads as a conversation. */
  interactive?: boolean;
}

export function createConsoleChannel(opts: ConsoleChannelOptions): Channel & { readonly done: Promise<void> } {
  const user = opts.user ?? 'console:local';
  const out = opts.output;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });
  let rl: ReturnType<typeof createInterface> | undefined;
  // Lines are handled one after another, in order, as a user's messages are on every channel.
  let queue: Promise<void> = Promise.resolve();
  let seq = 0;

  function print(reply: Reply): void {
    out.write(`${reply.text}\n`);
    if (reply.choices?.length) out.write(`[ ${reply.choices.map((c) => `${c.label}: ${c.text}`).join(' | ')} ]\n`);
    out.write('\n');
  }

  return {
    name: 'console',
    done,
    async start(handle) {
      rl = createInterface({ input: opts.input, terminal: false });
      const prompt = () => {
        if (opts.interactive) out.write('> ');
      };
      prompt();
      rl.on('line', (line) => {
        const text = line.trim();
        queue = queue.then(async () => {
          if (!opts.interactive && text) out.write(`> ${text}\n`);
          if (text) {
            const msg: IncomingMessage = { user, text, messageId: `${process.pid}-${Date.now()}-${++seq}` };
            for (const reply of await handle(msg)) print(reply);
          }
          prompt();
        });
      });
      rl.on('close', () => {
        void queue.then(resolveDone);
      });
    },
    async send(to, reply) {
      if (to === user) print(reply);
    },
    async stop() {
      rl?.close();
      await queue;
    },
  };
}
