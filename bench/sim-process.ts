/** The billers' simulators in a process of their own, as real billers are: the bot's figures are then its own. */
import { startIakSimulator } from '../src/providers/iak/simulator.ts';
import { type SimFault, startMmbcSimulator } from '../src/providers/mmbc/simulator.ts';

// A deposit no benchmark run can spend: the default (about 40,000 bills) is within reach of the core section
// on a fast machine, and a biller refusing for its own saldo would end the run half way.
const mmbc = await startMmbcSimulator({ delayMs: Number(process.env.SIM_DELAY_MS ?? 0), saldo: 1e15 });
const iak = await startIakSimulator({});

/** Requests with an `id` are answered with the same id (see `simRequest` in harness.ts). */
type Request =
  | { id: number; op: 'setFaults'; customerNos: string[]; fault: SimFault | null }
  | { id: number; op: 'settlePending' }
  | { id: number; op: 'stats' };

process.on('message', (m: { delayMs?: number; calls?: boolean } | Request) => {
  if ('op' in m) {
    process.send?.({ id: m.id, ...answer(m) });
    return;
  }
  if (m.delayMs !== undefined) mmbc.setDelay(m.delayMs);
  if (m.calls) process.send?.({ calls: mmbc.calls });
});

function answer(m: Request): Record<string, unknown> {
  switch (m.op) {
    case 'setFaults':
      for (const c of m.customerNos) mmbc.setFault(c, m.fault);
      return { ok: true };
    case 'settlePending': {
      // The biller settles what it left pending (the payment objects are the ones its status call reads).
      let settled = 0;
      for (const p of mmbc.payments) {
        if (p.status === 'pending') {
          p.status = 'confirm';
          settled++;
        }
      }
      return { settled };
    }
    case 'stats':
      return { calls: mmbc.calls, cpu: process.cpuUsage(), payments: mmbc.payments.length };
  }
}

process.send?.({ mmbc: mmbc.url, iak: iak.url, iakUser: iak.username, iakKey: iak.apiKey });
process.on('disconnect', () => process.exit(0));
