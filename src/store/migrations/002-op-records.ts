/**
 * Version 2: the ledger's operation records (src/payments/ledger.ts, keys.op) replace the two marks schema 1
 * kept for idempotent money steps:
 * - `{to}:credited:<transfer id>` ("1", kept forever): the receiver's credit of a transfer was made. It becomes
 *   the credit's op record, `{to}:op:credited:<id>` (opIds.transferIn), sent by `migration:002`, kept
 *   TTL.opSeconds. A transfer the old version credited but had not marked done (it stopped in between) is
 *   finished by the worker after the upgrade: its credit then finds this record (op-conflict) and is not made
 *   again; the transfer is marked done.
 * - `{user}:adjusted:<message id>` (the saldo after, TTL.messageSeconds): a DEPOSIT under that message id was
 *   credited. It becomes `{user}:op:adjusted:<message id>` (op id `adjusted:<message id>`), with the saldo it
 *   answers and the time it had left. Today's DEPOSIT names its operation `msg:<admin>:<message id>`, so the
 *   moved record guards only a resend under the old id; a redelivered message is dropped earlier anyway, by
 *   the replay claim (TTL.messageSeconds), which the upgrade leaves in place.
 * Each mark goes in the same atomic step as its record is written (both on the account's tag), so a step cut
 * short and run again finds the marks it has not yet moved, and only those: idempotent.
 */
import type { Migration, MigrationContext } from '../migrate.ts';
import { TTL } from '../keys.ts';

/** Who sent the operations this step records: not a sender of today's code, so a new credit hears op-conflict. */
export const MIGRATED_BY = 'migration:002';

/**
 * KEYS: the old mark, the op record. ARGV: by, ttl seconds (0: the mark's own time left), '1' to keep the
 * mark's value as the record's saldo. Returns 1 when a mark was moved.
 */
const MOVE = `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local rec = '{"by":' .. cjson.encode(ARGV[1])
if ARGV[3] == '1' and string.match(v, '^%-?%d+$') then rec = rec .. ',"saldo":' .. v end
rec = rec .. '}'
local ttl = tonumber(ARGV[2])
if ttl <= 0 then ttl = math.ceil(redis.call('PTTL', KEYS[1]) / 1000) end
if ttl > 0 then redis.call('SET', KEYS[2], rec, 'EX', ttl, 'NX') end
redis.call('DEL', KEYS[1])
return 1
`;

/** `{account}:<kind>:<rest>` after the prefix: the account and the rest, or undefined for another shape. */
function split(key: string, kind: string): { account: string; rest: string } | undefined {
  const m = /^\{([^}]+)\}:([^:]+):(.+)$/.exec(key);
  return m && m[2] === kind ? { account: m[1]!, rest: m[3]! } : undefined;
}

async function move(ctx: MigrationContext, kind: 'credited' | 'adjusted'): Promise<number> {
  let moved = 0;
  await ctx.scan(`{*}:${kind}:*`, async (found) => {
    for (const full of found) {
      const parts = split(full.slice(ctx.prefix.length), kind);
      if (!parts) continue;
      // The op ids: opIds.transferIn(id) for a transfer's credit; `adjusted:<message id>` for an old DEPOSIT mark.
      const record = ctx.k.op(parts.account, `${kind}:${parts.rest}`);
      const by = kind === 'credited' ? MIGRATED_BY : `adjusted:${parts.rest}`;
      const ttl = kind === 'credited' ? TTL.opSeconds : 0;
      moved += Number(await ctx.redis.eval(MOVE, 2, full, record, by, ttl, kind === 'adjusted' ? '1' : ''));
    }
  });
  return moved;
}

export const opRecords: Migration = {
  version: 2,
  name: '002-op-records',
  async up(ctx) {
    const credited = await move(ctx, 'credited');
    const adjusted = await move(ctx, 'adjusted');
    ctx.log.info({ credited, adjusted }, 'transfer credit and deposit marks moved to operation records');
  },
};
