/**
 * The store's contract: one suite per port (src/bot/store/), each run against every backend by
 * memory-store.test.ts and redis-store.test.ts. Each test gets a fresh store from `make`.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../../src/bot/store.ts';
import { accountsContract } from './accounts.ts';
import { broadcastsContract } from './broadcasts.ts';
import { cachesContract } from './caches.ts';
import { conversationsContract } from './conversations.ts';
import { depositsContract } from './deposits.ts';
import type { Plant } from './fixtures.ts';
import { ledgerContract } from './ledger.ts';
import { commissionLedgerContract } from './ledger-commissions.ts';
import { markupsContract } from './markups.ts';
import { networkContract } from './network.ts';
import { pinsContract } from './pins.ts';
import { scheduleContract } from './schedule.ts';
import { ticketsContract } from './tickets.ts';
import { transactionsContract } from './transactions.ts';
import { usersContract } from './users.ts';

export { fresh, makeQuote, newId, newUser, type Plant } from './fixtures.ts';

export interface StoreHandle {
  store: Store;
  /** Writes a transaction as a version before the ledger left it (RESERVED), with its debit. */
  plant: Plant;
  cleanup(): Promise<void>;
}

export function storeContract(name: string, make: () => Promise<StoreHandle>): void {
  describe(`store contract: ${name}`, () => {
    let h: StoreHandle | undefined;
    const store = () => h!.store;

    beforeEach(async () => {
      h = await make();
    });
    afterEach(async () => {
      const handle = h;
      h = undefined;
      await handle?.cleanup();
    });

    conversationsContract(store);
    usersContract(store);
    markupsContract(store);
    pinsContract(store);
    transactionsContract(store);
    scheduleContract(store);
    ticketsContract(store);
    broadcastsContract(store);
    cachesContract(store);
    ledgerContract(store, () => h!.plant);
    commissionLedgerContract(store);
    accountsContract(store);
    networkContract(store);
    depositsContract(store);
  });
}
