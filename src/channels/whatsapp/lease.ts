/**
 * Only one process holds the WhatsApp connection: two sockets on one login replace each other (440) and two
 * processes would both answer. The holder keeps a Redis key alive; when it stops renewing, another takes over.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';

export interface Lease {
  readonly ttlMs: number;
  /** True when this process holds the lease now (it was free, or already ours). */
  acquire(): Promise<boolean>;
  /** Extends the lease; false when it is no longer ours. */
  renew(): Promise<boolean>;
  /** Gives it up at once, only if still ours, so another process need not wait for it to lapse. */
  release(): Promise<void>;
}

// Compare-and-set: a holder that lost the lease (a long pause, a lapse) must not extend or drop the new holder's.
const ACQUIRE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0`;
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export function leaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export function createRedisLease(opts: { redis: Redis; key: string; ttlMs?: number; owner?: string }): Lease {
  const { redis, key } = opts;
  const ttlMs = opts.ttlMs ?? 30_000;
  const owner = opts.owner ?? leaseOwner();
  const run = async (lua: string) => Number(await redis.eval(lua, 1, key, owner, ttlMs)) === 1;
  return {
    ttlMs,
    acquire: () => run(ACQUIRE),
    renew: () => run(RENEW),
    async release() {
      await run(RELEASE);
    },
  };
}

/** One process with the embedded store: nobody to share with. */
export function createLocalLease(ttlMs = 30_000): Lease {
  return {
    ttlMs,
    acquire: async () => true,
    renew: async () => true,
    async release() {},
  };
}
