/**
 * Deposits without a human over real HTTP. A bot's own server takes Moota's signed pushes and Tripay's signed
 * callbacks, as the simulators (and the real senders) post them: a wrong or missing signature, malformed JSON
 * and a body over 1 MB change nothing; a Tripay callback for an unknown reference is answered so Tripay stops,
 * and the admins are told; a PAID for an expired deposit credits and the admins are told. Two bot processes on
 * one Redis, each with its server, take the same push five times at once and credit once. Last, a real `node
 * src/main.ts` on the console: TIKET and DEPOSIT QRIS typed, the payment pushed and called back from outside.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { rupiah } from '../../src/bot/format.ts';
import { hmacSha256Hex } from '../../src/http/signature.ts';
import { audit } from '../../src/payments/audit.ts';
import { startMmbcSimulator } from '../../src/providers/mmbc/simulator.ts';
import { startMootaSimulator } from '../../src/providers/moota/simulator.ts';
import { signCallback } from '../../src/providers/tripay/sign.ts';
import { startTripaySimulator } from '../../src/providers/tripay/simulator.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { ADMIN, RESELLER, STORES } from '../helpers/app.ts';
import { credit as seed } from '../helpers/credit.ts';
import {
  type DepositBot, MOOTA_SECRET, mootaCredits, openQris, openTicket, qrisCredits, startDepositBot, ticketCredits, told, until,
} from '../helpers/deposits.ts';
import { dropPrefix, redisUrl, uniquePrefix } from '../helpers/redis.ts';
import { declareOnly, postChunked, postRaw } from '../http/webhook-kit.ts';

const SALDO = 1_000_000;
const HOUR = 3600_000;
const bots: DepositBot[] = [];
const stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  if (bots[0]) expect((await audit(bots[0].store)).problems).toEqual([]);
  // The second process of a pair shares the first's prefix: stopped first, so the first drops the keys last.
  for (const b of bots.splice(0).reverse()) await b.stop();
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function start(opts: Parameters<typeof startDepositBot>[0]): Promise<DepositBot> {
  const b = await startDepositBot({ http: true, ...opts });
  bots.push(b);
  return b;
}

/** A Moota push of one credit, as Moota's JSON carries it. */
function pushBody(amount: number, id: string, type: 'CR' | 'DB' = 'CR'): string {
  return JSON.stringify([{
    account_number: '1234567890', date: '2026-12-06 10:15:00', description: `TRSF E-BANKING ${type} ${amount}`, amount, type, note: '',
    balance: 5_000_000, mutation_id: id, token: id, bank_id: 'SbxBank0001', taggings: [], bank: { bank_type: 'bca', label: 'BCA' },
  }]);
}
const mootaSigned = (body: string, secret = MOOTA_SECRET) => ({ signature: hmacSha256Hex(secret, body) });

/** What nothing may change: the saldo, the kept mutations, the open deposits. */
async function snapshot(b: DepositBot) {
  const later = Date.now() + HOUR;
  return {
    saldo: await b.store.getSaldo(RESELLER),
    mutations: await b.store.mutations(0, later),
    qris: await b.store.qrisDeposits(0, later),
    ledger: (await b.store.ledger(RESELLER, 1000)).length,
  };
}

