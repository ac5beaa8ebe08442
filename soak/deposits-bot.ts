/**
 * One bot process of the deposits soak (soak/deposits.ts): the real app on the shared Redis with its real HTTP
 * server serving Moota's and Tripay's webhooks, as `npm start` serves them; chat messages come over IPC.
 * Tells the driver its server's URL once it listens.
 */
// First: the product's V8 flags, before anything else allocates (see runtime.ts).
import '../src/runtime.ts';
import { pino } from 'pino';
import { createApp } from '../src/app.ts';
import type { Channel, IncomingMessage } from '../src/bot/channel.ts';
import { loadConfig } from '../src/config.ts';
import { startHttpServer } from '../src/http/server.ts';

const config = loadConfig(process.env, '/nonexistent/.env');
const log = pino({ level: process.env.SOAK_LOG ?? 'silent' });
const app = await createApp(config, { log });
const quiet: Channel = { name: 'soak', async start() {}, async send() {}, async stop() {} };
await app.attach(quiet);
const http = await startHttpServer({ app, log, host: '127.0.0.1', port: 0, routes: app.routes });

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
process.on('SIGTERM', () => {
  void http.close().then(() => app.stop()).then(() => process.exit(0));
});
process.send?.({ ready: true, url: http.url });
