/**
 * The prepaid soak (issue 20): resellers top up pulsa (half of them with a PIN and the one-line form, half with
 * PULSA or the product's code and YA) through two bot processes sharing one Redis, each with its
 * own HTTP server where IAK's callbacks arrive, while the IAK prepaid simulator injects its faults (no callback,
 * an answer that hangs, garbage, 502, a top-up that never arrives, a refusal, a failure told by callback) and one
 * process is SIGKILLed every SOAK_KILL_SECONDS. A front stands where IAK's callback URL points: it hands each
 * callback to a live process, and now and then to both at once and twice to one, so callbacks race each other;
 * the workers' status checks (PENDING_RECHECK_SECONDS=1, the callback 0.9 s after the top-up) race them all, and
 * a top-up whose answer hangs (past PROVIDER_TIMEOUT_MS, 1 s) is called back before the bot gives up on it.
 * YA and the one-line form are sometimes delivered to both processes.
 *
 * Then the faults stop, every transaction is let reach a final state, and the bot's books are held against the
 * simulator's own record: no ref_id topped up twice (`repeats` 0, one top-up per conversation), every SETTLED
 * transaction IAK's success with IAK's SN and price on its receipt, every FAILED one nothing topped up, no
 * success at IAK the bot does not hold SETTLED; no receipt told twice; the audit clean.
 *
 * `soakPrepaid()` is called by soak/run.ts; `tsx soak/prepaid.ts` runs it alone. Settings: SOAK_PREPAID_PAYMENTS
 * (2000), SOAK_PREPAID_LANES (40: conversations at once, one reseller each), SOAK_KILL_SECONDS (1.5), REDIS_URL.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isFinal, type Transaction } from '../src/bot/store.ts';
import { audit } from '../src/payments/audit.ts';
import { hashPin } from '../src/payments/pin.ts';
import { startIakSimulator } from '../src/providers/iak/simulator.ts';
import { type IakPrepaidSimFault, startIakPrepaidSimulator } from '../src/providers/iak-prepaid/simulator.ts';
import { createRedisStore } from '../src/store/redis-store.ts';
import { credit, dropKeys } from '../bench/harness.ts';

export interface PrepaidSoakOptions {
  redisUrl?: string;
  payments?: number;
  lanes?: number;
  killEveryMs?: number;
  /** Progress, one line at a time (stderr when run alone). */
  progress?: (line: string) => void;
}

export interface PrepaidSoakResult {
  lines: string[];
  ok: boolean;
  figures: {
    conversations: number;
    settled: number;
    failed: number;
    open: number;
    topUpRequests: number;
    repeats: number;
    doubleTopUps: number;
    mismatches: number;
    receiptsTwice: number;
    auditProblems: number;
  };
}

/** Fault rates per conversation (the rest succeed with a callback); each fault is the simulator's own. */
const FAULTS: Array<[IakPrepaidSimFault, number]> = [
  ['pending', 0.08], ['timeout', 0.04], ['garbage', 0.03], ['http502', 0.03], ['lost', 0.03], ['refuse', 0.04], ['callback-fail', 0.05],
];
const PRODUCTS = [['htelkomsel5000', 5_000], ['htelkomsel10000', 10_000], ['htelkomsel20000', 20_000], ['htelkomsel50000', 50_000]] as const;
const PIN = '482915';
/** A YA or one-line message delivered to both processes; a callback handed to both, or twice to one. */
const DUPLICATE_MESSAGE = 0.1;
const DUPLICATE_CALLBACK = 0.25;
const ADMIN = 'telegram:1';
const TX_ID = /ID transaksi\s+([0-9A-Z]{14})|\(ID ([0-9A-Z]{14})\)/;

interface Bot {
  child: ChildProcess;
  url?: string;
  waiting: Map<number, (text: string | undefined) => void>;
  alive: boolean;
}

