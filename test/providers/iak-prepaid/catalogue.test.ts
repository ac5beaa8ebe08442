import { describe, expect, it } from 'vitest';
import { priceList } from '../../../src/bot/prices.ts';
import { Catalogue } from '../../../src/bot/catalogue.ts';
import { translator } from '../../../src/bot/i18n.ts';
import type { CatalogueEntry } from '../../../src/bot/provider.ts';
import { checkCustomerNo, describe as describeEntry, faceValue, pickPulsa, prepaidEntries } from '../../../src/providers/iak-prepaid/catalogue.ts';
import { readPriceRows } from '../../../src/providers/iak-prepaid/schemas.ts';
import { SIM_PRICE_LIST } from '../../../src/providers/iak-prepaid/sim-products.ts';

const entries = prepaidEntries(readPriceRows(SIM_PRICE_LIST).rows);
const byCode = new Map(entries.map((e) => [e.code, e]));
const entry = (code: string) => byCode.get(code)!;

describe('IAK prepaid price list → catalogue', () => {
  it('pulsa: grouped by operator, face value as nominal, IAK price as a fixed debit', () => {
    expect(entry('htelkomsel10000')).toEqual({
      provider: 'iak-prepaid', code: 'htelkomsel10000', name: 'Pulsa Telkomsel', group: 'Pulsa Telkomsel', family: 'pulsa', nominal: 10_000,
      admin: 850, debit: { kind: 'fixed', amount: 10_850 }, available: true,
    });
    // Cheaper than its face value: no admin, the margin is the counter's.
    expect(entry('xld25000')).toMatchObject({ group: 'Pulsa XL', nominal: 25_000, admin: 0, debit: { kind: 'fixed', amount: 24_850 } });
    expect(entry('hbyu10000')).toMatchObject({ group: 'Pulsa by.U Telkomsel', name: 'Pulsa by.U Telkomsel' });
    expect(entry('hthree10000').group).toBe('Pulsa Tri');
  });

  it('a closed product is listed, closed', () => {
    expect(entry('htelkomsel150000')).toMatchObject({ available: false, nominal: 150_000 });
  });

  it('data, PLN tokens, e-money, game and shopping vouchers', () => {
    expect(entry('tseldata15000')).toMatchObject({ group: 'Data Telkomsel', name: 'Telkomsel Data 2GB 30 hari', admin: 0, debit: { kind: 'fixed', amount: 14_700 } });
    expect(entry('tseldata15000').nominal).toBeUndefined();
    expect(entry('hpln20000')).toMatchObject({ group: 'Token PLN', family: 'pln-prepaid', nominal: 20_000, admin: 1_500 });
    expect(entry('gopay20000')).toMatchObject({ group: 'E-Money GoPay', name: 'GoPay', nominal: 20_000, admin: 1000 });
    expect(entry('hsteam12000')).toMatchObject({ group: 'Voucher Game Steam Wallet (IDR)', nominal: 12_000 });
    expect(entry('alfamart100')).toMatchObject({ group: 'Voucher Alfamart', nominal: 100_000, admin: 0, debit: { kind: 'fixed', amount: 99_750 } });
  });

  it('leaves off what the bot cannot take a number for: a player id, a card, a foreign number', () => {
    for (const code of ['hmobilelegend110', 'mandirietoll50000', 'altel10']) expect(byCode.has(code), code).toBe(false);
  });

  it('HARGA PULSA, HARGA DATA, HARGA TELKOMSEL each find theirs; codes are case-insensitive', () => {
    const t = translator('id');
    const catalogue = new Catalogue(entries);
    const pulsa = priceList(catalogue, 'PULSA', t);
    expect(pulsa).toContain('htelkomsel10000');
    expect(pulsa).toContain('xld25000');
    expect(pulsa).not.toContain('tseldata15000');
    const data = priceList(catalogue, 'DATA', t);
    expect(data).toContain('tseldata15000');
    expect(data).not.toContain('htelkomsel10000');
    const tsel = priceList(catalogue, 'TELKOMSEL', t);
    expect(tsel).toContain('htelkomsel10000');
    expect(tsel).toContain('tseldata15000');
    expect(tsel).toContain('hbyu10000');
    expect(tsel).not.toContain('xld25000');
    expect(catalogue.get('XLD25000')?.code).toBe('xld25000');
  });

  it('what an entry is, read back from its group (as it comes out of the cache)', () => {
    const cached = JSON.parse(JSON.stringify(entries)) as CatalogueEntry[];
    const d = (code: string) => describeEntry(cached.find((e) => e.code === code)!);
    expect(d('htelkomsel10000')).toEqual({ kind: 'pulsa', operator: 'telkomsel' });
    expect(d('hbyu10000')).toEqual({ kind: 'pulsa', operator: 'byu' });
    expect(d('xldata25000')).toEqual({ kind: 'data', operator: 'xl' });
    expect(d('hpln50000')).toEqual({ kind: 'pln' });
    expect(d('gopay20000')).toEqual({ kind: 'emoney' });
    expect(d('hsteam12000')).toEqual({ kind: 'game' });
    expect(d('alfamart100')).toEqual({ kind: 'voucher' });
    expect(describeEntry({ provider: 'mmbc', group: 'Pulsa Telkomsel', family: 'other' })).toBeUndefined();
  });

  it('face values', () => {
    expect(faceValue('10000')).toBe(10_000);
    expect(faceValue('Voucher Alfamart Rp 100.000')).toBe(100_000);
    expect(faceValue('110 Diamonds')).toBeUndefined();
    expect(faceValue('-')).toBeUndefined();
  });
});

