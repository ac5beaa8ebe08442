/**
 * One bot process of the prepaid soak (soak/prepaid.ts): the real app on the shared Redis with its recheck worker,
 * and its own HTTP server serving `app.routes`, where IAK's callbacks arrive. Messages come over IPC as in
 * soak/bot.ts; every receipt this process tells outside a reply is reported (`told`), so the driver can count
 * receipts told twice.
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

/** The driver may be gone (it killed us, or it ended): a message nobody waits for is dropped. */
function tell(m: object): void {
  if (process.connected) process.send?.(m, undefined, {}, () => {});
}

const TX = /ID transaksi\s+([0-9A-Z]{14})/;
const channel: Channel = {
  name: 'soak',
  async start() {},
  async send(_user, reply) {
    const id = TX.exec(reply.text)?.[1];
    if (id) tell({ told: id, receipt: reply.text.includes('STRUK') });
  },
  async stop() {},
};
await app.attach(channel);
const http = await startHttpServer({ app, log, port: 0, host: '127.0.0.1', routes: app.routes });

process.on('message', (m: { id: number; msg: IncomingMessage }) => {
  app.bot.handle(m.msg).then(
    (replies) => tell({ id: m.id, text: replies.map((r) => r.text).join('\n') }),
    (err: unknown) => tell({ id: m.id, text: `ERROR ${String(err)}` }),
  );
});
// The driver gone (it crashed, or was killed) leaves nobody to stop this process: it stops itself.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => {
  void http
    .close()
    .then(() => app.stop())
    .then(() => process.exit(0));
});
tell({ ready: true, url: http.url });
