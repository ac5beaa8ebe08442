/** The billers' simulators in a process of their own, as real billers are: the bot's figures are then its own. */
import { startIakSimulator } from '../src/providers/iak/simulator.ts';
import { startMmbcSimulator } from '../src/providers/mmbc/simulator.ts';

const mmbc = await startMmbcSimulator({ delayMs: Number(process.env.SIM_DELAY_MS ?? 0) });
const iak = await startIakSimulator({});
process.on('message', (m: { delayMs?: number; calls?: boolean }) => {
  if (m.delayMs !== undefined) mmbc.setDelay(m.delayMs);
  if (m.calls) process.send?.({ calls: mmbc.calls });
});
process.send?.({ mmbc: mmbc.url, iak: iak.url, iakUser: iak.username, iakKey: iak.apiKey });
process.on('disconnect', () => process.exit(0));
