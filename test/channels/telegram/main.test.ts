/**
 * `npm start` as an operator runs it: the real process with a Telegram token and TELEGRAM_API_ROOT at the
 * fake Bot API server (sandbox provider, embedded store), the HTTP server on it, and SIGTERM.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { startFakeBotApi, textUpdate, type FakeBotApi } from '../../helpers/fake-bot-api.ts';
import { startDeadableApi, type DeadableApi } from './dead-api.ts';

const TSX = 'node_modules/tsx/dist/cli.mjs';
const USER = 7002;

let api: FakeBotApi | undefined;
let dead: DeadableApi | undefined;
let child: ChildProcessWithoutNullStreams | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await dead?.close();
  await api?.close();
  api = undefined;
  dead = undefined;
  child = undefined;
});

interface Running {
  proc: ChildProcessWithoutNullStreams;
  out: () => string;
  exited: Promise<number | null>;
  /** Resolves with the first stdout/stderr JSON log line whose msg is `msg`. */
  logLine(msg: string): Promise<Record<string, unknown>>;
}

function start(env: Record<string, string>, input?: string): Running {
  const base: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'LANG', 'TZ']) if (process.env[k]) base[k] = process.env[k];
  const proc = spawn(process.execPath, [TSX, 'src/main.ts'], { env: { ...base, HTTP_PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: 'pipe' });
  child = proc;
  let out = '';
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  if (input === undefined) proc.stdin.end();
  else proc.stdin.end(input);
  const exited = new Promise<number | null>((resolve) => proc.on('close', resolve));
  return {
    proc,
    out: () => out,
    exited,
    async logLine(msg) {
      const until = Date.now() + 15_000;
      for (;;) {
        for (const line of out.split('\n')) {
          if (!line.startsWith('{')) continue;
          const rec = JSON.parse(line) as Record<string, unknown>;
          if (rec.msg === msg) return rec;
        }
        if (Date.now() > until || proc.exitCode !== null) throw new Error(`no log line "${msg}" in:\n${out}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

describe('npm start with Telegram', () => {
  it('long polling: answers, serves /healthz and /metrics, and exits 0 on SIGTERM having answered what it took', async () => {
    api = await startFakeBotApi();
    const bot = start({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.url });
    const { port } = await bot.logLine('http server listening');
    await bot.logLine('long polling started');
    const base = `http://127.0.0.1:${port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, store: { kind: 'memory', up: true }, channels: { telegram: true }, states: {} });

    api.enqueue(textUpdate(USER, 'PLN 532100112233'));
    await api.waitFor(() => api!.sent(USER).length === 1, 'the summary', 10_000);
    expect(api.sent(USER)[0]!.text).toContain('SITI AMINAH');
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('ppob_messages_in_total{channel="telegram"} 1');

    api.enqueue(textUpdate(USER, 'PLN 123456789'));
    await api.waitFor(() => api!.pending() === 0, 'the update taken', 10_000);
    bot.proc.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(api.sent(USER).map((m) => m.text)).toEqual([expect.stringContaining('SITI AMINAH'), expect.stringContaining('SUYITNO')]);
    expect(api.callsOf('deleteWebhook')).toHaveLength(1);
    expect(bot.out()).not.toContain(api.token.split(':')[1]);
  }, 30_000);

  it('the HTTP server listens on loopback by default and on the interface HTTP_HOST names', async () => {
    api = await startFakeBotApi();
    const outside = externalAddress();
    const loopback = start({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.url });
    const first = await loopback.logLine('http server listening');
    expect(first.host).toBe('127.0.0.1');
    await loopback.logLine('long polling started');
    expect((await fetch(`http://127.0.0.1:${first.port}/healthz`)).status).toBe(200);
    if (outside) await expect(fetch(`http://${outside}:${first.port}/metrics`)).rejects.toThrow();
    loopback.proc.kill('SIGTERM');
    expect(await loopback.exited).toBe(0);

    const every = start({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.url, HTTP_HOST: '0.0.0.0' });
    const second = await every.logLine('http server listening');
    expect(second.host).toBe('0.0.0.0');
    await every.logLine('long polling started');
    if (outside) expect((await fetch(`http://${outside}:${second.port}/healthz`)).status).toBe(200);
    every.proc.kill('SIGTERM');
    expect(await every.exited).toBe(0);
  }, 30_000);

  it('a Bot API that never answers a reply: SIGTERM still exits 0 well within the stop grace period', async () => {
    api = await startFakeBotApi();
    dead = await startDeadableApi(api.url);
    const bot = start({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: dead.url });
    await bot.logLine('long polling started');
    dead.hang('sendMessage');
    api.enqueue(textUpdate(USER, 'SALDO'));
    await api.waitFor(() => dead!.seen.sendMessage === 1, 'the reply sent', 10_000);
    const t0 = Date.now();
    bot.proc.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    // STOP_GRACE_MS (5 s) for the unanswered reply; Docker's default grace is 10 s, compose gives 40 s.
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect(bot.out()).toContain('sendMessage failed');
  }, 30_000);

  it('start-up against a Bot API root nobody listens on says so at once, without the token, and SIGTERM ends it', async () => {
    const port = await closedPort();
    const root = `http://127.0.0.1:${port}`;
    const bot = start({ TELEGRAM_BOT_TOKEN: '123456789:AAdeadTOKENdeadTOKENdeadTOKEN_dead-1', TELEGRAM_API_ROOT: root });
    const line = await bot.logLine(`Telegram API not answering at ${root}, retrying`);
    expect(line).toMatchObject({ level: 40, method: 'getMe', attempt: 1 });
    const t0 = Date.now();
    bot.proc.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(bot.out()).not.toContain('AAdeadTOKEN');
    expect(bot.out()).not.toContain('did not start');
  }, 30_000);

  it('webhook mode: registers the URL, serves it on HTTP_PORT, refuses a wrong secret', async () => {
    api = await startFakeBotApi();
    const bot = start({
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.url,
      TELEGRAM_WEBHOOK_URL: 'https://ppob.example.com/tg/update',
      TELEGRAM_WEBHOOK_SECRET: 'main-test-secret',
    });
    const { port } = await bot.logLine('http server listening');
    await bot.logLine('webhook registered');
    expect(api.webhook).toEqual({ url: 'https://ppob.example.com/tg/update', secret: 'main-test-secret' });
    const post = (secret: string) =>
      fetch(`http://127.0.0.1:${port}/tg/update`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify({ ...textUpdate(USER, 'SALDO'), update_id: 1 }),
      });
    expect((await post('wrong')).status).toBe(401);
    expect((await post('main-test-secret')).status).toBe(200);
    await api.waitFor(() => api!.sent(USER).length === 1, 'the reply', 10_000);
    expect(api.callsOf('getUpdates')).toHaveLength(0);
    bot.proc.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  }, 30_000);

  it('CHANNELS=console,telegram runs both; end of input still exits 0', async () => {
    api = await startFakeBotApi();
    const bot = start({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.url, CHANNELS: 'console,telegram' }, 'SALDO\n');
    expect(await bot.exited).toBe(0);
    expect(bot.out()).toContain('Saldo Anda Rp 1.000.000.');
    expect(api.callsOf('getMe')).toHaveLength(1);
  }, 30_000);

  it('CHANNELS listing telegram without a token stops with one line naming the variable', async () => {
    const bot = start({ CHANNELS: 'telegram' });
    expect(await bot.exited).toBe(1);
    expect(bot.out().trim()).toBe('Configuration error: TELEGRAM_BOT_TOKEN is not valid: expected a bot token whenever CHANNELS lists telegram');
  });

  it('a token Telegram refuses stops the process with a clear line and no token in it', async () => {
    api = await startFakeBotApi();
    const bot = start({ TELEGRAM_BOT_TOKEN: '987654321:AAwrongWRONGwrongWRONGwrong_wrong-9', TELEGRAM_API_ROOT: api.url });
    expect(await bot.exited).toBe(1);
    expect(bot.out()).toContain('Telegram getMe failed: getMe: 401 Unauthorized');
    expect(bot.out()).not.toContain('AAwrongWRONG');
  }, 30_000);
});

/** An IPv4 address of this machine that is not loopback, if it has one. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
