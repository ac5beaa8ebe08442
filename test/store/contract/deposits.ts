/**
 * The Deposits port (src/bot/store/deposits.ts): bank mutations kept once (the first push's record wins), tied
 * to one ticket once, moved only from the statuses named, listed by arrival; QRIS deposits kept, moved the same
 * way, listed by creation. Every "once" is tried with concurrent callers, as two bot processes would race.
 */
import { describe, expect, it } from 'vitest';
import type { BankMutation, QrisDeposit, Store, Ticket } from '../../../src/bot/store.ts';
import { newId, newUser } from './fixtures.ts';

const DAY = 24 * 3600_000;

type Pushed = Omit<BankMutation, 'status' | 'receivedAt'>;

function pushed(over: Partial<Pushed> = {}): Pushed {
  return { id: newId('M'), amount: 150_123, type: 'CR', date: '2026-12-06 10:15:00', description: 'TRSF E-BANKING CR 0612/FTSCY/WS95031', ...over };
}

function qris(user: string, over: Partial<QrisDeposit> = {}): QrisDeposit {
  const now = Date.now();
  return {
    id: newId('Q'), user, amount: 100_000, pay: 101_450, fee: 1_450, feePaidBy: 'reseller', reference: newId('DEV-T'), status: 'open',
    createdAt: now, expiresAt: now + 30 * 60_000, ...over,
  };
}

