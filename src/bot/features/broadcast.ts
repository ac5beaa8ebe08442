/** Admin: `BC <pesan>` to every user who has messaged the bot, `BC RESELLER <pesan>` to resellers only. */
import type { BroadcastWorker } from '../../broadcast/worker.ts';
import { audienceText, startedText } from '../../broadcast/text.ts';
import type { Command } from '../commands.ts';

/** The text after its first word (separated as commands are: spaces, dots, `#`), as typed. */
function afterFirstWord(s: string): string {
  return /^[^\s.#]+[\s.#]+(.*)$/s.exec(s)?.[1]?.trim() ?? '';
}

export function broadcastCommands(broadcasts: Pick<BroadcastWorker, 'begin'>): Command[] {
  return [
    {
      name: 'broadcast',
      words: ['BC'],
      role: 'admin',
      async run({ args, rest }, ctx) {
        const { t } = ctx;
        const resellersOnly = args[0] === 'RESELLER';
        const text = resellersOnly ? afterFirstWord(rest) : rest;
        if (!text) return [{ text: t('broadcast.usage') }];
        const audience = resellersOnly ? 'resellers' : 'all';
        const begun = await broadcasts.begin({ by: ctx.user, audience, text, now: ctx.now });
        if (!begun) return [{ text: t('broadcast.empty', { audience: audienceText({ audience }, t) }) }];
        // Where the admin's channel edits in place, the start already went as the progress message.
        return begun.shown ? [] : [{ text: startedText(begun.broadcast, t) }];
      },
    },
  ];
}
