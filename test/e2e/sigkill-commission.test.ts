/**
 * Issue 18 with a real crash: a chain admin → A → B → C with markups, C pays a PLN bill, and the bot process is
 * SIGKILLed after the sale is SETTLED and before any upline's commission is credited. Another process on the
 * same Redis credits each level exactly once, and the books audit clean.
 *
 * Placing the kill: a YA that settles at once kicks the credits a moment after the receipt, too soon to kill
 * in between from outside. A payment the biller answers `pending` is settled by the recheck worker instead,
 * which leaves the sale on the schedule (due now) and credits it at its next pass, a second later: this test
 * watches Redis for SETTLED and kills within that second, then checks that nothing was credited yet (so a kill
 * that came late fails the test instead of passing it vacuously). The second test also plants what a crash
 * part way through the credits leaves: the nearest upline's credit made, the other's not.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store, Transaction } from '../../src/bot/store.ts';
import { audit } from '../../src/payments/audit.ts';
import { COMMISSION_SENDER } from '../../src/payments/commissions.ts';
import { opIds } from '../../src/payments/ledger.ts';
import { startMmbcSimulator, type MmbcSimulator } from '../../src/providers/mmbc/simulator.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { credit } from '../helpers/credit.ts';
import { assertRedis, dropPrefix, redisUrl, uniquePrefix } from '../helpers/redis.ts';

const ADMIN = 'telegram:1';
const A = 'telegram:2001';
const B = 'telegram:2002';
/** The console's user in production mode: the reseller who pays. */
const C = 'console:local';
const CUSTOMER = '532100777001';
const SALDO = 1_000_000;
const OPERATOR_MARKUP = 300;
/** A's general markup, beaten by the one it set for B (its downline on C's side): A earns 1,500. */
const A_GENERAL = 1_000;
const A_FOR_B = 1_500;
const B_GENERAL = 700;

let sim: MmbcSimulator | undefined;
let store: Store | undefined;
let prefix = '';
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) await stop(c, 'SIGKILL');
  await store?.close();
  await sim?.close();
  if (prefix) await dropPrefix(redisUrl(), prefix);
  store = undefined;
  sim = undefined;
  prefix = '';
});

async function until<T>(what: string, read: () => Promise<T | undefined | false>, ms = 15_000, every = 10): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** `node --import tsx src/main.ts` on the shared Redis (not tsx's CLI: its death would leave the real bot running). */
function startBot(): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, REDIS_URL: redisUrl(), REDIS_PREFIX: prefix, CHANNELS: 'console',
      MMBC_BASE_URL: sim!.url, MMBC_USERNAME: 'sandbox', MMBC_PASSWORD: 'sandbox', PROVIDER_TIMEOUT_MS: '5000',
      PENDING_RECHECK_SECONDS: '1', ADMIN_IDS: ADMIN, HTTP_PORT: '0', LOG_LEVEL: 'silent',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.resume();
  return { child, output: () => out };
}

