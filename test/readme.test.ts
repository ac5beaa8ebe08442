/** The README and .env.example stay true to the code: every demo customer and every variable is listed. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MMBC_DEMO_CUSTOMERS } from '../src/providers/mmbc/demo.ts';

const readme = readFileSync('README.md', 'utf8');
const example = readFileSync('.env.example', 'utf8');
const variables = [...readFileSync('src/config.ts', 'utf8').matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);

describe('README', () => {
  it('lists every demo customer', () => {
    for (const c of MMBC_DEMO_CUSTOMERS) expect(readme).toContain(`\`${c.customerNo}\``);
  });

  it('documents every configuration variable, and .env.example has each', () => {
    expect(variables.length).toBeGreaterThan(20);
    for (const v of variables) {
      expect(readme, v).toContain(`\`${v}\``);
      expect(example, v).toMatch(new RegExp(`^${v}=`, 'm'));
    }
  });

  it('gives the two commands .ci/run relies on', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/^npm test$/m);
  });
});
