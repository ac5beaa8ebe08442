/**
 * The Tickets port (src/bot/store/tickets.ts): deposit tickets, the per-reseller cap, replacement, unique
 * amounts. A ticket is accepted through the ledger (`money.acceptTicket`, its own contract in ledger.ts).
 */
import { describe, expect, it } from 'vitest';
import type { OpenTicketResult, Store, Ticket } from '../../../src/bot/store.ts';
import { newId, newUser } from './fixtures.ts';

const DAY = 24 * 3600_000;
const MAX = 3;

function opened(r: OpenTicketResult): Ticket {
  if (!r.ok) throw new Error(`expected a ticket, got ${JSON.stringify(r)}`);
  return r.ticket;
}

export function ticketsContract(store: () => Store): void {
  const open = (user: string, nominal: number, now = Date.now(), maxOpen = MAX, id = newId('D')) =>
    store().openTicket(user, id, nominal, now, DAY, maxOpen);
  const status = async (id: string) => (await store().getTicket(id))?.status;
  /** An admin's ACC: the ledger's acceptTicket under a fresh operation. */
  const accept = (ticketId: string, now: number) => {
    const opId = newId('acc');
    return store().money.acceptTicket({ opId, by: opId, now, ticketId, acceptedBy: 'test:admin' });
  };

  describe('deposit tickets', () => {
    it('asks for the nominal rounded up to a thousand plus 1–999, keeps the nominal, and getTicket reads it back', async () => {
      const u = newUser();
      const now = Date.now();
      const t = opened(await open(u, 99_999, now));
      expect(t).toMatchObject({ user: u, nominal: 99_999, status: 'open', createdAt: now, expiresAt: now + DAY });
      expect(t.amount).toBeGreaterThan(100_000);
      expect(t.amount).toBeLessThan(101_000);
      expect(await store().getTicket(t.id)).toEqual(t);
    });

    it('amounts are unique among open tickets, also when many resellers open at once', async () => {
      const users = Array.from({ length: 60 }, () => newUser());
      const rs = await Promise.all(users.map((u) => open(u, 250_000)));
      const amounts = rs.map((r) => opened(r).amount);
      expect(new Set(amounts).size).toBe(60);
      for (const a of amounts) expect(a > 250_000 && a < 251_000, String(a)).toBe(true);
    });

    it('at the cap, a new ticket replaces the oldest open one of the same nominal, which ACC then refuses', async () => {
      const u = newUser();
      const now = Date.now();
      const t1 = opened(await open(u, 100_000, now));
      const t2 = opened(await open(u, 200_000, now + 1));
      const t3 = opened(await open(u, 100_000, now + 2));
      const r = await open(u, 100_000, now + 3);
      const t4 = opened(r);
      expect(r.ok && r.replaced).toMatchObject({ id: t1.id, amount: t1.amount, status: 'replaced', replacedBy: t4.id });
      expect(await store().getTicket(t1.id)).toMatchObject({ status: 'replaced', replacedBy: t4.id });
      expect([await status(t2.id), await status(t3.id), await status(t4.id)]).toEqual(['open', 'open', 'open']);
      const acc = await accept(t1.id, now + 4);
      expect(acc).toMatchObject({ ok: false, refusal: { code: 'ticket-replaced', ticket: { id: t1.id, replacedBy: t4.id } } });
      expect(await store().getSaldo(u)).toBe(0);
      expect(await store().ledger(u, 10)).toEqual([]);
      expect(await accept(t4.id, now + 5)).toMatchObject({ ok: true, saldo: t4.amount });
    });

    it('at the cap with no open ticket of that nominal, refuses and names the open ones, oldest first', async () => {
      const u = newUser();
      const now = Date.now();
      const ids = [];
      for (const [i, n] of [100_000, 200_000, 300_000].entries()) ids.push(opened(await open(u, n, now + i)).id);
      const id = newId('D');
      const r = await open(u, 400_000, now + 5, MAX, id);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toBe('full');
      expect(!r.ok && r.reason === 'full' && r.open.map((t) => t.id)).toEqual(ids);
      expect(await store().getTicket(id)).toBeNull();
      expect(await accept(id, now + 6)).toEqual({ ok: false, refusal: { code: 'unknown-ticket' } });
      // The cap is per reseller: another one opens freely.
      expect((await open(newUser(), 400_000, now + 7)).ok).toBe(true);
    });

    it('a paid or expired ticket no longer counts toward the cap', async () => {
      const u = newUser();
      const now = Date.now();
      const paid = opened(await open(u, 100_000, now));
      opened(await open(u, 200_000, now + 1));
      opened(await open(u, 300_000, now + 2));
      expect((await accept(paid.id, now + 3)).ok).toBe(true);
      const r = await open(u, 400_000, now + 4);
      expect(r.ok && r.replaced).toBeUndefined();
      expect(r.ok).toBe(true);
      // A day later every one of them has expired: three new ones of new nominals open without a refusal.
      const later = now + DAY + 10;
      for (const n of [500_000, 600_000, 700_000]) expect((await open(u, n, later)).ok).toBe(true);
      expect((await open(u, 800_000, later + 1)).ok).toBe(false);
    });

    it('one reseller opening many tickets of one nominal holds at most the cap of them: nothing runs out', async () => {
      const u = newUser();
      const now = Date.now();
      const made: Ticket[] = [];
      for (let i = 0; i < 40; i++) made.push(opened(await open(u, 100_000, now + i)));
      const states = await Promise.all(made.map((t) => status(t.id)));
      expect(states.filter((st) => st === 'open')).toHaveLength(MAX);
      expect(states.filter((st) => st === 'replaced')).toHaveLength(40 - MAX);
      expect(states.slice(-MAX)).toEqual(['open', 'open', 'open']);
    });

    it('concurrent tickets of one reseller never pass the cap', async () => {
      const u = newUser();
      const now = Date.now();
      // Same nominal: every one opens, each replacing an older one; three stay open, with distinct amounts.
      const same = await Promise.all(Array.from({ length: 20 }, () => open(u, 100_000, now)));
      const tickets = same.map(opened);
      const live = (await Promise.all(tickets.map((t) => store().getTicket(t.id)))).filter((t) => t?.status === 'open');
      expect(live).toHaveLength(MAX);
      expect(new Set(live.map((t) => t!.amount)).size).toBe(MAX);
      // Other nominals: all refused, the cap is full of 100.000 tickets.
      const other = await Promise.all(Array.from({ length: 10 }, (_, i) => open(u, 200_000 + i * 1000, now)));
      expect(other.filter((r) => r.ok)).toHaveLength(0);
      const v = newUser();
      const mixed = await Promise.all(Array.from({ length: 12 }, (_, i) => open(v, 300_000 + i * 1000, now)));
      expect(mixed.filter((r) => r.ok)).toHaveLength(MAX);
      expect(mixed.filter((r) => !r.ok && r.reason === 'full')).toHaveLength(12 - MAX);
    });

    it('when all 999 amounts of a nominal are held, the next ticket asks for the next thousand up, never less', async () => {
      const now = Date.now();
      const rs: OpenTicketResult[] = [];
      const users = Array.from({ length: 333 }, () => newUser());
      for (let i = 0; i < users.length; i += 37) {
        const batch = users.slice(i, i + 37).flatMap((u) => [open(u, 100_000, now), open(u, 100_000, now), open(u, 100_000, now)]);
        rs.push(...(await Promise.all(batch)));
      }
      const amounts = rs.map((r) => opened(r).amount).sort((a, b) => a - b);
      expect(amounts).toEqual(Array.from({ length: 999 }, (_, i) => 100_001 + i));
      const next = opened(await open(newUser(), 100_000, now));
      expect(next.amount).toBeGreaterThan(101_000);
      expect(next.amount).toBeLessThan(102_000);
      // One of them is paid: its amount can be held again.
      const paid = opened(rs[0]!);
      expect((await accept(paid.id, now + 1)).ok).toBe(true);
      expect(opened(await open(newUser(), 100_000, now + 2)).amount).toBe(paid.amount);
    });

    it('a replaced ticket frees its amount for others', async () => {
      const now = Date.now();
      const users = Array.from({ length: 333 }, () => newUser());
      const first: Ticket[] = [];
      for (let i = 0; i < users.length; i += 37) {
        const batch = users.slice(i, i + 37).flatMap((u) => [open(u, 100_000, now), open(u, 200_000, now), open(u, 100_000, now)]);
        first.push(...(await Promise.all(batch)).map(opened));
      }
      // 100.000 has 666 held; one reseller replaces its oldest 100.000 ticket again and again: still 666 held,
      // so 333 more resellers find an amount on 100.xyz.
      for (let i = 0; i < 20; i++) opened(await open(users[0]!, 100_000, now + 1 + i));
      const more = await Promise.all(Array.from({ length: 333 }, () => open(newUser(), 100_000, now + 30)));
      for (const r of more) expect(opened(r).amount).toBeLessThan(101_000);
      expect(first).toHaveLength(999);
    });
  });
}
