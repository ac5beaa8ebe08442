/** Provider data kept for a while (price lists), by name. */
export interface Caches {
  getCache(name: string): Promise<string | null>;
  setCache(name: string, value: string, ttlSeconds: number): Promise<void>;
}
