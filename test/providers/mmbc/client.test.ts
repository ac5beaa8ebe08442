import { afterEach, describe, expect, it } from 'vitest';
import { ProviderUnreachable, ProviderUnreadable } from '../../../src/providers/errors.ts';
import { createMmbcClient } from '../../../src/providers/mmbc/client.ts';
import { MAX_ANSWER_BYTES } from '../../../src/providers/http.ts';
import { caught, closeServers, listenLocal } from '../../helpers/http.ts';

afterEach(closeServers);

async function serve(handler: Parameters<typeof listenLocal>[0]): Promise<string> {
  return `${await listenLocal(handler)}/json`;
}

const options = (baseUrl: string, timeoutMs = 2000) => ({ baseUrl, username: 'agen1', password: 's3cret-pass', timeoutMs });

describe('createMmbcClient', () => {
  it('POSTs the documented form fields to the documented paths, and returns the raw body', async () => {
    const seen: { url?: string; type?: string; body: URLSearchParams }[] = [];
    const url = await serve((req, body, res) => {
      seen.push({ url: req.url, type: req.headers['content-type'], body: new URLSearchParams(body) });
      res.end('{"result":"no","reason":"No Data!",}');
    });
    const c = createMmbcClient(options(`${url}/`));
    const out = await c.status('930769836', '123456789');
    expect(out).toEqual({ ok: false, refusal: { result: 'no', reason: 'No Data!' }, raw: { result: 'no', reason: 'No Data!' } });
    await c.inquire('PDAM KOT MEDAN', '0100234');
    await c.close();
    expect(seen[0]).toMatchObject({ url: '/json/ppob/cekstatus', type: 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(seen[0]!.body)).toEqual({ username: 'agen1', password: 's3cret-pass', invoice: '930769836', ppob_nomorpelanggan: '123456789' });
    expect(seen[1]!.url).toBe('/json/ppob/cektagihan');
    expect(Object.fromEntries(seen[1]!.body)).toMatchObject({ ppob_kodeproduk: 'PDAM KOT MEDAN', ppob_nomorpelanggan: '0100234' });
  });

  it('a body that never ends times out within about timeoutMs', async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"result":"ok",');
    });
    const c = createMmbcClient(options(url, 300));
    const started = Date.now();
    const err = await caught(c.pay('PLN', '1'));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(err).toBeInstanceOf(ProviderUnreachable);
    expect(err).toMatchObject({ timedOut: true, operation: 'bayartagihan' });
    await c.close();
  });

  it('non-2xx is unreachable with its status; a refused connection is unreachable, not timed out', async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(404);
      res.end('{"result":"ok"}');
    });
    const c = createMmbcClient(options(url));
    expect(await caught(c.priceList())).toMatchObject({ name: 'ProviderUnreachable', httpStatus: 404, timedOut: false });
    await c.close();
    const dead = createMmbcClient(options('http://127.0.0.1:1/json'));
    const err = await caught(dead.priceList());
    expect(err).toBeInstanceOf(ProviderUnreachable);
    expect(err).toMatchObject({ timedOut: false });
    await dead.close();
  });

  it('a 502 whose body never ends is told as a 502 at once, not as a timeout', async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.write('<html>Bad Gateway');
    });
    const c = createMmbcClient(options(url, 2_000));
    const started = Date.now();
    expect(await caught(c.pay('PLN', '1'))).toMatchObject({ name: 'ProviderUnreachable', httpStatus: 502, timedOut: false });
    expect(Date.now() - started).toBeLessThan(1_000);
    await c.close();
  });

  it('an answer that never stops coming is cut at MAX_ANSWER_BYTES: unreachable (outcome unknown), not held in memory', async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const block = Buffer.alloc(1024 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(block)) {
          // keep writing until the socket pushes back
        }
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const c = createMmbcClient(options(url, 20_000));
    const err = await caught(c.pay('PLN', '1'));
    expect(err).toBeInstanceOf(ProviderUnreachable);
    expect(err).toMatchObject({ timedOut: false });
    expect(String((err as Error & { cause?: unknown }).cause)).toContain(`larger than ${MAX_ANSWER_BYTES}`);
    await c.close();
  });

  it('unreadable answers keep an excerpt, and never the password', async () => {
    const url = await serve((_req, body, res) => {
      res.end(`<pre>Fatal error: query failed for ${new URLSearchParams(body).get('password')}</pre>`);
    });
    const c = createMmbcClient(options(url));
    const err = await caught(c.inquire('PLN', '1'));
    expect(err).toBeInstanceOf(ProviderUnreadable);
    const e = err as ProviderUnreadable;
    expect(e.excerpt).toContain('Fatal error');
    expect(`${e.message} ${e.excerpt}`).not.toContain('s3cret-pass');
    await c.close();
  });

  it('JSON of the wrong shape is unreadable', async () => {
    const url = await serve((_req, _body, res) => res.end('{"result":"ok","ppob_totaltagihan":"banyak","ppob_totalbayar":"1"}'));
    const c = createMmbcClient(options(url));
    expect(await caught(c.inquire('PLN', '1'))).toMatchObject({ name: 'ProviderUnreadable', message: expect.stringContaining('ppob_totaltagihan') });
    await c.close();
  });
});
