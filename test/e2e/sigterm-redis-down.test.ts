/**
 * An operator stops the bot while its Redis is down (a failover, a host reboot): SIGTERM still ends it with
 * exit 0 and no crash, rather than an unhandled rejection from the last store read.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

const TSX = 'node_modules/tsx/dist/cli.mjs';
const running: ChildProcess[] = [];
afterEach(() => {
  for (const c of running.splice(0)) c.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function until(ok: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('SIGTERM while Redis is down', () => {
  it('exits 0, without a crash', async () => {
    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    running.push(redis);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, HTTP_PORT: '0', LOG_LEVEL: 'warn', REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_PREFIX: 'sigterm-down:' };
    // Redis takes a moment to listen; the bot's start would fail before it does.
    await new Promise((r) => setTimeout(r, 300));
    const bot = spawn(process.execPath, [TSX, 'src/main.ts'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    running.push(bot);
    let out = '';
    let err = '';
    bot.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    bot.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<number | null>((r) => bot.on('exit', (code) => r(code)));
    await until(() => out.includes('console:local'), 'the bot to start');
    redis.kill('SIGKILL');
    await until(() => err.includes('Redis connection error'), 'the bot to notice Redis is gone');
    bot.kill('SIGTERM');
    const code = await exited;
    expect(err).not.toMatch(/Unhandled|MaxRetriesPerRequestError: Reached[^"]*\n\s+at /);
    expect(code).toBe(0);
  }, 40_000);
});
