/**
 * The store: every piece of state the product keeps, as small ports, one file each under store/, and `Store`,
 * their composition, which both implementations in src/store/ give (Redis, and the embedded one). Each port
 * has its contract suite in test/store/contract/, run against both. Every step that moves money is the
 * ledger's (`money`, src/payments/ledger.ts): one Lua script on Redis and one synchronous block in memory,
 * idempotent per operation id. Code that needs a part of the store takes that port, not `Store`.
 */
import type { Ledger } from '../payments/ledger.ts';
import type { Accounts } from './store/accounts.ts';
import type { Broadcasts } from './store/broadcasts.ts';
import type { Caches } from './store/caches.ts';
import type { Conversations } from './store/conversations.ts';
import type { Deposits } from './store/deposits.ts';
import type { Health } from './store/health.ts';
import type { Markups } from './store/markups.ts';
import type { Network } from './store/network.ts';
import type { Pins } from './store/pins.ts';
import type { Schedule } from './store/schedule.ts';
import type { Tickets } from './store/tickets.ts';
import type { Transactions } from './store/transactions.ts';
import type { Transfers } from './store/transfers.ts';
import type { Users } from './store/users.ts';

export { isFinal } from '../payments/transitions.ts';
export type * from './store/accounts.ts';
export type * from './store/broadcasts.ts';
export type * from './store/caches.ts';
export type * from './store/conversations.ts';
export type * from './store/deposits.ts';
export type * from './store/health.ts';
export type * from './store/markups.ts';
export { markupKey, sharesFrom } from './store/network.ts';
export type * from './store/network.ts';
export { StoreOutcomeUnknown } from './store/outcome-unknown.ts';
export type * from './store/pins.ts';
export type * from './store/schedule.ts';
export type * from './store/tickets.ts';
export type * from './store/transactions.ts';
export type * from './store/transfers.ts';
export type * from './store/users.ts';

export interface Store
  extends Conversations, Users, Accounts, Network, Deposits, Pins, Markups, Transactions, Schedule, Tickets, Transfers, Broadcasts, Caches, Health {
  readonly kind: 'redis' | 'memory';
  /** Every step that moves money, each idempotent per operation id (src/payments/ledger.ts). */
  readonly money: Ledger;
}
