/** MMBC's timestamp format, in Jakarta time (UTC+7, no daylight saving): `2026-11-02 14:05:09`. */
export function wib(date: Date): string {
  return new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export function wibNow(): string {
  return wib(new Date());
}
