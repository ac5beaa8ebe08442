/**
 * The deployment files say what the README promises. No Docker engine runs on the CI machine, so the image
 * cannot be built here; these checks hold the files to the money settings instead.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const compose = parse(readFileSync('compose.yaml', 'utf8')) as {
  services: Record<string, { command?: string[]; volumes?: string[]; depends_on?: Record<string, { condition: string }>; environment?: Record<string, string>; healthcheck?: unknown; build?: string }>;
  volumes: Record<string, unknown>;
};
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
});

describe('Dockerfile', () => {
  it('is multi-stage, installs production dependencies only, runs as non-root with a health check', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
  });
});