describe.each(STORES)('the deposit webhooks over HTTP (%s store)', (kind) => {
  it('a wrong or missing signature is 401 and nothing is stored; the same bytes signed right credit', async () => {
    const b = await start({ store: kind });
    const t = await openTicket(b, RESELLER, 150_000);
    const body = pushBody(t.amount, 'SigMut00001');
    const before = await snapshot(b);
    for (const headers of [{}, mootaSigned(body, 'not-the-secret'), mootaSigned(pushBody(t.amount + 1, 'SigMut00001')), { signature: '' }]) {
      expect((await postRaw(b.mootaUrl!, body, headers)).status).toBe(401);
    }
    const d = await openQris(b, RESELLER, 60_000);
    const cb = JSON.stringify({ reference: d.reference, merchant_ref: d.id, total_amount: 61_000, status: 'PAID', paid_at: 1_700_000_000 });
    const beforeQris = await snapshot(b);
    const wrong: Array<Record<string, string>> = [{}, { 'x-callback-signature': signCallback('wrong-private-key', cb) }, { 'x-callback-signature': 'zz' }];
    for (const headers of wrong) {
      expect((await postRaw(b.tripayUrl!, cb, { 'x-callback-event': 'payment_status', ...headers })).status).toBe(401);
    }
    expect(await snapshot(b)).toEqual(beforeQris);
    expect(before.mutations).toEqual([]);
    expect((await b.store.getTicket(t.id))?.status).toBe('open');

    const ok = await postRaw(b.mootaUrl!, body, mootaSigned(body));
    expect([ok.status, JSON.parse(ok.body)]).toEqual([200, { success: true }]);
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
    const paid = await postRaw(b.tripayUrl!, cb, { 'x-callback-event': 'payment_status', 'x-callback-signature': signCallback(b.tripay.privateKey, cb) });
    expect([paid.status, JSON.parse(paid.body)]).toEqual([200, { success: true }]);
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO + t.amount + 60_000);
  });

  it('malformed JSON or a wrong shape, signed, is 400 and stores nothing', async () => {
    const b = await start({ store: kind });
    const t = await openTicket(b, RESELLER, 150_000);
    const before = await snapshot(b);
    for (const body of ['[{"mutation_id": "x", ', `{"mutation_id":"x","amount":${t.amount}}`, pushBody(t.amount, 'Ok1').replace('"CR"', '"XX"')]) {
      expect((await postRaw(b.mootaUrl!, body, mootaSigned(body))).status, body).toBe(400);
    }
    const cb = '{"reference": "DEV-T1", "status": "PA';
    expect((await postRaw(b.tripayUrl!, cb, { 'x-callback-signature': signCallback(b.tripay.privateKey, cb) })).status).toBe(400);
    expect(await snapshot(b)).toEqual(before);
  });

  it('a body over 1 MB is refused (413) from its declared length before a byte is read, or as it streams past 1 MB', async () => {
    const b = await start({ store: kind });
    await openTicket(b, RESELLER, 150_000);
    const before = await snapshot(b);
    for (const [url, header] of [[b.mootaUrl!, 'signature'], [b.tripayUrl!, 'x-callback-signature']] as const) {
      const declared = await declareOnly(url, 2 * 1024 * 1024, { [header]: 'a'.repeat(64) });
      expect(declared).toMatchObject({ status: 413, closed: true });
      expect(await postChunked(url, 1_200_000, { [header]: 'a'.repeat(64) })).toBe(413);
    }
    expect(await snapshot(b)).toEqual(before);
    // The server still serves.
    const body = pushBody(7_777, 'AfterBig001');
    expect((await postRaw(b.mootaUrl!, body, mootaSigned(body))).status).toBe(200);
  });

  it('pushes from the simulated bank: a credit to a ticket, a debit and an unknown amount; MUTASIBANK lists the unknown one', async () => {
    const b = await start({ store: kind });
    const t = await openTicket(b, RESELLER, 250_000);
    const d = await b.moota.pushMutations([{ type: 'CR', amount: t.amount }, { type: 'DB', amount: 40_000 }, { type: 'CR', amount: 31_337 }]);
    expect([d.status, d.answer]).toEqual([200, '{"success":true}']);
    const [credited, debit, unknown] = d.push.mutationIds as [string, string, string];
    expect(await mootaCredits(b, RESELLER, credited)).toHaveLength(1);
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
    expect((await b.store.getMutation(debit))?.status).toBe('debit');
    expect((await b.store.getMutation(unknown))?.status).toBe('unmatched');
    await b.app.deposits.service.notified();
    expect(told(b, ADMIN).at(-1)).toContain(`Mutasi bank ${unknown} masuk Rp 31.337`);
    const list = await b.say(ADMIN, 'MUTASIBANK');
    expect(list).toContain(unknown);
    expect(list).not.toContain(credited);
    expect(list).not.toContain(debit);
    // Moota's own retry of the same bytes: acknowledged, nothing more.
    expect((await b.moota.send(d.push)).status).toBe(200);
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
    await b.app.deposits.service.notified();
    expect(told(b, RESELLER)).toHaveLength(1);
  });

  it('Tripay calls back: PAID credits once whatever is resent; EXPIRED then PAID credits and tells the admins; FAILED closes', async () => {
    const b = await start({ store: kind });
    const paid = await openQris(b, RESELLER, 100_000);
    const late = await openQris(b, RESELLER, 70_000);
    const failed = await openQris(b, RESELLER, 30_000);
    expect((await b.tripay.pay(paid.reference)).accepted).toBe(true);
    for (let i = 0; i < 3; i++) expect((await b.tripay.resend(paid.reference)).accepted).toBe(true);
    expect(await qrisCredits(b, RESELLER, paid.id)).toHaveLength(1);

    expect((await b.tripay.expire(late.reference)).accepted).toBe(true);
    expect((await b.store.getQris(late.id))?.status).toBe('expired');
    expect((await b.tripay.pay(late.reference)).accepted).toBe(true);
    expect(await qrisCredits(b, RESELLER, late.id)).toHaveLength(1);
    await b.app.deposits.service.notified();
    expect(told(b, ADMIN)).toEqual([expect.stringContaining(`Pembayaran QRIS ${late.id} dari ${RESELLER} masuk setelah deposit ditutup`)]);

    expect((await b.tripay.fail(failed.reference)).accepted).toBe(true);
    expect((await b.store.getQris(failed.id))?.status).toBe('failed');
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO + 100_000 + 70_000);
    await b.app.deposits.service.notified();
    expect(told(b, RESELLER).filter((x) => x.includes('diterima'))).toHaveLength(2);
  });

  it('a callback for an unknown reference is answered success (Tripay would only retry in vain), credits nothing, and the admins are told', async () => {
    const b = await start({ store: kind });
    const cb = JSON.stringify({ reference: 'DEV-T0001UNKNOWN', merchant_ref: 'QNOSUCH01', total_amount: 50_750, status: 'PAID', paid_at: 1_700_000_000 });
    const before = await snapshot(b);
    const a = await postRaw(b.tripayUrl!, cb, { 'x-callback-event': 'payment_status', 'x-callback-signature': signCallback(b.tripay.privateKey, cb) });
    expect([a.status, JSON.parse(a.body)]).toEqual([200, { success: true }]);
    expect(await snapshot(b)).toEqual(before);
    await b.app.deposits.service.notified();
    expect(told(b, ADMIN)).toEqual([
      'Callback Tripay untuk referensi DEV-T0001UNKNOWN (QNOSUCH01) tidak cocok dengan deposit mana pun; tidak ada yang ditambahkan. Cek di dashboard Tripay.',
    ]);
  });
});

