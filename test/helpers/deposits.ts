/**
 * A test bot with deposits without a human turned on: Moota's webhook under a known secret, Tripay's client on
 * a loopback Tripay simulator, and (with `http`) the bot's own HTTP server serving both routes, so a test can
 * post signed pushes and callbacks as Moota and Tripay do. Helpers read what the bot said and what it credited.
 */
import type { UserId } from '../../src/bot/channel.ts';
import type { LedgerEntry, Ticket } from '../../src/bot/store.ts';
import { type HttpServer, startHttpServer } from '../../src/http/server.ts';
import { MOOTA_PATH, TRIPAY_PATH } from '../../src/deposits.ts';
import { mootaOp } from '../../src/payments/auto-deposits.ts';
import { startMootaSimulator, type MootaSimulator } from '../../src/providers/moota/simulator.ts';
import { startTripaySimulator, type TripaySimulator } from '../../src/providers/tripay/simulator.ts';
import { pino } from 'pino';
import { startTestBot, type TestBot, type TestBotOptions } from './app.ts';

export const MOOTA_SECRET = 'moota-test-s3cret';

export interface DepositBot extends TestBot {
  tripay: TripaySimulator;
  /** Pushes signed with MOOTA_SECRET; its target is this bot's /deposit/moota once `http` is on. */
  moota: MootaSimulator;
  /** This bot's HTTP server (with `http: true`). */
  http?: HttpServer;
  mootaUrl?: string;
  tripayUrl?: string;
}

export interface DepositBotOptions extends TestBotOptions {
  /** Serve the webhook routes over real HTTP. */
  http?: boolean;
  /** Share one Tripay simulator between two "processes". */
  tripay?: TripaySimulator;
  /** Who bears the QRIS fee (QRIS_FEE_PAID_BY). */
  feePaidBy?: 'reseller' | 'operator';
}

export async function startDepositBot(opts: DepositBotOptions = {}): Promise<DepositBot> {
  const ownTripay = !opts.tripay;
  const tripay = opts.tripay ?? (await startTripaySimulator({ host: '127.0.0.1', port: 0 }));
  const bot = await startTestBot({
    ...opts,
    env: {
      MOOTA_WEBHOOK_SECRET: MOOTA_SECRET,
      TRIPAY_BASE_URL: tripay.url,
      TRIPAY_API_KEY: tripay.apiKey,
      TRIPAY_PRIVATE_KEY: tripay.privateKey,
      TRIPAY_MERCHANT_CODE: tripay.merchantCode,
      ...(opts.feePaidBy ? { QRIS_FEE_PAID_BY: opts.feePaidBy } : {}),
      ...opts.env,
    },
  });
  const moota = startMootaSimulator({ secret: MOOTA_SECRET });
  let http: HttpServer | undefined;
  if (opts.http) {
    http = await startHttpServer({ app: bot.app, log: pino({ level: 'silent' }), port: 0, host: '127.0.0.1', routes: bot.app.routes });
    bot.app.deposits.attachHttp(http.url);
    moota.setTarget(`${http.url}${MOOTA_PATH}`);
    tripay.setCallbackUrl(`${http.url}${TRIPAY_PATH}`);
  }
  const stop = bot.stop;
  return Object.assign(bot, {
    tripay,
    moota,
    ...(http ? { http, mootaUrl: `${http.url}${MOOTA_PATH}`, tripayUrl: `${http.url}${TRIPAY_PATH}` } : {}),
    async stop() {
      await http?.close();
      await moota.close();
      await stop();
      if (ownTripay) await tripay.close();
    },
  });
}

/** `TIKET <nominal>` as `user`: the ticket it opened, read back from the store. */
export async function openTicket(bot: TestBot, user: UserId, nominal: number, messageId?: string): Promise<Ticket> {
  const reply = await bot.say(user, `TIKET ${nominal}`, messageId);
  const id = /Tiket deposit (D[0-9A-Z]+)/.exec(reply)?.[1];
  if (!id) throw new Error(`TIKET opened nothing: ${reply}`);
  return (await bot.store.getTicket(id))!;
}

/** `DEPOSIT QRIS <nominal>` as `user`: the deposit it opened, read back from the store. */
export async function openQris(bot: TestBot, user: UserId, nominal: number): Promise<{ id: string; reference: string; reply: string }> {
  const reply = await bot.say(user, `DEPOSIT QRIS ${nominal}`);
  const id = /Deposit QRIS (Q[0-9A-Z]+)/.exec(reply)?.[1];
  if (!id) throw new Error(`DEPOSIT QRIS opened nothing: ${reply}`);
  const d = (await bot.store.getQris(id))!;
  return { id, reference: d.reference, reply };
}

/** The texts that reached `user` outside a reply. */
export function told(bot: TestBot, user: UserId): string[] {
  return (bot.inbox.get(user) ?? []).map((r) => r.text);
}

/** The ledger entries that credited ticket `id` (one, when it was credited once). */
export async function ticketCredits(bot: TestBot, user: UserId, id: string): Promise<LedgerEntry[]> {
  return (await bot.store.ledger(user, 10_000)).filter((e) => e.reason === 'deposit' && (e.note ?? '').startsWith(`ticket ${id} `));
}

/** The ledger entries that credited QRIS deposit `id`. */
export async function qrisCredits(bot: TestBot, user: UserId, id: string): Promise<LedgerEntry[]> {
  return (await bot.store.ledger(user, 10_000)).filter((e) => e.reason === 'deposit' && e.note === `qris ${id}`);
}

/** The ledger entries any mutation credited to `user`, by the webhook (note `… by moota:<id>`). */
export async function mootaCredits(bot: TestBot, user: UserId, mutationId: string): Promise<LedgerEntry[]> {
  return (await bot.store.ledger(user, 10_000)).filter((e) => (e.note ?? '').endsWith(` by ${mootaOp(mutationId)}`));
}

/** Waits until `cond` holds (a notice sent after the answer, a status another process moved). */
export async function until(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
