/**
 * Issue 20 end to end over real HTTP: the bot as `npm start` runs it, in the sandbox, on the embedded store and
 * on Redis. Its IAK prepaid simulator answers a top-up PROCESS and posts the callback a couple of seconds later
 * to the bot's own `POST /iak/callback` on HTTP_PORT, as IAK posts to the URL set in its dashboard. Beside it,
 * this test posts what IAK never would: a forged callback (403, nothing changes), the real one five times at
 * once after the receipt (200, nothing more printed), one for a ref_id the bot never sent (200, nothing).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isFinal } from '../../src/bot/store.ts';
import { audit } from '../../src/payments/audit.ts';
import { signCallback } from '../../src/providers/iak-prepaid/sign.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { STORES } from '../helpers/app.ts';
import { credit } from '../helpers/credit.ts';
import { IAK_CREDS, postCallback } from '../helpers/prepaid.ts';
import { dropPrefix, redisUrl, uniquePrefix } from '../helpers/redis.ts';

const USER = 'console:local';
let child: ChildProcessWithoutNullStreams | undefined;
let prefix = '';

afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.on('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
  if (prefix) await dropPrefix(redisUrl(), prefix);
  child = undefined;
  prefix = '';
});

/** A port nothing listens on now: the bot's HTTP_PORT, so this test can post to it. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

const count = (text: string, what: string) => text.split(what).length - 1;

describe.each(STORES)('a pulsa top-up end to end over HTTP, npm start in the sandbox (%s store)', (kind) => {
  it('HARGA PULSA, PULSA, YA: "sedang diproses", then the receipt with IAK’s SN from the callback, once', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, HTTP_PORT: String(port), LOG_LEVEL: 'silent', CHANNELS: 'console' };
    if (kind === 'redis') {
      // On Redis the sandbox has no demo user: the console's user is made a reseller with the demo's saldo.
      prefix = uniquePrefix('e2e-iak');
      const seed = createRedisStore({ url: redisUrl(), prefix });
      await seed.setReseller(USER, true, 'Kasir', Date.now());
      await credit(seed, USER, 1_000_000, { note: 'test' });
      await seed.close();
      Object.assign(env, { REDIS_URL: redisUrl(), REDIS_PREFIX: prefix });
    }
    // node --import tsx, not tsx's CLI: the CLI is a wrapper whose death would leave the real bot running.
    const bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    child = bot;
    let out = '';
    bot.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    bot.stderr.resume();
    const exited = new Promise<number | null>((r) => bot.on('exit', r));
    const until = async (what: () => boolean, label: string, ms = 20_000) => {
      const end = Date.now() + ms;
      while (!what()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${label}; output so far:\n${out}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const say = async (line: string, expectText: string) => {
      const from = out.length;
      bot.stdin.write(`${line}\n`);
      await until(() => out.slice(from).includes(expectText), `${expectText} after ${line}`);
      return out.slice(from);
    };
    const url = `http://127.0.0.1:${port}/iak/callback`;

    await until(() => out.includes('Bot PPOB'), 'the banner');
    const prices = await say('HARGA PULSA', 'htelkomsel150000');
    expect(prices).toContain('htelkomsel10000 · Pulsa Telkomsel Rp 10.000 · Rp 10.850');
    expect(prices).toMatch(/htelkomsel150000 .* TUTUP/);
    const summary = await say('PULSA 081234567890 10000', 'Balas YA');
    expect(summary).toContain('Pulsa Telkomsel · 081234567890');
    expect(summary).toContain('Saldo dipotong Rp 10.850');
    const processing = await say('YA', 'sedang diproses');
    const id = /\(ID ([0-9A-Z]{14})\)/.exec(processing)?.[1];
    expect(id).toBeDefined();

    // Forged while IAK is still working on it: refused, and nothing is printed.
    const forged = (refId: string, sign: string) =>
      JSON.stringify({ data: { ref_id: refId, status: '1', code: 'htelkomsel10000', hp: '081234567890', price: '10850', message: 'SUCCESS', sn: '999999999', rc: '00', tr_id: '1', sign } });
    expect(await postCallback(url, forged(id!, signCallback({ ...IAK_CREDS, apiKey: 'guessed' }, id!)))).toBe(403);
    expect(await postCallback(url, forged(id!, 'not-a-sign'))).toBe(403);

    // IAK's own callback, about 2 s after the top-up.
    await until(() => out.includes('STRUK PEMBAYARAN'), 'the receipt');
    const receipt = out.slice(out.indexOf('STRUK PEMBAYARAN'));
    expect(receipt).toContain(`ID transaksi ${id}`);
    const sn = /SN\s+(\d+)/.exec(receipt)?.[1];
    expect(sn).toMatch(/^\d{18}$/);
    expect(sn).not.toBe('999999999');
    expect(receipt).toMatch(/Sisa saldo\s+Rp 989\.150/);

    // The same callback five times at once, and one for a ref_id never sent: answered, nothing more printed.
    const again = JSON.stringify({ data: { ...JSON.parse(forged(id!, signCallback(IAK_CREDS, id!))).data, sn } });
    expect(await Promise.all(Array.from({ length: 5 }, () => postCallback(url, again)))).toEqual([200, 200, 200, 200, 200]);
    expect(await postCallback(url, forged('TNEVERSENT0000', signCallback(IAK_CREDS, 'TNEVERSENT0000')))).toBe(200);
    expect(await say('SALDO', 'Saldo Anda')).toContain('Saldo Anda Rp 989.150.');
    expect(count(out, 'STRUK PEMBAYARAN')).toBe(1);
    expect(count(out, 'sedang diproses')).toBe(1);

    bot.stdin.end();
    expect(await exited).toBe(0);
    expect(out).not.toContain('Masih diproses saat keluar');

    if (kind === 'redis') {
      const store = createRedisStore({ url: redisUrl(), prefix });
      try {
        const txs = await store.listTx(USER, 10);
        expect(txs.map((t) => [t.id, t.status])).toEqual([[id, 'SETTLED']]);
        expect(txs.every((t) => isFinal(t.status))).toBe(true);
        expect(txs[0]!.receipt?.reference).toBe(sn);
        expect((await store.ledger(USER, 10)).filter((e) => e.txId === id).map((e) => e.amount)).toEqual([-10_850]);
        expect((await audit(store)).problems).toEqual([]);
      } finally {
        await store.close();
      }
    }
  });
});
