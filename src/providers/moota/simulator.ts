/**
 * A stand-in for Moota on loopback, for sandbox mode and tests: a bank account whose mutations are pushed,
 * signed as Moota signs them (hex HMAC-SHA256 of the raw body in `Signature`), to the bot's webhook URL. Each
 * mutation gets a fresh id; a push can be sent again byte for byte, as Moota does when it saw no timely 2xx,
 * and `retries` makes the simulator itself push again after a non-2xx answer. The shape is Moota's documented
 * mutation (docs/moota-notes.md), extra fields included, so the bot's parser meets what Moota really sends.
 */
import { randomBytes } from 'node:crypto';
import { Agent } from 'undici';
import { hmacSha256Hex } from '../../http/signature.ts';
import { createSleeper } from '../sim-kit.ts';

export interface MootaSimulatorOptions {
  /** The webhook's secret token (MOOTA_WEBHOOK_SECRET on the bot's side). */
  secret: string;
  /** The bot's webhook, e.g. `http://127.0.0.1:8080/deposit/moota`; can be set later (setTarget). */
  target?: string;
  bankId?: string;
  accountNumber?: string;
  /** `bca`, `bri`, … as Moota names banks. */
  bankType?: string;
  holder?: string;
  /** The account's balance before the first mutation. */
  balance?: number;
  /** Times a push is sent again after an answer that is not 2xx (Moota retries); 0 by default. */
  retries?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

export interface MootaSimMutation {
  type: 'CR' | 'DB';
  amount: number;
  description?: string;
}

/** One push as sent: its exact bytes and signature, so it can be sent again unchanged. */
export interface MootaPush {
  body: string;
  signature: string;
  mutationIds: string[];
}

export interface MootaDelivery {
  push: MootaPush;
  /** The bot's last answer. */
  status: number;
  answer: string;
  attempts: number;
}

export interface MootaSimulator {
  readonly bankId: string;
  readonly accountNumber: string;
  /** Every push built, oldest first. */
  readonly pushes: MootaPush[];
  setTarget(url: string): void;
  /** Money in: one CR mutation, pushed. */
  credit(amount: number, description?: string): Promise<MootaDelivery>;
  /** Money out: one DB mutation, pushed (the bot must never credit it). */
  debit(amount: number, description?: string): Promise<MootaDelivery>;
  /** Several mutations in one push, as Moota batches what one refresh of the bank found. */
  pushMutations(mutations: MootaSimMutation[]): Promise<MootaDelivery>;
  /** A push built and recorded, not sent. */
  build(mutations: MootaSimMutation[]): MootaPush;
  /** Sends a push (again): the same bytes and signature; to another URL when given. */
  send(push: MootaPush, url?: string): Promise<MootaDelivery>;
  close(): Promise<void>;
}

const WIB_OFFSET_MS = 7 * 3600_000;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Moota's ids are 11 characters of base62 ("aolk4PekJxM"): random, so ids never repeat across processes. */
export function mootaId(): string {
  const bytes = randomBytes(11);
  let out = '';
  for (const b of bytes) out += BASE62[b % 62];
  return out;
}

/** `2021-10-05 10:25:16`, Jakarta time, as Moota writes dates. */
export function mootaDate(ms: number): string {
  return new Date(ms + WIB_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

export function startMootaSimulator(opts: MootaSimulatorOptions): MootaSimulator {
  if (opts.secret.length === 0) throw new Error('moota simulator: the secret is empty');
  const now = opts.now ?? Date.now;
  const bankId = opts.bankId ?? 'SbxBank0001';
  const accountNumber = opts.accountNumber ?? '1234567890';
  const bankType = opts.bankType ?? 'bca';
  const holder = opts.holder ?? 'PPOB SANDBOX';
  const retries = opts.retries ?? 0;
  const retryDelayMs = opts.retryDelayMs ?? 1_000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const agent = new Agent({ keepAliveTimeout: 10_000, pipelining: 1 });
  const sleeper = createSleeper();
  const pushes: MootaPush[] = [];
  let target = opts.target;
  let balance = opts.balance ?? 50_000_000;
  let closed = false;

  function mutation(m: MootaSimMutation): Record<string, unknown> {
    if (!Number.isSafeInteger(m.amount) || m.amount <= 0) throw new Error(`moota simulator: amount must be whole rupiah above 0, got ${m.amount}`);
    balance += m.type === 'CR' ? m.amount : -m.amount;
    const id = mootaId();
    const date = mootaDate(now());
    return {
      account_number: accountNumber,
      date,
      description: m.description ?? (m.type === 'CR' ? `TRSF E-BANKING CR ${m.amount} SANDBOX` : `TRSF E-BANKING DB ${m.amount} SANDBOX`),
      amount: m.amount,
      type: m.type,
      note: '',
      balance,
      created_at: date,
      updated_at: date,
      mutation_id: id,
      token: id,
      bank_id: bankId,
      taggings: [],
      bank: { bank_type: bankType, atas_nama: holder, account_number: accountNumber, label: bankType.toUpperCase(), bank_id: bankId, token: bankId },
    };
  }

  function build(mutations: MootaSimMutation[]): MootaPush {
    const items = mutations.map(mutation);
    const body = JSON.stringify(items);
    const push = { body, signature: hmacSha256Hex(opts.secret, body), mutationIds: items.map((m) => String(m.mutation_id)) };
    pushes.push(push);
    return push;
  }

  async function post(push: MootaPush, url: string): Promise<{ status: number; answer: string }> {
    const u = new URL(url);
    const res = await agent.request({
      origin: u.origin,
      path: u.pathname + u.search,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': 'MootaBot/1.5',
        signature: push.signature,
        'x-moota-user': 'sandbox',
        'x-moota-webhook': bankId,
      },
      body: push.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.statusCode, answer: await res.body.text() };
  }

  async function send(push: MootaPush, url = target): Promise<MootaDelivery> {
    if (closed) throw new Error('moota simulator is closed');
    if (!url) throw new Error('moota simulator: no webhook URL to push to (setTarget)');
    let attempts = 0;
    for (;;) {
      attempts++;
      const { status, answer } = await post(push, url);
      const ok = status >= 200 && status <= 299;
      if (ok || attempts > retries || closed) return { push, status, answer, attempts };
      await sleeper.sleep(retryDelayMs);
    }
  }

  return {
    bankId,
    accountNumber,
    pushes,
    setTarget(url) {
      target = url;
    },
    credit: (amount, description) => send(build([{ type: 'CR', amount, ...(description === undefined ? {} : { description }) }])),
    debit: (amount, description) => send(build([{ type: 'DB', amount, ...(description === undefined ? {} : { description }) }])),
    pushMutations: (mutations) => send(build(mutations)),
    build,
    send,
    async close() {
      if (closed) return;
      closed = true;
      sleeper.wakeAll();
      await agent.close();
    },
  };
}
