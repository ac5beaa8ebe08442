/**
 * Every store migration, in order: a step's version is its place in this list. To change how the data is kept,
 * add a file here (`002-what-it-does.ts`, exporting a Migration whose `up` is idempotent), append it below, and
 * give test/store/migrate.test.ts's snapshot test what the data reads as after it.
 */
import type { Migration } from '../migrate.ts';
import { stamp } from './001-stamp.ts';
import { opRecords } from './002-op-records.ts';
import { accounts } from './003-accounts.ts';

export const MIGRATIONS: readonly Migration[] = [stamp, opRecords, accounts];
