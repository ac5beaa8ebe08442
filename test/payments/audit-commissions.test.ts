/**
 * The audit of the commission books (DESIGN.md invariants 1 and 5, issue 18): clean after a network's real
 * business through the chat, and reporting each way the books can break, planted on both stores.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UserId } from '../../src/bot/channel.ts';
import type { LedgerEntry, Quote, Store, TxStatus } from '../../src/bot/store.ts';
import { audit } from '../../src/payments/audit.ts';
import { creditCommissions } from '../../src/payments/commissions.ts';
import { opIds } from '../../src/payments/ledger.ts';
import { keys } from '../../src/store/keys.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { listOf, memoryState } from '../../src/store/memory/state.ts';
import { createRedisStore } from '../../src/store/redis-store.ts';
import { ADMIN, RESELLER, type StoreKind, STORES, startTestBot, type TestBot } from '../helpers/app.ts';
import { credit } from '../helpers/credit.ts';
import { assertRedis, dropPrefix, redisUrl, uniquePrefix } from '../helpers/redis.ts';

const run = promisify(execFile);

/** A reseller of the operator's (A), its downline B, and B's downline C, who pays. */
const A = RESELLER;
const B: UserId = 'console:budi';
const C: UserId = 'console:citra';

async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(STORES)('the audit of the commission books after real business (%s store)', (kind) => {
  let bot: TestBot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  it('is clean after a network sells, is refused, waits, is settled by hand and trades commission for saldo', async () => {
    const b = await startTestBot({ store: kind });
    bot = b;
    for (const [user, text] of [
      [A, `DAFTAR ${B} Toko Budi`], [A, 'MARKUP * 500'], [B, `DAFTAR ${C} Toko Citra`], [B, 'MARKUP * 300'],
    ] as const) expect(await b.say(user, text)).not.toMatch(/Tulis|hanya/);
    await credit(b.store, C, 2_000_000);
    for (const no of ['123456789', '500000000003', '500000000002', '500000000001']) {
      await b.say(C, `PLN ${no}`);
      await b.say(C, 'YA');
    }
    const byStatus = async (s: TxStatus) => (await b.store.listTx(C, 10)).filter((tx) => tx.status === s);
    const clean = async (figures: object) => {
      const report = await audit(b.store);
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject(figures);
    };
    // One settled at once (owing A 500 and B 300), one refused, two pending.
    await until('the commissions of the sale', async () => (await byStatus('SETTLED')).every((tx) => tx.commissioned));
    await clean({ byStatus: { SETTLED: 1, FAILED: 1, PENDING: 2 }, commissionsCredited: 800, commissionsEarned: 800, commissionTotal: 800 });

    // The worker's status checks settle one (the biller's second look): it owes its commissions and waits on
    // the schedule for the worker's next pass, work in flight.
    for (let look = 0; look < 5 && (await byStatus('SETTLED')).length < 2; look++) {
      b.advance(5_000);
      await b.app.worker.tick();
    }
    expect((await byStatus('SETTLED')).filter((tx) => !tx.commissioned)).toHaveLength(1);
    await clean({ commissionsCredited: 800, commissionsEarned: 800 });
    await b.app.worker.tick();
    await clean({ commissionsCredited: 1_600, commissionsEarned: 1_600 });

    // Settled by hand: the same, until the worker's next pass.
    const pending = (await byStatus('PENDING'))[0]!;
    await b.say(ADMIN, `SUKSES ${pending.id}`);
    expect((await b.store.getTx(C, pending.id))?.commissioned).toBeUndefined();
    await clean({ commissionsCredited: 1_600, commissionsEarned: 1_600 });
    await b.app.worker.tick();
    expect((await b.store.getTx(C, pending.id))?.commissioned).toBe(true);
    await clean({ commissionsCredited: 2_400, commissionsEarned: 2_400 });

    expect(await b.say(B, 'TUKAR KOMISI 500')).toContain('Rp 500');
    await clean({ byStatus: { SETTLED: 3, FAILED: 1 }, commissionsCredited: 2_400, commissionsEarned: 2_400, commissionTotal: 1_900 });
  });
});

/** Writes straight into a store's books, as a buggy step would. */
interface Tamper {
  /** Sets a commission balance, its book untouched. */
  setCommission(account: UserId, amount: number): Promise<void>;
  /** Appends to a commission book, its balance untouched. */
  pushBook(account: UserId, e: LedgerEntry): Promise<void>;
  /** Appends to a saldo ledger and moves the saldo with it (so the saldo itself stays its ledger's sum). */
  pushLedger(account: UserId, e: Omit<LedgerEntry, 'saldoAfter'>): Promise<void>;
}

