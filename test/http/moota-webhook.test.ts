/**
 * POST /deposit/moota over real HTTP: a push signed as Moota signs it reaches onMutations parsed, and is
 * acknowledged only once onMutations resolved; every refusal (signature, size, JSON, shape, method) happens
 * before onMutations and is told apart by its status; an onMutations that fails makes Moota push again.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { hmacSha256Hex } from '../../src/http/signature.ts';
import { mootaWebhookRoute } from '../../src/http/moota-webhook.ts';
import type { MootaMutation } from '../../src/providers/moota/schemas.ts';
import { captureLog } from '../helpers/log.ts';
import { closeRoutes, declareOnly, deferred, postChunked, postRaw, serveRoute } from './webhook-kit.ts';

afterEach(closeRoutes);

const SECRET = 'moota-webhook-s3cret';
const silent = pino({ level: 'silent' });

function push(...items: Array<Record<string, unknown>>): string {
  return JSON.stringify(
    items.map((i, n) => ({
      account_number: '1234567890', date: '2026-12-06 10:15:00', description: `TRSF E-BANKING CR ${n}`, amount: 150123, type: 'CR',
      note: '', balance: 5_000_000, mutation_id: `Mut${n}abcDEF`, token: `Mut${n}abcDEF`, bank_id: 'BankAbc0001', taggings: [],
      bank: { bank_type: 'bca', atas_nama: 'PPOB', label: 'BCA' }, ...i,
    })),
  );
}

const signed = (body: string, secret = SECRET) => ({ signature: hmacSha256Hex(secret, body) });

async function route(onMutations: (m: MootaMutation[]) => Promise<void>, log = silent): Promise<string> {
  return serveRoute('/deposit/moota', mootaWebhookRoute({ secret: SECRET, onMutations, log }), log);
}

describe('POST /deposit/moota', () => {
  it('a signed push reaches onMutations parsed (integer rupiah, debits flagged), and 200 only after it resolved', async () => {
    const seen: MootaMutation[][] = [];
    const gate = deferred();
    const url = await route(async (m) => {
      seen.push(m);
      await gate.promise;
    });
    const body = push({ amount: '150123.00' }, { mutation_id: 'DebitOne001', type: 'DB', amount: 20000 });
    let answered = false;
    const answer = postRaw(url, body, signed(body)).then((a) => {
      answered = true;
      return a;
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(seen).toHaveLength(1);
    // Not yet stored, so not yet acknowledged: Moota would push it again if we died now.
    expect(answered).toBe(false);
    gate.release();
    const a = await answer;
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body)).toEqual({ success: true });
    expect(seen[0]).toEqual([
      expect.objectContaining({ mutationId: 'Mut0abcDEF', type: 'CR', credit: true, amount: 150123, wholeRupiah: true, bankId: 'BankAbc0001', bankType: 'bca' }),
      expect.objectContaining({ mutationId: 'DebitOne001', type: 'DB', credit: false, amount: 20000 }),
    ]);
  });

  it('a wrong, missing or borrowed signature is 401 and onMutations is never called', async () => {
    let calls = 0;
    const url = await route(async () => {
      calls++;
    });
    const body = push({});
    const other = push({ amount: 999999 });
    for (const headers of [{}, signed(body, 'not-the-secret'), signed(other), { signature: '' }, { signature: 'zz' }]) {
      const a = await postRaw(url, body, headers);
      expect(a.status).toBe(401);
      expect(JSON.parse(a.body)).toMatchObject({ success: false });
    }
    // Unsigned is refused before its body is read: nothing of it was sent, and the answer came.
    expect(await declareOnly(url, 512 * 1024)).toMatchObject({ status: 401, closed: true });
    expect(calls).toBe(0);
    // The same bytes with the right signature pass: the refusals above were the signature's.
    expect((await postRaw(url, body, signed(body))).status).toBe(200);
    expect(calls).toBe(1);
  });

  it('malformed JSON and a body of the wrong shape are 400, signed or not changing nothing', async () => {
    let calls = 0;
    const url = await route(async () => {
      calls++;
    });
    const bad = [
      '[{"mutation_id": "x", ',
      '{"mutation_id":"x"}',
      push({ amount: true }),
      push({ type: 'XX' }),
      push({ mutation_id: 12345 }),
      push({ amount: 'seratus ribu' }),
      JSON.stringify([{ amount: 1000, type: 'CR', date: '2026-12-06 10:00:00' }]),
    ];
    for (const body of bad) {
      const a = await postRaw(url, body, signed(body));
      expect(a.status, body).toBe(400);
    }
    expect(calls).toBe(0);
  });

  it('a body declared over 1 MB is refused with 413 before a byte of it is read; one streamed past 1 MB too', async () => {
    let calls = 0;
    const url = await route(async () => {
      calls++;
    });
    const declared = await declareOnly(url, 2 * 1024 * 1024, { signature: 'a'.repeat(64) });
    expect(declared.status).toBe(413);
    // The answer came although no body byte was ever sent: it was refused from the length alone, and the
    // connection is closed so the unread body can never be taken for a request.
    expect(declared.closed).toBe(true);
    expect(await postChunked(url, 1_200_000, { signature: 'a'.repeat(64) })).toBe(413);
    expect(calls).toBe(0);
  });

  it('an onMutations that fails is answered 500, and the same push sent again is answered 200', async () => {
    let fail = true;
    const stored: string[] = [];
    const url = await route(async (m) => {
      if (fail) throw new Error('redis went away');
      stored.push(...m.map((x) => x.mutationId));
    });
    const body = push({});
    const first = await postRaw(url, body, signed(body));
    expect(first.status).toBe(500);
    expect(JSON.parse(first.body)).toMatchObject({ success: false });
    fail = false;
    expect((await postRaw(url, body, signed(body))).status).toBe(200);
    expect(stored).toEqual(['Mut0abcDEF']);
  });

  it('other methods are 405; an empty push is acknowledged', async () => {
    const url = await route(async () => {});
    expect((await postRaw(url, '', {}, 'GET')).status).toBe(405);
    expect((await postRaw(url, '[]', signed('[]'))).status).toBe(200);
  });

  it('logs a refused push without the secret or the signature it carried', async () => {
    const cap = captureLog('debug');
    const url = await route(async () => {}, cap.log);
    const body = push({});
    const wrong = signed(body, 'guess-secret').signature;
    expect((await postRaw(url, body, { signature: wrong })).status).toBe(401);
    expect((await postRaw(url, body, signed(body))).status).toBe(200);
    expect(cap.text()).toContain('webhook signature refused');
    expect(cap.text()).not.toContain(SECRET);
    expect(cap.text()).not.toContain(wrong);
    expect(cap.text()).not.toContain(signed(body).signature);
  });

  it('refuses to be built with an empty secret', () => {
    expect(() => mootaWebhookRoute({ secret: '', onMutations: async () => {}, log: silent })).toThrow(/secret/);
  });
});
