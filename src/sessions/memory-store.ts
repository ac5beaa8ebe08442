/** The embedded store: one process, lost on exit. One file per concern under memory/, over shared state. */
import type { Store } from '../bot/store.ts';
import { legacyMoney } from './legacy-money.ts';
import { memoryBroadcasts } from './memory/broadcasts.ts';
import { memoryLedger } from './memory/ledger.ts';
import { memoryDesk } from './memory/desk.ts';
import { memoryPayments } from './memory/payments.ts';
import { type MemoryState, memoryState } from './memory/state.ts';
import { memoryUsers } from './memory/users.ts';

/** `state`: the maps to keep it in, for a test that plants what an earlier version left (memoryState). */
export function createMemoryStore(opts: { clock?: () => number; state?: MemoryState } = {}): Store {
  const state = opts.state ?? memoryState(opts.clock ?? Date.now);
  const money = memoryLedger(state);
  const payments = memoryPayments(state);
  return {
    kind: 'memory',
    money,
    ...legacyMoney(money, payments.getSaldo),
    ...memoryUsers(state),
    ...payments,
    ...memoryDesk(state),
    ...memoryBroadcasts(state),

    async ping() {
      return true;
    },

    async close() {},
  };
}
