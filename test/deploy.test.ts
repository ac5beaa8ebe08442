/**
 * The deployment files say what the README promises. No Docker engine runs on the CI machine, so the image
 * cannot be built here; these checks hold the files to the money settings instead.
 */
import { readFileSync } from 'node:fs';
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
