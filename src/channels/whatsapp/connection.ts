/**
 * The WhatsApp connection's life. Baileys never reconnects by itself and a closed socket is dead, so every
 * close means a new socket: at once after `restartRequired` (515, normal right after pairing), a fresh login
 * after `loggedOut` (401, the stored one is cleared), a long pause when `connectionReplaced` (440) keeps coming,
 * and backoff otherwise. Only the process holding the lease connects.
 */
import type { Log } from '../../log.ts';
import type { WhatsAppAuth, WhatsAppLogin } from '../../store/whatsapp-auth.ts';
import { createLeaseHolder } from './holder.ts';
import type { Lease } from './lease.ts';
import { CLOSE, closeCode, type SocketParams, type SocketFactory, type WaSocket } from './socket.ts';

/** For /healthz: `standby` means another process holds the connection; `logged-out` needs a new QR scan. */
export type WhatsAppState = 'stopped' | 'standby' | 'connecting' | 'waiting-for-login' | 'open' | 'reconnecting' | 'logged-out';

export interface ReconnectOptions {
  /** First wait after an ordinary close (2 s); it doubles, with jitter, up to maxMs (60 s). */
  baseMs: number;
  maxMs: number;
  /** replacedLimit 440 closes within replacedWindowMs: something else keeps taking the session; wait replacedWaitMs. */
  replacedLimit: number;
  replacedWindowMs: number;
  replacedWaitMs: number;
}

export const DEFAULT_RECONNECT: ReconnectOptions = {
  baseMs: 2_000, maxMs: 60_000, replacedLimit: 3, replacedWindowMs: 5 * 60_000, replacedWaitMs: 10 * 60_000,
};

export interface ConnectionOptions {
  makeSocket: SocketFactory;
  auth: WhatsAppAuth;
  lease: Lease;
  log: Log;
  getMessage: SocketParams['getMessage'];
  /** A new socket: subscribe to its messages. */
  onSocket(sock: WaSocket): void;
  /** This process just took the lease (before it connects). */
  onHold?(): Promise<void>;
  onOpen?(): void;
  onQr?(qr: string): void;
  /** Log in with a pairing code for this number instead of a QR code. */
  pairingNumber?: string;
  onPairingCode?(code: string): void;
  reconnect?: Partial<ReconnectOptions>;
  /** How often a standby process tries the lease (a third of its ttl). */
  leasePollMs?: number;
  random?: () => number;
}

export interface Connection {
  start(): void;
  stop(): Promise<void>;
  state(): WhatsAppState;
  /** The open socket; undefined once this process stops or hands the connection to another. */
  whenOpen(): Promise<WaSocket | undefined>;
}

