/** What the admin reads about a broadcast: the start, the progress line, the tally. */
import type { T } from '../bot/i18n.ts';
import type { Broadcast } from '../bot/store.ts';

type Counts = Pick<Broadcast, 'id' | 'total' | 'sent' | 'failed' | 'skipped'>;

/** The tenth of the way done (0–10); an empty broadcast is all done. */
export function stepOf(done: number, total: number): number {
  return total <= 0 ? 10 : Math.min(10, Math.floor((done * 10) / total));
}

export function audienceText(b: Pick<Broadcast, 'audience'>, t: T): string {
  return t(b.audience === 'resellers' ? 'broadcast.audienceResellers' : 'broadcast.audienceAll');
}

export function startedText(b: Pick<Broadcast, 'id' | 'total' | 'audience'>, t: T): string {
  return t('broadcast.started', { id: b.id, total: b.total, audience: audienceText(b, t) });
}

export function progressText(c: Counts, t: T): string {
  const done = c.sent + c.failed + c.skipped;
  const percent = c.total <= 0 ? 100 : Math.floor((done * 100) / c.total);
  return t('broadcast.progress', { id: c.id, percent, done, total: c.total, sent: c.sent, failed: c.failed, skipped: c.skipped });
}

/** The message updated in place, where the admin's channel can edit: the start and the progress under it. */
export function liveText(b: Pick<Broadcast, 'audience'> & Counts, t: T): string {
  return `${startedText(b, t)}\n${progressText(b, t)}`;
}

export function tallyText(b: Broadcast, t: T): string {
  const vars = { id: b.id, total: b.total, sent: b.sent, failed: b.failed, skipped: b.skipped };
  const tally = t('broadcast.done', vars);
  return b.unconfirmed > 0 ? `${tally}\n${t('broadcast.unconfirmed', { n: b.unconfirmed })}` : tally;
}