interface Fixture {
  store: Store;
  tamper: Tamper;
  close(): Promise<void>;
}

const url = redisUrl();
const prefixes: string[] = [];

async function openStore(kind: StoreKind): Promise<Fixture> {
  if (kind === 'memory') {
    const s = memoryState(Date.now);
    return {
      store: createMemoryStore({ state: s }),
      tamper: {
        async setCommission(account, amount) {
          s.commissions.set(account, amount);
        },
        async pushBook(account, e) {
          listOf(s.commissionLedgers, account).push(e);
        },
        async pushLedger(account, e) {
          s.pushLedger(account, e.amount, e.reason, e.at, e.txId, e.note);
        },
      },
      close: async () => {},
    };
  }
  const prefix = uniquePrefix('audit-commissions');
  prefixes.push(prefix);
  const store = createRedisStore({ url, prefix });
  const k = keys(prefix);
  const { redis } = store;
  return {
    store,
    tamper: {
      async setCommission(account, amount) {
        await redis.set(k.commission(account), amount);
      },
      async pushBook(account, e) {
        await redis.rpush(k.commissionLedger(account), JSON.stringify(e));
      },
      async pushLedger(account, e) {
        const saldoAfter = await redis.incrby(k.saldo(account), e.amount);
        await redis.rpush(k.ledger(account), JSON.stringify({ ...e, saldoAfter }));
      },
    },
    close: () => store.close(),
  };
}

function quoteOf(user: UserId, n: number, network: Quote['network']): Quote {
  const now = Date.now();
  const debit = 100_000;
  const price = debit + (network ?? []).reduce((sum, s) => sum + s.markup, 0);
  return {
    id: `Q${n}`, txId: `TAUDIT${n}`, user, provider: 'mmbc', product: 'PLN', family: 'pln-postpaid',
    bill: { product: 'PLN', productName: 'PLN Pascabayar', customerNo: `53210011223${n}`, customerName: 'SITI AMINAH', details: [], bill: debit - 2_500, admin: 2_500, total: debit + 2_000, debit },
    markup: 0, ...(network?.length ? { network } : {}), price, createdAt: now, expiresAt: now + 600_000,
  };
}

/**
 * One sale by C as the payment code makes it: priced with every upline's markup, scheduled before the reserve,
 * resolved; a SETTLED one's commissions credited by the worker's step (unless `owing`), then off the schedule.
 */
async function sale(store: Store, n: number, to: 'SETTLED' | 'FAILED' | 'PENDING', owing = false, network?: Quote['network']): Promise<string> {
  const quote = quoteOf(C, n, network ?? (await store.shares(C, [B, A], 'PLN')));
  const now = Date.now();
  const by = `test:${n}`;
  await store.putQuote(quote);
  await store.schedule(C, quote.txId, now);
  const r = await store.money.reserve({ opId: opIds.reserve(quote.txId), by, now, user: C, quoteId: quote.id, txId: quote.txId, quote });
  if (!r.ok) throw new Error(`reserve refused: ${JSON.stringify(r.refusal)}`);
  if (to === 'PENDING') {
    await store.money.resolve({ opId: opIds.pending(quote.txId), by, now, user: C, txId: quote.txId, to });
    return quote.txId;
  }
  const done = await store.money.resolve({ opId: (to === 'SETTLED' ? opIds.settle : opIds.fail)(quote.txId), by, now, user: C, txId: quote.txId, to, reason: 'gagal' });
  if (!done.ok) throw new Error(`resolve refused: ${JSON.stringify(done.refusal)}`);
  if (to === 'SETTLED' && owing) return quote.txId;
  if (to === 'SETTLED') await creditCommissions(store, done.tx, now);
  await store.unschedule(C, quote.txId);
  return quote.txId;
}

/** The scene: PAID (its commissions credited), OWING (settled, being credited), REFUSED (failed), WAITING (pending). */
interface Scene {
  paid: string;
  owing: string;
  refused: string;
  waiting: string;
}

async function scene(store: Store): Promise<Scene> {
  await store.register(A, null, 'Toko Ani', Date.now());
  await store.register(B, { id: A, chain: [] }, 'Toko Budi', Date.now());
  await store.register(C, { id: B, chain: [A] }, 'Toko Citra', Date.now());
  await store.setNetMarkup(A, '*', 500);
  await store.setNetMarkup(B, '*', 300);
  await credit(store, C, 1_000_000);
  return { paid: await sale(store, 1, 'SETTLED'), owing: await sale(store, 2, 'SETTLED', true), refused: await sale(store, 3, 'FAILED'), waiting: await sale(store, 4, 'PENDING') };
}

