/**
 * Data as versions before the ledger port wrote it, planted straight into a store's keys or maps: a RESERVED
 * transaction with its debit (the reserve wrote RESERVED then, before the call claimed SENDING).
 */
import type { Redis } from 'ioredis';
import type { Transaction } from '../../src/bot/store.ts';
import { keys } from '../../src/store/keys.ts';
import { listOf, type MemoryState } from '../../src/store/memory/state.ts';
import type { Plant } from './contract/fixtures.ts';

export function plantInRedis(redis: Redis, prefix: string): Plant {
  const k = keys(prefix);
  return async (tx: Transaction) => {
    const price = tx.quote.price;
    const entry = JSON.stringify({ at: tx.createdAt, amount: -price, reason: 'payment', saldoAfter: tx.saldoAfter, txId: tx.id });
    await redis
      .multi()
      .hset(k.tx(tx.user, tx.id), {
        user: tx.user, status: tx.status, quote: JSON.stringify(tx.quote), createdAt: tx.createdAt, updatedAt: tx.updatedAt, saldoAfter: tx.saldoAfter,
      })
      .lpush(k.txs(tx.user), tx.id)
      .decrby(k.saldo(tx.user), price)
      .rpush(k.ledger(tx.user), entry)
      .sadd(k.users(), tx.user)
      .exec();
  };
}

export function plantInMemory(state: MemoryState): Plant {
  return async (tx: Transaction) => {
    state.pushLedger(tx.user, -tx.quote.price, 'payment', tx.createdAt, tx.id);
    state.txs.set(`${tx.user}|${tx.id}`, structuredClone(tx));
    listOf(state.txIds, tx.user).unshift(tx.id);
  };
}
