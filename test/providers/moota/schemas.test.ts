/**
 * Moota's push as its docs show mutations (docs/moota-notes.md): amounts as numbers or decimal strings
 * become integer rupiah once, debits are kept but flagged, unknown fields pass, wrong types refuse the push.
 */
import { describe, expect, it } from 'vitest';
import { mootaDateMs, mootaPush } from '../../../src/providers/moota/schemas.ts';

/** The fields of a mutation in Moota's mutation API and webhook samples, with values of our own. */
const base = {
  account_number: '7650583974',
  date: '2026-11-30 09:41:07',
  description: 'TRSF E-BANKING CR 3011/FTSCY/WS95031 150.123 SITI',
  amount: '150123.00',
  type: 'CR',
  note: '',
  balance: '2500123.00',
  created_at: '2026-11-30 09:56:10',
  updated_at: '2026-11-30 09:56:10',
  mutation_id: 'aB3dE5gH7jK',
  token: 'aB3dE5gH7jK',
  bank_id: 'Qw8eR7tY6uI',
  taggings: [],
  bank: { corporate_id: null, username: 'ppob', atas_nama: 'PPOB', bank_type: 'BCA', label: 'BCA', interval_refresh: 15, is_active: true },
};

describe('mootaPush', () => {
  it('reads the documented mutation: integer rupiah, Jakarta time, bank, unknown fields dropped', () => {
    const [m] = mootaPush.parse([base]);
    expect(m).toEqual({
      mutationId: 'aB3dE5gH7jK',
      type: 'CR',
      credit: true,
      amount: 150123,
      wholeRupiah: true,
      date: '2026-11-30 09:41:07',
      at: Date.UTC(2026, 10, 30, 2, 41, 7),
      description: 'TRSF E-BANKING CR 3011/FTSCY/WS95031 150.123 SITI',
      bankId: 'Qw8eR7tY6uI',
      accountNumber: '7650583974',
      bankType: 'bca',
    });
  });

  it('takes the amount as a number too (the webhook sample), and flags a debit without dropping it', () => {
    const out = mootaPush.parse([
      { ...base, amount: 50000 },
      { ...base, mutation_id: 'DbDbDbDb001', type: 'DB', amount: '133041.00', description: 'BIAYA ADM' },
    ]);
    expect(out.map((m) => [m.mutationId, m.type, m.credit, m.amount])).toEqual([
      ['aB3dE5gH7jK', 'CR', true, 50000],
      ['DbDbDbDb001', 'DB', false, 133041],
    ]);
  });

  it('an amount with cents is rounded but marked, so it never matches a ticket by itself', () => {
    const out = mootaPush.parse([
      { ...base, amount: '150122.50' },
      { ...base, amount: 150122.5 },
      { ...base, amount: '150.123,00' },
      { ...base, amount: '150.123' },
    ]);
    expect(out.map((m) => [m.amount, m.wholeRupiah])).toEqual([
      [150123, false],
      [150123, false],
      [150123, true],
      [150123, true],
    ]);
  });

  it('keeps a push that carries the same mutation twice, in order: acting once is the receiver’s job', () => {
    expect(mootaPush.parse([base, base]).map((m) => m.mutationId)).toEqual(['aB3dE5gH7jK', 'aB3dE5gH7jK']);
    expect(mootaPush.parse([])).toEqual([]);
  });

  it('tolerates what Moota leaves empty or null, and a bank left out', () => {
    const { bank: _bank, note: _note, ...bare } = base;
    const [m] = mootaPush.parse([{ ...bare, description: null, bank_id: undefined, account_number: 7650583974 }]);
    expect(m).toMatchObject({ description: '', accountNumber: '7650583974' });
    expect(m).not.toHaveProperty('bankId');
    expect(mootaPush.parse([{ ...base, bank: null }])[0]).not.toHaveProperty('bankType');
  });

  it('refuses a push whose fields we rely on have the wrong type or are missing', () => {
    const bad: unknown[] = [
      { ...base },
      [{ ...base, amount: true }],
      [{ ...base, amount: 'Rp lima puluh ribu' }],
      [{ ...base, type: 'credit' }],
      [{ ...base, mutation_id: 42 }],
      [{ ...base, mutation_id: '' }],
      [{ ...base, date: 20261130 }],
      [{ ...base, description: 7 }],
      [(({ amount: _a, ...rest }) => rest)(base)],
      ['aB3dE5gH7jK'],
    ];
    for (const b of bad) expect(mootaPush.safeParse(b).success, JSON.stringify(b).slice(0, 80)).toBe(false);
  });

  it('reads Moota dates as Jakarta time and leaves what is no date', () => {
    expect(mootaDateMs('2021-10-05 00:00:00')).toBe(Date.UTC(2021, 9, 4, 17, 0, 0));
    expect(mootaDateMs('2021-02-31 10:00:00')).toBeUndefined();
    expect(mootaDateMs('kemarin')).toBeUndefined();
    expect(mootaPush.parse([{ ...base, date: 'kemarin' }])[0]).not.toHaveProperty('at');
  });
});
