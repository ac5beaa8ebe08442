/**
 * One account on every channel (issue 18): a reseller's Telegram identity asks TAUTKAN, its WhatsApp identity
 * sends the code, and from then on both pay against one saldo, under one PIN; AKUN lists both; a later notice
 * about a transaction goes to the identity that paid it, other notices to the one last used; LEPAS makes an
 * identity its own account again. Every bad TAUTKAN / LEPAS is one sentence and changes nothing. On both stores.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply, UserId } from '../../../src/bot/channel.ts';
import { rupiah } from '../../../src/bot/format.ts';
import { translator } from '../../../src/bot/i18n.ts';
import { keys } from '../../../src/store/keys.ts';
import { ADMIN, STORES, startTestBot, type StoreKind, type TestBot } from '../../helpers/app.ts';
import { credit } from '../../helpers/credit.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const t = translator('id');
const T = 'telegram:5550001';
const W = 'whatsapp:6281234500001';
const SALDO = 1_000_000;

/** A test bot that also records what reaches Telegram and WhatsApp users. */
async function start(kind: StoreKind): Promise<TestBot> {
  const b = await startTestBot({ store: kind });
  for (const name of ['telegram', 'whatsapp']) {
    await b.app.attach({
      name,
      async start() {},
      async send(user: UserId, reply: Reply) {
        b.inbox.set(user, [...(b.inbox.get(user) ?? []), reply]);
      },
      async stop() {},
    });
  }
  return b;
}

const inbox = (b: TestBot, user: UserId) => (b.inbox.get(user) ?? []).map((r) => r.text);

/** The six digits of a TAUTKAN reply. */
function codeOf(reply: string): string {
  const m = /\b(\d{6})\b/.exec(reply);
  if (!m) throw new Error(`no code in ${reply}`);
  return m[1]!;
}

/** T a reseller with saldo; W linked to it with TAUTKAN. */
async function linked(b: TestBot): Promise<void> {
  await b.say(ADMIN, `RESELLER TAMBAH ${T} Toko T`);
  await b.say(ADMIN, `DEPOSIT ${T} ${SALDO}`);
  const ask = await b.say(T, 'TAUTKAN');
  const code = codeOf(ask);
  expect(ask).toBe(t('link.code', { code, minutes: 10 }));
  expect(await b.say(W, `TAUTKAN ${code}`)).toBe(t('link.done', { account: T, saldo: rupiah(SALDO) }));
  expect(inbox(b, T).at(-1)).toBe(t('link.toldAccount', { identity: W }));
}

const sisa = (receipt: string) => /Sisa saldo\s+(Rp [\d.]+)/.exec(receipt)?.[1];

/** Waits until the last notice to `user` says `text`, ticking the worker as time passes. */
async function noticeTo(b: TestBot, user: UserId, text: string): Promise<void> {
  for (let i = 0; i < 8 && !(inbox(b, user).at(-1) ?? '').includes(text); i++) {
    b.advance(5_000);
    await b.app.worker.tick();
  }
}

