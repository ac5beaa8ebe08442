/**
 * A test bot selling IAK prepaid (issue 20): the IAK prepaid simulator on loopback as IAK_PREPAID_BASE_URL, and
 * the bot's own HTTP server serving `app.routes`, so the simulator's callbacks reach `POST /iak/callback` over
 * real HTTP as IAK's would. startTestBot gives IAK credentials, so the app is in production mode and builds
 * no simulator of its own: the one here stands in for IAK.
 */
import { pino } from 'pino';
import type { UserId } from '../../src/bot/channel.ts';
import type { Transaction } from '../../src/bot/store.ts';
import { IAK_CALLBACK_PATH } from '../../src/http/iak-callback.ts';
import { type HttpServer, startHttpServer } from '../../src/http/server.ts';
import { signCallback } from '../../src/providers/iak-prepaid/sign.ts';
import {
  type IakPrepaidSimulator,
  type IakPrepaidSimulatorOptions,
  type SimTopUp,
  startIakPrepaidSimulator,
} from '../../src/providers/iak-prepaid/simulator.ts';
import { RESELLER, startTestBot, type TestBot, type TestBotOptions } from './app.ts';

/** The simulator's credentials, which are also the IAK postpaid simulator's that startTestBot configures. */
export const IAK_CREDS = { username: 'sandbox', apiKey: 'sandbox-key' } as const;

/** The PIN the helpers set for the one-line form. */
export const PIN_CODE = '482915';

export interface PrepaidBot extends TestBot {
  prepaid: IakPrepaidSimulator;
  http: HttpServer;
  /** `http://127.0.0.1:<port>/iak/callback`. */
  callbackUrl: string;
}

export interface PrepaidBotOptions extends TestBotOptions {
  /** The simulator's options; by default the callback comes 150 ms after the top-up, retried every 50 ms. */
  prepaidSim?: IakPrepaidSimulatorOptions;
  /** `false`: the simulator posts no callback (only the status check can settle a top-up). */
  callbacks?: boolean;
}

export async function startPrepaidBot(opts: PrepaidBotOptions = {}): Promise<PrepaidBot> {
  const prepaid = await startIakPrepaidSimulator({ ...IAK_CREDS, callbackDelayMs: 150, callbackRetryMs: 50, hangMs: 3_000, ...opts.prepaidSim });
  let bot: TestBot;
  try {
    bot = await startTestBot({ ...opts, env: { IAK_PREPAID_BASE_URL: prepaid.url, ...opts.env } });
  } catch (err) {
    await prepaid.close();
    throw err;
  }
  if (bot.iak.username !== prepaid.username || bot.iak.apiKey !== prepaid.apiKey) throw new Error('the IAK simulators disagree on credentials');
  const http = await startHttpServer({ app: bot.app, log: pino({ level: 'silent' }), port: 0, host: '127.0.0.1', routes: bot.app.routes });
  const callbackUrl = `${http.url}${IAK_CALLBACK_PATH}`;
  if (opts.callbacks !== false) prepaid.setCallbackUrl(callbackUrl);
  const stop = bot.stop;
  return Object.assign(bot, {
    prepaid,
    http,
    callbackUrl,
    async stop() {
      // The simulator first: no callback may arrive at a bot half stopped.
      await prepaid.close();
      await http.close();
      await stop();
    },
  });
}

/** Every IAK request the simulator has seen, by endpoint (a copy). */
export const callsOf = (sim: IakPrepaidSimulator): Record<string, number> => ({ ...sim.calls });

/** What reached `user` outside a reply (later receipts, refunds, alerts), as text. */
export const inboxOf = (bot: TestBot, user: UserId = RESELLER): string[] => (bot.inbox.get(user) ?? []).map((r) => r.text);

export const receiptsOf = (bot: TestBot, user: UserId = RESELLER): string[] => inboxOf(bot, user).filter((t) => t.includes('STRUK'));

export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** The user's newest transaction. */
export async function lastTx(bot: TestBot, user: UserId = RESELLER): Promise<Transaction> {
  const [tx] = await bot.store.listTx(user, 1);
  if (!tx) throw new Error(`${user} has no transaction`);
  return tx;
}

export async function txNow(bot: TestBot, id: string, user: UserId = RESELLER): Promise<Transaction> {
  const tx = await bot.store.getTx(user, id);
  if (!tx) throw new Error(`no transaction ${id}`);
  return tx;
}

/** Moves the bot's clock past the first status check and runs the worker once. */
export async function statusCheck(bot: TestBot): Promise<void> {
  bot.advance(2_000);
  await bot.app.worker.tick();
}

/** The simulator's top-up under this ref_id once IAK has decided it. */
export async function decided(sim: IakPrepaidSimulator, refId: string): Promise<SimTopUp> {
  await until(() => sim.topUps.get(refId)?.state !== undefined && sim.topUps.get(refId)!.state !== 'process', `IAK to decide ${refId}`);
  return sim.topUps.get(refId)!;
}

/** The callback IAK posts for a decided top-up (v1 field names, every value a string), signed or not. */
export function callbackBody(t: SimTopUp, sign: string = signCallback(IAK_CREDS, t.refId), over: Record<string, string> = {}): string {
  const status = t.state === 'process' ? '0' : t.state === 'success' ? '1' : '2';
  const data: Record<string, string> = {
    ref_id: t.refId, status, code: t.productCode, hp: t.customerId, price: String(t.price), message: t.message,
    ...(t.sn ? { sn: t.sn } : {}), ...(t.pin ? { pin: t.pin } : {}), balance: '1000000', tr_id: t.trId, rc: t.rc, sign, ...over,
  };
  return JSON.stringify({ data });
}

export async function postCallback(url: string, body: string): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await res.arrayBuffer();
  return res.status;
}

/** The user's ledger amounts for one transaction, oldest first. */
export async function ledgerOf(bot: TestBot, txId: string, user: UserId = RESELLER): Promise<Array<{ amount: number; reason: string }>> {
  const entries = await bot.store.ledger(user, 1_000);
  return entries.filter((e) => e.txId === txId).map((e) => ({ amount: e.amount, reason: e.reason })).reverse();
}
