/** Conversation state on Redis: a message's admission (replay claim, flood) and the open quote, on the user's hash tag. */
import type { Conversations } from '../../bot/store/conversations.ts';
import { parseQuote } from '../codec.ts';
import { ADMIT, PUT_QUOTE } from '../scripts.ts';
import { script, type RedisContext } from './context.ts';

export function redisConversations({ redis, k }: RedisContext): Conversations {
  const admit = script(redis, ADMIT);
  const putQuote = script(redis, PUT_QUOTE);
  return {
    async admit(user, messageId, { ttlSeconds, floodWindowMs = 0, openQuote = false }) {
      // One command for all of it: the replay claim, the flood count and a YA's open quote are the user's own,
      // so one script on the user's hash tag does what a SET NX, a rate limiter's script and a GET did.
      const [fresh, count, quote] = (await admit(
        [k.message(user, messageId ?? '-'), k.flood(user), k.quote(user)],
        [ttlSeconds, messageId ? '1' : '', floodWindowMs, openQuote ? '1' : ''],
      )) as [number, number, string | null | undefined];
      if (fresh !== 1) return { fresh: false, count };
      return openQuote ? { fresh: true, count, quote: quote ? parseQuote(quote) : null } : { fresh: true, count };
    },

    async putQuote(quote, sameDay) {
      // Already expired (ttl <= 0): it replaces the open quote all the same, as a new inquiry does, and is gone.
      const mark = sameDay ? k.sameDay(quote.user, sameDay.day, sameDay.product, sameDay.customerNo) : k.sameDay(quote.user, '-', '-', '-');
      const earlier = await putQuote([k.quote(quote.user), mark], [JSON.stringify(quote), quote.expiresAt - Date.now(), sameDay ? '1' : '']);
      return typeof earlier === 'string' ? earlier : null;
    },

    async getQuote(user) {
      const raw = await redis.get(k.quote(user));
      return raw ? parseQuote(raw) : null;
    },

    async dropQuote(user) {
      return (await redis.del(k.quote(user))) === 1;
    },
  };
}
