/**
 * Version 3: accounts (one on every channel), the reseller network and commission books. The data needs no
 * rewrite: an identity that was never linked is an account of its own, named as the identity, so every key
 * schema 2 wrote under `{telegram:123}` already is that account's, and the new fields (a user hash's `account`,
 * `identities`, `chain`) and keys (`commission`, `downlines`, `netmarkups`, mutations, QRIS deposits) start
 * empty. The step exists for the version: a process of schema 2 reads a linked identity as an account of its
 * own (it would pay from an empty saldo, or take the wrong PIN), so once this code has run against a store,
 * an older build refuses to start on it (migrate.ts).
 */
import type { Migration } from '../migrate.ts';

export const accounts: Migration = {
  version: 3,
  name: '003-accounts',
  async up(ctx) {
    ctx.log.info('schema 3: every identity is its own account until TAUTKAN links it; nothing to rewrite');
  },
};
