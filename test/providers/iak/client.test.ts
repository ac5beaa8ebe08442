import { afterEach, describe, expect, it } from 'vitest';
import { ProviderUnreachable, ProviderUnreadable } from '../../../src/providers/errors.ts';
import { createIakClient } from '../../../src/providers/iak/client.ts';
import { signPayment } from '../../../src/providers/iak/sign.ts';
import { caught, closeServers, listenLocal } from '../../helpers/http.ts';
import { fixture } from './fixtures.ts';

afterEach(closeServers);

async function serve(status: number, answer: (body: string) => string, seen: Array<{ url?: string; type?: string; body: unknown }> = []): Promise<string> {
  const origin = await listenLocal((req, body, res) => {
    seen.push({ url: req.url, type: req.headers['content-type'], body: JSON.parse(body) as unknown });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(answer(body));
  });
  return `${origin}/`;
}

const creds = { username: '123123123', apiKey: 's3cret-key-1' };

describe('createIakClient', () => {
  it('POSTs the documented JSON body to api/v1/bill/check and reads the documented answer', async () => {
    const seen: Array<{ url?: string; type?: string; body: unknown }> = [];
    const url = await serve(200, () => JSON.stringify(fixture('iak', 'pay-pasca-pln')), seen);
    const c = createIakClient({ ...creds, baseUrl: url, timeoutMs: 2000 });
    const out = await c.pay('9732792');
    await c.close();
    expect(seen[0]).toMatchObject({ url: '/api/v1/bill/check', type: 'application/json' });
    // The same keys as IAK's own example request (test/fixtures/iak/pay-pasca-pln-request.json).
    expect(Object.keys(seen[0]!.body as object).sort()).toEqual(Object.keys(fixture('iak', 'pay-pasca-pln-request') as object).sort());
    expect(seen[0]!.body).toEqual({ commands: 'pay-pasca', username: '123123123', tr_id: '9732792', sign: signPayment(creds, '9732792') });
    expect(out.answer).toMatchObject({ response_code: '00', price: 302500, selling_price: 301900 });
  });

  it('reads an HTTP 400 answer (a refused request); any other status is unreachable', async () => {
    const url = await serve(400, () => '{"data":{"response_code":"204","message":"WRONG AUTHENTICATION"},"meta":[]}');
    const c = createIakClient({ ...creds, baseUrl: url, timeoutMs: 2000 });
    expect((await c.inquire('PLNPOSTPAID', '1', 'R')).answer).toMatchObject({ response_code: '204' });
    await c.close();
    for (const status of [201, 500, 502, 504]) {
      const u = await serve(status, () => '{"data":{"response_code":"00"}}');
      const c2 = createIakClient({ ...creds, baseUrl: u, timeoutMs: 2000 });
      expect(await caught(c2.pay('1'))).toMatchObject({ name: 'ProviderUnreachable', httpStatus: status });
      await c2.close();
    }
  });

  it('an unreadable answer is ProviderUnreadable without the api key; a dead host is unreachable', async () => {
    const url = await serve(200, () => `<b>Fatal</b> key=${creds.apiKey}`);
    const c = createIakClient({ ...creds, baseUrl: url, timeoutMs: 2000 });
    const err = await caught(c.status('R'));
    expect(err).toBeInstanceOf(ProviderUnreadable);
    expect((err as ProviderUnreadable).excerpt).not.toContain(creds.apiKey);
    await c.close();
    const dead = createIakClient({ ...creds, baseUrl: 'http://127.0.0.1:1', timeoutMs: 2000 });
    expect(await caught(dead.status('R'))).toBeInstanceOf(ProviderUnreachable);
    await dead.close();
  });
});
