/**
 * The one line a group gets when someone speaks to the bot there: bills are private, so it points to a
 * private chat. At most once per group per hour and process, so a busy group is never spammed.
 */
import { translator, type Locale } from '../../bot/i18n.ts';

const HOUR_MS = 3_600_000;

export function groupNoticeText(locale: Locale, username: string): string {
  return translator(locale)('telegram.groupNotice', { username });
}

export function createGroupNotices(clock: () => number = Date.now): { take(chatId: number): boolean } {
  const last = new Map<number, number>();
  return {
    /** True when the group may get the line now (and records that it did). */
    take(chatId) {
      const now = clock();
      const at = last.get(chatId);
      if (at !== undefined && now - at < HOUR_MS) return false;
      last.set(chatId, now);
      // Forget groups whose hour is over, so the map stays as small as the set of recently active groups.
      if (last.size > 10_000) for (const [id, t] of last) if (now - t >= HOUR_MS) last.delete(id);
      return true;
    },
  };
}
