/** The Caches port (src/bot/store/caches.ts): named values with a lifetime. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/bot/store.ts';
import { sleep } from './fixtures.ts';

export function cachesContract(store: () => Store): void {
  let s: Store;
  beforeEach(() => {
    s = store();
  });

  describe('cache', () => {
    it('get/set, overwrite, unknown is null', async () => {
      expect(await s.getCache('pricelist:mmbc')).toBeNull();
      await s.setCache('pricelist:mmbc', '[{"code":"PLN"}]', 600);
      expect(await s.getCache('pricelist:mmbc')).toBe('[{"code":"PLN"}]');
      await s.setCache('pricelist:mmbc', 'v2 — ünïcode', 600);
      expect(await s.getCache('pricelist:mmbc')).toBe('v2 — ünïcode');
      expect(await s.getCache('pricelist:iak')).toBeNull();
    });

    it('expires after its ttl', async () => {
      await s.setCache('short', 'x', 1);
      expect(await s.getCache('short')).toBe('x');
      await sleep(1_150);
      expect(await s.getCache('short')).toBeNull();
    });
  });

}
