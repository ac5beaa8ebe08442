/**
 * The I/O floor of a paid conversation: the same 7 Redis commands in the same round trips, and the same two
 * biller calls on the same kind of keep-alive pool, with no bot around them (no parsing, no rendering, no
 * checks). What the bot reaches against it is the share of its cost that is its own.
 */
import { performance } from 'node:perf_hooks';
import { createRedisClient } from '../src/store/redis-client.ts';
import { keepAliveAgent, postText } from '../src/providers/http.ts';
import { customer, REDIS_URL, type Bench } from './harness.ts';

const ADMIT = `if not redis.call('SET', KEYS[1], '1', 'EX', 93600, 'NX') then return {0, 0} end
local n = redis.call('INCR', KEYS[2]) if n == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
if ARGV[2] == '1' then return {1, n, redis.call('GET', KEYS[3])} end return {1, n}`;
const PUT = `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return redis.call('GET', KEYS[2])`;
const SCHEDULE = `redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])`;
const RESERVE = `local q = redis.call('GET', KEYS[1]) local after = redis.call('DECRBY', KEYS[2], ARGV[1])
redis.call('RPUSH', KEYS[3], ARGV[2]) redis.call('HSET', KEYS[4], 'status', 'SENDING', 'quote', q) redis.call('DEL', KEYS[1]) return after`;
const SETTLE = `redis.call('HSET', KEYS[1], 'status', 'SETTLED', 'receipt', ARGV[1]) redis.call('RPUSH', KEYS[2], ARGV[2]) return 1`;

/** Runs on across calls: a message id claimed before would (rightly) do less work the second time. */
let next = 0;

export async function ioFloor(b: Bench, users: string[], seconds: number): Promise<number> {
  // The product store's own kind of client: one tick's commands share a write.
  const r = createRedisClient(REDIS_URL);
  const agent = keepAliveAgent();
  const sha = async (lua: string) => (await r.script('LOAD', lua)) as string;
  const [admit, put, schedule, reserve, settle] = (await Promise.all([ADMIT, PUT, SCHEDULE, RESERVE, SETTLE].map(sha))) as [string, string, string, string, string];
  const p = `${b.prefix}floor:`;
  const quote = JSON.stringify({ id: 'Q', txId: 'T', bill: { customerNo: customer(0), name: 'SITI AMINAH', details: Array(6).fill({ key: 'k', value: 'v'.repeat(20) }) } });
  const receipt = quote.slice(0, 400);
  const post = (path: string, no: string) =>
    postText(agent, {
      provider: 'mmbc', operation: path, url: `${b.sim.mmbc}/ppob/${path}`, contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams({ username: 'sandbox', password: 'sandbox', ppob_kodeproduk: 'PLN', ppob_nomorpelanggan: no }).toString(),
      timeoutMs: 30_000,
    });
  let n = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    users.map(async (user) => {
      const u = `${p}{${user}}`;
      while (performance.now() < end) {
        const i = next++;
        const no = customer(5_000_000 + i);
        // Inquiry: the replay claim with the flood count; the biller; the quote write (with the day's mark read).
        await r.evalsha(admit, 3, `${u}:msg:q${i}`, `${u}:flood`, `${u}:quote`, 60_000, '');
        await post('cektagihan', no);
        await r.evalsha(put, 2, `${u}:quote`, `${u}:mark`, quote, 300_000);
        // YA: the claim with the count and the open quote; the schedule and the reserve; the biller; the outcome and the unschedule.
        await r.evalsha(admit, 3, `${u}:msg:y${i}`, `${u}:flood`, `${u}:quote`, 60_000, '1');
        await Promise.all([
          r.evalsha(schedule, 2, `${p}{g}:owner`, `${p}{g}:due`, `T${i}`, `${user}|T${i}`, Date.now()),
          r.evalsha(reserve, 4, `${u}:quote`, `${u}:saldo`, `${u}:ledger`, `${u}:tx:T${i}`, 180_300, '{"amount":-180300}'),
        ]);
        await post('bayartagihan', no);
        await Promise.all([r.evalsha(settle, 2, `${u}:tx:T${i}`, `${u}:txlog:T${i}`, receipt, receipt), r.zrem(`${p}{g}:due`, `${user}|T${i}`)]);
        n++;
      }
    }),
  );
  await agent.close();
  await r.quit();
  return n / seconds;
}