export function depositsContract(store: () => Store): void {
  const ticket = async (nominal: number, now = Date.now(), ttl = DAY): Promise<Ticket> => {
    const r = await store().openTicket(newUser(), newId('D'), nominal, now, ttl, 3);
    if (!r.ok) throw new Error(`no ticket: ${JSON.stringify(r)}`);
    return r.ticket;
  };

  describe('bank mutations', () => {
    it('keeps a credit as received and a debit as debit, with the time it came, and reads them back', async () => {
      const now = Date.now();
      const cr = pushed({ description: 'TRSF "É" \\ {x} 0612 ·' });
      const db = pushed({ type: 'DB', amount: 20_000, description: '' });
      expect(await store().keepMutation(cr, now)).toEqual({ ...cr, receivedAt: now, status: 'received' });
      expect(await store().keepMutation(db, now + 1)).toEqual({ ...db, receivedAt: now + 1, status: 'debit' });
      expect(await store().getMutation(cr.id)).toEqual({ ...cr, receivedAt: now, status: 'received' });
      expect(await store().getMutation(db.id)).toEqual({ ...db, receivedAt: now + 1, status: 'debit' });
      expect(await store().getMutation(newId('M'))).toBeNull();
    });

    it('keeps a mutation once: a later push of the same id, however different, answers the first record as it is now', async () => {
      const now = Date.now();
      const m = pushed();
      await store().keepMutation(m, now);
      expect(await store().moveMutation(m.id, ['received'], 'unmatched', now + 5, 'moota')).toBe(true);
      const again = await store().keepMutation({ ...m, amount: 999_999, type: 'DB', description: 'forged' }, now + 10);
      expect(again).toEqual({ ...m, receivedAt: now, status: 'unmatched', updatedAt: now + 5, by: 'moota' });
      expect(await store().getMutation(m.id)).toEqual(again);
      expect(await store().mutations(now - 1, now + 100)).toEqual([again]);
    });

    it('five concurrent keeps of one push keep one record, and every caller hears the same one', async () => {
      const now = Date.now();
      const m = pushed();
      const all = await Promise.all(Array.from({ length: 5 }, (_, i) => store().keepMutation(m, now + i)));
      const first = all.find((r) => r.receivedAt === Math.min(...all.map((x) => x.receivedAt)))!;
      for (const r of all) expect(r).toEqual(first);
      expect(await store().mutations(now - 1, now + 100)).toEqual([first]);
    });

    it('ties a mutation to one ticket once: the first tie wins, also when many race, and an unknown mutation is tied to nothing', async () => {
      const now = Date.now();
      const m = pushed();
      await store().keepMutation(m, now);
      const tickets = Array.from({ length: 6 }, () => newId('D'));
      const answers = await Promise.all(tickets.map((t) => store().claimMutation(m.id, t)));
      const winner = answers[0]!;
      expect(tickets).toContain(winner);
      expect(new Set(answers)).toEqual(new Set([winner]));
      expect(await store().claimMutation(m.id, newId('D'))).toBe(winner);
      expect((await store().getMutation(m.id))?.ticketId).toBe(winner);
      // Tied, not moved: its status is still the caller's to change.
      expect((await store().getMutation(m.id))?.status).toBe('received');

      const unknown = newId('M');
      expect(await store().claimMutation(unknown, newId('D'))).toBeNull();
      expect(await store().getMutation(unknown)).toBeNull();
      // A tie that found nothing leaves nothing a later push could be mistaken for.
      const later = await store().keepMutation({ ...pushed(), id: unknown }, now + 1);
      expect(later.status).toBe('received');
      expect(later.ticketId).toBeUndefined();
      expect((await store().mutations(now - 1, now + 10)).map((x) => x.id)).toEqual([m.id, unknown]);
    });

    it('moves a mutation only from the statuses given, once among racing callers, recording when and by whom', async () => {
      const now = Date.now();
      const m = pushed();
      await store().keepMutation(m, now);
      expect(await store().moveMutation(m.id, ['unmatched', 'expired-ticket'], 'credited', now + 1, 'x')).toBe(false);
      expect((await store().getMutation(m.id))?.status).toBe('received');
      const racing = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store().moveMutation(m.id, ['received'], i % 2 ? 'credited' : 'unmatched', now + 2, `p${i}`)),
      );
      expect(racing.filter(Boolean)).toHaveLength(1);
      const i = racing.indexOf(true);
      expect(await store().getMutation(m.id)).toMatchObject({ status: i % 2 ? 'credited' : 'unmatched', updatedAt: now + 2, by: `p${i}` });
      expect(await store().moveMutation(m.id, ['received'], 'credited', now + 3, 'late')).toBe(false);
      expect(await store().moveMutation(newId('M'), ['received'], 'credited', now + 3, 'x')).toBe(false);
      // A debit is kept as debit: no move meant for credits takes it anywhere.
      const db = pushed({ type: 'DB' });
      await store().keepMutation(db, now);
      expect(await store().moveMutation(db.id, ['received', 'unmatched', 'expired-ticket'], 'credited', now + 4, 'admin')).toBe(false);
      expect((await store().getMutation(db.id))?.status).toBe('debit');
    });

    it('lists by arrival in [from, to), oldest first, optionally of some statuses only', async () => {
      const base = Date.now();
      const ms = [pushed(), pushed(), pushed({ type: 'DB' }), pushed(), pushed()];
      // Kept out of order: the listing goes by receivedAt, not by when the keep ran.
      for (const [i, at] of [3, 0, 2, 1, 4].entries()) await store().keepMutation(ms[i]!, base + at * 1000);
      await store().moveMutation(ms[1]!.id, ['received'], 'unmatched', base + 5000, 'moota');
      await store().moveMutation(ms[3]!.id, ['received'], 'credited', base + 5000, 'moota');
      const ids = (list: BankMutation[]) => list.map((m) => m.id);
      expect(ids(await store().mutations(base, base + 5000))).toEqual([ms[1]!.id, ms[3]!.id, ms[2]!.id, ms[0]!.id, ms[4]!.id]);
      expect(ids(await store().mutations(base + 1000, base + 4000))).toEqual([ms[3]!.id, ms[2]!.id, ms[0]!.id]);
      expect(ids(await store().mutations(base + 1001, base + 3000))).toEqual([ms[2]!.id]);
      expect(ids(await store().mutations(base, base + 5000, ['unmatched', 'received']))).toEqual([ms[1]!.id, ms[0]!.id, ms[4]!.id]);
      expect(ids(await store().mutations(base, base + 5000, ['debit']))).toEqual([ms[2]!.id]);
      expect(await store().mutations(base + 10_000, base + 20_000)).toEqual([]);
      expect((await store().mutations(base, base + 5000))[0]).toMatchObject({ ...ms[1], status: 'unmatched', receivedAt: base });
    });
  });

  describe('the ticket holding an amount', () => {
    it('is the open ticket with exactly that amount, no longer once it is paid, and none for an amount no ticket has', async () => {
      const now = Date.now();
      const t = await ticket(150_000, now);
      const other = await ticket(150_000, now);
      expect(await store().ticketHolding(t.amount)).toBe(t.id);
      expect(await store().ticketHolding(other.amount)).toBe(other.id);
      expect(await store().ticketHolding(t.nominal)).toBeNull();
      const opId = newId('acc');
      expect((await store().money.acceptTicket({ opId, by: opId, now: now + 1, ticketId: t.id, acceptedBy: 'test:admin' })).ok).toBe(true);
      expect(await store().ticketHolding(t.amount)).toBeNull();
      expect(await store().ticketHolding(other.amount)).toBe(other.id);
    });

    it('is still an expired ticket until a new ticket lets its amount go', async () => {
      const now = Date.now();
      const t = await ticket(90_000, now - 2 * DAY, DAY);
      expect(await store().ticketHolding(t.amount)).toBe(t.id);
      // A new ticket sweeps every expired hold, so the amount can be asked of someone else.
      await ticket(90_000, now);
      expect(await store().ticketHolding(t.amount)).toBeNull();
    });
  });

  describe('QRIS deposits', () => {
    it('keeps a deposit and reads it back, with and without its optional fields', async () => {
      const u = newUser();
      const a = qris(u, { checkoutUrl: 'https://tripay.co.id/checkout/DEV-T1' });
      const b = qris(u, { feePaidBy: 'operator', pay: 100_000, fee: 1_450 });
      await store().putQris(a);
      await store().putQris(b);
      expect(await store().getQris(a.id)).toEqual(a);
      expect(await store().getQris(b.id)).toEqual(b);
      expect(await store().getQris(newId('Q'))).toBeNull();
    });

    it('moves only from the statuses given, once among racing callers; paid records when', async () => {
      const d = qris(newUser());
      await store().putQris(d);
      const now = Date.now();
      expect(await store().moveQris(d.id, ['expired', 'failed'], 'paid', now)).toBe(false);
      const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => store().moveQris(d.id, ['open'], i % 2 ? 'expired' : 'failed', now)));
      expect(racing.filter(Boolean)).toHaveLength(1);
      const closed = (await store().getQris(d.id))!;
      expect(closed.status).toBe(racing.indexOf(true) % 2 ? 'expired' : 'failed');
      expect(closed.paidAt).toBeUndefined();
      // A payment that arrives after the close still moves it (the money came), once.
      const late = await Promise.all(Array.from({ length: 5 }, () => store().moveQris(d.id, ['open', 'expired', 'failed'], 'paid', now + 7)));
      expect(late.filter(Boolean)).toHaveLength(1);
      expect(await store().getQris(d.id)).toEqual({ ...d, status: 'paid', paidAt: now + 7 });
      expect(await store().moveQris(d.id, ['open'], 'expired', now + 8)).toBe(false);
      expect(await store().moveQris(newId('Q'), ['open'], 'paid', now)).toBe(false);
    });

    it('lists by creation in [from, to), oldest first', async () => {
      const base = Date.now();
      const u = newUser();
      const ds = [2, 0, 1, 3].map((at) => qris(u, { createdAt: base + at * 1000 }));
      for (const d of ds) await store().putQris(d);
      expect((await store().qrisDeposits(base, base + 3000)).map((d) => d.id)).toEqual([ds[1]!.id, ds[2]!.id, ds[0]!.id]);
      expect((await store().qrisDeposits(base + 1, base + 2001)).map((d) => d.id)).toEqual([ds[2]!.id, ds[0]!.id]);
      expect(await store().qrisDeposits(base + 10_000, base + 20_000)).toEqual([]);
    });
  });
}
