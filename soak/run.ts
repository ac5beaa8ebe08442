/**
 * `npm run soak`: resellers pay bills through two bot processes sharing one Redis while the simulated MMBC
 * injects timeouts, 502s, garbage, pendings and refusals, YA arrives twice (to both processes), and one
 * process is SIGKILLed and restarted every ~1.5 s. Then the faults stop, the soak plays the admin for what no
 * status call can settle (by the simulator's own record), and it holds the bot's books against the biller's.
 *
 * Beside them pays a reseller network (soak/network.ts): trees of resellers up to MAX_NETWORK_DEPTH deep, each
 * upline with its markups, so every settle owes commissions, credited by the worker (and kicked after the
 * receipt) while processes die. At the end the commission books are read whole and held against the quotes:
 * Σ credited = Σ upline markups of SETTLED transactions, no (transaction, level) credited twice.
 *
 * Settings: SOAK_RESELLERS (200), SOAK_NETWORK (200 more resellers in the network), SOAK_IN_FLIGHT (conversations
 * at once, default SOAK_RESELLERS: each lane one payment after another, its resellers taking turns, one flat and
 * one of the network by default), SOAK_PAYMENTS (10000, shared by all), SOAK_KILL_SECONDS (1.5:
 * the payments now take under half a minute, and every 4 s killed only one to three processes in a run; a
 * process still restarting is never killed again), SOAK_SEED (the network's shape), REDIS_URL.
 */
import { soakDeposits } from './deposits.ts';
import { soakPrepaid } from './prepaid.ts';
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { audit } from '../src/payments/audit.ts';
import { startMmbcSimulator, type SimFault } from '../src/providers/mmbc/simulator.ts';
import { startIakSimulator } from '../src/providers/iak/simulator.ts';
import { createRedisStore } from '../src/store/redis-store.ts';
import { isFinal, type Transaction } from '../src/bot/store.ts';
import { credit, dropKeys } from '../bench/harness.ts';
import { checkCommissions, depthOf, growNetwork, plantNetwork } from './network.ts';

const RESELLERS = Number(process.env.SOAK_RESELLERS ?? 200);
const PAYMENTS = Number(process.env.SOAK_PAYMENTS ?? 10_000);
const KILL_EVERY_MS = Number(process.env.SOAK_KILL_SECONDS ?? 1.5) * 1000;
const NETWORK = Number(process.env.SOAK_NETWORK ?? 200);
const IN_FLIGHT = Number(process.env.SOAK_IN_FLIGHT ?? RESELLERS);
const MAX_DEPTH = Number(process.env.MAX_NETWORK_DEPTH ?? 5);
const SEED = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** The product code every soak payment is (PLN postpaid): the network's markups are set on it or on `*`. */
const CODE = 'PLN';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN = 'telegram:1';
/** Fault rates per payment; the rest pay cleanly. */
const FAULTS: Array<[SimFault, number]> = [['hang', 0.02], ['http502', 0.02], ['garbage', 0.01], ['pending', 0.05], ['refuse', 0.05]];
const DUPLICATE_YA = 0.1;

const sim = await startMmbcSimulator({ hangMs: 1_500 });
// PLN postpaid falls over to IAK when MMBC's inquiry fails: one IAK for both processes, so its book is checked too.
const iak = await startIakSimulator({ hangMs: 1_500 });
const prefix = `soak:${randomBytes(3).toString('hex')}:`;
const store = createRedisStore({ url: REDIS_URL, prefix });
const env = {
  ...process.env, REDIS_URL, REDIS_PREFIX: prefix, MMBC_BASE_URL: sim.url, MMBC_USERNAME: 'sandbox', MMBC_PASSWORD: 'sandbox',
  IAK_BASE_URL: iak.url, IAK_USERNAME: iak.username, IAK_API_KEY: iak.apiKey, PROVIDER_PREFERENCE: 'mmbc',
  PROVIDER_TIMEOUT_MS: '800', PENDING_RECHECK_SECONDS: '1', FLOOD_MAX_MESSAGES: '10000', ADMIN_IDS: ADMIN, HTTP_PORT: '0',
  CHANNELS: 'console', LOG_LEVEL: 'silent',
};

interface Bot { child: ChildProcess; waiting: Map<number, (text: string | undefined) => void>; alive: boolean }
let seq = 0;
const bots: Bot[] = [];