describe('two bot processes sharing one Redis, each with its HTTP server', () => {
  /** Both processes' notices handed to their channels. */
  const notified = (...pair: DepositBot[]) => Promise.all(pair.map((b) => b.app.deposits.service.notified()));

  async function pair(): Promise<[DepositBot, DepositBot]> {
    const a = await start({});
    const b = await start({ prefix: a.prefix, sim: a.sim, iak: a.iak, tripay: a.tripay });
    return [a, b];
  }

  it('the same push five times at once to both: one credit, the reseller told once', async () => {
    const [a, b] = await pair();
    const t = await openTicket(a, RESELLER, 175_000);
    const push = a.moota.build([{ type: 'CR', amount: t.amount }]);
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => a.moota.send(push, i % 2 ? a.mootaUrl : b.mootaUrl)).concat(
      Array.from({ length: 5 }, (_, i) => b.moota.send(push, i % 2 ? b.mootaUrl : a.mootaUrl)),
    ));
    expect(answers.map((x) => x.status)).toEqual(Array(10).fill(200));
    expect(await a.store.getSaldo(RESELLER)).toBe(SALDO + t.amount);
    expect(await ticketCredits(a, RESELLER, t.id)).toHaveLength(1);
    expect((await b.store.getMutation(push.mutationIds[0]!))?.status).toBe('credited');
    await notified(a, b);
    expect(told(a, RESELLER).length + told(b, RESELLER).length).toBe(1);
  });

  it('an unmatched push five times at once to both: kept once, the admins told once', async () => {
    const [a, b] = await pair();
    const push = a.moota.build([{ type: 'CR', amount: 12_121 }]);
    await Promise.all(Array.from({ length: 10 }, (_, i) => a.moota.send(push, i % 2 ? a.mootaUrl : b.mootaUrl)));
    expect((await a.store.mutations(0, Date.now() + HOUR)).map((m) => [m.id, m.status])).toEqual([[push.mutationIds[0], 'unmatched']]);
    await notified(a, b);
    expect([...told(a, ADMIN), ...told(b, ADMIN)].filter((x) => x.includes(push.mutationIds[0]!))).toHaveLength(1);
  });

  it('the same PAID callback five times at once to both: one credit', async () => {
    const [a, b] = await pair();
    const d = await openQris(b, RESELLER, 120_000);
    const first = await a.tripay.pay(d.reference);
    expect(first.accepted).toBe(true);
    const again = await Promise.all(Array.from({ length: 10 }, (_, i) => a.tripay.resend(d.reference, i % 2 ? a.tripayUrl : b.tripayUrl)));
    expect(again.every((x) => x.accepted)).toBe(true);
    expect(await qrisCredits(a, RESELLER, d.id)).toHaveLength(1);
    expect(await a.store.getSaldo(RESELLER)).toBe(SALDO + 120_000);
    await notified(a, b);
    expect(told(a, RESELLER).length + told(b, RESELLER).length).toBe(1);
  });
});

