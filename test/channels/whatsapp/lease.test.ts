/**
 * One WhatsApp connection for all the bot's processes: a lease in Redis. Two adapters on one Redis: one
 * connects, the other stands by (and its notifications go out through the holder); when the holder stops or
 * its lease lapses, the other takes over.
 */
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisLease } from '../../../src/channels/whatsapp/lease.ts';
import { assertRedis, redisUrl, uniquePrefix } from '../../helpers/redis.ts';
import { fakeSockets, sleep, textMessage, waitFor } from './fake-socket.ts';
import { startWhatsAppBot, wa, WA_CUSTOMER, WA_RESELLER, type WhatsAppTestBot } from './harness.ts';

let bots: WhatsAppTestBot[] = [];
beforeEach(() => assertRedis());
afterEach(async () => {
  // The bot that owns the prefix goes last: its stop drops the keys.
  for (const b of bots.reverse()) await b.stop();
  bots = [];
});

async function twoProcesses(leaseTtlMs = 600): Promise<[WhatsAppTestBot, WhatsAppTestBot]> {
  const a = await startWhatsAppBot({ leaseTtlMs });
  bots.push(a);
  await waitFor(() => a.channel.state() === 'open', 'a open');
  const b = await startWhatsAppBot({ prefix: a.prefix, sim: a.sim, leaseTtlMs, socks: fakeSockets() });
  bots.push(b);
  return [a, b];
}

describe('the WhatsApp lease', () => {
  it('compare-and-set: only the holder renews or releases; a lapsed lease is free', async () => {
    const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    const key = `${uniquePrefix('wa-lease')}{wa}:lease`;
    try {
      const one = createRedisLease({ redis, key, ttlMs: 200, owner: 'one' });
      const two = createRedisLease({ redis, key, ttlMs: 200, owner: 'two' });
      expect(await one.acquire()).toBe(true);
      expect(await one.acquire()).toBe(true);
      expect(await two.acquire()).toBe(false);
      expect(await two.renew()).toBe(false);
      await two.release();
      expect(await redis.get(key)).toBe('one');
      expect(await one.renew()).toBe(true);
      await sleep(300);
      expect(await two.acquire()).toBe(true);
      expect(await one.renew()).toBe(false);
      await one.release();
      expect(await redis.get(key)).toBe('two');
      await two.release();
      expect(await redis.get(key)).toBeNull();
    } finally {
      await redis.del(key);
      redis.disconnect();
    }
  });

  it('two adapters on one Redis: one connects, the other stands by, answers nothing, and is healthy', async () => {
    const [a, b] = await twoProcesses();
    await sleep(500);
    expect(a.socks.sockets).toHaveLength(1);
    expect(b.socks.sockets).toHaveLength(0);
    expect(b.channel.state()).toBe('standby');
    expect((await b.app.health()).channels.whatsapp).toBe(true);

    a.socks.last().deliver([textMessage(WA_RESELLER, 'SALDO')]);
    expect(await a.nth(WA_RESELLER, 1)).toContain('Rp 1.000.000');

    // A notification raised in the standby process goes out through the holder.
    await b.channel.send(wa(WA_RESELLER), { text: 'Dari proses B' });
    expect(await a.nth(WA_RESELLER, 2)).toBe('Dari proses B');
  });

  it('the other takes over when the holder stops; nothing is answered twice', async () => {
    const [a, b] = await twoProcesses();
    const first = a.socks.last();
    const asked = textMessage(WA_CUSTOMER, 'HARGA PLN');
    first.deliver([asked]);
    await a.nth(WA_CUSTOMER, 1);
    await a.channel.stop();
    expect(first.ended).toBe(true);
    const taken = await b.socks.nth(1, 3_000);
    await waitFor(() => b.channel.state() === 'open', 'b open');
    // WhatsApp delivers the last message again to the new connection: the core saw it in the other process.
    taken.deliver([asked]);
    taken.deliver([textMessage(WA_CUSTOMER, 'BANTUAN')]);
    expect(await b.nth(WA_CUSTOMER, 1)).toBe(await b.say('test:someone', 'BANTUAN'));
    await sleep(200);
    expect(b.sentTo(WA_CUSTOMER)).toHaveLength(1);
    expect(a.sentTo(WA_CUSTOMER)).toHaveLength(1);
  });

  it('a holder that loses its lease steps down at once; when the lease lapses, someone takes over', async () => {
    const [a, b] = await twoProcesses(400);
    const key = `${a.prefix}{wa}:lease`;
    await a.redis.set(key, 'an-intruder', 'PX', 600);
    await waitFor(() => a.channel.state() === 'standby', 'a stands by', 3_000);
    expect(a.socks.last().ended).toBe(true);
    expect(b.channel.state()).toBe('standby');
    // The intruder never renews: its lease lapses and one of the two connects again.
    await waitFor(() => a.channel.state() === 'open' || b.channel.state() === 'open', 'a takeover', 5_000);
    await sleep(300);
    expect([a.channel.state(), b.channel.state()].filter((s) => s === 'open')).toHaveLength(1);
    const openSockets = [...a.socks.sockets, ...b.socks.sockets].filter((s) => !s.ended);
    expect(openSockets).toHaveLength(1);
  });
});
