/** One bot process of the soak: the real app on the shared Redis, driven over IPC by soak/run.ts. */
// First: the product's V8 flags, before anything else allocates (see runtime.ts).
import '../src/runtime.ts';
import { pino } from 'pino';
import { createApp } from '../src/app.ts';
import type { Channel, IncomingMessage } from '../src/bot/channel.ts';
import { loadConfig } from '../src/config.ts';

const config = loadConfig(process.env, '/nonexistent/.env');
const app = await createApp(config, { log: pino({ level: process.env.SOAK_LOG ?? 'silent' }) });
const quiet: Channel = { name: 'soak', async start() {}, async send() {}, async stop() {} };
await app.attach(quiet);

/** The driver may be gone (it killed us, or it ended): an answer nobody waits for is dropped. */
function answer(m: { id: number; text: string }): void {
  if (process.connected) process.send?.(m, undefined, {}, () => {});
}

process.on('message', (m: { id: number; msg: IncomingMessage }) => {
  app.bot.handle(m.msg).then(
    (replies) => answer({ id: m.id, text: replies.map((r) => r.text).join('\n') }),
    (err: unknown) => answer({ id: m.id, text: `ERROR ${String(err)}` }),
  );
});
// The driver gone (it crashed, or was killed) leaves nobody to stop this process: it stops itself.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => {
  void app.stop().then(() => process.exit(0));
});
process.send?.({ ready: true });
