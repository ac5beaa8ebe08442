/**
 * The bot process of the prepaid benchmark (bench/prepaid.ts): the real app from the environment on Redis, its
 * own HTTP server serving `app.routes` (IAK's callbacks arrive there), its load generated here so no IPC hop per
 * message sits in a figure. A request runs one kind of conversation for a timed window and answers with how
 * many were done and the CPU this process spent on them, callbacks included:
 *
 * - `prepaid`: `<KODE>.<NOMOR>.<PIN>` (no inquiry call: the price is the price list's), or without `pin`
 *   `<KODE> <NOMOR>` and `YA`, answered "sedang diproses"; the conversation ends when IAK's callback has brought
 *   the receipt to the channel.
 * - `pln`: `PLN <IDPEL>` (MMBC's inquiry), then `YA` (with the PIN when `pin`), answered with the receipt.
 */
// First: the product's V8 flags, before anything else allocates (see runtime.ts).
import '../src/runtime.ts';
import { performance } from 'node:perf_hooks';
import { createApp } from '../src/app.ts';
import type { Channel } from '../src/bot/channel.ts';
import { loadConfig } from '../src/config.ts';
import { startHttpServer } from '../src/http/server.ts';
import { benchLog } from './harness.ts';

export interface PrepaidBenchRequest {
  id: number;
  kind: 'prepaid' | 'pln';
  users: string[];
  seconds: number;
  /** Conversation numbers start here: a number or customer seen before would do less work. */
  from: number;
  /** The PIN the users have, typed in the one-line form (prepaid) or after YA (pln); none: plain YA. */
  pin?: string;
  /** The prepaid product; its operator's numbers are `0812…`. */
  code?: string;
}

const config = loadConfig(process.env, '/nonexistent/.env');
const log = benchLog(config);
const app = await createApp(config, { log });

/** Receipts told outside a reply, by transaction id: a conversation waiting for its callback ends here. */
const waiting = new Map<string, () => void>();
const told = new Set<string>();
const TX = /ID transaksi\s+([0-9A-Z]{14})/;
const channel: Channel = {
  name: 'bench',
  async start() {},
  async send(_user, reply) {
    const id = TX.exec(reply.text)?.[1];
    if (!id || !reply.text.includes('STRUK')) return;
    const done = waiting.get(id);
    if (done) done();
    else told.add(id);
  },
  async stop() {},
};
await app.attach(channel);
const http = await startHttpServer({ app, log, port: 0, host: '127.0.0.1', routes: app.routes });

// The commands this process sends Redis (a script is one), counted per window: where a conversation's cost goes.
let commands = 0;
const client = (app.store as unknown as { redis?: { sendCommand(c: unknown): unknown } }).redis;
if (client) {
  const original = client.sendCommand.bind(client);
  client.sendCommand = (c: unknown) => {
    commands++;
    return original(c);
  };
}

const PROCESSING = /\(ID ([0-9A-Z]{14})\)/;
let seq = 0;

function receiptOf(id: string): Promise<void> {
  if (told.delete(id)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no receipt for ${id} within 30 s`)), 30_000);
    waiting.set(id, () => {
      clearTimeout(timer);
      waiting.delete(id);
      resolve();
    });
  });
}

async function conversation(r: PrepaidBenchRequest, user: string, i: number): Promise<void> {
  const say = async (text: string) => (await app.bot.handle({ user, text, messageId: `${process.pid}m${seq++}` })).map((x) => x.text).join('\n');
  if (r.kind === 'prepaid') {
    const number = `0812${String(i).padStart(8, '0')}`;
    // With a PIN the one-line form; without, the summary (no call either) and YA.
    const reply = r.pin ? await say(`${r.code}.${number}.${r.pin}`) : (await say(`${r.code} ${number}`)) && (await say('YA'));
    const id = PROCESSING.exec(reply)?.[1];
    if (!id) throw new Error(`not processing: ${reply.slice(0, 200)}`);
    await receiptOf(id);
    return;
  }
  const summary = await say(`PLN ${530_000_000_000 + i}`);
  if (!summary.includes('Saldo dipotong')) throw new Error(`no summary: ${summary.slice(0, 200)}`);
  const receipt = await say(r.pin ? `YA ${r.pin}` : 'YA');
  if (!receipt.includes('STRUK')) throw new Error(`no receipt: ${receipt.slice(0, 200)}`);
}

async function run(r: PrepaidBenchRequest): Promise<Record<string, unknown>> {
  let next = r.from;
  let n = 0;
  const commands0 = commands;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + r.seconds * 1000;
  await Promise.all(
    r.users.map(async (user) => {
      while (performance.now() < end) {
        await conversation(r, user, next++);
        n++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { n, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, next, commands: commands - commands0 };
}

process.on('message', (m: PrepaidBenchRequest) => {
  run(m).then(
    (res) => process.send?.({ id: m.id, ...res }),
    (err: unknown) => process.send?.({ id: m.id, error: String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true, url: http.url });
