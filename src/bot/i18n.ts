/** Every sentence a user sees comes from locales/<lang>.json; Indonesian is the reference. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type Locale = 'id' | 'en';
export const LOCALES: readonly Locale[] = ['id', 'en'];

const dir = fileURLToPath(new URL('../../locales/', import.meta.url));
const tables = new Map<Locale, Record<string, string>>();

/** The files of one language: `locales/<lang>.json` (the core) and one file per feature in `locales/<lang>/`. */
export function localeFiles(locale: Locale): string[] {
  const files = [`${dir}${locale}.json`];
  const sub = `${dir}${locale}/`;
  if (existsSync(sub)) for (const f of readdirSync(sub).sort()) if (f.endsWith('.json')) files.push(sub + f);
  return files;
}

export function localeTable(locale: Locale): Record<string, string> {
  let table = tables.get(locale);
  if (!table) {
    table = {};
    for (const file of localeFiles(locale)) Object.assign(table, JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
    tables.set(locale, table);
  }
  return table;
}

export type Vars = Record<string, string | number>;
export type T = (key: string, vars?: Vars) => string;

/**
 * A translator for one locale; a missing key is a bug, so it shows as the key itself rather than crashing a chat.
 * A count of one (`n` or `count`) takes `<key>.one` where there is one: "1 transaction", not "1 transactions".
 */
export function translator(locale: Locale): T {
  const table = localeTable(locale);
  return (key, vars) => {
    if (!vars) return table[key] ?? key;
    const s = ((vars.n === 1 || vars.count === 1) && table[`${key}.one`]) || (table[key] ?? key);
    return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  };
}
