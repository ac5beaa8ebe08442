/**
 * Amounts are read whole or refused (issue 16, item 3): `DEPOSIT telegram:2 10 000` and
 * `DEPOSIT.telegram:2.10.000` once credited Rp 10. The words go through the real parser, as a command gets them.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalogue } from '../../../src/bot/catalogue.ts';
import { Commands } from '../../../src/bot/commands.ts';
import { parse } from '../../../src/bot/parse.ts';
import { amountOf, amountTyped, argsOf } from '../../../src/bot/features/amounts.ts';
import { resellerCommands } from '../../../src/bot/features/resellers.ts';
import { ticketCommands } from '../../../src/bot/features/tickets.ts';
import { transferCommands } from '../../../src/bot/features/transfer.ts';
import { userAndAmount } from '../../../src/bot/features/users.ts';
import { audit } from '../../../src/payments/audit.ts';
import { ADMIN, RESELLER, STORES, startTestBot, type TestBot } from '../../helpers/app.ts';

const COMMANDS = new Commands([...resellerCommands(), ...transferCommands(), ...ticketCommands(undefined)]);
const EMPTY = new Catalogue([]);

/** The words after the command word, exactly as the core hands them to a command. */
function argsOfText(text: string): string[] {
  const intent = parse(text, EMPTY, COMMANDS);
  if (!('args' in intent)) throw new Error(`not a command: ${text}`);
  return intent.args;
}

const deposit = (text: string) => userAndAmount(argsOfText(text), false);
const transfer = (text: string) => userAndAmount(argsOfText(text), true);

/** n with its thousands joined by `sep`: 1234567 → `1.234.567`. */
function grouped(n: number, sep: string): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** Every way the rule accepts to write n. */
function formats(n: number): string[] {
  const bare = [String(n), grouped(n, '.'), grouped(n, ' ')];
  if (n % 1000 === 0) bare.push(`${n / 1000}rb`, `${grouped(n / 1000, '.')}rb`, `${n / 1000}K`, `${n / 1000} rb`);
  if (n % 1_000_000 === 0) bare.push(`${n / 1_000_000}jt`, `${n / 1_000_000}JT`);
  return bare.flatMap((b) => [b, `Rp${b}`, `Rp ${b}`, `rp.${b}`]);
}

const SEPARATORS = [' ', '.', '#', '  ', ' . '];

describe('the issue reproduced', () => {
  it('reads ten thousand, never ten, whichever way it is written', () => {
    for (const text of [
      'DEPOSIT telegram:2 10 000',
      'DEPOSIT.telegram:2.10.000',
      'DEPOSIT telegram:2 10.000',
      'DEPOSIT telegram:2 Rp10.000',
      'DEPOSIT telegram:2 Rp 10.000',
      'DEPOSIT telegram:2 10rb',
      'DEPOSIT#telegram:2#10000',
      '/deposit telegram:2 rp10rb',
    ]) {
      expect(deposit(text), text).toEqual({ user: 'telegram:2', amount: 10_000 });
    }
  });

  it('refuses words that are not exactly one user and one amount', () => {
    for (const text of [
      'DEPOSIT telegram:2 10 0000',
      'DEPOSIT telegram:2 10000 5',
      'DEPOSIT telegram:2 10000 000 x',
      'DEPOSIT telegram:2 1.5jt',
      'DEPOSIT telegram:2 10,000',
      'DEPOSIT telegram:2 1000.000',
      'DEPOSIT telegram:2 0.500',
      'DEPOSIT telegram:2 0500',
      'DEPOSIT telegram:2 10rb 000',
      'DEPOSIT telegram:2 Rp Rp10',
      'DEPOSIT telegram:2 10 000 1234',
      'DEPOSIT telegram:2',
      'DEPOSIT 10000 telegram:2',
      'DEPOSIT telegram:2 telegram:3 10000',
    ]) {
      expect(deposit(text), text).toBeUndefined();
    }
  });

  it("reads TRANSFER's PIN only as a last word of 4–6 digits after a whole amount", () => {
    expect(transfer('TRANSFER telegram:2 10.000 1234')).toEqual({ user: 'telegram:2', amount: 10_000, pin: '1234' });
    expect(transfer('TRANSFER.telegram:2.10.000.1234')).toEqual({ user: 'telegram:2', amount: 10_000, pin: '1234' });
    expect(transfer('TRANSFER telegram:2 10 000 482915')).toEqual({ user: 'telegram:2', amount: 10_000, pin: '482915' });
    expect(transfer('TRANSFER telegram:2 Rp 10000')).toEqual({ user: 'telegram:2', amount: 10_000 });
    // A single amount word is an amount, even of PIN length; three digits are a thousands group, never a PIN.
    expect(transfer('TRANSFER telegram:2 1234')).toEqual({ user: 'telegram:2', amount: 1234 });
    expect(transfer('TRANSFER telegram:2 1.000.000')).toEqual({ user: 'telegram:2', amount: 1_000_000 });
    for (const bad of ['TRANSFER telegram:2 10000 123', 'TRANSFER telegram:2 10000 1234567', 'TRANSFER telegram:2 10000 1234 5678', 'TRANSFER telegram:2 1234 x']) {
      expect(transfer(bad), bad).toBeUndefined();
    }
  });

  it('gives TIKET, through argsOf, the whole amount or nothing', () => {
    const tiket = (text: string) => amountTyped(argsOf(argsOfText(text), '', 1)[0]);
    expect(tiket('TIKET 10 000')).toBe(10_000);
    expect(tiket('TIKET.100.000')).toBe(100_000);
    expect(tiket('TIKET Rp 50.000')).toBe(50_000);
    expect(tiket('TIKET 15000 0')).toBeUndefined();
    expect(tiket('TIKET 10 0000')).toBeUndefined();
    expect(argsOf(argsOfText('DEPOSIT telegram:2 10 000'), '', 2)).toEqual(['TELEGRAM:2', '10000']);
  });
});

