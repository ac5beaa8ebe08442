/**
 * Scale-out: core throughput (inquiry + YA + receipt, 64 conversations in flight, the simulator answering at
 * once) of two bot processes on one Redis, each with its own users, against one process measured the same
 * way in the same run. Windows alternate (one process, two, the other one alone, two, …) so a change in
 * the machine's load touches both alike. CPU is measured for every process in the windows (process.cpuUsage in
 * the bots and the simulator, INFO cpu for Redis), in % of one core: on 2 cores the bots, the simulator and
 * Redis share 200 %.
 *
 *   benchScaleOut(opts?) → { onePerSec, twoPerSec, ratio, cpu: { one: Cpu, two: Cpu } }
 */
import { Redis } from 'ioredis';
import { createRedisStore } from '../src/store/redis-store.ts';
import { credit, REDIS_URL, startSimProcess } from './harness.ts';
import { benchPrefix, botEnv, type BotProcess, dropKeys, forkBot, machineCpu, machineCpuBetween, redisCpuMs, simRequest } from './processes.ts';

export interface Cpu {
  /** % of one core, each bot process in the window (the idle one counts 0 in a one-process window). */
  bots: number[];
  sim: number;
  redis: number;
  /** The whole machine's busy time (everything, this benchmark's processes and any other), and time stolen by the hypervisor. */
  machine?: number;
  steal?: number;
}

export interface ScaleResult {
  onePerSec: number;
  twoPerSec: number;
  ratio: number;
  /** Conversations per CPU-second of the bot processes: flat from one process to two when nothing is shared but the cores. */
  perBotCpuSecond: { one: number; two: number };
  inFlight: number;
  cpu: { one: Cpu; two: Cpu };
}

interface Window {
  n: number;
  ms: number;
  cpu: Cpu;
}

export async function benchScaleOut(opts: { seconds?: number; inFlight?: number; progress?: (l: string) => void } = {}): Promise<ScaleResult> {
  const seconds = opts.seconds ?? 5;
  const inFlight = opts.inFlight ?? 64;
  const sim = await startSimProcess();
  const prefix = benchPrefix('scale');
  const store = createRedisStore({ url: REDIS_URL, prefix });
  const redis = new Redis(REDIS_URL);
  const bots: BotProcess[] = [];
  try {
    const users = [0, 1].map((p) => Array.from({ length: inFlight }, (_, i) => `bench:s${p}:${i}`));
    await Promise.all(
      users.flat().map(async (u) => {
        await store.setReseller(u, true, undefined, Date.now());
        await credit(store, u, 10_000_000_000_000);
      }),
    );
    bots.push(...(await Promise.all([0, 1].map(() => forkBot(botEnv(sim, prefix))))));
    let base = 100_000_000;
    /** One timed window with the bots named by index, all starting at the same moment. */
    const window = async (which: number[], s: number): Promise<Window> => {
      const startAt = Date.now() + 200;
      const sim0 = await simRequest<{ cpu: NodeJS.CpuUsage }>(sim, { op: 'stats' });
      const redis0 = await redisCpuMs(redis);
      const m0 = machineCpu();
      const results = await Promise.all(
        which.map((b) => {
          base += 10_000_000;
          return bots[b]!.request<{ n: number; ms: number; cpuMs: number }>({ cmd: 'throughput', users: users[b]!, seconds: s, startAt, customerBase: base });
        }),
      );
      const sim1 = await simRequest<{ cpu: NodeJS.CpuUsage }>(sim, { op: 'stats' });
      const redis1 = await redisCpuMs(redis);
      const machine = machineCpuBetween(m0, machineCpu());
      // The CPU of the simulator and Redis is over the whole exchange; the window is the bots' own (plus ~0.2 s).
      const ms = Math.max(...results.map((r) => r.ms));
      const wall = ms + 200;
      const pct = (cpuMs: number, over: number) => (100 * cpuMs) / over;
      return {
        n: results.reduce((t, r) => t + r.n, 0),
        ms,
        cpu: {
          bots: [0, 1].map((b) => {
            const r = results[which.indexOf(b)];
            return r ? pct(r.cpuMs, r.ms) : 0;
          }),
          sim: pct((sim1.cpu.user + sim1.cpu.system - sim0.cpu.user - sim0.cpu.system) / 1000, wall),
          redis: pct(redis1 - redis0, wall),
          ...(machine ? { machine: machine.busy, steal: machine.steal } : {}),
        },
      };
    };
    // Warm-up in both, as long as the core's: keep-alive sockets, the script cache, and a JIT that is still
    // compiling the hot paths after one second (see core.ts).
    await window([0, 1], 4);
    // Three pairs of short windows rather than two long ones: on a shared machine the load of others moves
    // within seconds, and interleaving is what keeps it from landing on one side of the ratio.
    const plan: number[][] = [[0], [0, 1], [1], [0, 1], [0], [0, 1]];
    const one: Window[] = [];
    const two: Window[] = [];
    for (const which of plan) (which.length === 1 ? one : two).push(await window(which, seconds / 3));
    const rate = (ws: Window[]) => ws.reduce((t, w) => t + w.n, 0) / (ws.reduce((t, w) => t + w.ms, 0) / 1000);
    const onePerSec = rate(one);
    const twoPerSec = rate(two);
    const avgCpu = (ws: Window[], single: boolean): Cpu => {
      const avg = (f: (w: Window) => number) => ws.reduce((t, w) => t + f(w), 0) / ws.length;
      // A one-process window has one bot running (the other counts 0): the sum is that bot's figure.
      const bots = single ? [avg((w) => w.cpu.bots[0]! + w.cpu.bots[1]!)] : [0, 1].map((b) => avg((w) => w.cpu.bots[b]!));
      const machine = ws.every((w) => w.cpu.machine !== undefined) ? { machine: avg((w) => w.cpu.machine!), steal: avg((w) => w.cpu.steal!) } : {};
      return { bots, sim: avg((w) => w.cpu.sim), redis: avg((w) => w.cpu.redis), ...machine };
    };
    const perCpu = (ws: Window[]) => ws.reduce((t, w) => t + w.n, 0) / ws.reduce((t, w) => t + (w.cpu.bots.reduce((a, b) => a + b, 0) / 100) * (w.ms / 1000), 0);
    const result: ScaleResult = {
      onePerSec, twoPerSec, ratio: twoPerSec / onePerSec, inFlight,
      perBotCpuSecond: { one: perCpu(one), two: perCpu(two) },
      cpu: { one: avgCpu(one, true), two: avgCpu(two, false) },
    };
    opts.progress?.(`scale out: one process ${onePerSec.toFixed(0)}/s, two ${twoPerSec.toFixed(0)}/s; CPU ${JSON.stringify(result.cpu, (_, v) => (typeof v === 'number' ? Math.round(v) : v))}`);
    return result;
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    sim.child.kill();
    await dropKeys(redis, prefix);
    await redis.quit();
    await store.close();
  }
}