/** A port nothing listens on now (the bot must be told it: its log goes nowhere). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

describe('a running bot (node src/main.ts) over real HTTP', () => {
  it('TIKET typed on the console, the transfer pushed by Moota, DEPOSIT QRIS paid at Tripay: both credited once, replays change nothing', async () => {
    const mmbc = await startMmbcSimulator();
    const tripay = await startTripaySimulator({ host: '127.0.0.1', port: 0 });
    const moota = startMootaSimulator({ secret: MOOTA_SECRET });
    const prefix = uniquePrefix('deposits-e2e');
    const store = createRedisStore({ url: redisUrl(), prefix });
    const USER = 'console:local';
    await store.setReseller(USER, true, 'Kasir', Date.now());
    await seed(store, USER, SALDO, { note: 'test' });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let child: ChildProcessWithoutNullStreams | undefined;
    stops.push(async () => {
      if (child && child.exitCode === null) child.kill('SIGKILL');
      await moota.close();
      await tripay.close();
      await mmbc.close();
      await dropPrefix(redisUrl(), prefix);
      await store.close();
    });

    // node --import tsx, not tsx's CLI: the CLI is a wrapper whose death would leave the real bot running.
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, REDIS_URL: redisUrl(), REDIS_PREFIX: prefix, CHANNELS: 'console',
        MMBC_BASE_URL: mmbc.url, MMBC_USERNAME: 'sandbox', MMBC_PASSWORD: 'sandbox', HTTP_PORT: String(port), LOG_LEVEL: 'silent',
        ADMIN_IDS: USER, MOOTA_WEBHOOK_SECRET: MOOTA_SECRET, TRIPAY_BASE_URL: tripay.url, TRIPAY_API_KEY: tripay.apiKey,
        TRIPAY_PRIVATE_KEY: tripay.privateKey, TRIPAY_MERCHANT_CODE: tripay.merchantCode,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.resume();
    const c = child;
    const type = (line: string) => c.stdin.write(`${line}\n`);
    await until(async () => {
      try {
        return (await fetch(`${base}/healthz`)).ok;
      } catch {
        return false;
      }
    }, 30_000);

    type('TIKET 150000');
    await until(() => /Tiket deposit (D[0-9A-Z]+): transfer TEPAT Rp ([\d.]+)/.test(out));
    const [, ticketId, shown] = /Tiket deposit (D[0-9A-Z]+): transfer TEPAT Rp ([\d.]+)/.exec(out)!;
    const amount = Number(shown!.replaceAll('.', ''));
    moota.setTarget(`${base}/deposit/moota`);
    const unsigned = await postRaw(`${base}/deposit/moota`, pushBody(amount, 'Forged00001'), {});
    expect(unsigned.status).toBe(401);
    const pushed = await moota.credit(amount, 'TRSF E-BANKING CR KASIR');
    expect(pushed.status).toBe(200);
    await until(() => out.includes(`Deposit tiket ${ticketId} diterima otomatis dari mutasi bank`));
    for (let i = 0; i < 3; i++) expect((await moota.send(pushed.push)).status).toBe(200);

    tripay.setCallbackUrl(`${base}/deposit/tripay`);
    type('DEPOSIT QRIS 50000');
    await until(() => /Deposit QRIS (Q[0-9A-Z]+): bayar/.test(out));
    const qrisId = /Deposit QRIS (Q[0-9A-Z]+): bayar/.exec(out)![1]!;
    const reference = [...tripay.payments.values()].find((p) => p.merchantRef === qrisId)!.reference;
    expect((await tripay.pay(reference)).accepted).toBe(true);
    await until(() => out.includes(`Deposit QRIS ${qrisId} diterima`));
    for (let i = 0; i < 3; i++) expect((await tripay.resend(reference)).accepted).toBe(true);

    type('SALDO');
    const expected = `Saldo Anda ${rupiah(SALDO + amount + 50_000)}.`;
    await until(() => out.includes(expected));
    c.stdin.end();
    const code = await new Promise<number | null>((r) => c.on('exit', r));
    expect(code).toBe(0);
    expect(out.split(`Deposit tiket ${ticketId} diterima`)).toHaveLength(2);
    expect(out.split(`Deposit QRIS ${qrisId} diterima`)).toHaveLength(2);
    expect(await store.getSaldo(USER)).toBe(SALDO + amount + 50_000);
    expect((await audit(store)).problems).toEqual([]);
  }, 60_000);
});
