import { readFileSync } from 'node:fs';
import { parseJsonLenient } from '../../../src/providers/json.ts';

/** A documented MMBC answer from test/fixtures/mmbc, parsed. */
export function fixture(name: string): unknown {
  return parseJsonLenient(readFileSync(new URL(`../../fixtures/mmbc/${name}.json`, import.meta.url), 'utf8'));
}

export const FAMILIES = [
  'pln-token', 'pln-bulanan', 'plnnontaglis', 'bpjs', 'telkom', 'pdam', 'mncvision', 'halo', 'pgn', 'mcf',
] as const;
