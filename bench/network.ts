/**
 * What the reseller network costs a paid conversation (issue 18): a reseller 5 levels deep (4 uplines above it,
 * each adding a markup, so each sale owes 4 commissions) against a top-level reseller (registered by the
 * operator, no upline), in the same run.
 *
 * - Bot CPU per paid conversation (inquiry + YA + receipt, the commissions kicked after it included): both kinds
 *   of reseller, 64 in flight, through one bot alone in its own process, in alternating windows so the load of
 *   others on a shared machine lands on both sides of the ratio. Target: deep ≤ 1.3 × top. A third kind, 5 deep
 *   under uplines that add nothing (their markups read, no commission owed), splits what the depth costs into
 *   the price's reading and the commissions.
 * - Redis commands and round trips of a `YA`, one conversation at a time in this process, counted on the bot's
 *   own connection: a command is what the bot sends (a Lua script is one); a round trip is one write of the
 *   corked socket (src/store/redis-client.ts sends a turn of the event loop's commands together), each of which
 *   a YA waits on before the next. The YA's count ends when its reply is returned (the receipt); what the bot
 *   sends after it until the sale is commissioned and off the schedule (the kicked credits) is counted apart.
 *   Target: the YA's commands and round trips the same at depth 5 as at the top.
 */
import { performance } from 'node:perf_hooks';
import type { UserId } from '../src/bot/channel.ts';
import type { Store } from '../src/bot/store.ts';
import { createRedisStore } from '../src/store/redis-store.ts';
import { credit, customer, line, REDIS_URL, startBench, type Bench } from './harness.ts';
import { botEnv, forkBot, type BotProcess } from './processes.ts';

const IN_FLIGHT = 64;
const CHAINS = 8;
/** Uplines above a reseller at depth 5 (MAX_NETWORK_DEPTH's default): a root at depth 1 and three below it. */
const UPLINES = 4;
const COST_CONVERSATIONS = 100;

/** Customer numbers of their own, apart from core.ts's (700,000,000 on) and the latency phase's. */
let next = 900_000_000;

export interface RedisCount {
  commands: number;
  trips: number;
  /** Commands by name, per conversation. */
  names: string;
}

export interface NetworkFigures {
  lines: string[];
  topCpuUs: number;
  deepCpuUs: number;
  /** 5 deep under uplines without markups: the shares read, no commissions. */
  bareCpuUs: number;
  cpuRatio: number;
  ya: { top: RedisCount; deep: RedisCount };
  /** What the bot sends after the receipt until the sale is done (the commissions of a deep sale). */
  after: { top: RedisCount; deep: RedisCount };
  inquiry: { top: RedisCount; deep: RedisCount };
}

interface Network {
  top: UserId[];
  deep: UserId[];
  bare: UserId[];
  topCost: UserId;
  deepCost: UserId;
}

/**
 * Registers the kinds of reseller as DAFTAR would: roots of the operator's, and `CHAINS` chains of 4 uplines
 * each with resellers at depth 5 under their last. On the `deep` chains every upline adds a general markup and
 * the nearest one its own for half of its downlines (a per-downline markup beats the general one), so every
 * deep sale owes 4 commissions; on the `bare` chains no upline adds anything.
 */
async function plant(store: Store, saldo: number): Promise<Network> {
  const now = Date.now();
  const users = (kind: string) => Array.from({ length: IN_FLIGHT }, (_, i) => `bench:net-${kind}${i}`);
  const [top, deep, bare] = [users('top'), users('deep'), users('bare')];
  const topCost = 'bench:net-top-cost';
  const deepCost = 'bench:net-deep-cost';
  for (const u of [...top, topCost]) await store.register(u, null, undefined, now);
  const hang = async (kind: string, below: UserId[], markups: boolean) => {
    const chains: UserId[][] = [];
    for (let c = 0; c < CHAINS; c++) {
      const chain: UserId[] = [];
      for (let level = 0; level < UPLINES; level++) {
        const id = `bench:net-${kind}-up${c}-${level}`;
        // `chain` is nearest first: the upline registering this one, then its own uplines.
        await store.register(id, level === 0 ? null : { id: chain[0]!, chain: chain.slice(1) }, undefined, now);
        if (markups) await store.setNetMarkup(id, '*', 250 * (level + 1));
        chain.unshift(id);
      }
      chains.push(chain);
    }
    for (const [i, u] of below.entries()) {
      const chain = chains[i % CHAINS]!;
      await store.register(u, { id: chain[0]!, chain: chain.slice(1) }, undefined, now);
      if (markups && i % 2 === 0) await store.setNetMarkup(chain[0]!, `${u}|PLN`, 1_500);
    }
  };
  await hang('deep', [...deep, deepCost], true);
  await hang('bare', bare, false);
  for (const u of [...top, ...deep, ...bare, topCost, deepCost]) await credit(store, u, saldo);
  return { top, deep, bare, topCost, deepCost };
}

