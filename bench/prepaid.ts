/**
 * What a prepaid top-up costs the bot (issue 20): bot CPU per conversation of `<KODE>.<NOMOR>.<PIN>` (no inquiry
 * call; IAK answers PROCESS, then its callback over HTTP brings the receipt), against a PLN bill's (`PLN <IDPEL>`,
 * MMBC's inquiry, `YA <PIN>`, the receipt) in the same bot process in the same run, rounds interleaved so the
 * machine's load lands on both sides of the ratio. Both carry one PIN check (scrypt, on libuv's threads, counted:
 * process CPU is every thread's), which is nearly all of either: so the same two without a PIN are measured too,
 * `<KODE> <NOMOR>` + `YA` + callback against `PLN <IDPEL>` + `YA` (as the core section runs it), the bot's own
 * code alone. The bot is alone in its process (bench/prepaid-bot.ts) on Redis; the billers' simulators run here.
 *
 * `benchPrepaid()` for bench/run.ts; `tsx bench/prepaid.ts` runs it alone. BENCH_SECONDS (5) scales the windows.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hashPin } from '../src/payments/pin.ts';
import { startIakSimulator } from '../src/providers/iak/simulator.ts';
import { startIakPrepaidSimulator } from '../src/providers/iak-prepaid/simulator.ts';
import { startMmbcSimulator } from '../src/providers/mmbc/simulator.ts';
import { createRedisStore } from '../src/store/redis-store.ts';
import { credit, dropKeys, REDIS_URL } from './harness.ts';
import type { PrepaidBenchRequest } from './prepaid-bot.ts';
import { benchPrefix } from './processes.ts';

const IN_FLIGHT = 32;
const PIN = '482915';
const CODE = 'htelkomsel10000';

export interface PrepaidBenchResult {
  lines: string[];
  /** Bot CPU µs per conversation: with the PIN (one-line form; YA <PIN>), and without. */
  prepaidPinUs: number;
  plnPinUs: number;
  prepaidUs: number;
  plnUs: number;
  /** prepaid / PLN bill, with the PIN: the target is <= 1. */
  ratio: number;
  /** The same without the PIN's scrypt: the bot's own code. */
  ratioWithoutPin: number;
}

type Kind = 'prepaid-pin' | 'pln-pin' | 'prepaid' | 'pln';
const KINDS: readonly Kind[] = ['prepaid-pin', 'pln-pin', 'prepaid', 'pln'];
const withPin = (k: Kind) => k.endsWith('-pin');

