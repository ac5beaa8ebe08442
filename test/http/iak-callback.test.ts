/**
 * `POST /iak/callback` over real HTTP: the IAK prepaid simulator's own callbacks, and requests IAK would
 * never send (a wrong sign, a body over 1 MB, garbage).
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { PayOutcome, Provider } from '../../src/bot/provider.ts';
import { IAK_CALLBACK_PATH, type IakCallbackHandled, type IakCallbackResult, iakCallbackRoute } from '../../src/http/iak-callback.ts';
import { createIakPrepaidClient, type IakPrepaidClient } from '../../src/providers/iak-prepaid/client.ts';
import { createIakPrepaidProvider } from '../../src/providers/iak-prepaid/provider.ts';
import { signCallback } from '../../src/providers/iak-prepaid/sign.ts';
import { type IakPrepaidSimulator, startIakPrepaidSimulator } from '../../src/providers/iak-prepaid/simulator.ts';
import { captureLog } from '../helpers/log.ts';

const creds = { username: 'sandbox', apiKey: 'sandbox-key' };

let server: Server | undefined;
let sim: IakPrepaidSimulator | undefined;
let client: IakPrepaidClient | undefined;
afterEach(async () => {
  await client?.close();
  await sim?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise((r) => server!.close(r));
  }
  server = client = sim = undefined;
});

interface Bot {
  url: string;
  results: IakCallbackResult[];
  lines: ReturnType<typeof captureLog>['lines'];
  logText: () => string;
}

/** The route on a loopback server, as the bot's HTTP server would mount it. */
async function bot(onResult: (r: IakCallbackResult) => Promise<IakCallbackHandled> = async () => 'applied'): Promise<Bot> {
  const { log, lines, text } = captureLog('debug', [creds.apiKey]);
  const results: IakCallbackResult[] = [];
  const route = iakCallbackRoute({
    credentials: creds,
    log,
    onResult: async (r) => {
      results.push(r);
      return onResult(r);
    },
  });
  server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] === IAK_CALLBACK_PATH) return route(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${IAK_CALLBACK_PATH}`, results, lines, logText: text };
}

async function iak(callbackUrl: string, opts: Parameters<typeof startIakPrepaidSimulator>[0] = {}): Promise<Provider> {
  sim = await startIakPrepaidSimulator({ ...creds, callbackUrl, callbackDelayMs: 100, callbackRetryMs: 50, ...opts });
  client = createIakPrepaidClient({ baseUrl: sim.url, ...creds, timeoutMs: 5000 });
  return createIakPrepaidProvider(client);
}

/** Quotes and tops up, as the core does after YA. */
async function topUp(p: Provider, code: string, customerNo: string, txId: string): Promise<PayOutcome> {
  const product = (await p.priceList()).find((e) => e.code === code)!;
  const q = await p.inquire({ product, customerNo, refId: `Q-${txId}` });
  if (!q.ok) throw new Error(q.reason);
  return p.pay({ txId, product: code, customerNo: q.bill.customerNo, bill: q.bill });
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await sleep(20);
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

const post = (url: string, body: string | object, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

const callback = (refId: string, extra: object = {}, sign = signCallback(creds, refId)) => ({
  data: { ref_id: refId, status: '1', code: 'xld25000', hp: '081712345678', price: '24850', message: 'SUCCESS', sn: '123456789', balance: '1000', tr_id: '77', rc: '00', sign, ...extra },
});

describe('POST /iak/callback', () => {
  it('IAK’s callback after a PROCESS top-up: the outcome handed on, then 200', async () => {
    const b = await bot();
    const p = await iak(b.url);
    expect((await topUp(p, 'htelkomsel10000', '081234567890', 'TX-cb-1')).status).toBe('pending');
    await until(() => sim!.callbacks.length === 1, 'the callback');
    expect(sim!.callbacks[0]).toEqual({ refId: 'TX-cb-1', state: 'success', answered: 200 });
    expect(b.results).toHaveLength(1);
    expect(b.results[0]).toMatchObject({ refId: 'TX-cb-1', outcome: { status: 'settled', receipt: { reference: sim!.topUps.get('TX-cb-1')!.sn, debit: 10_850 } } });
    // The record keeps the callback, its sign taken out.
    expect(JSON.stringify(b.results[0]!.outcome)).not.toContain(signCallback(creds, 'TX-cb-1'));
    expect(b.logText()).not.toContain(signCallback(creds, 'TX-cb-1'));
  });

  it('the callback and the status check say the same; the same callback five times, with a status check, still the same', async () => {
    const b = await bot();
    const p = await iak(b.url);
    await topUp(p, 'hpln20000', '12345678901', 'TX-cb-pln');
    await until(() => b.results.length === 1, 'the callback');
    const [answers, statuses] = await Promise.all([
      Promise.all(Array.from({ length: 5 }, () => sim!.resendCallback('TX-cb-pln'))),
      Promise.all([p.status({ txId: 'TX-cb-pln', product: 'hpln20000', customerNo: '12345678901' })]),
    ]);
    expect(answers).toEqual([200, 200, 200, 200, 200]);
    expect(b.results).toHaveLength(6);
    const receipt = (o: unknown) => (o as { receipt: unknown }).receipt;
    const first = b.results[0]!.outcome;
    expect(first).toMatchObject({ status: 'settled', receipt: { token: expect.stringMatching(/^\d{20}$/), customerName: 'SINTYA OKTAVIANI' } });
    for (const r of b.results) expect(receipt(r.outcome)).toEqual(receipt(first));
    expect(receipt(statuses[0])).toEqual(receipt(first));
    expect(sim!.topUps.size).toBe(1);
    expect(sim!.repeats).toBe(0);
  });

  it('a failure told by callback: failed, with IAK’s reason', async () => {
    const b = await bot();
    const p = await iak(b.url, { callbackVersion: 2 });
    await topUp(p, 'htelkomsel10000', '081200000001', 'TX-cb-fail');
    await until(() => b.results.length === 1, 'the callback');
    expect(b.results[0]).toMatchObject({ refId: 'TX-cb-fail', outcome: { status: 'failed', reason: 'FAILED (RC 07)' } });
  });

  it('a wrong sign: 403 and nothing handed on', async () => {
    const b = await bot();
    for (const body of [
      callback('TX-x', {}, signCallback({ ...creds, apiKey: 'other-key' }, 'TX-x')),
      callback('TX-x', {}, signCallback(creds, 'TX-y')),
      { data: { ...callback('TX-x').data, sign: undefined } },
      callback('TX-x', { ref_id: 'TX-z' }),
    ]) {
      expect((await post(b.url, body)).status).toBe(403);
    }
    expect(b.results).toHaveLength(0);
    expect(b.lines.filter((l) => l.msg === 'iak callback with a wrong or missing sign refused')).toHaveLength(4);
  });

  it('a callback signed with another key (a rotated one) is refused the same, and so are its retries', async () => {
    const b = await bot();
    const rotated = { ...creds, apiKey: 'rotated-key' };
    sim = await startIakPrepaidSimulator({ ...rotated, callbackUrl: b.url, callbackDelayMs: 100, callbackRetryMs: 50, callbackAttempts: 2 });
    client = createIakPrepaidClient({ baseUrl: sim.url, ...rotated, timeoutMs: 5000 });
    await topUp(createIakPrepaidProvider(client), 'htelkomsel10000', '081234567890', 'TX-cb-rot');
    await until(() => sim!.callbacks.length === 2, 'both attempts');
    expect(sim.callbacks.map((c) => c.answered)).toEqual([403, 403]);
    expect(b.results).toHaveLength(0);
  });

  it('a body over 1 MB is refused before it is read, declared or streamed', async () => {
    const b = await bot();
    const big = JSON.stringify(callback('TX-big', { message: 'x'.repeat(1_100_000) }));
    expect((await post(b.url, big)).status).toBe(413);
    expect(await streamed(b.url, 1_200_000)).toBe(413);
    expect(b.results).toHaveLength(0);
  });

  it('garbage: 400, signed or not', async () => {
    const b = await bot();
    expect((await post(b.url, '<html>not json</html>')).status).toBe(400);
    expect((await post(b.url, '')).status).toBe(400);
    // Signed, but an amount that is not one.
    expect((await post(b.url, callback('TX-g', { price: 'seratus' }))).status).toBe(400);
    expect(b.results).toHaveLength(0);
  });

  it('an unknown ref_id: 200 all the same, so IAK stops, and a log line', async () => {
    const b = await bot(async () => 'unknown');
    const res = await post(b.url, callback('TX-nobody'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('OK');
    expect(b.lines.some((l) => l.msg === 'iak callback for an unknown ref_id' && l.refId === 'TX-nobody')).toBe(true);
  });

  it('answers only once the outcome is handed on; a failure to act is 500, and IAK’s retry is taken', async () => {
    let calls = 0;
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const b = await bot(async () => {
      calls++;
      if (calls === 1) throw new Error('store down');
      await held;
      return 'applied';
    });
    const p = await iak(b.url);
    await topUp(p, 'htelkomsel10000', '081234567890', 'TX-cb-retry');
    await until(() => calls === 2, 'the retry');
    await sleep(100);
    expect(sim!.callbacks).toEqual([{ refId: 'TX-cb-retry', state: 'success', answered: 500 }]);
    release();
    await until(() => sim!.callbacks.length === 2, 'the answer to the retry');
    expect(sim!.callbacks[1]!.answered).toBe(200);
  });

  it('only POST', async () => {
    const b = await bot();
    expect((await fetch(b.url)).status).toBe(405);
  });
});

/** A body with no declared length, sent in chunks until the server answers or `bytes` are sent. */
function streamed(url: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // Writing on after the answer may meet a closed socket: that is the refusal working.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const write = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}
