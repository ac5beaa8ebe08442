import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localeFiles, localeTable, LOCALES, translator } from '../src/bot/i18n.ts';
import { DETAIL_KEYS, OWN_REASONS, REASON_KEYS } from '../src/bot/provider.ts';
import type { TxStatus } from '../src/bot/store.ts';
import type { Role } from '../src/bot/core.ts';
import { FORMS } from '../src/bot/forms.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const id = localeTable('id');
const en = localeTable('en');
const placeholders = (s: string): string[] => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();

function sources(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts')) out.push([p.slice(root.length), readFileSync(p, 'utf8')]);
  }
  return out;
}
const src = sources(join(root, 'src'));

// Every status, role and month the templates `status.${…}`, `role.${…}`, `month.${…}` can produce.
const STATUSES: readonly TxStatus[] = ['RESERVED', 'SENDING', 'PENDING', 'SETTLED', 'FAILED'];
const ROLES: readonly Role[] = ['customer', 'reseller', 'admin'];
const TEMPLATE_KEYS: Record<string, readonly string[]> = {
  detail: DETAIL_KEYS.map((k) => `detail.${k}`),
  status: STATUSES.map((s) => `status.${s}`),
  month: Array.from({ length: 12 }, (_, i) => `month.${i + 1}`),
  help: ROLES.map((r) => `help.${r}`),
  role: ROLES.map((r) => `role.${r}`),
  ledger: ['payment', 'refund', 'deposit', 'transfer-in', 'transfer-out', 'adjustment', 'komisi', 'tukar-komisi'].map((r) => `ledger.${r}`),
  'mutasibank.status': ['received', 'credited', 'unmatched', 'expired-ticket', 'debit'].map((s) => `mutasibank.status.${s}`),
  mutasibank: ['unknown-mutation', 'debit', 'tied-elsewhere', 'credited', 'unknown-ticket', 'ticket-used', 'ticket-replaced'].map((s) => `mutasibank.${s}`),
  sandboxPay: ['bank', 'qris', 'unknown', 'closed'].map((s) => `sandboxPay.${s}`),
  'qris.status': ['expired', 'failed'].map((s) => `qris.status.${s}`),
  'moota.why': ['not-whole', 'ticket-used', 'no-ticket'].map((s) => `moota.why.${s}`),
  reason: [...REASON_KEYS, ...Object.keys(OWN_REASONS)].map((r) => `reason.${r}`),
};

