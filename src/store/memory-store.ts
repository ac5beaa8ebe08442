/** The embedded store: one process, lost on exit. One file per port or two under memory/, over shared state. */
import type { Store } from '../bot/store.ts';
import { memoryAccounts } from './memory/accounts.ts';
import { memoryBroadcasts } from './memory/broadcasts.ts';
import { memoryCaches } from './memory/caches.ts';
import { memoryConversations } from './memory/conversations.ts';
import { memoryDeposits } from './memory/deposits.ts';
import { memoryDesk } from './memory/desk.ts';
import { memoryHealth } from './memory/health.ts';
import { memoryLedger } from './memory/ledger.ts';
import { memoryPins } from './memory/pins.ts';
import { type MemoryState, memoryState } from './memory/state.ts';
import { memoryTransactions } from './memory/transactions.ts';
import { memoryUsers } from './memory/users.ts';

/** `state`: the maps to keep it in, for a test that plants what an earlier version left (memoryState). */
export function createMemoryStore(opts: { clock?: () => number; state?: MemoryState } = {}): Store {
  const state = opts.state ?? memoryState(opts.clock ?? Date.now);
  const money = memoryLedger(state);
  return {
    kind: 'memory',
    money,
    ...memoryConversations(state),
    ...memoryUsers(state),
    ...memoryAccounts(state),
    ...memoryPins(state),
    ...memoryTransactions(state),
    ...memoryDesk(state),
    ...memoryDeposits(state),
    ...memoryBroadcasts(state),
    ...memoryCaches(state),
    ...memoryHealth(state),
  };
}
