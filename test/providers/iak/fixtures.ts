import { readFileSync } from 'node:fs';
import { parseJsonLenient } from '../../../src/providers/json.ts';

/** A documented answer from test/fixtures/<dir>, parsed as the client would. */
export function fixture(dir: 'iak' | 'mmbc-multipayment', name: string): unknown {
  return parseJsonLenient(readFileSync(new URL(`../../fixtures/${dir}/${name}.json`, import.meta.url), 'utf8'));
}
