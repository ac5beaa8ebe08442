/**
 * One account on every channel: `TAUTKAN` (a code to link another identity), `TAUTKAN <kode>` (from the
 * identity to link), `AKUN` (the account's identities), `LEPAS <user>` (unlink one, never the last).
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Command } from '../commands.ts';
import type { CommandContext } from '../context.ts';
import { rupiah } from '../format.ts';
import { userName } from './users.ts';

export const LINK_CODE_TTL_MS = 10 * 60_000;
const CODE = /^\d{6}$/;

/** An identity holds money or history of its own: it cannot become another account's without losing them. */
async function holdsOwn(ctx: CommandContext): Promise<boolean> {
  const { statements: s, identity } = ctx;
  const [saldo, commission, ledger, txs] = await Promise.all([s.saldo(identity), s.commission(identity), s.ledger(identity, 1), s.txs(identity, 1)]);
  return saldo !== 0 || commission !== 0 || ledger.length > 0 || txs.length > 0;
}

async function identitiesOf(ctx: CommandContext): Promise<string[]> {
  const rec = await ctx.users.get(ctx.user);
  return rec?.identities ?? [ctx.user];
}

export function linkCommands(): Command[] {
  return [
    {
      name: 'link',
      words: ['TAUTKAN'],
      role: 'customer',
      async run({ args }, ctx) {
        const { t, accounts } = ctx;
        if (args.length === 0) {
          if (ctx.role === 'customer') return [{ text: t('reseller.only') }];
          // Six digits, made until one is free: a code in use by someone else is never handed out twice.
          for (let i = 0; i < 5; i++) {
            const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
            if (await accounts.putLinkCode(code, ctx.user, LINK_CODE_TTL_MS)) return [{ text: t('link.code', { code, minutes: LINK_CODE_TTL_MS / 60_000 }) }];
          }
          return [{ text: t('error.internal') }];
        }
        const code = args[0]!;
        if (args.length > 1 || !CODE.test(code)) return [{ text: t('link.usage') }];
        const account = await accounts.peekLinkCode(code);
        if (!account) return [{ text: t('link.badCode') }];
        if (account === ctx.user) return [{ text: t('link.already') }];
        if (ctx.user !== ctx.identity) return [{ text: t('link.linkedElsewhere') }];
        if ((await ctx.users.get(ctx.identity))?.identities?.some((i) => i !== ctx.identity)) return [{ text: t('link.hasIdentities') }];
        if (await holdsOwn(ctx)) return [{ text: t('link.holdsOwn') }];
        // Its downlines' sales would go on crediting a commission book no identity acts for any more.
        if ((await ctx.network.downlines(ctx.identity)).length > 0) return [{ text: t('link.hasDownlines') }];
        // Used up before the link: a code serves one identity only, even when two race for it.
        if ((await accounts.takeLinkCode(code)) !== account) return [{ text: t('link.badCode') }];
        const r = await accounts.link(ctx.identity, account, ctx.now);
        if (r === 'holds-own') return [{ text: t('link.holdsOwn') }];
        await ctx.notify(account, { text: t('link.toldAccount', { identity: ctx.identity }) });
        return [{ text: t('link.done', { account, saldo: rupiah(await ctx.statements.saldo(account)) }) }];
      },
    },
    {
      name: 'identities',
      words: ['AKUN'],
      role: 'reseller',
      readsOnly: true,
      async run(_words, ctx) {
        const ids = await identitiesOf(ctx);
        const lines = ids.map((i) => (i === ctx.identity ? ctx.t('account.lineHere', { identity: i }) : ctx.t('account.line', { identity: i })));
        return [{ text: [ctx.t('account.title', { n: ids.length }), ...lines].join('\n') }];
      },
    },
    {
      name: 'unlink',
      words: ['LEPAS'],
      // Anyone: a reseller removed by RESELLER HAPUS still owns its chats, and may part them. It only ever acts on
      // this account's own identities.
      role: 'customer',
      async run({ args }, ctx) {
        const { t } = ctx;
        const identity = userName(args[0]);
        if (!identity || args.length > 1) return [{ text: t('unlink.usage') }];
        const fresh = `acct:${randomBytes(8).toString('hex')}`;
        const r = await ctx.accounts.unlink(identity, ctx.user, fresh);
        if (r === 'not-linked') return [{ text: t('unlink.notYours', { identity }) }];
        if (r === 'last') return [{ text: t('unlink.last') }];
        return [{ text: t('unlink.done', { identity }) }];
      },
    },
  ];
}
