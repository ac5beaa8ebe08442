/** Conversation state in the embedded store: a message's admission (replay claim, flood) and the open quote. */
import type { Conversations } from '../../bot/store/conversations.ts';
import type { MemoryState } from './state.ts';

export function memoryConversations(s: MemoryState): Conversations {
  const { clock, messages, floods, ops, quotes, sameDay, liveQuote } = s;
  let sweepAt = 0;

  // Message ids and money operations' records would otherwise pile up for the life of the process.
  function sweep(now: number): void {
    if (now < sweepAt) return;
    sweepAt = now + 60_000;
    for (const [k, exp] of messages) if (exp <= now) messages.delete(k);
    for (const [u, w] of floods) if (w.until <= now) floods.delete(u);
    for (const [k, o] of ops) if (o.expiresAt <= now) ops.delete(k);
  }

  return {
    async admit(user, messageId, { ttlSeconds, floodWindowMs = 0, openQuote = false }) {
      const now = clock();
      sweep(now);
      // As on Redis: an empty id is no id.
      if (messageId) {
        const k = `${user}|${messageId}`;
        const exp = messages.get(k);
        if (exp !== undefined && exp > now) return { fresh: false, count: 0 };
        messages.set(k, now + ttlSeconds * 1000);
      }
      let count = 0;
      if (floodWindowMs > 0) {
        const w = floods.get(user);
        const window = w && w.until > now ? w : { count: 0, until: now + floodWindowMs };
        count = ++window.count;
        floods.set(user, window);
      }
      if (!openQuote) return { fresh: true, count };
      const q = liveQuote(user);
      return { fresh: true, count, quote: q ? structuredClone(q) : null };
    },

    async putQuote(quote, mark) {
      quotes.set(quote.user, structuredClone(quote));
      return mark ? (sameDay.get(`${quote.user}|${mark.day}|${mark.product}|${mark.customerNo}`) ?? null) : null;
    },

    async getQuote(user) {
      const q = liveQuote(user);
      return q ? structuredClone(q) : null;
    },

    async dropQuote(user) {
      const had = liveQuote(user) !== undefined;
      quotes.delete(user);
      return had;
    },
  };
}
