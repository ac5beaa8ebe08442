/** The README and .env.example stay true to the code: every demo customer and every variable is listed. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IAK_DEMO_CUSTOMERS } from '../src/providers/iak/demo.ts';
import { MMBC_DEMO_CUSTOMERS, MMBC_WALLET_DEMO } from '../src/providers/mmbc/demo.ts';

const readme = readFileSync('README.md', 'utf8');
const example = readFileSync('.env.example', 'utf8');
const variables = [...readFileSync('src/config.ts', 'utf8').matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);

describe('README', () => {
  it('lists every demo customer of every simulator, with its product', () => {
    const section = readme.slice(readme.indexOf('## Demo customers (sandbox)'), readme.indexOf('A short session:'));
    for (const c of [...MMBC_DEMO_CUSTOMERS, ...MMBC_WALLET_DEMO, ...IAK_DEMO_CUSTOMERS]) {
      expect(section, `${c.product} ${c.customerNo}`).toContain(`\`${c.customerNo}\``);
      expect(section, `${c.product} ${c.customerNo}`).toMatch(new RegExp(`\`${c.product.replace(/\./g, '\\.')}[^|]*\\| \`${c.customerNo}\``));
    }
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
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/^npm test\b/m);
  });
});