async function stop(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** The network of the issue: A registered by the operator (the admin), B by A, C by B, each upline with markups. */
async function plantNetwork(s: Store): Promise<void> {
  const now = Date.now();
  await s.register(A, null, 'Agen A', now);
  await s.register(B, { id: A, chain: [] }, 'Agen B', now);
  await s.register(C, { id: B, chain: [A] }, 'Kasir C', now);
  await s.setMarkup('PLN', OPERATOR_MARKUP);
  await s.setNetMarkup(A, '*', A_GENERAL);
  await s.setNetMarkup(A, `${B}|PLN`, A_FOR_B);
  await s.setNetMarkup(B, '*', B_GENERAL);
  await credit(s, C, SALDO, { note: 'test' });
}

/**
 * C pays through a real process; the biller answers `pending`, the worker settles it at its second look and
 * leaves the commissions to its next pass; the process is SIGKILLed as soon as Redis shows SETTLED.
 */
async function settleThenKill(s: Store): Promise<Transaction> {
  sim!.setFault(CUSTOMER, 'pending');
  const first = startBot();
  first.child.stdin.write(`PLN ${CUSTOMER}\n`);
  await until('the summary', async () => first.output().includes('Saldo dipotong'));
  first.child.stdin.write('YA\n');
  const settled = await until('SETTLED', async () => {
    const [tx] = await s.listTx(C, 1);
    return tx?.status === 'SETTLED' && tx;
  });
  await stop(first.child, 'SIGKILL');

  // What the crash left: the sale settled and still on the schedule, no commission credited, none marked.
  const tx = (await s.getTx(C, settled.id))!;
  expect(tx.status).toBe('SETTLED');
  expect(tx.commissioned).toBeUndefined();
  expect(tx.quote.network).toEqual([{ account: B, markup: B_GENERAL }, { account: A, markup: A_FOR_B }]);
  expect(await s.commissionLedger(A, 10)).toEqual([]);
  expect(await s.commissionLedger(B, 10)).toEqual([]);
  expect((await s.scheduled(100)).map((d) => d.txId)).toContain(tx.id);
  expect(sim!.calls.bayartagihan).toBe(1);
  return tx;
}

/** After the restart: each upline's book holds its commission on `tx` once, and the sale needs nothing more. */
async function expectCreditedOnce(s: Store, tx: Transaction): Promise<void> {
  await until('the commissions', async () => {
    const now = await s.getTx(C, tx.id);
    const scheduled = (await s.scheduled(100)).some((d) => d.txId === tx.id);
    return now?.commissioned === true && !scheduled;
  });
  for (const [upline, amount] of [[A, A_FOR_B], [B, B_GENERAL]] as const) {
    const book = await s.commissionLedger(upline, 100);
    expect(book.map((e) => ({ amount: e.amount, reason: e.reason, txId: e.txId }))).toEqual([{ amount, reason: 'komisi', txId: tx.id }]);
    expect(await s.getCommission(upline)).toBe(amount);
    expect(await s.getSaldo(upline)).toBe(0);
  }
  // C paid the biller's debit, the operator's margin and both uplines' markups, once.
  expect(tx.quote.price).toBe(tx.quote.bill.debit + OPERATOR_MARKUP + A_FOR_B + B_GENERAL);
  expect(await s.getSaldo(C)).toBe(SALDO - tx.quote.price);
  expect((await s.ledger(C, 100)).filter((e) => e.reason === 'payment').map((e) => e.amount)).toEqual([-tx.quote.price]);
  expect(sim!.calls.bayartagihan).toBe(1);
  expect((await audit(s)).problems).toEqual([]);
}

describe('SIGKILL between the settle and the commission credits', () => {
  it('a restarted process credits every upline once', async () => {
    await assertRedis();
    sim = await startMmbcSimulator({ hangMs: 60_000 });
    prefix = uniquePrefix('sigkill-commission');
    const s = createRedisStore({ url: redisUrl(), prefix });
    store = s;
    await plantNetwork(s);
    const tx = await settleThenKill(s);

    startBot();
    await expectCreditedOnce(s, tx);

    // The settle seen again (a second look at the sale, as after a lease ran out): nothing more is credited.
    await s.schedule(C, tx.id, Date.now());
    await until('the second look', async () => !(await s.scheduled(100)).some((d) => d.txId === tx.id));
    await expectCreditedOnce(s, tx);
  }, 60_000);

  it('a crash part way through the credits: the restarted process credits the rest, none twice', async () => {
    await assertRedis();
    sim = await startMmbcSimulator({ hangMs: 60_000 });
    prefix = uniquePrefix('sigkill-commission-part');
    const s = createRedisStore({ url: redisUrl(), prefix });
    store = s;
    await plantNetwork(s);
    const tx = await settleThenKill(s);
    // What a death after the first credit leaves: level 1 (B, the nearest upline) credited as the worker credits it.
    const r = await s.money.creditCommission({
      opId: opIds.commission(tx.id, 1), by: COMMISSION_SENDER, now: Date.now(), user: B, amount: B_GENERAL, txId: tx.id, from: C, via: C, level: 1,
    });
    expect(r.ok).toBe(true);

    startBot();
    await expectCreditedOnce(s, tx);
  }, 60_000);
});
