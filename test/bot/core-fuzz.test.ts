import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Catalogue } from '../../src/bot/catalogue.ts';
import type { Reply, UserId } from '../../src/bot/channel.ts';
import { createBot, MAX_TEXT } from '../../src/bot/core.ts';
import { FORMS } from '../../src/bot/forms.ts';
import { translator } from '../../src/bot/i18n.ts';
import type { CatalogueEntry, Family } from '../../src/bot/provider.ts';
import type { Payments } from '../../src/payments/payments.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';

function entry(code: string, family: Family): CatalogueEntry {
  return { provider: 'mmbc', code, name: code, group: family, family, admin: 0, debit: { kind: 'unknown' }, available: true };
}

const CODES: Array<[string, Family]> = [
  ['PLN', 'pln-postpaid'],
  ['PLNS100', 'pln-prepaid'],
  ['BPJSKS', 'bpjs'],
  ['PDAM KOT MEDAN', 'pdam'],
  ['PBBKOT.CIMAHI', 'pbb'],
  ['GOPAY', 'ewallet'],
];
const catalogue = new Catalogue(CODES.map(([c, f]) => entry(c, f)));
const t = translator('id');

interface InquireCall {
  user: UserId;
  entry: CatalogueEntry;
  customerNo: string;
  amount?: number;
}

function setup() {
  const store = createMemoryStore();
  const inquired: InquireCall[] = [];
  const confirmed: Array<{ user: UserId; messageId?: string }> = [];
  const sent: Array<{ user: UserId; reply: Reply }> = [];
  // Only what a non-admin conversation may use; any other method the core calls shows up as error.internal below.
  const fake: Pick<Payments, 'inquire' | 'confirm' | 'recheck' | 'graceMs'> = {
    async inquire(user, e, customerNo, amount) {
      const call: InquireCall = { user, entry: e, customerNo };
      if (amount !== undefined) call.amount = amount;
      inquired.push(call);
      return { ok: false, reason: 'refused', message: 'x' };
    },
    async confirm(user, messageId) {
      const call: { user: UserId; messageId?: string } = { user };
      if (messageId !== undefined) call.messageId = messageId;
      confirmed.push(call);
      return { kind: 'no-quote' };
    },
    async recheck() {},
    graceMs: 0,
  };
  const payments = fake as Payments;
  const bot = createBot({
    store,
    payments,
    catalogue: () => catalogue,
    notifier: {
      async send(user, reply) {
        sent.push({ user, reply });
      },
    },
    log: pino({ level: 'silent' }),
    locale: 'id',
    admins: new Set(),
    quoteTtlSeconds: 300,
  });
  return { bot, store, inquired, confirmed, sent };
}

function wellFormed(replies: Reply[]): void {
  expect(Array.isArray(replies)).toBe(true);
  for (const r of replies) {
    expect(typeof r.text).toBe('string');
    expect(r.text.trim().length).toBeGreaterThan(0);
    expect(r.text).not.toBe(t('error.internal'));
    for (const c of r.choices ?? []) {
      expect(c.label.length).toBeGreaterThan(0);
      expect(c.text.length).toBeGreaterThan(0);
    }
  }
}

/** Every inquiry that reached payments had a number of the right form for its product. */
function onlyGoodNumbers(calls: InquireCall[]): void {
  for (const c of calls) expect(FORMS[c.entry.family].pattern.test(c.customerNo), `${c.entry.code} ${c.customerNo}`).toBe(true);
}

const sep = fc.constantFrom(' ', '.', '#', '  ', '\t', '\n', '..', ' # ', '.#');
const token = fc.oneof(
  fc.constantFrom(
    'PLN', 'pln', 'PLNS100', 'BPJSKS', 'PDAM', 'KOT', 'MEDAN', 'PBBKOT', 'CIMAHI', 'GOPAY', 'YA', 'Y', 'OK', 'BAYAR', 'BATAL',
    'N', 'SALDO', 'HARGA', 'STATUS', 'RIWAYAT', 'BANTUAN', 'MENU', 'CEK', '/start', '/saldo@Bot', '2', '9', '0', '@', '/',
  ),
  fc.stringMatching(/^\d{1,22}$/),
  fc.stringMatching(/^(08|628)\d{7,12}$/),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);
