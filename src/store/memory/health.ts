/** What /healthz and /metrics read from the embedded store; closing it lets nothing go (it lives in the process). */
import type { Health } from '../../bot/store/health.ts';
import type { MemoryState } from './state.ts';

export function memoryHealth(s: MemoryState): Health {
  const { saldos, due } = s;
  return {
    async ping() {
      return true;
    },

    async stats() {
      let saldoTotal = 0;
      for (const v of saldos.values()) saldoTotal += v;
      return { pending: due.size, saldoTotal };
    },

    async close() {},
  };
}
