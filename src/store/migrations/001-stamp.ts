/**
 * Version 1: the layout of issue 16, which every store written before versions existed has (see
 * src/store/keys.ts as of that issue, and test/store/fixtures/schema-1.json, a store written by it).
 * Nothing moves: the step only stamps the version, so later steps know where they start from.
 */
import type { Migration } from '../migrate.ts';

export const stamp: Migration = {
  version: 1,
  name: '001-stamp',
  async up() {},
};