const commandish = fc.tuple(fc.array(token, { maxLength: 8 }), sep).map(([ws, s]) => ws.join(s));
const number = fc.oneof(
  fc.stringMatching(/^\d{1,22}$/),
  fc.stringMatching(/^\d{9,12}$/),
  fc.stringMatching(/^88\d{9,14}$/),
  fc.stringMatching(/^(08|628)\d{7,12}$/),
  fc.string({ maxLength: 8 }),
);
const txShaped = fc
  .tuple(
    fc.constantFrom('', 'CEK ', '2.', '/'),
    fc.constantFrom(...CODES.map(([c]) => c), 'pdam.kot.medan', 'pbbkot cimahi'),
    sep,
    number,
    fc.constantFrom('', ' 100000', '.50000.1234', '.1234', ' 12', ' 1234 5678'),
  )
  .map(([p, c, s, num, tail]) => `${p}${c}${s}${num}${tail}`);
const anyText = fc.oneof(
  { weight: 4, arbitrary: txShaped },
  { weight: 4, arbitrary: commandish },
  { weight: 2, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(' ', '.', '#', '/', '@', '1', '\u00a0', '\u200b'), maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 990, maxLength: 1100, unit: fc.constantFrom('P', 'L', 'N', ' ', '1', '.') }) },
);

describe('core under arbitrary input', () => {
  it('never throws, always answers with well-formed replies, and only asks payments about good numbers', async () => {
    const { bot, store, inquired } = setup();
    await store.setReseller('telegram:2', true, 'R', Date.now());
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        anyText,
        fc.constantFrom('telegram:1', 'telegram:2', 'whatsapp:6281234567890', 'console:local'),
        fc.constantFrom<'text' | 'media' | 'group' | undefined>('text', 'text', 'text', undefined, 'media', 'group'),
        fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
        async (text, user, kind, ref) => {
          const msg = { user, text, messageId: `m${n++}`, ...(kind ? { kind } : {}), ...(ref !== undefined ? { ref } : {}) };
          const replies = await bot.handle(msg);
          wellFormed(replies);
          if (kind === 'group') expect(replies).toEqual([]);
          else if (kind === 'media') expect(replies).toHaveLength(1);
          else if (text.length > MAX_TEXT) expect(replies).toHaveLength(1);
          else expect(replies.length).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 400 },
    );
    // The generator does reach the provider path, so the invariant below is not vacuous.
    expect(inquired.length).toBeGreaterThan(0);
    onlyGoodNumbers(inquired);
  });

  it('a bad customer number never reaches payments.inquire', async () => {
    const { bot, inquired } = setup();
    // One word with no separator in it and at least one character that is not an ASCII digit.
    const junk = fc
      .string({ minLength: 1, maxLength: 15, unit: fc.oneof(fc.constantFrom('a', 'Z', '-', '+', '٣', '１', 'é', '😀', '0', '1', '9'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })) })
      .filter((s) => !/[\s.#]/.test(s) && /\D/.test(s) && s.toUpperCase().split(/[\s.#]+/).filter(Boolean).length === 1);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('', 'CEK ', '2.', 'cek.'),
        fc.constantFrom(...CODES.map(([c]) => c), 'pln', 'pdam.kot.medan', 'pbbkot#cimahi'),
        sep,
        junk,
        fc.constantFrom('', ' 100000', '.1234', ' 100000 1234'),
        async (prefix, code, s, j, tail) => {
          const before = inquired.length;
          const replies = await bot.handle({ user: 'telegram:7', text: `${prefix}${code}${s}${j}${tail}`, messageId: `b${n++}` });
          wellFormed(replies);
          expect(replies).toHaveLength(1);
          expect(inquired.length).toBe(before);
          expect(replies[0]!.text).toContain('tidak sesuai');
        },
      ),
      { numRuns: 300 },
    );
    expect(inquired).toEqual([]);
  });

  it('PLN followed by non-digit junk is refused before any provider call', async () => {
    const { bot, inquired } = setup();
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 30 }), async (s) => {
        const replies = await bot.handle({ user: 'telegram:8', text: `PLN ${s}` });
        wellFormed(replies);
      }),
      { numRuns: 300 },
    );
    onlyGoodNumbers(inquired);
  });
});

