/** The Users port (src/bot/store/users.ts): who has messaged the bot, and who is a reseller. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/bot/store.ts';
import { newUser } from './fixtures.ts';

export function usersContract(store: () => Store): void {
  let s: Store;
  beforeEach(() => {
    s = store();
  });

  describe('users', () => {
    it('getUser is null for a user never seen', async () => {
      expect(await s.getUser(newUser())).toBeNull();
    });

    it('touchUser creates the record once; firstSeen stays', async () => {
      const u = newUser();
      const first = await s.touchUser(u, 1_000);
      expect(first).toMatchObject({ id: u, reseller: false, firstSeen: 1_000 });
      const again = await s.touchUser(u, 5_000);
      expect(again).toMatchObject({ id: u, reseller: false, firstSeen: 1_000 });
      expect(await s.getUser(u)).toMatchObject({ id: u, reseller: false, firstSeen: 1_000 });
    });

    it('setReseller turns a user into a reseller with a name, and back; touchUser keeps the flag', async () => {
      const u = newUser();
      await s.touchUser(u, 1_000);
      await s.setReseller(u, true, 'Toko Budi Jaya — Medan', 2_000);
      expect(await s.getUser(u)).toMatchObject({ id: u, reseller: true, name: 'Toko Budi Jaya — Medan', firstSeen: 1_000 });
      expect(await s.touchUser(u, 3_000)).toMatchObject({ id: u, reseller: true, name: 'Toko Budi Jaya — Medan', firstSeen: 1_000 });
      expect(await s.getUser(u)).toMatchObject({ reseller: true, firstSeen: 1_000 });
      await s.setReseller(u, false, undefined, 4_000);
      expect(await s.getUser(u)).toMatchObject({ id: u, reseller: false, firstSeen: 1_000 });
    });

    it('setReseller on a user who never messaged creates the record', async () => {
      const u = newUser();
      await s.setReseller(u, true, 'Agen', 7_000);
      const rec = await s.getUser(u);
      expect(rec).toMatchObject({ id: u, reseller: true, name: 'Agen' });
      expect(typeof rec?.firstSeen).toBe('number');
      expect(await s.touchUser(u, 9_000)).toMatchObject({ id: u, reseller: true, name: 'Agen' });
    });
  });

}