/** A commission credited through the ledger's own step, under an id of its own: what a buggy worker would send. */
function creditBy(store: Store, o: { user: UserId; txId: string; amount: number; via: UserId; level: number; opId?: string; by?: string }) {
  const opId = o.opId ?? `${opIds.commission(o.txId, o.level)}:planted`;
  return store.money.creditCommission({ opId, by: 'test:planted', now: Date.now(), from: C, ...o });
}

/** Each way the books can break: what is planted, and what the audit must say. */
const PLANTS: Array<[string, (f: Fixture, s: Scene) => Promise<unknown>, string[]]> = [
  ['a commission balance that is not the sum of its book', (f) => f.tamper.setCommission(B, 301), [`${B}: commission 301 but its book sums to 300`]],
  ['a book entry whose balance after does not follow from the one before', async (f, s) => {
    await f.tamper.pushBook(A, { at: 1, amount: 500, reason: 'komisi', txId: s.owing, note: B, saldoAfter: 999 });
    await f.tamper.setCommission(A, 1_000);
  }, [`${A}: commission entry at 1 says commission 999, the entries sum to 1000`]],
  ['a commission balance below zero', async (f) => {
    await f.tamper.pushBook(B, { at: 1, amount: -1_000, reason: 'tukar-komisi', saldoAfter: -700 });
    await f.tamper.setCommission(B, -700);
  }, [`${B}: commission below zero (-700)`]],
  ['commission moved out of the book with no saldo credited', async (f) => {
    await f.tamper.pushBook(B, { at: 1, amount: -300, reason: 'tukar-komisi', saldoAfter: 0 });
    await f.tamper.setCommission(B, 0);
  }, [`${B}: tukar-komisi: the commission book moved [300], the saldo ledger received []`]],
  ['a saldo credited as tukar-komisi with nothing moved out of the book', (f) => f.tamper.pushLedger(B, { at: 1, amount: 300, reason: 'tukar-komisi' }),
    [`${B}: tukar-komisi: the commission book moved [], the saldo ledger received [300]`]],
  ['a commission written into a saldo instead of the commission book', (f) => f.store.money.adjust({ opId: 'planted', by: 'test', now: 1, user: B, amount: 300, reason: 'komisi' }),
    [`${B}: ledger entry at 1 is a komisi`]],
  ['an entry of another kind in the commission book', async (f) => {
    await f.tamper.pushBook(B, { at: 1, amount: 100, reason: 'deposit', saldoAfter: 400 });
    await f.tamper.setCommission(B, 400);
  }, [`${B}: commission book holds a deposit entry of 100 at 1`]],
  ['a commission on a FAILED transaction', (f, s) => creditBy(f.store, { user: B, txId: s.refused, amount: 300, via: C, level: 1, opId: opIds.commission(s.refused, 1) }),
    [`on ${s0('refused')} names a FAILED transaction, which earns no commission`]],
  ['a commission on a PENDING transaction', (f, s) => creditBy(f.store, { user: B, txId: s.waiting, amount: 300, via: C, level: 1 }),
    [`on ${s0('waiting')} names a PENDING transaction`]],
  ['a commission on a transaction that does not exist', (f) => creditBy(f.store, { user: B, txId: 'TNOPE', amount: 300, via: C, level: 1 }),
    [`${B}: komisi 300 at`, 'on TNOPE names a transaction that does not exist']],
  ['a commission credited twice', (f, s) => creditBy(f.store, { user: B, txId: s.paid, amount: 300, via: C, level: 1 }),
    [`${C}: ${s0('paid')} has 2 komisi entries at level 1 (${B}): credited more than once`, 'Σ commissions credited 1100 (0 of it on transactions still being credited) ≠ Σ upline markups of SETTLED transactions 800']],
  ['a commission other than the markup on the quote', (f, s) => creditBy(f.store, { user: B, txId: s.owing, amount: 299, via: C, level: 1 }),
    [`on ${s0('owing')} at level 1, but the quote's markup there is 300`]],
  ['a commission to an account the sale has no markup of', async (f, s) => {
    await f.store.register('console:dodi', null, 'Toko Dodi', Date.now());
    await creditBy(f.store, { user: 'console:dodi', txId: s.paid, amount: 300, via: C, level: 1 });
  },
    [`console:dodi: komisi 300 at`, `names a transaction whose price has no markup of console:dodi's`]],
  ['a commission naming the wrong downline', (f, s) => creditBy(f.store, { user: A, txId: s.owing, amount: 500, via: C, level: 2 }),
    [`on ${s0('owing')} at level 2 says it came through ${C}, not ${B}`]],
  ['a settled sale owing commission taken off the schedule', (f, s) => f.store.unschedule(C, s.owing),
    [`${C}: ${s0('owing')} is SETTLED and owes commissions, but is not scheduled: lost commission`]],
  ['a sale marked commissioned with its commissions never credited', (f, s) => f.store.patchTx(C, s.owing, { commissioned: true }),
    [`${s0('owing')} is marked commissioned but level 1 (${B}, 300) was never credited`, `level 2 (${A}, 500) was never credited`, '≠ Σ upline markups of SETTLED transactions 1600']],
  // The books of accounts that are no user of their own are read too: a linked identity's account, an upline
  // named only by a sale's price.
  ['a commission book gone wrong on the account a linked identity acts for', async (f) => {
    // As TAUTKAN does it: the identity has written to the bot, then is linked.
    await f.store.touchUser('console:fani', Date.now());
    expect(await f.store.link('console:fani', 'acct:fani', Date.now())).toBe('linked');
    await f.tamper.setCommission('acct:fani', 5);
  }, ['acct:fani: commission 5 but its book sums to 0']],
  ['a commission book gone wrong on an upline known only from a sale', async (f) => {
    await sale(f.store, 5, 'FAILED', false, [{ account: 'console:eko', markup: 200 }]);
    await f.tamper.setCommission('console:eko', 5);
  }, ['console:eko: commission 5 but its book sums to 0']],
  ['a FAILED sale marked commissioned', (f, s) => f.store.patchTx(C, s.refused, { commissioned: true }), [`${s0('refused')} is FAILED but marked commissioned`]],
];

