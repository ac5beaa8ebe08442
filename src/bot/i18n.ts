/** Every sentence a user sees comes from locales/<lang>.json; Indonesian is the reference. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type Locale = 'id' | 'en';
export const LOCALES: readonly Locale[] = ['id', 'en'];

const dir = fileURLToPath(new URL('../../locales/', import.meta.url));
const tables = new Map<Locale, Record<string, string>>();

export function localeTable(locale: Locale): Record<string, string> {
  let table = tables.get(locale);
  if (!table) {
    table = JSON.parse(readFileSync(`${dir}${locale}.json`, 'utf8')) as Record<string, string>;
    tables.set(locale, table);
  }
  return table;
}

export type Vars = Record<string, string | number>;
export type T = (key: string, vars?: Vars) => string;

/** A translator for one locale; a missing key is a bug, so it shows as the key itself rather than crashing a chat. */
export function translator(locale: Locale): T {
  const table = localeTable(locale);
  return (key, vars) => {
    const s = table[key] ?? key;
    if (!vars) return s;
    return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  };
}
