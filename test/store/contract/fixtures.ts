/**
 * What every port's contract suite shares: the store handle each backend's test file makes, fresh ids, a
 * quote, and the steps that set a scene (a credit, a reserve, a resolve) through the ledger.
 *
 * Times: quotes carry real wall-clock times (Redis expires them with PX from `expiresAt - Date.now()`),
 * and the `now` handed to store steps is the wall clock too, so the same test means the same on both backends.
 */
import { expect } from 'vitest';
import type { Family, ProviderName } from '../../../src/bot/provider.ts';
import type { LedgerEntry, Quote, Store, Transaction, TxPatch } from '../../../src/bot/store.ts';
import { opIds } from '../../../src/payments/ledger.ts';

/** Writes a transaction as a version before the ledger left it (RESERVED), with its debit. */
export type Plant = (tx: Transaction) => Promise<void>;

let seq = 0;
const runTag = Math.floor(Math.random() * 1_000_000)
  .toString()
  .padStart(6, '0');

/** A fresh user id, `telegram:` + 12 digits; all ids have the same length, so none is a substring of another. */
export function newUser(): string {
  seq += 1;
  return `telegram:${runTag}${seq.toString().padStart(6, '0')}`;
}

/** A delivery claimed, no flood count: what `admit` answers for the replay check alone. */
export async function fresh(s: Store, user: string, messageId: string, ttlSeconds: number): Promise<boolean> {
  return (await s.admit(user, messageId, { ttlSeconds })).fresh;
}

export function newId(tag: string): string {
  seq += 1;
  return `${tag}${runTag}${seq.toString(36).padStart(5, '0')}`;
}

export function makeQuote(
  user: string,
  price: number,
  opts: { id?: string; now?: number; ttlMs?: number; expiresAt?: number } = {},
): Quote {
  const now = opts.now ?? Date.now();
  const provider: ProviderName = 'mmbc';
  const family: Family = 'pln-postpaid';
  const markup = Math.min(800, Math.floor(price / 10));
  const debit = price - markup;
  return {
    id: opts.id ?? newId('Q'),
    txId: newId('T'),
    user,
    provider,
    product: 'PLN',
    family,
    bill: {
      product: 'PLN',
      productName: 'PLN Pascabayar',
      customerNo: '532100112233',
      customerName: 'SITI AMINAH — Ñ "quoted" \\ {braces}',
      period: 'Okt 2026',
      details: [
        { key: 'tariff', value: 'R1/1300 VA' },
        { key: 'standMeter', value: '00041210 - 00041388' },
        { key: 'penalty', amount: 0 },
      ],
      bill: Math.max(0, debit - 2500),
      admin: 2500,
      total: debit + 800,
      debit,
      ref: { tr_id: '8812345', amount: String(price) },
    },
    markup,
    price,
    createdAt: now,
    expiresAt: opts.expiresAt ?? now + (opts.ttlMs ?? 300_000),
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const BIG = 100_000;
export const sum = (entries: LedgerEntry[]) => entries.reduce((s, e) => s + e.amount, 0);

/** Credits `amount` through the ledger under a fresh operation (a scene's saldo). */
export async function credit(s: Store, user: string, amount: number, now = Date.now(), note?: string): Promise<number> {
  const r = await s.money.adjust({ opId: newId('op'), by: 'test', now, user, amount, reason: 'deposit', ...(note ? { note } : {}) });
  if (!r.ok) throw new Error(`setup credit failed: ${JSON.stringify(r)}`);
  return r.saldo;
}

/** Scene-setting steps on the store a suite is given. */
export function storeSteps(store: () => Store) {
  /** The ledger's reserve under its own operation (a YA). */
  function reserve(user: string, quoteId: string, txId: string, now: number, extra: { messageId?: string } = {}) {
    return store().money.reserve({ opId: opIds.reserve(txId), by: newId('by'), now, user, quoteId, txId, ...extra });
  }

  /** The ledger's resolve under its own operation. */
  function resolve(user: string, txId: string, to: 'PENDING' | 'SETTLED', now: number, patch?: TxPatch) {
    return store().money.resolve({ opId: `${txId}:${to}`, by: 'test', now, user, txId, to, ...(patch ? { patch } : {}) });
  }

  /** Deposits `saldo`, puts a quote of `price`, reserves it. */
  async function paid(user: string, price: number, saldo = price, now = Date.now(), messageId: string | null = newId('m')) {
    if (saldo > 0) await credit(store(), user, saldo, now);
    const q = makeQuote(user, price, { now });
    await store().putQuote(q);
    const txId = newId('T');
    const r = await reserve(user, q.id, txId, now, messageId ? { messageId } : {});
    if (!r.ok) throw new Error(`setup reserve failed: ${JSON.stringify(r)}`);
    return { q, txId, tx: r.tx };
  }

  async function expectBalanced(user: string) {
    const saldo = await store().getSaldo(user);
    const entries = await store().ledger(user, BIG);
    expect(saldo).toBeGreaterThanOrEqual(0);
    expect(sum(entries)).toBe(saldo);
    return { saldo, entries };
  }

  return { reserve, resolve, paid, expectBalanced };
}