function spawnBot(): Promise<Bot> {
  const child = fork('soak/bot.ts', [], { env, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const bot: Bot = { child, waiting: new Map(), alive: true };
  const dead = () => {
    bot.alive = false;
    for (const done of bot.waiting.values()) done(undefined);
    bot.waiting.clear();
  };
  child.on('exit', dead);
  child.on('disconnect', dead);
  // A send racing the kill fails with EPIPE / channel closed: that message simply got no answer.
  child.on('error', dead);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`a soak bot process exited (${code}) before it was ready`)));
    child.on('message', (m: { ready?: boolean; id?: number; text?: string }) => {
      if (m.ready) resolve(bot);
      else if (m.id !== undefined) {
        bot.waiting.get(m.id)?.(m.text);
        bot.waiting.delete(m.id);
      }
    });
  });
}

/** One message to one process; undefined when that process died before answering. */
function send(bot: Bot, user: string, text: string, messageId: string): Promise<string | undefined> {
  if (!bot.alive || !bot.child.connected) return Promise.resolve(undefined);
  const id = ++seq;
  return new Promise((resolve) => {
    bot.waiting.set(id, resolve);
    bot.child.send({ id, msg: { user, text, messageId } }, (err) => {
      if (err) {
        bot.waiting.delete(id);
        resolve(undefined);
      }
    });
  });
}

const live = () => bots.filter((b) => b.alive);
/** A live process, waiting for one while both are down (one killed, the other not yet restarted). */
async function any(): Promise<Bot> {
  while (live().length === 0) await new Promise((r) => setTimeout(r, 20));
  const up = live();
  return up[Math.floor(Math.random() * up.length)]!;
}

function pickFault(): SimFault | null {
  let r = Math.random();
  for (const [f, p] of FAULTS) {
    if (r < p) return f;
    r -= p;
  }
  return null;
}

const started = Date.now();
bots.push(await spawnBot(), await spawnBot());
const resellers = Array.from({ length: RESELLERS }, (_, i) => `telegram:${100_000 + i}`);
for (const u of resellers) {
  await store.setReseller(u, true, undefined, Date.now());
  await credit(store, u, 1_000_000_000, 'soak');
}
const network = growNetwork(NETWORK, MAX_DEPTH, 200_000, seeded(SEED));
const markups = await plantNetwork(store, network.nodes, CODE, seeded(SEED + 1));
for (const n of network.nodes) await credit(store, n.id, 1_000_000_000, 'soak');
const payers = [...resellers, ...network.nodes.map((n) => n.id)];

/** mulberry32: the network's shape from SOAK_SEED, so a run that found something can be grown again. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let kills = 0;
const killer = setInterval(() => {
  // One kill at a time: a process still restarting is not killed again (its restart would be lost track of).
  if (bots.some((b) => !b.alive)) return;
  const victim = bots[kills % 2]!;
  kills++;
  victim.child.kill('SIGKILL');
  void spawnBot().then((b) => {
    bots[bots.indexOf(victim)] = b;
  });
}, KILL_EVERY_MS);

let asked = 0;
let answered = 0;
let next = 0;
/** One conversation at a time per lane, the lane's resellers taking turns: a reseller never talks over itself. */
async function lane(users: string[]): Promise<void> {
  for (let turn = 0; next < PAYMENTS; turn++) {
    const user = users[turn % users.length]!;
    const n = next++;
    const customerNo = String(700_000_000_000 + n);
    sim.setFault(customerNo, pickFault());
    const summary = await send(await any(), user, `PLN ${customerNo}`, `q${n}`);
    if (!summary?.includes('Saldo dipotong')) continue;
    asked++;
    const first = await any();
    const ya = send(first, user, 'YA', `y${n}`);
    // The same delivery again, to the other process: a channel that re-sends what it saw no answer to.
    const dup = Math.random() < DUPLICATE_YA ? send(live().find((b) => b !== first) ?? first, user, 'YA', `y${n}`) : undefined;
    if ((await ya) !== undefined) answered++;
    await dup;
  }
}
// As many conversations in flight as today's resellers alone made (SOAK_IN_FLIGHT, default SOAK_RESELLERS):
// the network's resellers share the lanes with them, so the load on the processes is today's.
// Webhook deposits (issue 19) beside the payments: their own two processes on their own keys, the same kills.
const deposits = process.env.SOAK_DEPOSITS === '0' ? undefined : soakDeposits({ redisUrl: REDIS_URL });
// Prepaid top-ups (issue 20) likewise: IAK's callbacks racing the status checks, delivered twice and to both.
const prepaid = process.env.SOAK_PREPAID === '0' ? undefined : soakPrepaid({ redisUrl: REDIS_URL });
const lanes = Math.min(IN_FLIGHT, payers.length);
const paying = Date.now();
await Promise.all(Array.from({ length: lanes }, (_, i) => lane(payers.filter((_, k) => k % lanes === i))));
clearInterval(killer);
const payCallsDuringFaults = sim.calls.bayartagihan;
const paySeconds = (Date.now() - paying) / 1000;
const settling = Date.now();