describe('locales', () => {
  it('both languages load', () => {
    expect(LOCALES).toEqual(['id', 'en']);
    expect(Object.keys(id).length).toBeGreaterThan(50);
  });

  it('each language has the same files, and no key is defined twice', () => {
    const names = (l: 'id' | 'en') => localeFiles(l).map((f) => f.replace(`/${l}.json`, '/LANG.json').replace(`/${l}/`, '/LANG/'));
    expect(names('id')).toEqual(names('en'));
    for (const l of LOCALES) {
      const seen = new Map<string, string>();
      for (const file of localeFiles(l)) {
        for (const key of Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object)) {
          expect(seen.get(key), `${key} in ${file}`).toBeUndefined();
          seen.set(key, file);
        }
      }
    }
  });

  it('id and en have exactly the same keys', () => {
    const a = Object.keys(id).sort();
    const b = Object.keys(en).sort();
    expect(a.filter((k) => !(k in en)), 'in id, missing from en').toEqual([]);
    expect(b.filter((k) => !(k in id)), 'in en, missing from id').toEqual([]);
    expect(a).toEqual(b);
  });

  it('no value is empty', () => {
    for (const table of [id, en]) {
      for (const [k, v] of Object.entries(table)) {
        expect(typeof v, k).toBe('string');
        expect(v.trim(), k).not.toBe('');
      }
    }
  });

  it('every placeholder appears in both languages', () => {
    const mismatched = Object.keys(id)
      .filter((k) => k in en)
      .filter((k) => placeholders(id[k]!).join() !== placeholders(en[k]!).join())
      .map((k) => `${k}: id {${placeholders(id[k]!).join(',')}} en {${placeholders(en[k]!).join(',')}}`);
    expect(mismatched).toEqual([]);
  });

  it('placeholders are well formed (no stray braces)', () => {
    for (const table of [id, en]) {
      for (const [k, v] of Object.entries(table)) {
        expect(v.replace(/\{\w+\}/g, ''), k).not.toMatch(/[{}]/);
      }
    }
  });

  it('the source scan finds the src tree', () => {
    expect(src.some(([p]) => p.endsWith('bot/core.ts'))).toBe(true);
  });

  it('every literal key the code passes to t() exists', () => {
    const used = new Map<string, string>();
    for (const [file, text] of src) {
      // t('key' …) and t(`key` …) without interpolation
      for (const m of text.matchAll(/\bt\(\s*(?:'([^'\n]+)'|`([^`$\n]+)`)/g)) used.set(m[1] ?? m[2]!, file);
      // t(cond ? 'a' : 'b'): any quoted literal inside the first argument of a t( … ) call on one line
      for (const m of text.matchAll(/\bt\(([^;\n]*?\?[^;\n]*?:[^;\n]*?)[,)]/g)) {
        for (const q of m[1]!.matchAll(/'([a-z][\w]*(?:\.[\w]+)+)'/g)) used.set(q[1]!, file);
      }
      // form hints
      for (const m of text.matchAll(/\bhint:\s*'([^']+)'/g)) used.set(m[1]!, file);
    }
    expect(used.size).toBeGreaterThan(30);
    const missing = [...used].filter(([k]) => !(k in id) || !(k in en)).map(([k, f]) => `${k} (${f})`);
    expect(missing).toEqual([]);
  });

  it('every quoted locale-shaped literal in src exists', () => {
    // Catches keys passed around before reaching t(): any 'prefix.name' whose prefix is a locale prefix.
    const prefixes = new Set(Object.keys(id).filter((k) => k.includes('.')).map((k) => k.split('.')[0]!));
    const missing: string[] = [];
    for (const [file, text] of src) {
      for (const m of text.matchAll(/'([a-z]+)\.([A-Za-z0-9]+)'/g)) {
        const key = `${m[1]}.${m[2]}`;
        if (prefixes.has(m[1]!) && !(key in id)) missing.push(`${key} (${file})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every form hint exists', () => {
    for (const form of Object.values(FORMS)) {
      expect(id[form.hint], form.hint).toBeTruthy();
      expect(en[form.hint], form.hint).toBeTruthy();
    }
  });

  it('every template key prefix in src is one this test knows, and all its keys exist', () => {
    const unknownTemplates: string[] = [];
    for (const [file, text] of src) {
      for (const m of text.matchAll(/\bt\(\s*`([^`]*)\$\{/g)) {
        const prefix = m[1]!.replace(/\.$/, '');
        if (!(prefix in TEMPLATE_KEYS)) unknownTemplates.push(`${m[1]}\${…} (${file})`);
      }
    }
    expect(unknownTemplates).toEqual([]);
    const missing = Object.values(TEMPLATE_KEYS)
      .flat()
      .filter((k) => !(k in id) || !(k in en));
    expect(missing).toEqual([]);
  });

  it('a count of one takes the .one form, and every .one form has its plural beside it', () => {
    const tEn = translator('en');
    expect(tEn('admin.pendingTitle', { n: 1 })).toBe('1 transaction not yet final:');
    expect(tEn('admin.pendingTitle', { n: 2 })).toBe('2 transactions not yet final, oldest first:');
    expect(tEn('prices.groupLine', { group: 'BPJS', count: 1 })).toBe('BPJS: 1 product');
    expect(translator('id')('history.title', { n: 3 })).toBe('3 transaksi terakhir:');
    for (const table of [id, en]) {
      for (const k of Object.keys(table).filter((k) => k.endsWith('.one'))) expect(table[k.slice(0, -4)], k).toBeTruthy();
    }
  });

  it('the translator fills placeholders and keeps unknown ones', () => {
    const t = translator('id');
    expect(t('saldo', { saldo: 'Rp 1.000' })).toBe('Saldo Anda Rp 1.000.');
    expect(t('inquiry.refused', {})).toContain('{reason}');
    expect(t('no.such.key')).toBe('no.such.key');
    expect(translator('en')('saldo', { saldo: 'Rp 1.000' })).toBe('Your saldo is Rp 1.000.');
  });
});
