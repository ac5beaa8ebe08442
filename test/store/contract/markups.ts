/** The Markups port (src/bot/store/markups.ts): the operator's margin per product code, `*` for the rest. */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/bot/store.ts';

export function markupsContract(store: () => Store): void {
  describe('markups', () => {
    it('none on a fresh store; sets, overwrites and removes a product’s markup and `*`, each on its own', async () => {
      const s = store();
      expect(await s.markups()).toEqual({});
      await s.setMarkup('PLN', 1_500);
      await s.setMarkup('*', 500);
      expect(await s.markups()).toEqual({ PLN: 1_500, '*': 500 });
      await s.setMarkup('PLN', 2_000);
      await s.setMarkup('*', null);
      expect(await s.markups()).toEqual({ PLN: 2_000 });
      await s.setMarkup('PLN', null);
      expect(await s.markups()).toEqual({});
    });
  });
}