describe.each(STORES)('one account on Telegram and WhatsApp (%s store)', (kind) => {
  it('both identities pay PLN bills against one saldo; SALDO from either is the same', async () => {
    bot = await start(kind);
    await linked(bot);
    expect(await bot.store.accountOf(W)).toBe(T);
    expect(await bot.say(W, 'SALDO')).toBe(await bot.say(T, 'SALDO'));

    await bot.say(W, 'PLN 123456789');
    const p1 = (await bot.store.getQuote(T))!.price;
    const r1 = await bot.say(W, 'YA');
    expect(r1).toContain('STRUK');
    expect(sisa(r1)).toBe(rupiah(SALDO - p1));

    await bot.say(T, 'PLN 532100112233');
    const p2 = (await bot.store.getQuote(T))!.price;
    const r2 = await bot.say(T, 'YA');
    expect(sisa(r2)).toBe(rupiah(SALDO - p1 - p2));

    for (const who of [T, W]) expect(await bot.say(who, 'SALDO')).toContain(rupiah(SALDO - p1 - p2));
    expect(await bot.store.getSaldo(T)).toBe(SALDO - p1 - p2);
    expect(await bot.store.getSaldo(W)).toBe(0);
    expect(await bot.store.ledger(W, 10)).toEqual([]);
    // One history: both payments are the account's; RIWAYAT from either shows both.
    const txs = await bot.store.listTx(T, 10);
    expect(txs.map((x) => x.status)).toEqual(['SETTLED', 'SETTLED']);
    expect(txs.find((x) => x.paidBy === W)).toBeDefined();
    const riwayat = await bot.say(W, 'RIWAYAT');
    for (const x of txs) expect(riwayat).toContain(x.id);
  });

  it('a summary opened from one identity is paid once, whichever identities say YA', async () => {
    bot = await start(kind);
    await linked(bot);
    await bot.say(T, 'PLN 123456789');
    const price = (await bot.store.getQuote(T))!.price;
    const replies = await Promise.all([bot.say(T, 'YA'), bot.say(W, 'YA')]);
    expect(replies.filter((r) => r.includes('STRUK'))).toHaveLength(1);
    expect(await bot.store.getSaldo(T)).toBe(SALDO - price);
    expect(await bot.store.listTx(T, 10)).toHaveLength(1);
  });

  it('the same message id from two identities is two messages: both pay', async () => {
    bot = await start(kind);
    await linked(bot);
    await bot.say(T, 'PLN 123456789', 'm1');
    expect(await bot.say(T, 'YA', 'm2')).toContain('STRUK');
    await bot.say(W, 'PLN 532100112233', 'm1');
    expect(await bot.say(W, 'YA', 'm2')).toContain('STRUK');
    expect(await bot.store.listTx(T, 10)).toHaveLength(2);
  });

  it('the PIN set from one identity is asked from the other; AKUN lists both', async () => {
    bot = await start(kind);
    await linked(bot);
    expect(await bot.say(T, 'PIN 1234')).toBe(t('pin.set'));
    await bot.say(W, 'PLN 123456789');
    expect(await bot.say(W, 'YA')).toBe(t('pin.required'));
    expect(await bot.say(W, 'YA 9999')).toContain('PIN salah');
    expect(await bot.say(W, 'YA 1234')).toContain('STRUK');
    // Changed from the other: the old one no longer works from either.
    expect(await bot.say(W, 'PIN 1234 4321')).toContain('PIN');
    await bot.say(T, 'PLN 532100112233');
    expect(await bot.say(T, 'YA 1234')).toContain('PIN salah');
    expect(await bot.say(T, 'YA 4321')).toContain('STRUK');

    expect(await bot.say(W, 'AKUN')).toBe([t('account.title', { n: 2 }), t('account.line', { identity: T }), t('account.lineHere', { identity: W })].join('\n'));
    expect(await bot.say(T, 'AKUN')).toBe([t('account.title', { n: 2 }), t('account.lineHere', { identity: T }), t('account.line', { identity: W })].join('\n'));
  });

  it("a later outcome goes to the identity that paid it; a deposit notice to the one last used", async () => {
    bot = await start(kind);
    await linked(bot);
    await bot.say(W, 'PLN 500000000001');
    expect(await bot.say(W, 'YA')).toContain('diproses');
    // T writes after W paid: the receipt is still W's.
    await bot.say(T, 'SALDO');
    await noticeTo(bot, W, 'STRUK');
    expect(inbox(bot, W).at(-1)).toContain('STRUK PEMBAYARAN');
    expect(inbox(bot, T).join('\n')).not.toContain('STRUK');
    // A deposit is about no one transaction: it goes where the account last wrote from.
    await bot.say(W, 'SALDO');
    await bot.say(ADMIN, `DEPOSIT ${T} 5000`);
    expect(inbox(bot, W).at(-1)).toContain(t('deposit.credited', { amount: rupiah(5_000), saldo: rupiah(await bot.store.getSaldo(T)) }));
    // DEPOSIT naming the linked identity credits the account.
    expect(await bot.say(ADMIN, `DEPOSIT ${W} 5000`)).toContain(T);
    expect(await bot.store.getSaldo(W)).toBe(0);
    expect(inbox(bot, W).at(-1)).toContain(t('deposit.credited', { amount: rupiah(5_000), saldo: rupiah(await bot.store.getSaldo(T)) }));
  });

  // Fixed bug (src/store/cached-store.ts): the read cache answers touchUser for 5 s without reaching the store, so the
  // namesake writing again within 5 s is not noted as the identity last used, and the notice goes to W.
  it('a notice goes to the namesake when it wrote last, however soon after its previous message', async () => {
    bot = await start(kind);
    await linked(bot);
    for (const who of [T, W, T]) await bot.say(who, 'SALDO');
    await bot.say(ADMIN, `DEPOSIT ${T} 5000`);
    expect(inbox(bot, T).at(-1)).toContain(t('deposit.credited', { amount: rupiah(5_000), saldo: rupiah(SALDO + 5_000) }));
  });

  // Fixed bug (src/payments/payments.ts confirm / src/bot/core.ts onPaymentEvent): a payment by the account's namesake
  // records no paidBy, so its later outcome goes to reachOf(account), the identity last used, here W.
  it("a later outcome of the namesake's payment goes to the namesake, though another identity wrote since", async () => {
    bot = await start(kind);
    await linked(bot);
    await bot.say(T, 'PLN 500000000001');
    expect(await bot.say(T, 'YA')).toContain('diproses');
    await bot.say(W, 'SALDO');
    await noticeTo(bot, T, 'STRUK');
    expect(inbox(bot, T).at(-1)).toContain('STRUK PEMBAYARAN');
    expect(inbox(bot, W).join('\n')).not.toContain('STRUK');
  });

  it('LEPAS of the linked identity: it is its own account again, a customer with saldo 0; the account keeps all', async () => {
    bot = await start(kind);
    await linked(bot);
    await bot.say(W, 'PLN 123456789');
    await bot.say(W, 'YA');
    const left = await bot.store.getSaldo(T);
    expect(await bot.say(T, `LEPAS ${W}`)).toBe(t('unlink.done', { identity: W }));
    expect(await bot.store.accountOf(W)).toBe(W);
    expect(await bot.store.getSaldo(W)).toBe(0);
    expect(await bot.say(W, 'SALDO')).toBe(t('reseller.only'));
    expect(await bot.say(W, 'PLN 123456789')).toContain('daftar jadi reseller');
    expect(await bot.store.getSaldo(T)).toBe(left);
    expect(await bot.say(T, 'AKUN')).toBe([t('account.title', { n: 1 }), t('account.lineHere', { identity: T })].join('\n'));
    // And it may be linked again with a new code.
    const code = codeOf(await bot.say(T, 'TAUTKAN'));
    expect(await bot.say(W, `TAUTKAN ${code}`)).toBe(t('link.done', { account: T, saldo: rupiah(left) }));
  });

  it("LEPAS of the account's namesake, from the other identity: the namesake gets a fresh, empty account; the saldo stays with the other", async () => {
    bot = await start(kind);
    await linked(bot);
    expect(await bot.say(W, `LEPAS ${T}`)).toBe(t('unlink.done', { identity: T }));
    expect(await bot.say(W, 'SALDO')).toContain(rupiah(SALDO));
    expect(await bot.say(T, 'SALDO')).toBe(t('reseller.only'));
    expect(await bot.store.accountOf(T)).toMatch(/^acct:/);
    expect(await bot.store.getSaldo(await bot.store.accountOf(T))).toBe(0);
    expect(await bot.say(W, 'AKUN')).toBe([t('account.title', { n: 1 }), t('account.lineHere', { identity: W })].join('\n'));
    expect(await bot.say(W, `LEPAS ${W}`)).toBe(t('unlink.last'));
  });
});

