/**
 * The deployment files say what the README promises. No Docker engine runs on the CI machine, so the image
 * cannot be built here; these checks hold the files to the money settings instead, and `npm run build`'s output
 * is run the way the image runs it.
 */
import { execFile } from 'node:child_process';
import { cleanEnv, runNode } from './helpers/spawn.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const compose = parse(readFileSync('compose.yaml', 'utf8')) as {
  services: Record<string, { command?: string[]; volumes?: string[]; depends_on?: Record<string, { condition: string }>; environment?: Record<string, string>; healthcheck?: unknown; build?: string; ports?: string[]; stop_grace_period?: string }>;
  volumes: Record<string, unknown>;
};
const composeText = readFileSync('compose.yaml', 'utf8');
const dockerfile = readFileSync('Dockerfile', 'utf8');

describe('compose.yaml', () => {
  it('runs Redis for money: AOF with fsync on every write, no eviction, a volume', () => {
    const cmd = compose.services.redis!.command!.join(' ');
    expect(cmd).toContain('--appendonly yes');
    expect(cmd).toContain('--appendfsync always');
    expect(cmd).toContain('--maxmemory-policy noeviction');
    expect(compose.services.redis!.volumes).toEqual(['redis-data:/data']);
    expect(compose.volumes).toHaveProperty('redis-data');
    expect(compose.services.redis!.healthcheck).toBeDefined();
  });

  it('starts the bot from this Dockerfile on that Redis, once Redis is healthy', () => {
    const bot = compose.services.bot!;
    expect(bot.build).toBe('.');
    expect(bot.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(bot.depends_on?.redis?.condition).toBe('service_healthy');
  });

  it('listens on every interface inside the container, says why, and publishes the port on loopback only', () => {
    const bot = compose.services.bot!;
    expect(bot.environment?.HTTP_HOST).toBe('0.0.0.0');
    // A comment right above the setting explains it (the bot's own default is loopback).
    const lines = composeText.split('\n');
    const at = lines.findIndex((l) => /^\s+HTTP_HOST:/.test(l));
    expect(lines[at - 1]).toMatch(/^\s+#/);
    // /metrics tells what the operator owes: never published on the host's public interfaces.
    expect(bot.ports).toBeDefined();
    for (const port of bot.ports!) expect(port).toMatch(/^127\.0\.0\.1:/);
  });

  it('gives the bot a stop grace period longer than a payment in flight takes to finish', () => {
    const grace = compose.services.bot!.stop_grace_period;
    expect(grace).toMatch(/^\d+s$/);
    // PROVIDER_TIMEOUT_MS (30 s by default) plus the Telegram channel's bounded stop (src/channels/telegram).
    expect(Number.parseInt(grace!, 10)).toBeGreaterThanOrEqual(40);
  });
});

describe('Dockerfile', () => {
  it('is multi-stage, installs production dependencies only, runs as non-root with a health check', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
  });
});

describe('Dockerfile and npm run build', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string> };

  it('compiles src with `npm run build` in a stage of its own and runs the JavaScript with plain node', () => {
    expect(dockerfile).toMatch(/^FROM \S+ AS build$/m);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(dockerfile).toMatch(/^COPY --from=build .*\/app\/dist \.\/dist$/m);
    expect(dockerfile).toMatch(/^CMD \["node", (?:"--[a-z-]+", )*"dist\/main\.js"\]$/m);
    expect(dockerfile).not.toContain('tsx');
    // What the image runs needs nothing that only compiles or tests it.
    expect(pkg.dependencies).not.toHaveProperty('tsx');
    expect(pkg.dependencies).not.toHaveProperty('typescript');
  });

  it('builds from a tsconfig that exists, into dist/, which git and the Docker context leave out', () => {
    const config = /^tsc -p (\S+)$/.exec(pkg.scripts.build ?? '')?.[1];
    expect(config).toBeDefined();
    expect(existsSync(config!)).toBe(true);
    expect(readFileSync('.gitignore', 'utf8').split('\n')).toContain('dist/');
    expect(readFileSync('.dockerignore', 'utf8').split('\n')).toContain('dist');
  });

  it("builds JavaScript that holds the README's piped conversation under plain node, laid out as in the image", async () => {
    const config = /^tsc -p (\S+)$/.exec(pkg.scripts.build ?? '')?.[1] ?? 'missing';
    // The image's /app: dist/, locales/, node_modules/ and package.json side by side.
    const app = mkdtempSync(join(tmpdir(), 'ppob-build-'));
    try {
      // --noCheck: this test is about what the build emits and how it runs; `npm run lint` type-checks.
      await promisify(execFile)(process.execPath, ['node_modules/typescript/bin/tsc', '-p', config, '--outDir', join(app, 'dist'), '--noCheck']);
      for (const entry of ['locales', 'node_modules', 'package.json']) symlinkSync(resolve(entry), join(app, entry));
      const { code, stdout, stderr } = await runNode(['dist/main.js'], 'PLN 123456789\nYA\nSALDO\n', { cwd: app, env: cleanEnv() });
      expect(code, stderr).toBe(0);
      expect(stdout).toContain('Saldo dipotong Rp 180.300');
      expect(stdout).toContain('STRUK PEMBAYARAN');
      expect(stdout).toContain('Saldo Anda Rp 819.700.');
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  }, 60_000);
});

