/**
 * Bot processes for the benchmarks, each the real app alone in a child (bench/bot-process.ts) on a shared
 * Redis and a shared simulator process, driven over IPC: a request names a whole load (N users, a timed
 * window), never one message, so IPC is no part of a figure.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Redis } from 'ioredis';
import { dropKeys, REDIS_URL, type SimProcess } from './harness.ts';

export type BotRequest =
  | {
      cmd: 'users';
      prefix: string;
      from: number;
      count: number;
      /** Messages each user sends in turn; `{c}` in a text is a customer number of the user's own; `expect` is checked in the replies. */
      steps: Array<{ text: string; expect?: string }>;
      customerBase: number;
      concurrency: number;
    }
  | { cmd: 'throughput'; users: string[]; seconds: number; startAt: number; customerBase: number }
  | { cmd: 'memory' };

export interface MemoryUsage {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** The V8 heap's resident pages (this isolate's). */
  heapPhysical: number;
  /** Linux: RSS in anonymous memory and in mapped files. */
  rssAnon?: number;
  rssFile?: number;
}

export interface BotProcess {
  child: ChildProcess;
  /** Memory right after start-up (after a full GC). */
  startMemory: MemoryUsage;
  request<T = Record<string, unknown>>(req: BotRequest): Promise<T>;
  /** SIGTERM, or SIGKILL when `kill` is given; resolves when it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** The environment of a bot process: the app's own config, the simulators' URLs, a throwaway prefix. */
export function botEnv(sim: SimProcess, prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    MMBC_BASE_URL: sim.mmbc, MMBC_USERNAME: 'sandbox', MMBC_PASSWORD: 'sandbox',
    IAK_BASE_URL: sim.iak, IAK_USERNAME: sim.iakUser, IAK_API_KEY: sim.iakKey,
    REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent',
    // The limiter still runs on every message, but never trips.
    FLOOD_MAX_MESSAGES: '10000', FLOOD_WINDOW_SECONDS: '1',
    ...extra,
  };
}

export function benchPrefix(name: string): string {
  return `bench:${name}:${randomBytes(4).toString('hex')}:`;
}

/** `entry` and `execArgv` are for trying the same bot another way (a bundled build under plain node, V8 flags). */
export function forkBot(env: Record<string, string>, opts: { entry?: string; execArgv?: string[] } = {}): Promise<BotProcess> {
  const child = fork(opts.entry ?? 'bench/bot-process.ts', [], {
    env, execArgv: opts.execArgv ?? ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve(v: never): void; reject(e: Error): void }>();
  let seq = 0;
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      for (const w of waiting.values()) w.reject(new Error(`the bot process exited (${signal ?? code})`));
      waiting.clear();
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    void exit.then(() => reject(new Error('a bot process exited before it was ready')));
    child.on('message', (m: { id?: number; ready?: boolean; memory?: MemoryUsage; error?: string }) => {
      if (m.ready) {
        resolve({
          child,
          startMemory: m.memory!,
          request<T>(req: BotRequest) {
            if (exited) return Promise.reject(new Error('the bot process has exited'));
            const id = ++seq;
            return new Promise<T>((res, rej) => {
              waiting.set(id, { resolve: res as (v: never) => void, reject: rej });
              child.send({ ...req, id });
            });
          },
          async stop(signal = 'SIGTERM') {
            if (!exited) child.kill(signal);
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

/** A request to the simulator process (bench/sim-process.ts), answered by id. */
let simSeq = 0;
export function simRequest<T = Record<string, unknown>>(sim: SimProcess, req: Record<string, unknown>): Promise<T> {
  const id = ++simSeq;
  return new Promise((resolve) => {
    const on = (m: { id?: number }) => {
      if (m.id !== id) return;
      sim.child.off('message', on);
      resolve(m as T);
    };
    sim.child.on('message', on);
    sim.child.send({ ...req, id });
  });
}

/** CPU time Redis has used so far, in ms (INFO cpu: the server's user + system time). */
export async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const user = Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0);
  const sys = Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0);
  return (user + sys) * 1000;
}

export { dropKeys };

export const MB = 1024 * 1024;

/** The machine's CPU counters (/proc/stat, Linux), to see what else ran in a window; undefined elsewhere. */
export function machineCpu(): { busy: number; steal: number; total: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    return { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
  } catch {
    return undefined;
  }
}

/** Busy and stolen time between two readings, in % of one core (all cores: cores × 100). */
export function machineCpuBetween(a: ReturnType<typeof machineCpu>, b: ReturnType<typeof machineCpu>): { busy: number; steal: number } | undefined {
  if (!a || !b || b.total === a.total) return undefined;
  const cores = cpus().length;
  return { busy: (100 * cores * (b.busy - a.busy)) / (b.total - a.total), steal: (100 * cores * (b.steal - a.steal)) / (b.total - a.total) };
}