export function createConnection(opts: ConnectionOptions): Connection {
  const { log } = opts;
  const rc = { ...DEFAULT_RECONNECT, ...opts.reconnect };
  const random = opts.random ?? Math.random;
  let state: WhatsAppState = 'stopped';
  let running = false;
  let current: WaSocket | undefined;
  let open = false;
  let attempts = 0;
  let loggedOut = false;
  const replaced: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  let waiters: Array<(sock: WaSocket | undefined) => void> = [];
  // Creds saves still on their way to the store: a new socket must read what the old one wrote (515 after pairing).
  let saves: Promise<void> = Promise.resolve();

  const holder = createLeaseHolder({
    lease: opts.lease,
    log,
    ...(opts.leasePollMs ? { pollMs: opts.leasePollMs } : {}),
    onStandby: () => setState('standby'),
    async onAcquired() {
      try {
        await opts.onHold?.();
      } catch (err) {
        log.warn({ err: String(err) }, "WhatsApp: taking over the previous holder's queue failed");
      }
      await connect();
    },
    onLost() {
      clearTimeout(timer);
      retire();
      release(undefined);
      setState('standby');
    },
  });
  const holding = () => running && holder.holding();

  function setState(next: WhatsAppState): void {
    if (next === state) return;
    state = next;
    log.info({ state }, 'WhatsApp connection state');
  }

  function later(ms: number, fn: () => unknown): void {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  }

  function release(sock: WaSocket | undefined): void {
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve(sock);
  }

  /** Ends the current socket on purpose: its close must not trigger a reconnect. */
  function retire(): void {
    const sock = current;
    current = undefined;
    open = false;
    if (sock) Promise.resolve(sock.end(undefined)).catch(() => {});
  }

  function backoff(): number {
    attempts++;
    const cap = Math.min(rc.maxMs, rc.baseMs * 2 ** (attempts - 1));
    return Math.round(cap / 2 + (random() * cap) / 2);
  }

  async function connect(): Promise<void> {
    if (!holding()) return;
    if (!loggedOut) setState(attempts === 0 ? 'connecting' : 'reconnecting');
    let login: WhatsAppLogin;
    try {
      await saves;
      login = await opts.auth.load();
    } catch (err) {
      log.error({ err: String(err) }, 'could not load the WhatsApp login; trying again');
      later(backoff(), connect);
      return;
    }
    if (!holding()) return;
    const sock = opts.makeSocket({ auth: login.state, getMessage: opts.getMessage });
    current = sock;
    let pairingAsked = false;
    sock.ev.on('creds.update', () => {
      const saved = login.saveCreds().catch((err: unknown) => log.error({ err: String(err) }, 'could not save the WhatsApp login'));
      saves = Promise.all([saves, saved]).then(() => {});
    });
    sock.ev.on('connection.update', (u) => {
      if (sock !== current) return;
      if (u.qr) {
        if (!loggedOut) setState('waiting-for-login');
        if (opts.pairingNumber && !login.state.creds.registered) {
          if (!pairingAsked && sock.requestPairingCode) {
            pairingAsked = true;
            sock.requestPairingCode(opts.pairingNumber).then(
              (code) => opts.onPairingCode?.(code),
              (err: unknown) => log.error({ err: String(err) }, 'WhatsApp pairing code request failed'),
            );
          }
        } else {
          opts.onQr?.(u.qr);
        }
      }
      if (u.connection === 'open') {
        attempts = 0;
        loggedOut = false;
        open = true;
        setState('open');
        log.info({ me: sock.user?.id }, 'WhatsApp connected');
        release(sock);
        opts.onOpen?.();
      } else if (u.connection === 'close') {
        current = undefined;
        open = false;
        void closed(u.lastDisconnect?.error);
      }
    });
    opts.onSocket(sock);
  }

  async function closed(error: unknown): Promise<void> {
    if (!holding()) return;
    const code = closeCode(error);
    const err = error instanceof Error ? error.message : undefined;
    if (code === CLOSE.loggedOut) {
      log.error({ code }, 'WhatsApp logged this device out: the stored login is cleared; link the bot again with a new QR code or pairing code');
      try {
        await opts.auth.clear();
      } catch (e) {
        log.error({ err: String(e) }, 'could not clear the WhatsApp login');
      }
      loggedOut = true;
      attempts = 0;
      setState('logged-out');
      // A fresh login (new keys, a new QR), never the one WhatsApp just revoked.
      later(0, connect);
      return;
    }
    if (code === CLOSE.restartRequired) {
      log.info({ code }, 'WhatsApp asked for a restart (normal right after linking); reconnecting now');
      later(0, connect);
      return;
    }
    let wait = backoff();
    if (code === CLOSE.connectionReplaced) {
      holder.check();
      const now = Date.now();
      replaced.push(now);
      while (replaced.length > 0 && now - replaced[0]! > rc.replacedWindowMs) replaced.shift();
      if (replaced.length >= rc.replacedLimit) {
        replaced.length = 0;
        wait = Math.max(wait, rc.replacedWaitMs);
        log.error({ code, waitMs: wait }, 'another WhatsApp Web session keeps replacing this one (is a second bot running on another Redis, or WhatsApp Web open with this number?); waiting before trying again');
      } else {
        log.warn({ code, waitMs: wait }, 'WhatsApp session replaced by another; reconnecting');
      }
    } else {
      log.warn({ code, err, waitMs: wait }, 'WhatsApp connection closed; reconnecting');
    }
    if (!loggedOut) setState('reconnecting');
    later(wait, connect);
  }

  return {
    start() {
      if (running) return;
      running = true;
      setState('standby');
      holder.start();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      retire();
      release(undefined);
      await holder.stop();
      setState('stopped');
    },
    state: () => state,
    whenOpen() {
      if (open && current) return Promise.resolve(current);
      if (!holding()) return Promise.resolve(undefined);
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
