/**
 * The money steps of DEPOSIT, ACC and TRANSFER (src/payments/desk.ts) on both stores: each acts once per
 * operation id, and on Redis through a connection that loses answers, still once, with the first outcome.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/bot/store.ts';
import { audit } from '../../src/payments/audit.ts';
import { createDesk, type Desk, transferIdOf } from '../../src/payments/desk.ts';
import { opIds } from '../../src/payments/ledger.ts';
import { recheckTransfer } from '../../src/payments/transfers.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { type AnswerDropper, answerDropper, assertRedis, dropPrefix, redisUrl, uniquePrefix } from '../helpers/redis.ts';

const ADMIN = 'test:admin';
const GRACE = 60_000;
let seq = 0;
const user = () => `test:desk${++seq}`;
const msg = (who: string) => opIds.message(who, `m${++seq}`);

interface Handle {
  store: Store;
  close(): Promise<void>;
}

const stores: Array<[string, () => Promise<Handle>]> = [
  ['memory', async () => {
    const store = createMemoryStore();
    return { store, close: () => store.close() };
  }],
  ['redis', async () => {
    await assertRedis();
    const prefix = uniquePrefix('desk');
    const store = createRedisStore({ url: redisUrl(), prefix, log: pino({ level: 'silent' }) });
    return { store, close: async () => { await store.close(); await dropPrefix(redisUrl(), prefix); } };
  }],
];

describe.each(stores)('desk on the %s store', (_, open) => {
  let h: Handle;
  let desk: Desk;
  beforeEach(async () => {
    h = await open();
    desk = createDesk({ store: h.store, graceMs: GRACE });
  });
  afterEach(async () => {
    expect((await audit(h.store)).problems).toEqual([]);
    await h.close();
  });

  it('DEPOSIT credits once per operation: sent again, its first outcome and nothing more', async () => {
    const shop = user();
    const opId = msg(ADMIN);
    const req = { opId, admin: ADMIN, to: shop, amount: 50_000, now: Date.now() };
    expect(await desk.deposit(req)).toEqual({ ok: true, repeat: false, saldo: 50_000 });
    expect(await desk.deposit(req)).toEqual({ ok: true, repeat: true, saldo: 50_000 });
    expect(await desk.deposit({ ...req, opId: msg(ADMIN) })).toEqual({ ok: true, repeat: false, saldo: 100_000 });
    expect((await h.store.ledger(shop, 10)).map((e) => e.note)).toEqual([`by ${ADMIN}`, `by ${ADMIN}`]);
  });

  it('ACC credits an open ticket once; a second ACC (another message) hears ticket-used', async () => {
    const shop = user();
    const opened = await h.store.openTicket(shop, `D${++seq}`, 200_000, Date.now(), 86_400_000, 3);
    if (!opened.ok) throw new Error('no ticket');
    const { id, amount } = opened.ticket;
    const first = { opId: msg(ADMIN), admin: ADMIN, ticketId: id, now: Date.now() };
    expect(await desk.acceptTicket(first)).toMatchObject({ ok: true, repeat: false, saldo: amount, ticket: { status: 'paid', paidBy: ADMIN } });
    expect(await desk.acceptTicket(first)).toMatchObject({ ok: true, repeat: true, saldo: amount });
    expect(await desk.acceptTicket({ ...first, opId: msg(ADMIN) })).toMatchObject({ ok: false, refusal: { code: 'ticket-used' } });
    expect(await desk.acceptTicket({ ...first, opId: msg(ADMIN), ticketId: 'DNOPE' })).toEqual({ ok: false, refusal: { code: 'unknown-ticket' } });
    expect(await h.store.getSaldo(shop)).toBe(amount);
  });

  it('TRANSFER moves saldo once per operation, both halves, and leaves nothing scheduled', async () => {
    const [a, b] = [user(), user()];
    await desk.deposit({ opId: msg(ADMIN), admin: ADMIN, to: a, amount: 200_000, now: Date.now() });
    const req = { opId: msg(a), from: a, to: b, amount: 150_000, now: Date.now() };
    const id = transferIdOf(req.opId, req.now);
    expect(await desk.transfer(req)).toEqual({ ok: true, repeat: false, id, saldo: 50_000, received: 150_000 });
    expect(await desk.transfer(req)).toEqual({ ok: true, repeat: true, id, saldo: 50_000, received: 150_000 });
    expect(await h.store.getTransfer(a, id)).toMatchObject({ to: b, amount: 150_000, state: 'done' });
    expect(await h.store.getSaldo(b)).toBe(150_000);
    expect(await h.store.scheduled(10)).toEqual([]);
  });

  it('TRANSFER beyond the saldo is refused with nothing moved and nothing left for the worker', async () => {
    const [a, b] = [user(), user()];
    await desk.deposit({ opId: msg(ADMIN), admin: ADMIN, to: a, amount: 10_000, now: Date.now() });
    expect(await desk.transfer({ opId: msg(a), from: a, to: b, amount: 10_001, now: Date.now() })).toEqual({
      ok: false, refusal: { code: 'insufficient', saldo: 10_000, price: 10_001 },
    });
    expect(await h.store.getSaldo(a)).toBe(10_000);
    expect(await h.store.scheduled(10)).toEqual([]);
  });

  it('a transfer whose sender stopped after the debit is finished by the worker, credited once', async () => {
    const [a, b] = [user(), user()];
    await desk.deposit({ opId: msg(ADMIN), admin: ADMIN, to: a, amount: 100_000, now: Date.now() });
    const now = Date.now();
    const id = transferIdOf(msg(a), now);
    // What TRANSFER had done when its process died: scheduled, debited, not credited.
    await h.store.schedule(a, id, now + GRACE);
    await h.store.money.transferOut({ opId: opIds.transferOut(id), by: 'dead', now, transferId: id, from: a, to: b, amount: 40_000 });
    await recheckTransfer(h.store, a, id, now + GRACE + 1, GRACE);
    await recheckTransfer(h.store, a, id, now + GRACE + 2, GRACE);
    expect(await h.store.getSaldo(b)).toBe(40_000);
    expect((await h.store.getTransfer(a, id))?.state).toBe('done');
    expect(await h.store.scheduled(10)).toEqual([]);
  });
});

describe('desk on Redis through a connection that loses answers', () => {
  let relay: AnswerDropper;
  let store: ReturnType<typeof createRedisStore>;
  let prefix: string;
  beforeEach(async () => {
    await assertRedis();
    relay = await answerDropper();
    prefix = uniquePrefix('desk-lost');
    store = createRedisStore({ url: relay.url, prefix, log: pino({ level: 'silent' }) });
  });
  afterEach(async () => {
    expect((await audit(store)).problems).toEqual([]);
    await store.close();
    await relay.close();
    await dropPrefix(redisUrl(), prefix);
  });

  it('DEPOSIT whose answer is lost is sent again: credited once, and the admin hears the saldo', async () => {
    const desk = createDesk({ store, graceMs: GRACE });
    const shop = user();
    relay.arm(`by ${ADMIN}`);
    expect(await desk.deposit({ opId: msg(ADMIN), admin: ADMIN, to: shop, amount: 50_000, now: Date.now() })).toEqual({ ok: true, repeat: true, saldo: 50_000 });
    expect(relay.cuts).toBe(1);
    expect(await store.getSaldo(shop)).toBe(50_000);
  });

  it('DEPOSIT through an outage shorter than the patience waits for Redis: credited once', async () => {
    const desk = createDesk({ store, graceMs: GRACE });
    const shop = user();
    relay.arm(`by ${ADMIN}`, 1_500);
    expect(await desk.deposit({ opId: msg(ADMIN), admin: ADMIN, to: shop, amount: 50_000, now: Date.now() })).toMatchObject({ ok: true, saldo: 50_000 });
    expect(await store.getSaldo(shop)).toBe(50_000);
  });

  it('DEPOSIT through an outage longer than the patience: StoreOutcomeUnknown, and credited once', async () => {
    const desk = createDesk({ store, graceMs: GRACE, patienceMs: 300 });
    const shop = user();
    relay.arm(`by ${ADMIN}`, 1_500);
    await expect(desk.deposit({ opId: msg(ADMIN), admin: ADMIN, to: shop, amount: 50_000, now: Date.now() })).rejects.toMatchObject({ name: 'StoreOutcomeUnknown' });
    await new Promise((r) => setTimeout(r, 1_700));
    expect(await store.getSaldo(shop)).toBe(50_000);
  });

  it('ACC whose answer is lost is sent again: credited once, and the admin hears it accepted', async () => {
    const desk = createDesk({ store, graceMs: GRACE });
    const shop = user();
    const opened = await store.openTicket(shop, `D${++seq}`, 200_000, Date.now(), 86_400_000, 3);
    if (!opened.ok) throw new Error('no ticket');
    relay.arm(`ticket ${opened.ticket.id} by`);
    expect(await desk.acceptTicket({ opId: msg(ADMIN), admin: ADMIN, ticketId: opened.ticket.id, now: Date.now() })).toMatchObject({
      ok: true, repeat: true, saldo: opened.ticket.amount,
    });
    expect(relay.cuts).toBe(1);
    expect(await store.getSaldo(shop)).toBe(opened.ticket.amount);
  });

  it.each([
    ['the debit ran, its answer lost', 'arm', ':transfer:TRF-'],
    ['the debit never sent', 'armDrop', ':transfer:TRF-'],
    ["the credit's answer lost", 'arm', ':op:credited:TRF-'],
  ] as const)('TRANSFER moves saldo once when the connection drops: %s', async (_, how, marker) => {
    const desk = createDesk({ store, graceMs: GRACE });
    const [a, b] = [user(), user()];
    await desk.deposit({ opId: msg(ADMIN), admin: ADMIN, to: a, amount: 200_000, now: Date.now() });
    relay[how](marker);
    expect(await desk.transfer({ opId: msg(a), from: a, to: b, amount: 150_000, now: Date.now() })).toMatchObject({ ok: true, saldo: 50_000, received: 150_000 });
    expect(relay.cuts).toBe(1);
    expect(await store.getSaldo(a)).toBe(50_000);
    expect(await store.getSaldo(b)).toBe(150_000);
    expect(await store.scheduled(10)).toEqual([]);
  });
});