describe.each(STORES)('TAUTKAN and LEPAS refuse bad input with one sentence, changing nothing (%s store)', (kind) => {
  /** What a refused TAUTKAN or LEPAS must leave as it was. */
  async function scene(b: TestBot, ids: UserId[]) {
    return Promise.all(ids.map(async (id) => ({
      id, account: await b.store.accountOf(id), rec: await b.store.getUser(id), saldo: await b.store.getSaldo(id), ledger: (await b.store.ledger(id, 100)).length,
    })));
  }

  it('a wrong, malformed, expired or used code; the own account; a customer asking for one', async () => {
    bot = await start(kind);
    await bot.say(ADMIN, `RESELLER TAMBAH ${T} Toko T`);
    await bot.say(ADMIN, `DEPOSIT ${T} ${SALDO}`);
    const ids = [T, W];
    for (const id of ids) await bot.say(id, 'BANTUAN');
    const before = await scene(bot, ids);
    const code = codeOf(await bot.say(T, 'TAUTKAN'));
    const wrong = code === '000000' ? '000001' : '000000';
    expect(await bot.say(W, `TAUTKAN ${wrong}`)).toBe(t('link.badCode'));
    for (const bad of ['TAUTKAN 12345', 'TAUTKAN 1234567', 'TAUTKAN abcdef', `TAUTKAN ${code} ${code}`]) expect(await bot.say(W, bad), bad).toBe(t('link.usage'));
    expect(await bot.say(T, `TAUTKAN ${code}`)).toBe(t('link.already'));
    expect(await bot.say(W, 'TAUTKAN')).toBe(t('reseller.only'));
    expect(await scene(bot, ids)).toEqual(before);
    // The wrong tries did not use the code up.
    expect(await bot.store.peekLinkCode(code)).toBe(T);

    // Expired: ten minutes later.
    if (kind === 'memory') bot.advance(10 * 60_000 + 1);
    else await (bot.store as unknown as { redis: { pexpire(k: string, ms: number): Promise<number> } }).redis.pexpire(keys(bot.prefix).linkCode(code), 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await bot.say(W, `TAUTKAN ${code}`)).toBe(t('link.badCode'));
    expect(await scene(bot, ids)).toEqual(before);

    // Used: once by W, then never by anyone else.
    const fresh = codeOf(await bot.say(T, 'TAUTKAN'));
    expect(await bot.say(W, `TAUTKAN ${fresh}`)).toContain('Tertaut');
    const other = 'whatsapp:6281234500002';
    expect(await bot.say(other, `TAUTKAN ${fresh}`)).toBe(t('link.badCode'));
    expect(await bot.store.accountOf(other)).toBe(other);
  });

  it('from an identity with saldo, history or a commission of its own, or linked elsewhere', async () => {
    bot = await start(kind);
    await bot.say(ADMIN, `RESELLER TAMBAH ${T} Toko T`);
    const rich = 'whatsapp:6281234500003';
    const spent = 'whatsapp:6281234500004';
    const earned = 'whatsapp:6281234500005';
    const X = 'telegram:5550009';
    await bot.say(ADMIN, `RESELLER TAMBAH ${rich}`);
    await bot.say(ADMIN, `DEPOSIT ${rich} 10000`);
    await bot.say(ADMIN, `RESELLER TAMBAH ${spent}`);
    await credit(bot.store, spent, 10_000);
    await credit(bot.store, spent, -10_000);
    await bot.store.money.creditCommission({ opId: 'T1:komisi:1', by: 'w', now: Date.now(), user: earned, amount: 100, txId: 'T1', from: X, via: X, level: 1 });
    // W is linked to X's account already.
    await bot.say(ADMIN, `RESELLER TAMBAH ${X}`);
    expect(await bot.say(W, `TAUTKAN ${codeOf(await bot.say(X, 'TAUTKAN'))}`)).toContain('Tertaut');
    const ids = [T, rich, spent, earned, W, X];
    for (const id of ids) await bot.say(id, 'BANTUAN');
    const before = await scene(bot, ids);
    for (const who of [rich, spent, earned]) {
      const code = codeOf(await bot.say(T, 'TAUTKAN'));
      expect(await bot.say(who, `TAUTKAN ${code}`), who).toBe(t('link.holdsOwn'));
    }
    const code = codeOf(await bot.say(T, 'TAUTKAN'));
    expect(await bot.say(W, `TAUTKAN ${code}`)).toBe(t('link.linkedElsewhere'));
    // X has W linked: it must LEPAS it first.
    expect(await bot.say(X, `TAUTKAN ${code}`)).toBe(t('link.hasIdentities'));
    expect(await scene(bot, ids)).toEqual(before);
    expect((await bot.store.getUser(T))?.identities ?? [T]).toEqual([T]);
  });

  it('from a reseller with downlines of its own (their commissions would be lost)', async () => {
    bot = await start(kind);
    await bot.say(ADMIN, `RESELLER TAMBAH ${T} Toko T`);
    const up = 'console:up';
    const down = 'console:down';
    await bot.say(ADMIN, `RESELLER TAMBAH ${up}`);
    expect(await bot.say(up, `DAFTAR ${down}`)).toContain(down);
    for (const id of [T, up, down]) await bot.say(id, 'BANTUAN');
    const before = await scene(bot, [T, up, down]);
    const code = codeOf(await bot.say(T, 'TAUTKAN'));
    expect(await bot.say(up, `TAUTKAN ${code}`)).toBe(t('link.hasDownlines'));
    expect(await scene(bot, [T, up, down])).toEqual(before);
  });

  it('a reseller removed by RESELLER HAPUS may still part its chats', async () => {
    bot = await start(kind);
    await linked(bot);
    await bot.say(ADMIN, `RESELLER HAPUS ${T}`);
    expect(await bot.say(T, `LEPAS ${W}`)).toBe(t('unlink.done', { identity: W }));
    expect(await bot.store.accountOf(W)).toBe(W);
  });

  it('LEPAS: the last identity, a stranger, a malformed user', async () => {
    bot = await start(kind);
    await linked(bot);
    const ids = [T, W];
    for (const id of ids) await bot.say(id, 'BANTUAN');
    const before = await scene(bot, ids);
    const stranger = 'whatsapp:6281234500009';
    expect(await bot.say(T, `LEPAS ${stranger}`)).toBe(t('unlink.notYours', { identity: stranger }));
    for (const bad of ['LEPAS', 'LEPAS budi', `LEPAS ${W} ${T}`]) expect(await bot.say(T, bad), bad).toBe(t('unlink.usage'));
    // Someone else's identity is never theirs to unlink, reseller or not.
    expect(await bot.say('console:nobody', `LEPAS ${W}`)).toBe(t('unlink.notYours', { identity: W }));
    expect(await scene(bot, ids)).toEqual(before);
    expect(await bot.say(T, `LEPAS ${W}`)).toBe(t('unlink.done', { identity: W }));
    const after = await scene(bot, ids);
    expect(await bot.say(T, `LEPAS ${T}`)).toBe(t('unlink.last'));
    expect(await bot.say(T, `LEPAS ${W}`)).toBe(t('unlink.notYours', { identity: W }));
    expect(await scene(bot, ids)).toEqual(after);
  });
});
