/**
 * Broadcasts as a durable background job on the store: a new broadcast is recorded with its recipients and
 * worked at once in the process that made it; every process also polls for broadcasts whose lease lapsed
 * (their process died or stopped) and carries them on. The lease makes one process work a broadcast at a
 * time; the per-recipient mark makes a recipient get it at most once, whoever works it.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Channel, channelOf, type UserId } from '../bot/channel.ts';
import type { T } from '../bot/i18n.ts';
import type { Broadcast, BroadcastAudience, Store } from '../bot/store.ts';
import type { Log } from '../log.ts';
import { runBroadcast } from './run.ts';
import { liveText } from './text.ts';

export interface BroadcastWorkerOptions {
  store: Store;
  /** The application's channels by name, as they are attached. */
  channels: ReadonlyMap<string, Channel>;
  log: Log;
  t: T;
  /** Messages a second per channel (Telegram: BROADCAST_RATE_PER_SECOND); others go as their channel takes them. */
  rates: Readonly<Record<string, number>>;
  /** How long a worker holds a broadcast without renewing (30 s): how soon another process takes over after a crash. */
  leaseMs?: number;
  /** How often lapsed broadcasts are looked for (2 s). */
  pollMs?: number;
  /** Sends in flight at most on a lane that is not paced (8). */
  maxInFlight?: number;
  /** Polls for lapsed broadcasts by itself; tests call tick() instead. A new broadcast is worked either way. */
  autostart?: boolean;
  /** How long stop() lets the broadcasts in hand run on before pausing them (0; the embedded store loses a paused one). */
  drainMs?: number;
  clock?: () => number;
}

export interface BeginRequest {
  by: UserId;
  audience: BroadcastAudience;
  text: string;
  now: number;
}

export interface Begun {
  broadcast: Broadcast;
  /** The admin already has the start as an editable progress message; otherwise the caller replies with it. */
  shown: boolean;
}

export interface BroadcastWorker {
  /** Records a broadcast to its audience as it is now and starts it; null when it has nobody to go to. */
  begin(req: BeginRequest): Promise<Begun | null>;
  /** Works this broadcast in this process now, unless it already does. */
  kick(id: string): void;
  /** One look for broadcasts whose lease lapsed; how many were found. */
  tick(): Promise<number>;
  /** Resolves when this process works no broadcast. */
  idle(): Promise<void>;
  /** Stops taking recipients; the sends in flight finish and each broadcast in hand is given up for another process. */
  stop(): Promise<void>;
}

function broadcastId(): string {
  return `B${randomBytes(4).readUInt32BE(0).toString(36).toUpperCase().padStart(7, '0')}`;
}

export function startBroadcastWorker(opts: BroadcastWorkerOptions): BroadcastWorker {
  const { store, log, t } = opts;
  const clock = opts.clock ?? Date.now;
  const leaseMs = opts.leaseMs ?? 30_000;
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const active = new Map<string, Promise<void>>();
  const abort = new AbortController();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const deps = {
    store, channels: opts.channels, log, t, owner, leaseMs, rates: opts.rates, maxInFlight: opts.maxInFlight ?? 8, clock, signal: abort.signal,
  };

  function kick(id: string): void {
    if (stopped || active.has(id)) return;
    // A turn of the event loop first, so the reply that announces it goes out before its first message.
    const p = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => runBroadcast(id, deps))
      .catch((err: unknown) => log.error({ broadcast: id, err: err instanceof Error ? err.stack : String(err) }, 'broadcast failed; another look will carry it on'))
      .finally(() => active.delete(id));
    active.set(id, p);
  }

  async function tick(): Promise<number> {
    if (stopped) return 0;
    const ids = await store.dueBroadcasts(clock(), leaseMs, 10);
    for (const id of ids) kick(id);
    return ids.length;
  }

  function loop(): void {
    if (stopped) return;
    tick()
      .catch((err: unknown) => log.warn({ err: String(err) }, 'looking for broadcasts failed'))
      .then(() => {
        if (stopped) return;
        timer = setTimeout(loop, opts.pollMs ?? 2_000);
        timer.unref();
      });
  }

  if (opts.autostart !== false) loop();

  async function idle(): Promise<void> {
    while (active.size > 0) await Promise.allSettled([...active.values()]);
  }

  return {
    async begin(req) {
      const users = req.audience === 'resellers' ? await store.resellers() : await store.allUsers();
      const lanes: Record<string, UserId[]> = {};
      for (const u of users) {
        const lane = channelOf(u);
        const list = lanes[lane] ?? [];
        if (list.length === 0) lanes[lane] = list;
        list.push(u);
      }
      // In a fixed order, so a resumed broadcast and a test both know who comes next.
      for (const list of Object.values(lanes)) list.sort();
      if (users.length === 0) return null;
      const broadcast = await store.createBroadcast({ id: broadcastId(), by: req.by, audience: req.audience, text: req.text, createdAt: req.now }, lanes);
      let shown = false;
      const ch = opts.channels.get(channelOf(req.by));
      if (ch?.post && ch.edit) {
        try {
          const handle = await ch.post(req.by, { text: liveText(broadcast, t) });
          await store.setBroadcastProgress(broadcast.id, { handle });
          broadcast.progress = handle;
          shown = true;
        } catch (err) {
          log.warn({ broadcast: broadcast.id, err: String(err) }, 'broadcast progress message not sent; the start goes as a reply');
        }
      }
      log.info({ broadcast: broadcast.id, by: req.by, audience: req.audience, total: broadcast.total, lanes: broadcast.lanes }, 'broadcast created');
      kick(broadcast.id);
      return { broadcast, shown };
    },
    kick,
    tick,
    idle,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (opts.drainMs && active.size > 0) {
        const done = new AbortController();
        await Promise.race([idle().finally(() => done.abort()), sleep(opts.drainMs, undefined, { signal: done.signal }).catch(() => {})]);
      }
      abort.abort();
      await idle();
    },
  };
}