describe('property: an amount is what the whole of it means', () => {
  const n = fc.integer({ min: 1, max: 1e12 });
  const round = fc.oneof(n, n.map((x) => (x % 1e9) * 1000), n.map((x) => (x % 1e6) * 1_000_000)).filter((x) => x > 0);
  const sep = fc.constantFrom(...SEPARATORS);
  const pin = fc.stringMatching(/^\d{4,6}$/);

  it('every accepted way of writing n reads as n, in DEPOSIT and in TRANSFER with or without a PIN', () => {
    fc.assert(
      fc.property(round, sep, fc.option(pin, { nil: undefined }), (x, s, p) => {
        for (const f of formats(x)) {
          expect(deposit(`DEPOSIT${s}telegram:2${s}${f}`), f).toEqual({ user: 'telegram:2', amount: x });
          const t = transfer(`TRANSFER${s}telegram:2${s}${f}${p === undefined ? '' : `${s}${p}`}`);
          expect(t, f).toEqual(p === undefined ? { user: 'telegram:2', amount: x } : { user: 'telegram:2', amount: x, pin: p });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('digits cut anywhere read as the whole number or are refused; in TRANSFER only a 4–6 digit tail is a PIN, with nothing dropped', () => {
    const cut = n.chain((x) => {
      const d = String(x);
      return fc.tuple(fc.constant(d), fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, d.length - 1) }), { maxLength: d.length - 1 }), sep);
    });
    fc.assert(
      fc.property(cut, ([d, at, s]) => {
        const cuts = [...at].filter((i) => i < d.length).sort((a, b) => a - b);
        const pieces = [0, ...cuts].map((from, k) => d.slice(from, cuts[k] ?? d.length));
        const typed = pieces.join(s);
        const thousands = pieces.slice(1).every((p) => p.length === 3) && pieces[0]!.length <= 3 && !d.startsWith('0');
        const dep = deposit(`DEPOSIT telegram:2 ${typed}`);
        if (dep) {
          expect(dep.amount, typed).toBe(Number(d));
          expect(thousands || pieces.length === 1, typed).toBe(true);
        } else {
          expect(thousands, typed).toBe(false);
        }
        const tr = transfer(`TRANSFER telegram:2 ${typed}`);
        if (tr?.pin === undefined) expect(tr, typed).toEqual(dep);
        // A PIN read: every digit typed is in the amount or the PIN, in order.
        else expect(`${tr.amount}${tr.pin}`, typed).toBe(d);
      }),
      { numRuns: 500 },
    );
  });

  it('a word more after an amount is never dropped: the reading changes or is refused', () => {
    const extra = fc.oneof(fc.constantFrom('RB', 'JT', 'K', 'RP', '0', '000', 'x', '1234', '5', '-'), fc.stringMatching(/^[0-9A-Za-z:]{1,8}$/));
    fc.assert(
      fc.property(round, extra, sep, (x, w, s) => {
        for (const f of formats(x)) {
          const more = deposit(`DEPOSIT telegram:2 ${f}${s}${w}`);
          expect(more?.amount, `${f}${s}${w}`).not.toBe(x);
          const t = transfer(`TRANSFER telegram:2 ${f}${s}${w}`);
          // The only word TRANSFER may add is its PIN.
          if (t?.amount === x) expect(t.pin).toBe(w);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('no words read both as an amount and as an amount followed by a PIN', () => {
    const piece = fc.oneof(fc.stringMatching(/^\d{1,7}$/), fc.constantFrom('RP', 'RB', 'K', 'JT', 'RP10', '500RB'));
    fc.assert(
      fc.property(fc.array(piece, { minLength: 2, maxLength: 5 }), (pieces) => {
        const whole = amountOf(pieces);
        const withPin = amountOf(pieces.slice(0, -1));
        expect(whole !== undefined && withPin !== undefined && /^\d{4,6}$/.test(pieces.at(-1)!), pieces.join(' ')).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe.each(STORES)('money commands end to end (%s store)', (kind) => {
  let bot: TestBot | undefined;
  afterEach(async () => {
    if (bot) expect((await audit(bot.store)).problems).toEqual([]);
    await bot?.stop();
    bot = undefined;
  });
  const SHOP = 'console:local';

  it('DEPOSIT credits ten thousand for every way of writing it, and refuses a split number, crediting nothing', async () => {
    bot = await startTestBot({ store: kind });
    await bot.store.setReseller(SHOP, true, undefined, Date.now());
    const ways = ['10 000', '.10.000', '10.000', 'Rp10.000', 'Rp 10.000', '10rb'];
    for (const way of ways) {
      const text = way.startsWith('.') ? `DEPOSIT.${SHOP}${way}` : `DEPOSIT ${SHOP} ${way}`;
      expect(await bot.say(ADMIN, text), text).toContain('ditambah Rp 10.000');
    }
    expect(await bot.store.getSaldo(SHOP)).toBe(60_000);
    for (const bad of ['10 0000', '10000 5', '1.5jt', '10,000', '10 000 1234']) {
      expect(await bot.say(ADMIN, `DEPOSIT ${SHOP} ${bad}`), bad).toContain('DEPOSIT <user> <nominal>');
    }
    expect(await bot.store.getSaldo(SHOP)).toBe(60_000);
    expect((await bot.store.ledger(SHOP, 100)).map((e) => e.amount)).toEqual(Array(6).fill(10_000));
  });

  it('TRANSFER moves the whole amount or nothing', async () => {
    bot = await startTestBot({ store: kind });
    await bot.store.setReseller(SHOP, true, undefined, Date.now());
    expect(await bot.say(RESELLER, `TRANSFER ${SHOP} 10 000`)).toContain('Rp 10.000');
    expect(await bot.say(RESELLER, `TRANSFER.${SHOP}.10.000`)).toContain('Rp 10.000');
    for (const bad of ['10 0000 x', '10000 5', '1.5jt']) expect(await bot.say(RESELLER, `TRANSFER ${SHOP} ${bad}`), bad).toContain('TRANSFER <user> <nominal>');
    expect(await bot.store.getSaldo(SHOP)).toBe(20_000);
    expect(await bot.store.getSaldo(RESELLER)).toBe(980_000);
  });

  it('MARKUP reads its amount whole too', async () => {
    bot = await startTestBot({ store: kind });
    expect(await bot.say(ADMIN, 'MARKUP PLN 1 000')).toContain('Rp 1.000');
    expect(await bot.say(ADMIN, 'MARKUP.PDAM.KOT.MEDAN.1.500')).toContain('Rp 1.500');
    expect(await bot.say(ADMIN, 'MARKUP PLN 2 0000')).toContain('MARKUP <PRODUK atau *> <nominal>');
    expect(await bot.say(ADMIN, 'MARKUP PLN 2500 7')).toContain('MARKUP <PRODUK atau *> <nominal>');
    expect(await bot.store.markups()).toEqual({ PLN: 1000, 'PDAM KOT MEDAN': 1500 });
  });
});
