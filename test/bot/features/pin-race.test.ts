/**
 * The PIN lock is one atomic count in the store: however many wrong `YA <PIN>` arrive at once, on however many
 * processes, at most three PINs are compared before payments lock. Each comparison is counted by a spy on
 * checkPin, the one place a PIN is compared.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { translator } from '../../../src/bot/i18n.ts';
import { loadConfig } from '../../../src/config.ts';
import * as pins from '../../../src/payments/pin.ts';
import { createMemoryStore } from '../../../src/store/memory-store.ts';
import { RESELLER, startTestBot, type TestBot } from '../../helpers/app.ts';
import { credit } from '../../helpers/credit.ts';

vi.mock('../../../src/payments/pin.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/payments/pin.ts')>();
  return { ...real, checkPin: vi.fn(real.checkPin) };
});

const t = translator('id');
const checks = () => vi.mocked(pins.checkPin).mock.calls.length;
const WRONG = 20;

const bots: TestBot[] = [];
afterEach(async () => {
  for (const b of bots.splice(0)) await b.stop();
  vi.mocked(pins.checkPin).mockClear();
});

/** What the replies to the wrong PINs were, by kind. */
function tally(replies: string[]) {
  const wrong = replies.filter((r) => r.startsWith('PIN salah')).length;
  const locked = replies.filter((r) => r.startsWith('Pembayaran dikunci')).length;
  const busy = replies.filter((r) => r === t('pin.busy')).length;
  return { wrong, locked, busy, other: replies.length - wrong - locked - busy };
}

describe('the PIN lock under concurrent wrong PINs', () => {
  // Redis only: two processes share one Redis under one prefix; the embedded store lives in one process (next case).
  it('two processes sharing one Redis: at most three PINs are compared, and payments end locked', async () => {
    const a = await startTestBot();
    bots.push(a);
    const b = await startTestBot({ sim: a.sim, iak: a.iak, prefix: a.prefix });
    bots.push(b);
    expect(await a.say(RESELLER, 'PIN 4829')).toContain('PIN dibuat');
    expect(await a.say(RESELLER, 'PLN 123456789')).toContain('YA');
    vi.mocked(pins.checkPin).mockClear();

    const replies = await Promise.all(Array.from({ length: WRONG }, (_, i) => (i % 2 ? a : b).say(RESELLER, 'YA 1111', `wrong-${i}`)));

    expect(checks()).toBe(3);
    const n = tally(replies);
    expect(n.wrong).toBe(2);
    expect(n.other).toBe(0);
    expect(n.locked + n.busy).toBe(WRONG - 2);
    expect((await a.store.getPin(RESELLER)).lockedUntil).toBeGreaterThan(Date.now());
    // Locked: even the right PIN pays nothing now, and is not compared.
    expect(await b.say(RESELLER, 'YA 4829')).toMatch(/^Pembayaran dikunci/);
    expect(checks()).toBe(3);
    expect(a.sim.payments).toHaveLength(0);
    expect(await a.store.getSaldo(RESELLER)).toBe(1_000_000);
  });

  it('one process on the embedded store: at most three PINs are compared, and payments end locked', async () => {
    const store = createMemoryStore();
    const config = loadConfig({ LOG_LEVEL: 'silent', FLOOD_MAX_MESSAGES: '10000' }, '/nonexistent/.env');
    const app = await createApp(config, { log: pino({ level: 'silent' }), store, autostartWorker: false });
    try {
      await store.setReseller(RESELLER, true, 'Toko Test', Date.now());
      await credit(store, RESELLER, 1_000_000, { note: 'test' });
      const say = async (text: string, messageId?: string) =>
        (await app.bot.handle({ user: RESELLER, text, ...(messageId ? { messageId } : {}) })).map((r) => r.text).join('\n');
      expect(await say('PIN 4829')).toContain('PIN dibuat');
      expect(await say('PLN 123456789')).toContain('YA');
      vi.mocked(pins.checkPin).mockClear();

      const replies = await Promise.all(Array.from({ length: WRONG }, (_, i) => say('YA 1111', `wrong-${i}`)));

      expect(checks()).toBe(3);
      const n = tally(replies);
      expect(n.wrong).toBe(2);
      expect(n.other).toBe(0);
      expect((await store.getPin(RESELLER)).lockedUntil).toBeGreaterThan(Date.now());
      expect(await store.getSaldo(RESELLER)).toBe(1_000_000);
    } finally {
      await app.stop();
      await store.close();
    }
  });
});