export async function benchPrepaid(opts: { seconds?: number; progress?: (l: string) => void } = {}): Promise<PrepaidBenchResult> {
  const seconds = opts.seconds ?? Number(process.env.BENCH_SECONDS ?? 5);
  const progress = opts.progress ?? (() => {});
  const mmbc = await startMmbcSimulator({ saldo: 1e15 });
  const iak = await startIakSimulator({});
  // The callback at once: the figure is CPU per conversation, and a lane waits for its callback.
  const prepaid = await startIakPrepaidSimulator({ callbackDelayMs: 1 });
  const prefix = benchPrefix('prepaid');
  const store = createRedisStore({ url: REDIS_URL, prefix });
  const users = Object.fromEntries(KINDS.map((k) => [k, Array.from({ length: IN_FLIGHT }, (_, i) => `bench:${k}:${i}`)])) as Record<Kind, string[]>;
  const hash = await hashPin(PIN);
  for (const kind of KINDS) {
    for (const u of users[kind]) {
      await store.setReseller(u, true, undefined, Date.now());
      await credit(store, u, 1_000_000_000_000);
      if (withPin(kind)) await store.setPin(u, hash);
    }
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    MMBC_BASE_URL: mmbc.url, MMBC_USERNAME: 'sandbox', MMBC_PASSWORD: 'sandbox',
    IAK_BASE_URL: iak.url, IAK_USERNAME: prepaid.username, IAK_API_KEY: prepaid.apiKey, IAK_PREPAID_BASE_URL: prepaid.url,
    REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent', FLOOD_MAX_MESSAGES: '10000', FLOOD_WINDOW_SECONDS: '1',
  };
  const bot = await forkPrepaidBot(env);
  prepaid.setCallbackUrl(`${bot.url}/iak/callback`);
  let from = 1_000_000;
  const window = async (kind: Kind, s: number) => {
    const r = await bot.request({
      kind: kind.startsWith('prepaid') ? 'prepaid' : 'pln', users: users[kind], seconds: s, from, ...(withPin(kind) ? { pin: PIN } : {}), code: CODE,
    });
    from = r.next + 1;
    return { n: r.n, us: (r.cpuMs * 1000) / r.n, perSec: r.n / (r.ms / 1000), commands: r.commands / r.n };
  };
  try {
    // Warm-up: keep-alive sockets, the script cache, the JIT, for each path.
    for (const kind of KINDS) await window(kind, 2);
    const sum = Object.fromEntries(KINDS.map((k) => [k, { us: 0, n: 0, perSec: 0, commands: 0 }])) as Record<Kind, { us: number; n: number; perSec: number; commands: number }>;
    for (let round = 0; round < 3; round++) {
      for (const kind of KINDS) {
        const w = await window(kind, Math.max(1, seconds / 3));
        sum[kind].us += w.us / 3;
        sum[kind].n += w.n;
        sum[kind].perSec += w.perSec / 3;
        sum[kind].commands += w.commands / 3;
      }
      progress(`prepaid round ${round + 1} of 3`);
    }
    const ratio = sum['prepaid-pin'].us / sum['pln-pin'].us;
    const ratioWithoutPin = sum.prepaid.us / sum.pln.us;
    const us = (k: Kind) => sum[k].us.toFixed(0);
    const counts = (a: Kind, b: Kind) => `${sum[a].n} / ${sum[b].n} conversations, ${sum[a].perSec.toFixed(0)} / ${sum[b].perSec.toFixed(0)} per s`;
    const lines = [
      `prepaid conversation bot CPU: ${us('prepaid-pin')} µs per conversation (baseline PLN bill ${us('pln-pin')} µs, ratio ${ratio.toFixed(3)}; ` +
        `KODE.NOMOR.PIN answered PROCESS, its receipt from IAK's callback over HTTP, against PLN <IDPEL> + YA <PIN>; one PIN check (scrypt) each, ` +
        `nearly all of either; ${counts('prepaid-pin', 'pln-pin')}, ${IN_FLIGHT} in flight; the bot alone in its process on Redis; target ratio <= 1.0)`,
      `prepaid conversation bot CPU without the PIN: ${us('prepaid')} µs per conversation (baseline PLN bill ${us('pln')} µs, ratio ${ratioWithoutPin.toFixed(3)}; ` +
        `KODE NOMOR + YA + IAK's callback against PLN <IDPEL> + YA, the bot's own code; ${counts('prepaid', 'pln')}; ` +
        `Redis commands sent per conversation ${sum.prepaid.commands.toFixed(1)} / ${sum.pln.commands.toFixed(1)}; target ratio <= 1.0)`,
    ];
    return { lines, prepaidPinUs: sum['prepaid-pin'].us, plnPinUs: sum['pln-pin'].us, prepaidUs: sum.prepaid.us, plnUs: sum.pln.us, ratio, ratioWithoutPin };
  } finally {
    await bot.stop();
    await prepaid.close();
    await iak.close();
    await mmbc.close();
    await dropKeys(store.redis, prefix);
    await store.close();
  }
}

interface PrepaidBot {
  url: string;
  request(r: Omit<PrepaidBenchRequest, 'id'>): Promise<{ n: number; ms: number; cpuMs: number; next: number; commands: number }>;
  stop(): Promise<void>;
}

function forkPrepaidBot(env: Record<string, string>): Promise<PrepaidBot> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./prepaid-bot.ts', import.meta.url)), [], {
    env, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve(v: never): void; reject(e: Error): void }>();
  let seq = 0;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const w of waiting.values()) w.reject(new Error(`the prepaid bench bot exited (${signal ?? code})`));
      waiting.clear();
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the prepaid bench bot exited (${code}) before it was ready`)));
    child.on('message', (m: { ready?: boolean; url?: string; id?: number; error?: string }) => {
      if (m.ready) {
        resolve({
          url: m.url!,
          request: (r) =>
            new Promise((res, rej) => {
              const id = ++seq;
              waiting.set(id, { resolve: res as (v: never) => void, reject: rej });
              child.send({ ...r, id });
            }),
          async stop() {
            child.kill('SIGTERM');
            await exit;
          },
        });
        return;
      }
      if (m.id === undefined) return;
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.error) w?.reject(new Error(m.error));
      else w?.resolve(m as never);
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchPrepaid({ progress: (l) => process.stderr.write(`  ... ${l}\n`) });
  for (const l of r.lines) process.stdout.write(`${l}\n`);
  process.exit(0);
}