export async function soakPrepaid(opts: PrepaidSoakOptions = {}): Promise<PrepaidSoakResult> {
  const redisUrl = opts.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const payments = opts.payments ?? Number(process.env.SOAK_PREPAID_PAYMENTS ?? 2_000);
  const lanes = opts.lanes ?? Number(process.env.SOAK_PREPAID_LANES ?? 40);
  const killEveryMs = opts.killEveryMs ?? Number(process.env.SOAK_KILL_SECONDS ?? 1.5) * 1000;
  const progress = opts.progress ?? (() => {});
  const started = Date.now();

  const postpaid = await startIakSimulator({ hangMs: 1_500 });
  const bots: Bot[] = [];
  const live = () => bots.filter((b) => b.alive && b.url);
  // Where IAK's callback URL points: a live process, sometimes both at once, sometimes one twice.
  const front = await listen(async (path, body) => {
    const up = live();
    const first = up[Math.floor(Math.random() * up.length)];
    if (!first) return 502;
    const others = Math.random() < DUPLICATE_CALLBACK ? up.filter((b) => b !== first) : [];
    const again = Math.random() < DUPLICATE_CALLBACK ? [first] : [];
    const answers = await Promise.all([first, ...others, ...again].map((b) => deliver(`${b.url}${path}`, body)));
    return answers[0]!;
  });
  const prepaid = await startIakPrepaidSimulator({
    callbackUrl: `${front.url}/iak/callback`, callbackDelayMs: 900, callbackAttempts: 8, callbackRetryMs: 400, hangMs: 1_500,
  });
  const prefix = `soak-prepaid:${randomBytes(3).toString('hex')}:`;
  const store = createRedisStore({ url: redisUrl, prefix });
  const env = {
    ...process.env, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, IAK_BASE_URL: postpaid.url, IAK_USERNAME: prepaid.username,
    IAK_API_KEY: prepaid.apiKey, IAK_PREPAID_BASE_URL: prepaid.url, PROVIDER_TIMEOUT_MS: '1000', PENDING_RECHECK_SECONDS: '1',
    FLOOD_MAX_MESSAGES: '10000', ADMIN_IDS: ADMIN, HTTP_PORT: '0', CHANNELS: 'console', LOG_LEVEL: 'silent',
  };

  /** Receipts told, per transaction: in a reply, or later by a process. */
  const told = new Map<string, number>();
  const noteReceipt = (id: string) => told.set(id, (told.get(id) ?? 0) + 1);
  let seq = 0;
  const botFile = fileURLToPath(new URL('./prepaid-bot.ts', import.meta.url));

  function spawnBot(): Promise<Bot> {
    const child = fork(botFile, [], { env, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const bot: Bot = { child, waiting: new Map(), alive: true };
    const dead = () => {
      bot.alive = false;
      for (const done of bot.waiting.values()) done(undefined);
      bot.waiting.clear();
    };
    child.on('exit', dead);
    child.on('disconnect', dead);
    child.on('error', dead);
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`a prepaid soak bot exited (${code}) before it was ready`)));
      child.on('message', (m: { ready?: boolean; url?: string; id?: number; text?: string; told?: string; receipt?: boolean }) => {
        if (m.ready) {
          bot.url = m.url;
          resolve(bot);
        } else if (m.told) {
          if (m.receipt) noteReceipt(m.told);
        } else if (m.id !== undefined) {
          bot.waiting.get(m.id)?.(m.text);
          bot.waiting.delete(m.id);
        }
      });
    });
  }

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

  async function any(): Promise<Bot> {
    while (live().length === 0) await new Promise((r) => setTimeout(r, 20));
    const up = live();
    return up[Math.floor(Math.random() * up.length)]!;
  }

  /** A reply that tells a receipt counts as telling it. */
  function heard(reply: string | undefined): void {
    if (!reply?.includes('STRUK')) return;
    const m = TX_ID.exec(reply);
    const id = m?.[1] ?? m?.[2];
    if (id) noteReceipt(id);
  }

  const resellers = Array.from({ length: lanes }, (_, i) => `soak:p${i}`);
  // Half the resellers have a PIN (the one-line form needs one; their YA carries it), half pay with a plain YA:
  // a PIN whose comparisons a kill cut short may refuse its owner for a while, never the others.
  const hasPin = (user: string) => resellers.indexOf(user) % 2 === 0;
  const pinHash = await hashPin(PIN);
  for (const u of resellers) {
    await store.setReseller(u, true, undefined, Date.now());
    if (hasPin(u)) await store.setPin(u, pinHash);
    await credit(store, u, 1_000_000_000, 'soak');
  }
  bots.push(await spawnBot(), await spawnBot());

  let kills = 0;
  const killer = setInterval(() => {
    if (bots.some((b) => !b.alive)) return;
    const victim = bots[kills % 2]!;
    kills++;
    victim.child.kill('SIGKILL');
    void spawnBot().then((b) => {
      bots[bots.indexOf(victim)] = b;
    });
  }, killEveryMs);

  const faultOf = new Map<string, IakPrepaidSimFault>();
  let next = 0;
  let twice = 0;
  /** What the paying messages were answered: a payment made, a refusal (by its first words), or nothing (killed). */
  const answers = new Map<string, number>();
  const answered = (reply: string | undefined) => {
    const kind =
      reply === undefined ? 'no answer (killed)'
      : reply === '' ? 'answered by the other delivery'
      : TX_ID.test(reply) ? 'paid'
      : `refused: ${reply.split(/[.:;]/)[0]!.slice(0, 60)}`;
    answers.set(kind, (answers.get(kind) ?? 0) + 1);
  };
  async function lane(user: string): Promise<void> {
    while (next < payments) {
      const n = next++;
      // A Telkomsel number of its own per conversation: the simulator's record is then per conversation too.
      const number = `0812${String(10_000_000 + n).padStart(8, '0')}`;
      const fault = pickFault();
      if (fault) {
        prepaid.setFault(number, fault);
        faultOf.set(number, fault);
      }
      const [code] = PRODUCTS[n % PRODUCTS.length]!;
      const first = await any();
      const dup = Math.random() < DUPLICATE_MESSAGE;
      const pin = hasPin(user);
      if (pin && n % 2 === 0) {
        // The one-line form: pays at once.
        const text = `${code}.${number}.${PIN}`;
        const a = send(first, user, text, `o${n}`);
        const b = dup ? send(live().find((x) => x !== first) ?? first, user, text, `o${n}`) : undefined;
        const reply = await a;
        answered(reply);
        heard(reply);
        heard(await b);
      } else {
        // The summary by PULSA <nomor> <nominal> or by the product's code, then YA (with the PIN where there is one).
        const ask = n % 4 < 2 ? `PULSA ${number} ${PRODUCTS[n % PRODUCTS.length]![1]}` : `${code} ${number}`;
        const summary = await send(first, user, ask, `q${n}`);
        if (!summary?.includes('Saldo dipotong')) {
          answered(summary);
          continue;
        }
        const yes = await any();
        const ya = pin ? `YA ${PIN}` : 'YA';
        const a = send(yes, user, ya, `y${n}`);
        const b = dup ? send(live().find((x) => x !== yes) ?? yes, user, ya, `y${n}`) : undefined;
        const reply = await a;
        answered(reply);
        heard(reply);
        heard(await b);
      }
      if (dup) twice++;
    }
  }

  function pickFault(): IakPrepaidSimFault | undefined {
    let r = Math.random();
    for (const [f, p] of FAULTS) {
      if (r < p) return f;
      r -= p;
    }
    return undefined;
  }

  progress(`prepaid soak: ${payments} conversations, ${lanes} at once, 2 processes, SIGKILL every ${killEveryMs} ms`);
  const paying = Date.now();
  await Promise.all(resellers.map((u) => lane(u)));
  clearInterval(killer);
  const paySeconds = (Date.now() - paying) / 1000;
  const topUpsDuringFaults = prepaid.calls['top-up'] ?? 0;

  // Let everything reach a final state: callbacks still due, status checks (a transaction a killed process left
  // SENDING is found by the worker after its grace, PROVIDER_TIMEOUT_MS + 30 s).
  const settling = Date.now();
  const everyTx = async (): Promise<Transaction[]> => (await Promise.all(resellers.map((u) => store.listTx(u, 100_000)))).flat();
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    const open = (await everyTx()).filter((t) => !isFinal(t.status));
    if (open.length === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  await prepaid.idle();
  // A receipt told by a process just before it is stopped still reaches us.
  await new Promise((r) => setTimeout(r, 300));
  const settleSeconds = (Date.now() - settling) / 1000;

  const all = await everyTx();
  const count = (s: string) => all.filter((t) => t.status === s).length;
  let mismatches = 0;
  const problems: string[] = [];
  const mismatch = (what: string) => {
    mismatches++;
    if (problems.length < 10) problems.push(what);
  };
  const ours = new Set(all.map((t) => t.id));
  for (const tx of all) {
    const t = prepaid.topUps.get(tx.id);
    if (tx.status === 'SETTLED') {
      if (t?.state !== 'success') mismatch(`${tx.id} SETTLED, IAK ${t?.state ?? 'never got it'}`);
      else if (tx.receipt?.reference !== t.sn) mismatch(`${tx.id} receipt SN ${tx.receipt?.reference} is not IAK's ${t.sn}`);
      else if (tx.quote.bill.debit !== t.price) mismatch(`${tx.id} debited for ${tx.quote.bill.debit}, IAK charged ${t.price}`);
    } else if (tx.status === 'FAILED' && t?.state === 'success') {
      mismatch(`${tx.id} refunded, IAK topped it up`);
    }
  }
  for (const t of prepaid.topUps.values()) if (t.state === 'success' && !ours.has(t.refId)) mismatch(`IAK topped up ${t.refId}, unknown to the bot`);
  const perNumber = new Map<string, number>();
  for (const t of prepaid.topUps.values()) perNumber.set(t.customerId, (perNumber.get(t.customerId) ?? 0) + 1);
  const doubleTopUps = prepaid.repeats + [...perNumber.values()].reduce((s, c) => s + Math.max(0, c - 1), 0);
  const receiptsTwice = [...told.values()].filter((c) => c > 1).length;
  const notTold = all.filter((t) => t.status === 'SETTLED' && !told.has(t.id)).length;
  const report = await audit(store);
  const byFault = (status: string) =>
    [...new Set(faultOf.values())]
      .map((f) => `${f} ${all.filter((t) => t.status === status && faultOf.get(t.quote.bill.customerNo) === f).length}`)
      .join(', ');

  for (const b of bots) b.child.kill('SIGTERM');
  await Promise.all(bots.map((b) => (b.child.exitCode === null && b.child.signalCode === null ? new Promise((r) => b.child.once('exit', r)) : undefined)));
  await prepaid.close();
  await postpaid.close();
  await new Promise((r) => front.server.close(r));
  await dropKeys(store.redis, prefix);
  await store.close();

  const open = all.length - count('SETTLED') - count('FAILED');
  const lines = [
    `prepaid soak: ${payments} conversations (${twice} delivered to both processes), 2 processes, ${kills} SIGKILLs, ${((Date.now() - started) / 1000).toFixed(0)} s; paying ${paySeconds.toFixed(0)} s, settling ${settleSeconds.toFixed(0)} s`,
    `prepaid answers: ${[...answers].sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${v}`).join('; ')}`,
    `prepaid transactions: ${all.length}: settled ${count('SETTLED')}, refunded ${count('FAILED')}, not final ${open}; by fault, settled: ${byFault('SETTLED')}; refunded: ${byFault('FAILED')}`,
    `IAK top-up requests: ${prepaid.calls['top-up'] ?? 0} (during faults ${topUpsDuringFaults}), top-ups recorded ${prepaid.topUps.size}, status checks ${prepaid.calls['check-status'] ?? 0}, callbacks posted ${prepaid.callbacks.length} (answered 200: ${prepaid.callbacks.filter((c) => c.answered === 200).length})`,
    `prepaid double top-ups: ${doubleTopUps} (top-ups sent again under a used ref_id: ${prepaid.repeats})`,
    `prepaid mismatches with the simulator: ${mismatches}${problems.length ? `\n  ${problems.join('\n  ')}` : ''}`,
    `prepaid receipts told twice: ${receiptsTwice} (settled never told, a process killed between its settle and its notice: ${notTold})`,
    `prepaid audit: ${report.problems.length} differences${report.problems.length ? `\n  ${report.problems.slice(0, 10).join('\n  ')}` : ''}`,
  ];
  const ok = doubleTopUps === 0 && mismatches === 0 && receiptsTwice === 0 && report.problems.length === 0 && open === 0;
  return {
    lines,
    ok,
    figures: {
      conversations: answers.get('paid') ?? 0, settled: count('SETTLED'), failed: count('FAILED'), open, topUpRequests: prepaid.calls['top-up'] ?? 0,
      repeats: prepaid.repeats, doubleTopUps, mismatches, receiptsTwice, auditProblems: report.problems.length,
    },
  };
}

/** Posts a callback on to one process; 502 when it cannot be reached (killed), as a proxy would answer. */
async function deliver(url: string, body: Buffer): Promise<number> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 502;
  }
}

async function listen(handle: (path: string, body: Buffer) => Promise<number>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req.url ?? '/', Buffer.concat(chunks)).then(
        (status) => res.writeHead(status).end(),
        () => res.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await soakPrepaid({ progress: (l) => process.stderr.write(`  ... ${l}\n`) });
  process.stdout.write(`${r.lines.join('\n')}\n`);
  process.exit(r.ok ? 0 : 1);
}
