/** The embedded store: one process, lost on exit. One file per concern under memory/, over shared state. */
import type { Store } from '../bot/store.ts';
import { memoryBroadcasts } from './memory/broadcasts.ts';
import { memoryDesk } from './memory/desk.ts';
import { memoryPayments } from './memory/payments.ts';
import { memoryState } from './memory/state.ts';
import { memoryUsers } from './memory/users.ts';

export function createMemoryStore(opts: { clock?: () => number } = {}): Store {
  const state = memoryState(opts.clock ?? Date.now);
  return {
    kind: 'memory',
    ...memoryUsers(state),
    ...memoryPayments(state),
    ...memoryDesk(state),
    ...memoryBroadcasts(state),

    async ping() {
      return true;
    },

    async close() {},
  };
}
