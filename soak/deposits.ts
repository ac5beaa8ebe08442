/**
 * The soak's webhook deposits (issue 19): two bot processes on one Redis, each serving Moota's and Tripay's
 * webhooks on its own HTTP server, one of them SIGKILLed and restarted every ~1.5 s. Meanwhile the bank pushes
 * mutations (credits of open tickets, amounts no ticket has, debits), each push sent five times at once across
 * both processes and again later, and sent until a process acknowledges it (as Moota retries); Tripay calls
 * back its QRIS payments (PAID, EXPIRED, EXPIRED then PAID, FAILED) the same way. At the end every pushed
 * credit must be credited exactly once (one ledger entry naming its mutation or deposit), nothing else
 * credited, no mutation left half-handled, every saldo the sum of what was paid, and the audit clean.
 *
 *   soakDeposits(opts) → { ok, lines }   (run beside the payments soak by soak/run.ts)
 *   npx tsx soak/deposits.ts              (alone)
 *
 * Settings: SOAK_DEPOSIT_RESELLERS (60, three tickets each), SOAK_DEPOSIT_QRIS (120 QRIS deposits),
 * SOAK_DEPOSIT_SECONDS (30: how long the deliveries are spread over), SOAK_KILL_SECONDS (1.5), REDIS_URL.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { BankMutation, QrisDeposit } from '../src/bot/store.ts';
import { audit } from '../src/payments/audit.ts';
import { startIakSimulator } from '../src/providers/iak/simulator.ts';
import { startMmbcSimulator } from '../src/providers/mmbc/simulator.ts';
import { type MootaPush, startMootaSimulator } from '../src/providers/moota/simulator.ts';
import { startTripaySimulator } from '../src/providers/tripay/simulator.ts';
import { createRedisStore } from '../src/store/redis-store.ts';
import { dropKeys } from '../bench/harness.ts';

export interface DepositSoakOptions {
  redisUrl?: string;
  resellers?: number;
  qris?: number;
  seconds?: number;
  killEveryMs?: number;
  progress?: (line: string) => void;
}

export interface DepositSoakResult {
  ok: boolean;
  lines: string[];
}

interface Proc {
  child: ChildProcess;
  url: string;
  alive: boolean;
  waiting: Map<number, (text: string | undefined) => void>;
}

const DAY = 24 * 3600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

export async function soakDeposits(opts: DepositSoakOptions = {}): Promise<DepositSoakResult> {
  const redisUrl = opts.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const resellerCount = opts.resellers ?? Number(process.env.SOAK_DEPOSIT_RESELLERS ?? 60);
  const qrisCount = opts.qris ?? Number(process.env.SOAK_DEPOSIT_QRIS ?? 120);
  const seconds = opts.seconds ?? Number(process.env.SOAK_DEPOSIT_SECONDS ?? 30);
  const killEveryMs = opts.killEveryMs ?? Number(process.env.SOAK_KILL_SECONDS ?? 1.5) * 1000;
  const progress = opts.progress ?? (() => {});
  const started = Date.now();

  const secret = randomBytes(16).toString('hex');
  const prefix = `soak:deposits:${randomBytes(3).toString('hex')}:`;
  const store = createRedisStore({ url: redisUrl, prefix });
  const mmbc = await startMmbcSimulator();
  const iak = await startIakSimulator();
  const tripay = await startTripaySimulator({ host: '127.0.0.1', port: 0 });
  const moota = startMootaSimulator({ secret, timeoutMs: 5_000 });
  const env = {
    ...process.env, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, MMBC_BASE_URL: mmbc.url, MMBC_USERNAME: 'sandbox', MMBC_PASSWORD: 'sandbox',
    IAK_BASE_URL: iak.url, IAK_USERNAME: iak.username, IAK_API_KEY: iak.apiKey, MOOTA_WEBHOOK_SECRET: secret,
    TRIPAY_BASE_URL: tripay.url, TRIPAY_API_KEY: tripay.apiKey, TRIPAY_PRIVATE_KEY: tripay.privateKey, TRIPAY_MERCHANT_CODE: tripay.merchantCode,
    ADMIN_IDS: 'telegram:1', FLOOD_MAX_MESSAGES: '10000', HTTP_PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'console',
  };

  let seq = 0;
  function spawnProc(): Promise<Proc> {
    const child = fork('soak/deposits-bot.ts', [], { env, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const proc: Proc = { child, url: '', alive: false, waiting: new Map() };
    const dead = () => {
      proc.alive = false;
      for (const done of proc.waiting.values()) done(undefined);
      proc.waiting.clear();
    };
    child.on('exit', dead);
    child.on('disconnect', dead);
    child.on('error', dead);
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`a deposits soak process exited (${code}) before it was ready`)));
      child.on('message', (m: { ready?: boolean; url?: string; id?: number; text?: string }) => {
        if (m.ready) {
          proc.url = m.url!;
          proc.alive = true;
          resolve(proc);
        } else if (m.id !== undefined) {
          proc.waiting.get(m.id)?.(m.text);
          proc.waiting.delete(m.id);
        }
      });
    });
  }

  const procs: Proc[] = [await spawnProc(), await spawnProc()];
  const live = () => procs.filter((p) => p.alive);
  async function anyLive(): Promise<Proc> {
    while (live().length === 0) await sleep(20);
    return pick(live());
  }
  function say(p: Proc, user: string, text: string): Promise<string | undefined> {
    if (!p.alive || !p.child.connected) return Promise.resolve(undefined);
    const id = ++seq;
    return new Promise((resolve) => {
      p.waiting.set(id, resolve);
      p.child.send({ id, msg: { user, text, messageId: `dep-${id}` } }, (err) => {
        if (err) {
          p.waiting.delete(id);
          resolve(undefined);
        }
      });
    });
  }

  // The scene: resellers with three tickets each (as TIKET opens them), saldo 0.
  const resellers = Array.from({ length: resellerCount }, (_, i) => `soak:${300_000 + i}`);
  const tickets: Array<{ id: string; user: string; amount: number }> = [];
  for (const [i, u] of resellers.entries()) {
    await store.setReseller(u, true, undefined, Date.now());
    for (let k = 0; k < 3; k++) {
      const r = await store.openTicket(u, `DS${i.toString(36).toUpperCase()}X${k}`, 50_000 + ((i * 3 + k) % 300) * 1000, Date.now(), DAY, 3);
      if (!r.ok) throw new Error(`a soak ticket was refused: ${JSON.stringify(r)}`);
      tickets.push({ id: r.ticket.id, user: u, amount: r.ticket.amount });
    }
  }
  // Most tickets get their transfer; the rest are never paid and must stay open.
  const paidTickets = tickets.filter(() => Math.random() < 0.8);
  const heldAmounts = new Set(tickets.map((t) => t.amount));
  const strayAmount = () => {
    for (;;) {
      const a = 1_000 + Math.floor(Math.random() * 9_000_000);
      if (!heldAmounts.has(a)) return a;
    }
  };
  type Planned = { type: 'CR' | 'DB'; amount: number; ticket?: string };
  const planned: Planned[] = [
    ...paidTickets.map((t) => ({ type: 'CR' as const, amount: t.amount, ticket: t.id })),
    ...Array.from({ length: Math.ceil(tickets.length / 5) }, () => ({ type: 'CR' as const, amount: strayAmount() })),
    ...Array.from({ length: Math.ceil(tickets.length / 10) }, () => ({ type: 'DB' as const, amount: 10_000 + Math.floor(Math.random() * 500_000) })),
  ].sort(() => Math.random() - 0.5);
  const pushes: Array<{ push: MootaPush; items: Planned[] }> = [];
  for (let i = 0; i < planned.length;) {
    const n = 1 + Math.floor(Math.random() * 12);
    const items = planned.slice(i, i + n);
    pushes.push({ push: moota.build(items.map(({ type, amount }) => ({ type, amount }))), items });
    i += n;
  }

  let kills = 0;
  const killer = setInterval(() => {
    // One kill at a time: a process still restarting is not killed again.
    if (procs.some((p) => !p.alive)) return;
    const victim = procs[kills % 2]!;
    kills++;
    victim.child.kill('SIGKILL');
    void spawnProc().then((p) => {
      procs[procs.indexOf(victim)] = p;
    });
  }, killEveryMs);

  let sent = 0;
  let refused = 0;
  /** Moota's delivery: to any live process until one answers 200 (a kill, a 500: sent again). */
  async function deliver(push: MootaPush): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const p = await anyLive();
      sent++;
      try {
        if ((await moota.send(push, `${p.url}/deposit/moota`)).status === 200) return;
      } catch {
        // The process died under the request: Moota tries again.
      }
      refused++;
      await sleep(Math.min(50 * 2 ** attempt, 1_000));
    }
  }
  /** The same push five times at once, spread over both processes; each sent until acknowledged. */
  async function storm(push: MootaPush): Promise<void> {
    await Promise.all(Array.from({ length: 5 }, () => deliver(push)));
  }

  // QRIS deposits asked for in chat (DEPOSIT QRIS), while processes die: a reply lost with its process is asked again.
  progress(`deposits soak: ${tickets.length} tickets, ${pushes.length} pushes of ${planned.length} mutations, ${qrisCount} QRIS deposits`);
  const qrisIds: string[] = [];
  const openQris = async (i: number) => {
    const user = resellers[i % resellers.length]!;
    for (;;) {
      const reply = await say(await anyLive(), user, `DEPOSIT QRIS ${10_000 + (i % 50) * 1_000}`);
      const id = reply && /Deposit QRIS (Q[0-9A-Z]+)/.exec(reply)?.[1];
      if (id) return void qrisIds.push(id);
      await sleep(100);
    }
  };
  for (let i = 0; i < qrisCount; i += 10) await Promise.all(Array.from({ length: Math.min(10, qrisCount - i) }, (_, j) => openQris(i + j)));

  type Fate = 'PAID' | 'EXPIRED' | 'EXPIRED+PAID' | 'FAILED';
  const fates = new Map<string, Fate>();
  let callbacks = 0;
  /** Tripay's delivery of a payment's last callback: to any live process until accepted. */
  async function callBack(reference: string, first: (ref: string) => Promise<unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const p = await anyLive();
      tripay.setCallbackUrl(`${p.url}/deposit/tripay`);
      callbacks++;
      try {
        const d = attempt === 0 ? ((await first(reference)) as { accepted: boolean }) : await tripay.resend(reference, `${p.url}/deposit/tripay`);
        if (d.accepted) return;
      } catch {
        // Killed under the callback (or the first POST never got through): Tripay sends it again.
      }
      await sleep(Math.min(50 * 2 ** attempt, 1_000));
    }
  }
  async function settleQris(id: string): Promise<void> {
    const d = (await store.getQris(id))!;
    const r = Math.random();
    const fate: Fate = r < 0.6 ? 'PAID' : r < 0.75 ? 'EXPIRED' : r < 0.9 ? 'EXPIRED+PAID' : 'FAILED';
    fates.set(id, fate);
    const act = fate === 'FAILED' ? tripay.fail : fate === 'PAID' ? tripay.pay : tripay.expire;
    await callBack(d.reference, act);
    await Promise.all(Array.from({ length: 4 }, () => callBack(d.reference, (ref) => tripay.resend(ref))));
    if (fate === 'EXPIRED+PAID') {
      await callBack(d.reference, tripay.pay);
      await Promise.all(Array.from({ length: 4 }, () => callBack(d.reference, (ref) => tripay.resend(ref))));
    }
  }

  // The deliveries, spread over `seconds`, several in flight; each push stormed, then sent once more later.
  const work: Array<() => Promise<void>> = [
    ...pushes.map(({ push }) => () => storm(push)),
    ...qrisIds.map((id) => () => settleQris(id)),
  ].sort(() => Math.random() - 0.5);
  const gap = (seconds * 1000) / Math.max(1, work.length);
  const inFlight: Promise<void>[] = [];
  for (const job of work) {
    inFlight.push(job());
    await sleep(gap);
  }
  await Promise.all(inFlight);
  await Promise.all(pushes.map(({ push }) => deliver(push)));
  clearInterval(killer);
  while (live().length < 2) await sleep(50);

  // The books.
  const later = Date.now() + DAY;
  const mutations = new Map((await store.mutations(0, later)).map((m): [string, BankMutation] => [m.id, m]));
  const qris = new Map((await store.qrisDeposits(0, later)).map((d): [string, QrisDeposit] => [d.id, d]));
  const ledgers = new Map(await Promise.all(resellers.map(async (u) => [u, await store.ledger(u, 100_000)] as const)));
  const creditsOfMutation = new Map<string, number>();
  const creditsOfQris = new Map<string, number>();
  let strayCredits = 0;
  for (const entries of ledgers.values()) {
    for (const e of entries) {
      const moota = / by moota:(\S+)$/.exec(e.note ?? '')?.[1];
      const q = /^qris (\S+)$/.exec(e.note ?? '')?.[1];
      if (moota) creditsOfMutation.set(moota, (creditsOfMutation.get(moota) ?? 0) + 1);
      else if (q) creditsOfQris.set(q, (creditsOfQris.get(q) ?? 0) + 1);
      else strayCredits++;
    }
  }
  let missing = 0;
  let doubles = 0;
  let wrongStatus = 0;
  let notKept = 0;
  const byTicket = new Map(tickets.map((t) => [t.id, t]));
  const owed = new Map<string, number>(resellers.map((u) => [u, 0]));
  for (const { push, items } of pushes) {
    push.mutationIds.forEach((mid, i) => {
      const item = items[i]!;
      const m = mutations.get(mid);
      const n = creditsOfMutation.get(mid) ?? 0;
      if (!m) return void notKept++;
      if (item.ticket) {
        const t = byTicket.get(item.ticket)!;
        owed.set(t.user, owed.get(t.user)! + t.amount);
        if (n === 0) missing++;
        if (n > 1) doubles += n - 1;
        if (m.status !== 'credited' || m.ticketId !== t.id) wrongStatus++;
      } else {
        if (n > 0) doubles += n;
        if (m.status !== (item.type === 'DB' ? 'debit' : 'unmatched')) wrongStatus++;
      }
    });
  }
  for (const t of tickets) {
    const ticket = await store.getTicket(t.id);
    const paid = paidTickets.includes(t);
    if ((ticket?.status === 'paid') !== paid) wrongStatus++;
  }
  for (const [id, d] of qris) {
    const fate = fates.get(id);
    const n = creditsOfQris.get(id) ?? 0;
    const credited = fate === 'PAID' || fate === 'EXPIRED+PAID';
    if (credited) owed.set(d.user, owed.get(d.user)! + d.amount);
    if (credited && n === 0) missing++;
    if (n > (credited ? 1 : 0)) doubles += n - (credited ? 1 : 0);
    const want = credited ? 'paid' : fate === 'EXPIRED' ? 'expired' : fate === 'FAILED' ? 'failed' : 'open';
    if (d.status !== want) wrongStatus++;
  }
  let saldoOff = 0;
  for (const u of resellers) if ((await store.getSaldo(u)) !== owed.get(u)) saldoOff++;
  const report = await audit(store);
  const ok = missing === 0 && doubles === 0 && wrongStatus === 0 && notKept === 0 && strayCredits === 0 && saldoOff === 0 && report.problems.length === 0;

  const count = (status: string) => [...mutations.values()].filter((m) => m.status === status).length;
  const lines = [
    `deposits soak: 2 processes with HTTP servers, ${kills} SIGKILLs, ${((Date.now() - started) / 1000).toFixed(0)} s; ${pushes.length} Moota pushes ` +
      `(${planned.length} mutations: ${paidTickets.length} ticket credits, ${count('unmatched')} unmatched, ${count('debit')} debits), each sent 5 times at once and once more, ` +
      `${sent} POSTs (${refused} not acknowledged, sent again); ${qris.size} QRIS deposits, ${callbacks} Tripay callbacks`,
    `deposit credits: tickets ${[...creditsOfMutation.values()].reduce((a, b) => a + b, 0)} of ${paidTickets.length}, QRIS ${[...creditsOfQris.values()].reduce((a, b) => a + b, 0)} of ` +
      `${[...fates.values()].filter((f) => f.endsWith('PAID')).length}; missing ${missing}, credited twice ${doubles}, wrong status ${wrongStatus}, not kept ${notKept}, ` +
      `other credits ${strayCredits}, saldos off ${saldoOff}; audit: ${report.problems.length} differences` +
      (report.problems.length ? `\n  ${report.problems.slice(0, 10).join('\n  ')}` : ''),
  ];

  for (const p of procs) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => new Promise((r) => (p.child.exitCode === null ? p.child.once('exit', r) : r(null)))));
  await moota.close();
  await tripay.close();
  await mmbc.close();
  await iak.close();
  await dropKeys(store.redis, prefix);
  await store.close();
  return { ok, lines };
}

// Run alone: `npx tsx soak/deposits.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await soakDeposits({ progress: (l) => process.stderr.write(`  ... ${l}\n`) });
  process.stdout.write(`${r.lines.join('\n')}\n`);
  process.exit(r.ok ? 0 : 1);
}