// Faults stop; everything left must reach a final state: by status checks, or by the admin from the biller's
// record; and every settle's commissions must be credited, by the worker.
await new Promise((r) => setTimeout(r, 500));
const deadline = Date.now() + 10 * 60_000;
let settledByAdmin = 0;
for (;;) {
  const txs = await everyTransaction();
  const open = txs.filter((t) => !isFinal(t.status));
  const owing = txs.filter((t) => t.status === 'SETTLED' && !t.commissioned && (t.quote.network ?? []).some((s) => s.markup > 0));
  if ((open.length === 0 && owing.length === 0) || Date.now() > deadline) break;
  for (const tx of open.filter((t) => t.status === 'PENDING' && t.flagged)) {
    const paid = billerPaid(tx.quote.bill.customerNo);
    const reply = await send(await any(), ADMIN, `${paid ? 'SUKSES' : 'GAGAL'} ${tx.id}`, `admin-${tx.id}`);
    if (reply?.includes(tx.id)) settledByAdmin++;
  }
  await new Promise((r) => setTimeout(r, 1_000));
}

/**
 * Whether either biller's own book has taken this customer's payment. A payment MMBC holds as `pending` is
 * taken too: it settles there once asked about, so an admin who saw it would not answer GAGAL.
 */
function billerPaid(customerNo: string): boolean {
  return (
    sim.payments.some((p) => p.customerNo === customerNo && p.status !== 'gagal') ||
    iak.payments.some((p) => p.hp === customerNo)
  );
}

async function everyTransaction(): Promise<Transaction[]> {
  return (await Promise.all(payers.map((u) => store.listTx(u, 100_000)))).flat();
}

const settleSeconds = (Date.now() - settling) / 1000;
const all = await everyTransaction();
const byCustomer = new Map<string, Transaction[]>();
for (const tx of all) byCustomer.set(tx.quote.bill.customerNo, [...(byCustomer.get(tx.quote.bill.customerNo) ?? []), tx]);
const simPaid = new Map<string, number>();
for (const p of sim.payments) simPaid.set(p.customerNo, (simPaid.get(p.customerNo) ?? 0) + 1);
for (const p of iak.payments) simPaid.set(p.hp, (simPaid.get(p.hp) ?? 0) + 1);

let doublePayments = 0;
let mismatches = 0;
/** Each mismatch's customer, with its transactions and what the billers recorded: what to look at first. */
const mismatched: string[] = [];
const describeMismatch = (customerNo: string, why: string) => {
  const txs = (byCustomer.get(customerNo) ?? []).map((t) => `${t.id} ${t.status} ${t.quote.provider} ${t.reason ?? ''}`.trim());
  mismatched.push(`${customerNo}: ${why}; billers paid ${simPaid.get(customerNo) ?? 0}; transactions: ${txs.join(' | ') || 'none'}`);
};
for (const [customerNo, count] of simPaid) {
  if (count > 1) doublePayments += count - 1;
  const settled = (byCustomer.get(customerNo) ?? []).filter((t) => t.status === 'SETTLED').length;
  if (settled !== 1) {
    mismatches++;
    describeMismatch(customerNo, `paid at a biller, ${settled} SETTLED`);
  }
}
for (const tx of all) {
  if (tx.status === 'FAILED' && simPaid.has(tx.quote.bill.customerNo)) {
    mismatches++;
    describeMismatch(tx.quote.bill.customerNo, `${tx.id} FAILED though a biller paid`);
  }
  if (tx.status === 'SETTLED' && !simPaid.has(tx.quote.bill.customerNo)) {
    mismatches++;
    describeMismatch(tx.quote.bill.customerNo, `${tx.id} SETTLED though no biller paid`);
  }
}
const report = await audit(store);
const count = (s: string) => all.filter((t) => t.status === s).length;
const komisi = await checkCommissions(store, network.nodes, markups, CODE, all);
const scheduledLeft = (await store.scheduled(1_000_000)).length;
const depth = new Map(network.nodes.map((n) => [n.id, depthOf(n)]));
const byDepth = (pick: (d: number) => number) => Array.from({ length: MAX_DEPTH }, (_, i) => pick(i + 1)).join('/');
const netPaid = (d: number) => all.filter((t) => t.status === 'SETTLED' && depth.get(t.user) === d).length;
const commissionsOk = komisi.credited === komisi.owed && komisi.doubles === 0 && komisi.missing === 0 && komisi.stray === 0 &&
  komisi.wrongAmount === 0 && komisi.uncommissioned === 0 && komisi.books === 0 && komisi.mispriced === 0;