/** Paid conversations by `users` for `seconds` in the forked bot: its CPU per conversation, in µs. */
async function cpuPerConversation(bot: BotProcess, users: UserId[], seconds: number): Promise<{ us: number; perSec: number }> {
  const r = await bot.request<{ n: number; ms: number; cpuMs: number }>({ cmd: 'throughput', users, seconds, startAt: Date.now(), customerBase: next });
  next += r.n + 1;
  return { us: (r.cpuMs * 1000) / r.n, perSec: r.n / (r.ms / 1000) };
}

interface Tally {
  commands: number;
  trips: number;
  names: Map<string, number>;
  /** A write of this phase is open: its commands leave together at the loop's check phase. */
  open: boolean;
}

const tally = (): Tally => ({ commands: 0, trips: 0, names: new Map(), open: false });

function perConversation(t: Tally, n: number): RedisCount {
  const names = [...t.names].sort((a, b) => b[1] - a[1]).map(([c, k]) => `${c} ${(k / n).toFixed(1)}`).join(', ');
  return { commands: t.commands / n, trips: t.trips / n, names: names || 'none' };
}

/**
 * One conversation at a time by `user` in this process, each message's commands and writes counted on the
 * bot's connection: the inquiry, the YA until its reply, and after it until the sale needs nothing more.
 */
