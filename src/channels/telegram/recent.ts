/**
 * The update ids this process has already taken, so a redelivered update (a webhook retry, a poll after a
 * lost acknowledgement) costs no Bot API calls. The core's store-backed dedup is what guarantees money
 * moves once, across processes; this only saves work inside one.
 */
export function createRecentIds(capacity = 10_000): { add(id: number): boolean } {
  const seen = new Set<number>();
  return {
    /** False when the id was already taken. */
    add(id) {
      if (seen.has(id)) return false;
      seen.add(id);
      // A Set iterates in insertion order: the first entry is the oldest.
      if (seen.size > capacity) seen.delete(seen.values().next().value!);
      return true;
    },
  };
}
