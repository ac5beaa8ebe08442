/** `KOMPLAIN <ID> <pesan>`: forwards a complaint about one of the user's transactions to every admin. */
import { randomBytes } from 'node:crypto';
import type { Command } from '../commands.ts';
import { statusLine } from '../render.ts';

export function complaintCommands(): Command[] {
  return [
    {
      name: 'complaint',
      words: ['KOMPLAIN'],
      role: 'reseller',
      async run({ args, rest }, ctx) {
        const { t } = ctx;
        const message = rest.replace(/^\S+\s*/, '').trim();
        if (args.length < 2 || !message) return [{ text: t('complaint.usage') }];
        const id = args[0]!;
        // Only their own: someone else's id answers exactly as an unknown one.
        const tx = await ctx.statements.tx(ctx.user, id);
        if (!tx) return [{ text: t('status.notFound', { id }) }];
        const ref = `KMP-${randomBytes(3).toString('hex').toUpperCase()}`;
        await ctx.complaints.file(ctx.user, id, ctx.now, ref, message.slice(0, 500));
        const note = t('complaint.admin', { ref, user: ctx.user, tx: statusLine(tx, t), message: message.slice(0, 500), id });
        await Promise.all([...ctx.admins].map((a) => ctx.notify(a, { text: note })));
        return [{ text: t('complaint.sent', { ref, id }) }];
      },
    },
  ];
}