/** The scene's transaction ids are fixed (TAUDIT<n>), so an expected line can name them before the scene is made. */
function s0(which: keyof Scene): string {
  return `TAUDIT${{ paid: 1, owing: 2, refused: 3, waiting: 4 }[which]}`;
}

describe.each(STORES)('the audit finds each way the commission books can break (%s store)', (kind) => {
  let f: Fixture;
  let s: Scene;
  beforeAll(async () => {
    if (kind === 'redis') await assertRedis(url);
  });
  beforeEach(async () => {
    f = await openStore(kind);
    s = await scene(f.store);
  });
  afterEach(async () => {
    await f.close();
  });
  afterAll(async () => {
    for (const p of prefixes.splice(0)) await dropPrefix(url, p);
  });

  it('the scene itself is clean: one sale credited, one being credited, one refused, one pending', async () => {
    const report = await audit(f.store);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ commissionsCredited: 800, commissionsEarned: 800, commissionTotal: 800, transactions: 4 });
  });

  it('a sale part way through its credits (the worker died between two levels) is work in flight while on the schedule', async () => {
    const owing = (await f.store.getTx(C, s.owing))!;
    const r = await creditBy(f.store, { user: B, txId: s.owing, amount: 300, via: C, level: 1, opId: opIds.commission(s.owing, 1), by: 'worker:commission' });
    expect(r.ok).toBe(true);
    let report = await audit(f.store);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ commissionsCredited: 1_100, commissionsEarned: 800 });
    // The worker's next pass finishes it: the credit already made is answered as a repeat, the other made once.
    await creditCommissions(f.store, owing, Date.now());
    await f.store.unschedule(C, s.owing);
    report = await audit(f.store);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ commissionsCredited: 1_600, commissionsEarned: 1_600, commissionTotal: 1_600 });
  });

  it.each(PLANTS)('reports %s', async (_name, plant, lines) => {
    await plant(f, s);
    const problems = (await audit(f.store)).problems.join('\n');
    for (const line of lines) expect(problems).toContain(line);
  });
});

describe('npm run audit (redis store)', () => {
  it('prints the commission figures, and exits 1 on a commission credited twice', async () => {
    await assertRedis(url);
    const f = await openStore('redis');
    try {
      const s = await scene(f.store);
      const cli = () => run('npx', ['tsx', 'src/audit.ts'], { env: { ...process.env, REDIS_URL: url, REDIS_PREFIX: prefixes.at(-1)! } })
        .then((r) => ({ code: 0, stdout: r.stdout }), (err: { code: number; stdout: string }) => err);
      await creditBy(f.store, { user: B, txId: s.paid, amount: 300, via: C, level: 1 });
      const out = await cli();
      expect(out.code).toBe(1);
      expect(out.stdout).toContain('commission total: 1100\ncommissions credited: 1100 (upline markups of settled transactions: 800)');
      expect(out.stdout).toContain('credited more than once');
    } finally {
      await f.close();
      for (const p of prefixes.splice(0)) await dropPrefix(url, p);
    }
  }, 30_000);
});
