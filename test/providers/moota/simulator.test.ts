/**
 * The loopback Moota pushes signed mutations with fresh ids to the bot's real webhook route; a push sent
 * again is byte for byte the same (a replay), and a push answered with an error is pushed again when the
 * simulator is told to retry, as Moota does.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { mootaWebhookRoute } from '../../../src/http/moota-webhook.ts';
import type { MootaMutation } from '../../../src/providers/moota/schemas.ts';
import { type MootaSimulator, mootaDate, startMootaSimulator } from '../../../src/providers/moota/simulator.ts';
import { closeRoutes, serveRoute } from '../../http/webhook-kit.ts';

const SECRET = 'sandbox-moota-secret';
const silent = pino({ level: 'silent' });
let sim: MootaSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await closeRoutes();
});

async function bot(onMutations: (m: MootaMutation[]) => Promise<void>, secret = SECRET): Promise<string> {
  return serveRoute('/deposit/moota', mootaWebhookRoute({ secret, onMutations, log: silent }), silent);
}

describe('Moota simulator', () => {
  it('credit and debit push signed mutations with fresh ids that the webhook accepts and parses', async () => {
    const got: MootaMutation[] = [];
    const url = await bot(async (m) => {
      got.push(...m);
    });
    sim = startMootaSimulator({ secret: SECRET, target: url, bankType: 'bri' });
    const c1 = await sim.credit(150_123, 'TRANSFER DARI SITI');
    const c2 = await sim.credit(150_123);
    const d = await sim.debit(2_500);
    expect([c1.status, c2.status, d.status]).toEqual([200, 200, 200]);
    expect(got.map((m) => [m.type, m.amount, m.credit, m.bankType])).toEqual([
      ['CR', 150_123, true, 'bri'],
      ['CR', 150_123, true, 'bri'],
      ['DB', 2_500, false, 'bri'],
    ]);
    expect(got[0]!.description).toBe('TRANSFER DARI SITI');
    expect(new Set(got.map((m) => m.mutationId)).size).toBe(3);
    expect(got.map((m) => m.mutationId)).toEqual(sim.pushes.flatMap((p) => p.mutationIds));
  });

  it('sends a push again unchanged (a replay), to the same or another process', async () => {
    const a: string[] = [];
    const b: string[] = [];
    const urlA = await bot(async (m) => {
      a.push(...m.map((x) => x.mutationId));
    });
    const urlB = await bot(async (m) => {
      b.push(...m.map((x) => x.mutationId));
    });
    sim = startMootaSimulator({ secret: SECRET, target: urlA });
    const first = await sim.pushMutations([
      { type: 'CR', amount: 100_001 },
      { type: 'CR', amount: 100_002 },
    ]);
    const again = await Promise.all([sim.send(first.push), sim.send(first.push, urlB), sim.send(first.push, urlB)]);
    expect(again.map((x) => x.status)).toEqual([200, 200, 200]);
    expect(a).toEqual([...first.push.mutationIds, ...first.push.mutationIds]);
    expect(b).toEqual([...first.push.mutationIds, ...first.push.mutationIds]);
  });

  it('a push signed with another secret is refused by the bot; retries push again after a 500', async () => {
    let failures = 1;
    const url = await bot(async () => {
      if (failures-- > 0) throw new Error('not stored');
    });
    sim = startMootaSimulator({ secret: 'another-secret', target: url });
    expect((await sim.credit(10_000)).status).toBe(401);
    await sim.close();
    sim = startMootaSimulator({ secret: SECRET, target: url, retries: 2, retryDelayMs: 10 });
    const d = await sim.credit(10_000);
    expect(d).toMatchObject({ status: 200, attempts: 2 });
  });

  it('writes dates as Moota does, in Jakarta time', () => {
    expect(mootaDate(Date.UTC(2026, 11, 31, 20, 5, 9))).toBe('2027-01-01 03:05:09');
  });
});