describe('core input guards', () => {
  it('a good inquiry reaches payments and its refusal is shown', async () => {
    const { bot, inquired } = setup();
    const replies = await bot.handle({ user: 'telegram:1', text: 'pln.123456789' });
    expect(inquired).toHaveLength(1);
    expect(inquired[0]).toMatchObject({ user: 'telegram:1', customerNo: '123456789' });
    expect(inquired[0]!.entry.code).toBe('PLN');
    expect(replies).toEqual([{ text: t('inquiry.refused', { reason: 'x' }) }]);
  });

  it('the e-wallet nominal reaches payments', async () => {
    const { bot, inquired } = setup();
    await bot.handle({ user: 'telegram:1', text: 'GOPAY 081234567890 100000' });
    expect(inquired).toEqual([expect.objectContaining({ customerNo: '081234567890', amount: 100_000 })]);
  });

  it('a bad number names the expected form and makes no call', async () => {
    const { bot, inquired } = setup();
    const replies = await bot.handle({ user: 'telegram:1', text: 'BPJSKS 7712345678901' });
    expect(inquired).toEqual([]);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain(t('form.bpjs'));
  });

  it('a message over 1000 characters gets one reply and no payments call', async () => {
    const { bot, inquired, confirmed } = setup();
    const long = `PLN 123456789${' '.repeat(MAX_TEXT)}`;
    expect(long.length).toBeGreaterThan(MAX_TEXT);
    const replies = await bot.handle({ user: 'telegram:1', text: long, messageId: 'long' });
    expect(replies).toEqual([{ text: t('input.tooLong', { max: MAX_TEXT }) }]);
    expect(inquired).toEqual([]);
    expect(confirmed).toEqual([]);
    const ya = await bot.handle({ user: 'telegram:1', text: `YA${' '.repeat(MAX_TEXT)}` });
    expect(ya).toHaveLength(1);
    expect(confirmed).toEqual([]);
  });

  it('a message of exactly 1000 characters is still read', async () => {
    const { bot, inquired } = setup();
    await bot.handle({ user: 'telegram:1', text: 'PLN 123456789'.padEnd(MAX_TEXT) });
    expect(inquired).toHaveLength(1);
  });

  it('media gets one polite reply and no call', async () => {
    const { bot, inquired } = setup();
    const replies = await bot.handle({ user: 'telegram:1', text: 'PLN 123456789', kind: 'media' });
    expect(replies).toEqual([{ text: t('input.media') }]);
    expect(inquired).toEqual([]);
  });

  it('a group message gets no reply and no call', async () => {
    const { bot, inquired } = setup();
    expect(await bot.handle({ user: 'telegram:1', text: 'PLN 123456789', kind: 'group' })).toEqual([]);
    expect(await bot.handle({ user: 'telegram:1', text: 'SALDO', kind: 'group' })).toEqual([]);
    expect(inquired).toEqual([]);
  });

  it('the same messageId twice: the second is a replay and gets nothing', async () => {
    const { bot, store, inquired, confirmed } = setup();
    const first = await bot.handle({ user: 'telegram:1', text: 'PLN 123456789', messageId: 'u1' });
    expect(first).toHaveLength(1);
    expect(await bot.handle({ user: 'telegram:1', text: 'PLN 123456789', messageId: 'u1' })).toEqual([]);
    expect(inquired).toHaveLength(1);

    await store.setReseller('telegram:2', true, undefined, Date.now());
    expect(await bot.handle({ user: 'telegram:2', text: 'YA', messageId: 'y1' })).toEqual([{ text: t('confirm.noQuote') }]);
    expect(await bot.handle({ user: 'telegram:2', text: 'YA', messageId: 'y1' })).toEqual([]);
    // No open summary: the core answers at once, without entering the payment path.
    expect(confirmed).toEqual([]);
    // Another user may use the same id.
    expect(await bot.handle({ user: 'telegram:1', text: 'BANTUAN', messageId: 'y1' })).toHaveLength(1);
  });

  it('empty text gets no reply', async () => {
    const { bot } = setup();
    expect(await bot.handle({ user: 'telegram:1', text: '   ' })).toEqual([]);
  });

  it('a customer cannot confirm and payments.confirm is not called', async () => {
    const { bot, confirmed } = setup();
    expect(await bot.handle({ user: 'telegram:1', text: 'YA' })).toEqual([{ text: t('confirm.customer') }]);
    expect(confirmed).toEqual([]);
  });

  it('an unknown command suggests the nearest one', async () => {
    const { bot } = setup();
    expect(await bot.handle({ user: 'telegram:1', text: 'SALDOO' })).toEqual([{ text: t('unknown.suggest', { suggestion: 'SALDO' }) }]);
  });
});
