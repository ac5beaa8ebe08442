/**
 * `npm run soak`: resellers pay bills through two bot processes sharing one Redis while the simulated MMBC
 * injects timeouts, 502s, garbage, pendings and refusals, YA arrives twice (to both processes), and one
 * process is SIGKILLed and restarted every ~1.5 s. Then the faults stop, the soak plays the admin for what no
 * status call can settle (by the simulator's own record), and it holds the bot's books against the biller's.
 *
 * Settings: SOAK_RESELLERS (200, all paying at once, each one payment after another), SOAK_PAYMENTS (10000),
 * SOAK_KILL_SECONDS (1.5: the payments now take under half a minute, and every 4 s killed only one to three
 * processes in a run; a process still restarting is never killed again), REDIS_URL.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { audit } from '../src/payments/audit.ts';
import { startMmbcSimulator, type SimFault } from '../src/providers/mmbc/simulator.ts';
import { startIakSimulator } from '../src/providers/iak/simulator.ts';
import { createRedisStore } from '../src/store/redis-store.ts';
import { isFinal, type Transaction } from '../src/bot/store.ts';
import { credit, dropKeys } from '../bench/harness.ts';

const RESELLERS = Number(process.env.SOAK_RESELLERS ?? 200);
const PAYMENTS = Number(process.env.SOAK_PAYMENTS ?? 10_000);
const KILL_EVERY_MS = Number(process.env.SOAK_KILL_SECONDS ?? 1.5) * 1000;
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
async function reseller(user: string): Promise<void> {
  while (next < PAYMENTS) {
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
await Promise.all(resellers.map(reseller));
clearInterval(killer);
const payCallsDuringFaults = sim.calls.bayartagihan;

// Faults stop; everything left must reach a final state: by status checks, or by the admin from the biller's record.
await new Promise((r) => setTimeout(r, 500));
const deadline = Date.now() + 10 * 60_000;
let settledByAdmin = 0;
for (;;) {
  const open = await openTransactions();
  if (open.length === 0 || Date.now() > deadline) break;
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

async function openTransactions(): Promise<Transaction[]> {
  const lists = await Promise.all(resellers.map((u) => store.listTx(u, 100_000)));
  return lists.flat().filter((t) => !isFinal(t.status));
}

const all = (await Promise.all(resellers.map((u) => store.listTx(u, 100_000)))).flat();
const byCustomer = new Map<string, Transaction[]>();
for (const tx of all) byCustomer.set(tx.quote.bill.customerNo, [...(byCustomer.get(tx.quote.bill.customerNo) ?? []), tx]);
const simPaid = new Map<string, number>();
for (const p of sim.payments) simPaid.set(p.customerNo, (simPaid.get(p.customerNo) ?? 0) + 1);
for (const p of iak.payments) simPaid.set(p.hp, (simPaid.get(p.hp) ?? 0) + 1);

let doublePayments = 0;
let mismatches = 0;
for (const [customerNo, count] of simPaid) {
  if (count > 1) doublePayments += count - 1;
  const settled = (byCustomer.get(customerNo) ?? []).filter((t) => t.status === 'SETTLED').length;
  if (settled !== 1) mismatches++;
}
for (const tx of all) {
  if (tx.status === 'FAILED' && simPaid.has(tx.quote.bill.customerNo)) mismatches++;
  if (tx.status === 'SETTLED' && !simPaid.has(tx.quote.bill.customerNo)) mismatches++;
}
const report = await audit(store);
const count = (s: string) => all.filter((t) => t.status === s).length;

for (const b of bots) b.child.kill('SIGTERM');
const lines = [
  `soak: ${RESELLERS} resellers, ${PAYMENTS} payments, 2 processes, ${kills} SIGKILLs, ${((Date.now() - started) / 1000).toFixed(0)} s`,
  `payments asked: ${asked} (answered before a kill: ${answered})`,
  `paid: ${count('SETTLED')}`,
  `refunded: ${count('FAILED')}`,
  `pending: ${all.length - count('SETTLED') - count('FAILED')}`,
  `settled by the admin from the biller's record: ${settledByAdmin}`,
  `provider pay calls: MMBC ${sim.calls.bayartagihan} (during faults ${payCallsDuringFaults}), IAK ${iak.calls['pay-pasca'] ?? 0}; biller payments: MMBC ${sim.payments.length}, IAK ${iak.payments.length}`,
  `double payments: ${doublePayments}`,
  `mismatches with the simulator: ${mismatches}`,
  `audit: ${report.problems.length} differences${report.problems.length ? `\n  ${report.problems.slice(0, 10).join('\n  ')}` : ''}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
await dropKeys(store.redis, prefix);
await store.close();
await sim.close();
await iak.close();
process.exit(doublePayments === 0 && mismatches === 0 && report.problems.length === 0 && all.length === count('SETTLED') + count('FAILED') ? 0 : 1);
