/**
 * One way to add a command (issue 17, item 5): a feature's command registers exactly as the core's do, with
 * its words, its role, whether it only reads and whether it takes a PIN; the registry applies the rules they
 * share; a handler gets operations, never the store.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalogue } from '../../src/bot/catalogue.ts';
import type { Reply, UserId } from '../../src/bot/channel.ts';
import { type AnyCommand, command, Commands } from '../../src/bot/commands.ts';
import type { CommandContext } from '../../src/bot/context.ts';
import { coreCommands, createBot } from '../../src/bot/core.ts';
import { translator } from '../../src/bot/i18n.ts';
import { parse } from '../../src/bot/parse.ts';
import { StoreOutcomeUnknown } from '../../src/bot/store.ts';
import { ADMIN, CUSTOMER, RESELLER, startTestBot, type TestBot } from '../helpers/app.ts';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const t = translator('id');

/** A second bot over the test bot's store and payments, with `extra` registered beside the app's own commands. */
async function botWith(extra: AnyCommand[]) {
  bot = await startTestBot();
  const b = bot;
  const core = createBot({
    store: b.store, payments: b.app.payments, catalogue: () => new Catalogue([]), log: pino({ level: 'silent' }),
    notifier: { async send() {} }, locale: 'id', admins: new Set([ADMIN]), quoteTtlSeconds: 300, commands: extra,
  });
  return (user: UserId, text: string): Promise<Reply[]> => core.handle({ user, text });
}

describe('a command registered by a feature', () => {
  it('is answered by its words and aliases, refused below its role, and gets operations rather than the store', async () => {
    const seen: CommandContext[] = [];
    const say = await botWith([command({
      name: 'probe', words: ['PROBE', 'SONDE'], role: 'reseller', readsOnly: true,
      async run({ args }, ctx) {
        seen.push(ctx);
        return [{ text: `probe ${args.join(' ')} ${await ctx.statements.saldo(ctx.user)}` }];
      },
    })]);
    expect(await say(CUSTOMER, 'PROBE')).toEqual([{ text: t('reseller.only') }]);
    expect(seen).toHaveLength(0);
    expect(await say(RESELLER, '/sonde a.b')).toEqual([{ text: 'probe A B 1000000' }]);
    const ctx = seen[0]!;
    expect(ctx).toMatchObject({ user: RESELLER, role: 'reseller' });
    expect('store' in ctx).toBe(false);
    // The only way to move money: the payments operations.
    expect(Object.keys(ctx.payments).sort()).toEqual(['acceptTicket', 'confirm', 'deposit', 'inquire', 'redeemCommission', 'settleByHand', 'transfer']);
    // The core's own commands still answer beside it.
    expect((await say(RESELLER, 'SALDO'))[0]!.text).toContain('1.000.000');
  });

  it('says "send it again" when a read fails and "look first" when a command that may move money fails', async () => {
    const lost = async (): Promise<Reply[]> => {
      throw new StoreOutcomeUnknown();
    };
    const say = await botWith([
      { name: 'reads', words: ['BACA'], role: 'customer', readsOnly: true, run: lost },
      { name: 'moves', words: ['GESER'], role: 'customer', run: lost },
    ]);
    expect(await say(CUSTOMER, 'BACA')).toEqual([{ text: t('error.storeRetry') }]);
    expect(await say(CUSTOMER, 'GESER')).toEqual([{ text: t('error.outcomeUnknown') }]);
  });

  it('that takes a PIN has a message with a digit after its word deleted, read or not', async () => {
    const say = await botWith([
      command({
        name: 'secret', words: ['RAHASIA'],
        read: (args: string[]) => (args.length === 1 ? { pin: args[0]! } : undefined),
        role: 'customer', readsOnly: true, carriesPin: true, takesPin: true,
        async run({ pin }) {
          return [{ text: `ok ${pin.length}` }];
        },
      }),
    ]);
    expect(await say(CUSTOMER, 'RAHASIA 4829')).toEqual([{ text: 'ok 4', deleteIncoming: true }]);
    // Not its form, so read as something else, and still deleted.
    expect((await say(CUSTOMER, 'rahasia 48 29'))[0]).toMatchObject({ deleteIncoming: true });
    expect((await say(CUSTOMER, 'RAHASIA'))[0]?.deleteIncoming).toBeUndefined();
  });
});

describe('the registry', () => {
  const run = async () => [];
  it('refuses two commands of one name, and a command no message could reach', () => {
    expect(() => new Commands([{ name: 'a', words: ['X'], role: 'customer', run }, { name: 'a', words: ['Y'], role: 'customer', run }])).toThrow(/a/);
    // The first takes every message starting with X.
    expect(() => new Commands([{ name: 'a', words: ['X'], role: 'customer', run }, { name: 'b', words: ['X'], role: 'customer', run }])).toThrow(/X/);
    expect(() => createBot({
      store: {} as never, payments: {} as never, catalogue: () => new Catalogue([]), log: pino({ level: 'silent' }),
      notifier: { async send() {} }, locale: 'id', admins: new Set(), quoteTtlSeconds: 300,
      commands: [{ name: 'saldo', words: ['SALDO2'], role: 'customer', run }],
    })).toThrow(/saldo/);
  });

  it('lets commands share a word, each with its own form, tried in the order they were registered', async () => {
    const say = await botWith([
      command({
        name: 'deposit-qris', words: ['ISI'],
        read: (args: string[]) => (args[0] === 'QRIS' && args.length === 2 ? { amount: Number(args[1]) } : undefined),
        role: 'reseller',
        async run({ amount }) {
          return [{ text: `qris ${amount}` }];
        },
      }),
      command({ name: 'deposit-by-hand', words: ['ISI'], role: 'admin', async run({ args }) {
        return [{ text: `hand ${args.join(' ')}` }];
      } }),
    ]);
    expect(await say(RESELLER, 'ISI QRIS 50000')).toEqual([{ text: 'qris 50000' }]);
    expect(await say(RESELLER, 'ISI telegram:2 50000')).toEqual([{ text: t('admin.only') }]);
    expect(await say(ADMIN, 'ISI telegram:2 50000')).toEqual([{ text: 'hand TELEGRAM:2 50000' }]);
    // A core word takes a feature's form beside its own.
    const more = new Commands([...coreCommands({ quoteTtlSeconds: 300 }), { name: 'saldo-of', words: ['SALDO'], role: 'admin', run }]);
    expect(parse('SALDO', new Catalogue([]), more)).toEqual({ kind: 'saldo' });
    expect(parse('SALDO telegram:2', new Catalogue([]), more)).toMatchObject({ kind: 'saldo-of', args: ['TELEGRAM:2'] });
  });

  it('offers a short word as "did you mean" only when it is its command\'s only word', () => {
    const commands = new Commands([...coreCommands({ quoteTtlSeconds: 300 }), { name: 'bc', words: ['BC'], role: 'admin', run }]);
    expect(commands.suggested).toContain('BC');
    expect(commands.suggested).toContain('BAYAR');
    expect(commands.suggested).not.toContain('OK');
    expect(parse('BX halo', new Catalogue([]), commands)).toEqual({ kind: 'unknown', suggestion: 'BC' });
    expect(parse('OX', new Catalogue([]), commands)).toEqual({ kind: 'unknown' });
  });
});