for (const b of bots) b.child.kill('SIGTERM');
const lines = [
  `soak: ${RESELLERS} resellers + ${NETWORK} in a network, ${PAYMENTS} payments, 2 processes, ${kills} SIGKILLs, ${((Date.now() - started) / 1000).toFixed(0)} s`,
  `network: ${network.roots} trees under the operator (seed ${SEED}), resellers at depth 1-${MAX_DEPTH}: ${byDepth((d) => network.nodes.filter((n) => depthOf(n) === d).length)}, ` +
    `paid by depth: ${byDepth(netPaid)}`,
  `payments asked: ${asked} (answered before a kill: ${answered}), ${lanes} in flight; paying ${paySeconds.toFixed(0)} s, then settling what was left and crediting commissions ${settleSeconds.toFixed(0)} s`,
  `paid: ${count('SETTLED')}`,
  `refunded: ${count('FAILED')}`,
  `pending: ${all.length - count('SETTLED') - count('FAILED')}`,
  `settled by the admin from the biller's record: ${settledByAdmin}`,
  `provider pay calls: MMBC ${sim.calls.bayartagihan} (during faults ${payCallsDuringFaults}), IAK ${iak.calls['pay-pasca'] ?? 0}; biller payments: MMBC ${sim.payments.length}, IAK ${iak.payments.length}`,
  `double payments: ${doublePayments}`,
  `mismatches with the simulator: ${mismatches}${mismatched.length ? `\n  ${mismatched.slice(0, 10).join('\n  ')}` : ''}`,
  `commissions: credited Rp ${komisi.credited} in ${komisi.credits} credits to ${komisi.uplinesPaid} uplines; Σ upline markups of SETTLED transactions Rp ${komisi.owed} in ${komisi.owedCredits} shares (difference ${komisi.credited - komisi.owed})`,
  `double credits: ${komisi.doubles}; missing: ${komisi.missing}; stray (no SETTLED sale's upline): ${komisi.stray}; wrong amount: ${komisi.wrongAmount}`,
  `SETTLED with markups not commissioned: ${komisi.uncommissioned}; commission books off their balance: ${komisi.books}; quotes priced otherwise than the markups: ${komisi.mispriced}; left on the schedule: ${scheduledLeft}`,
  `audit: commissions credited Rp ${report.commissionsCredited}, earned by SETTLED sales Rp ${report.commissionsEarned}; ${report.problems.length} differences${report.problems.length ? `\n  ${report.problems.slice(0, 10).join('\n  ')}` : ''}`,
];
const dep = deposits ? await deposits : { ok: true, lines: [] };
lines.push(...dep.lines);
const pre = prepaid ? await prepaid : { ok: true, lines: [] };
lines.push(...pre.lines);
process.stdout.write(`${lines.join('\n')}\n`);
await dropKeys(store.redis, prefix);
await store.close();
await sim.close();
await iak.close();
const ok = doublePayments === 0 && mismatches === 0 && report.problems.length === 0 && all.length === count('SETTLED') + count('FAILED') &&
  commissionsOk && scheduledLeft === 0 && dep.ok && pre.ok;
process.exit(ok ? 0 : 1);