describe('the number a product takes, checked before any call', () => {
  it('a number of another operator is refused with whose it is', () => {
    expect(checkCustomerNo(entry('htelkomsel10000'), '0812-3456-7890')).toEqual({ ok: true, customerNo: '081234567890' });
    expect(checkCustomerNo(entry('htelkomsel10000'), '+62 817 1234 5678')).toEqual({ ok: false, reason: 'wrong-operator', product: 'telkomsel', belongsTo: 'xl' });
    expect(checkCustomerNo(entry('hbyu10000'), '081234567890')).toEqual({ ok: false, reason: 'wrong-operator', product: 'byu', belongsTo: 'telkomsel' });
    expect(checkCustomerNo(entry('htelkomsel10000'), '085155012345')).toEqual({ ok: true, customerNo: '085155012345' });
    expect(checkCustomerNo(entry('htelkomsel10000'), '088912345678')).toEqual({ ok: false, reason: 'wrong-operator', product: 'telkomsel' });
    expect(checkCustomerNo(entry('htelkomsel10000'), '12345')).toEqual({ ok: false, reason: 'bad-number' });
  });

  it('e-money and vouchers take any mobile number; PLN a meter of 11 or 12 digits', () => {
    expect(checkCustomerNo(entry('gopay20000'), '0877-1234-5678')).toEqual({ ok: true, customerNo: '087712345678' });
    expect(checkCustomerNo(entry('hpln20000'), '123 4567 8901')).toEqual({ ok: true, customerNo: '12345678901' });
    expect(checkCustomerNo(entry('hpln20000'), '081234567890')).toEqual({ ok: true, customerNo: '081234567890' });
    expect(checkCustomerNo(entry('hpln20000'), '1234')).toEqual({ ok: false, reason: 'bad-number' });
  });
});

describe('PULSA <NOMOR> <NOMINAL>', () => {
  it('the operator from the prefix, the cheapest open product of that nominal', () => {
    const extra: CatalogueEntry = { ...entry('htelkomsel10000'), code: 'htelkomselmurah10000', debit: { kind: 'fixed', amount: 10_400 } };
    const pick = pickPulsa([...entries, extra], '0812-3456-7890', 10_000);
    expect(pick).toMatchObject({ ok: true, customerNo: '081234567890', entry: { code: 'htelkomselmurah10000' } });
    expect(pickPulsa(entries, '6281712345678', 25_000)).toMatchObject({ ok: true, entry: { code: 'xld25000' } });
    // A by.U number is Telkomsel's.
    expect(pickPulsa(entries, '085155012345', 10_000)).toMatchObject({ ok: true, entry: { code: 'htelkomsel10000' } });
  });

  it('no such nominal, only a closed one, an unknown prefix, not a number', () => {
    expect(pickPulsa(entries, '081234567890', 15_000)).toEqual({ ok: false, reason: 'no-nominal', operator: 'telkomsel' });
    expect(pickPulsa(entries, '081234567890', 150_000)).toEqual({ ok: false, reason: 'closed', operator: 'telkomsel' });
    expect(pickPulsa(entries, '088912345678', 10_000)).toEqual({ ok: false, reason: 'unknown-operator' });
    expect(pickPulsa(entries, 'abc', 10_000)).toEqual({ ok: false, reason: 'bad-number' });
  });
});
