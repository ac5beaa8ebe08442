/**
 * Each client keeps its own credentials out of what it hands back, whoever calls it: MMBC its password, IAK
 * its API key and the signatures made with it, in the refusal text and in the raw answer for the record.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createIakClient } from '../../src/providers/iak/client.ts';
import { createIakProvider } from '../../src/providers/iak/provider.ts';
import { signPayment } from '../../src/providers/iak/sign.ts';
import { startIakSimulator } from '../../src/providers/iak/simulator.ts';
import { createMmbcClient } from '../../src/providers/mmbc/client.ts';
import { startMmbcSimulator } from '../../src/providers/mmbc/simulator.ts';

const PASSWORD = 'S3cret!pass/word';
const API_KEY = 'iak-key-7f3a9c';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('the MMBC client', () => {
  it("takes its password out of a refusal that quotes it, as typed and URL-encoded, and out of the raw answer", async () => {
    const sim = await startMmbcSimulator({ password: PASSWORD });
    const client = createMmbcClient({ baseUrl: sim.url, username: 'sandbox', password: PASSWORD, timeoutMs: 5000 });
    closers.push(() => sim.close(), () => client.close());
    sim.setFault('123456789', 'inquiry-leak-password');
    const res = await client.inquire('PLN', '123456789');
    expect(res.ok).toBe(false);
    const shown = JSON.stringify(res);
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain(encodeURIComponent(PASSWORD));
    expect(!res.ok && res.refusal.reason).toBe('LOGIN GAGAL: password *** salah (password=***)');
    expect(res.raw).toMatchObject({ result: 'no', message: 'password *** salah' });
  });
});

describe('the IAK client', () => {
  it('takes its API key and the payment\'s sign out of the message and the raw answer', async () => {
    const sim = await startIakSimulator({ apiKey: API_KEY });
    const client = createIakClient({ baseUrl: sim.url, username: sim.username, apiKey: API_KEY, timeoutMs: 5000 });
    closers.push(() => sim.close(), () => client.close());
    sim.setFault('123456789', 'leak-credentials');
    const inquiry = await client.inquire('PLNPOSTPAID', '123456789', 'ref-1');
    const trId = String(inquiry.answer.tr_id);
    const sign = signPayment({ username: sim.username, apiKey: API_KEY }, trId);
    const res = await client.pay(trId);
    const shown = JSON.stringify(res);
    expect(shown).not.toContain(API_KEY);
    expect(shown).not.toContain(sign);
    expect(res.answer.message).toBe('WRONG AUTHENTICATION: sign *** for key ***');
    expect(res.raw).toMatchObject({ data: { sign: '***', response_code: '204' } });
    // The provider turns it into a failure whose reason and record are clean too.
    const outcome = await createIakProvider(client).pay({ txId: 'ref-1', product: 'PLNPOSTPAID', customerNo: '123456789', bill: { ref: { tr_id: trId } } as never });
    expect(outcome).toMatchObject({ status: 'failed', reason: 'WRONG AUTHENTICATION: sign *** for key *** (RC 204)' });
  });
});