async function redisCost(b: Bench, watch: Store, user: UserId, n: number): Promise<{ inquiry: RedisCount; ya: RedisCount; after: RedisCount }> {
  const client = (b.app.store as unknown as { redis: { sendCommand(c: { name: string }): unknown } }).redis;
  const original = client.sendCommand.bind(client);
  const phases = { inquiry: tally(), ya: tally(), after: tally() };
  let phase: Tally | undefined;
  client.sendCommand = (c: { name: string }) => {
    const t = phase;
    if (t) {
      t.commands++;
      t.names.set(c.name, (t.names.get(c.name) ?? 0) + 1);
      if (!t.open) {
        t.open = true;
        t.trips++;
        // The socket's cork is released by a setImmediate too (redis-client.ts): what is sent before it, leaves with it.
        setImmediate(() => {
          t.open = false;
        });
      }
    }
    return original(c);
  };
  try {
    for (let i = 0; i < n; i++) {
      const c = next++;
      phase = phases.inquiry;
      const summary = await b.app.bot.handle({ user, text: `PLN ${customer(c)}`, messageId: `nq${c}` });
      if (!summary[0]?.text.includes('Saldo dipotong')) throw new Error(`no summary: ${summary[0]?.text}`);
      phase = phases.ya;
      const receipt = await b.app.bot.handle({ user, text: 'YA', messageId: `ny${c}` });
      phase = phases.after;
      if (!receipt[0]?.text.includes('STRUK')) throw new Error(`no receipt: ${receipt[0]?.text}`);
      await done(watch, user);
      phase = undefined;
    }
  } finally {
    client.sendCommand = original;
  }
  return { inquiry: perConversation(phases.inquiry, n), ya: perConversation(phases.ya, n), after: perConversation(phases.after, n) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Until `user`'s newest sale is off the schedule and, when it owes commissions, commissioned; then one turn more. */
async function done(watch: Store, user: UserId): Promise<void> {
  const end = performance.now() + 5_000;
  for (;;) {
    const [tx] = await watch.listTx(user, 1);
    const owes = (tx?.quote.network ?? []).some((s) => s.markup > 0);
    const scheduled = tx ? (await watch.scheduled(1_000)).some((d) => d.txId === tx.id) : false;
    if (tx && !scheduled && (!owes || tx.commissioned)) break;
    if (performance.now() > end) throw new Error(`the sale of ${user} was not done within 5 s`);
    await new Promise((r) => setTimeout(r, 2));
  }
  await new Promise((r) => setTimeout(r, 5));
}

export async function benchNetwork(seconds = 5): Promise<NetworkFigures> {
  const b = await startBench([]);
  const watch = createRedisStore({ url: REDIS_URL, prefix: b.prefix });
  let bot: BotProcess | undefined;
  try {
    const net = await plant(b.app.store, 10_000_000_000);
    bot = await forkBot(botEnv(b.sim, b.prefix));
    // Warm-up: the JIT compiles every path (the deep one adds the shares read and the kicked credits).
    const kinds = ['top', 'deep', 'bare'] as const;
    for (const kind of kinds) await cpuPerConversation(bot, net[kind], 2);
    const rounds = 3;
    const cpus = { top: [] as number[], deep: [] as number[], bare: [] as number[] };
    const rate = { top: 0, deep: 0, bare: 0 };
    const label = { top: 'top-level', deep: 'depth 5', bare: 'depth 5, no markups' };
    for (let r = 0; r < rounds; r++) {
      // Each kind first once, so a drift in the machine's load falls on all of them.
      for (let k = 0; k < kinds.length; k++) {
        const kind = kinds[(r + k) % kinds.length]!;
        const f = await cpuPerConversation(bot, net[kind], seconds / 3);
        cpus[kind].push(f.us);
        rate[kind] += f.perSec / rounds;
        process.stderr.write(`  ... network round ${r + 1} of ${rounds}, ${label[kind]}: ${f.perSec.toFixed(0)}/s at ${f.us.toFixed(0)} µs CPU each\n`);
      }
    }
    await bot.stop();
    bot = undefined;
    // The median window of each kind: when the shared Redis stalls (another client's load), a window runs at a
    // fraction of the rate, each write carries fewer commands, and its CPU per conversation jumps for a reason
    // that is not the bot's; the median drops one such window.
    const [topCpuUs, deepCpuUs, bareCpuUs] = [median(cpus.top), median(cpus.deep), median(cpus.bare)];
    // The counts in this process, whose worker does not run: nothing but the conversation sends on its connection.
    await redisCost(b, watch, net.topCost, 20);
    await redisCost(b, watch, net.deepCost, 20);
    const top = await redisCost(b, watch, net.topCost, COST_CONVERSATIONS);
    const deep = await redisCost(b, watch, net.deepCost, COST_CONVERSATIONS);
    const cpuRatio = deepCpuUs / topCpuUs;
    const f = (n: number) => n.toFixed(2);
    const lines = [
      line('network bot CPU, reseller 5 levels deep', deepCpuUs, 'µs per paid conversation',
        `baseline top-level reseller ${topCpuUs.toFixed(0)} µs, ratio ${cpuRatio.toFixed(3)}; ${UPLINES} uplines each with a markup, so 4 commissions credited per sale, ` +
        `kicked after the receipt, in the window; ${IN_FLIGHT} in flight, one bot alone in its process, the median of ${rounds} alternating windows each ` +
        `(depth 5 ${cpus.deep.map((x) => x.toFixed(0)).join(', ')}; top-level ${cpus.top.map((x) => x.toFixed(0)).join(', ')}); ` +
        `${rate.deep.toFixed(0)} and ${rate.top.toFixed(0)} paid conversations/s; target <= 1.3`),
      line('network bot CPU, 5 deep under uplines without markups', bareCpuUs, 'µs per paid conversation',
        `ratio to top-level ${(bareCpuUs / topCpuUs).toFixed(3)} (${cpus.bare.map((x) => x.toFixed(0)).join(', ')}): the uplines' markups read, no commission owed; so of the ${(deepCpuUs - topCpuUs).toFixed(0)} µs depth 5 adds, ` +
        `${(bareCpuUs - topCpuUs).toFixed(0)} are the price's reading and ${(deepCpuUs - bareCpuUs).toFixed(0)} the commissions; for reference`),
      line('network YA Redis commands, depth 5', deep.ya.commands, 'per YA',
        `baseline top-level ${f(top.ya.commands)}; round trips ${f(deep.ya.trips)} against ${f(top.ya.trips)}; until the reply: ${deep.ya.names} against ${top.ya.names}; target unchanged`),
      line('network commission credits after the receipt, depth 5', deep.after.commands, 'Redis commands per sale',
        `in ${f(deep.after.trips)} round trips (${deep.after.names}); top-level ${f(top.after.commands)}; counted apart from the YA: sent after its reply, until the sale is commissioned and off the schedule`),
      line('network inquiry Redis commands, depth 5', deep.inquiry.commands, 'per inquiry',
        `baseline top-level ${f(top.inquiry.commands)}; round trips ${f(deep.inquiry.trips)} against ${f(top.inquiry.trips)} (the uplines' markups, read in one pipeline: ${deep.inquiry.names}); for reference`),
    ];
    return { lines, topCpuUs, deepCpuUs, bareCpuUs, cpuRatio, ya: { top: top.ya, deep: deep.ya }, after: { top: top.after, deep: deep.after }, inquiry: { top: top.inquiry, deep: deep.inquiry } };
  } finally {
    await bot?.stop();
    await watch.close();
    await b.stop();
  }
}
