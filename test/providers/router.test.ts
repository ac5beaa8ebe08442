import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { CatalogueEntry, InquiryOutcome, InquiryRequest, Provider, ProviderName } from '../../src/bot/provider.ts';
import { fallsOver } from '../../src/providers/fallover.ts';
import { createProviderRouter, type Preference } from '../../src/providers/router.ts';
import { mergeCatalogue } from '../../src/providers/shared.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';

const log = pino({ level: 'silent' });

const entry = (provider: ProviderName, code: string, plus: number, over: Partial<CatalogueEntry> = {}): CatalogueEntry => ({
  provider, code, name: `${provider} ${code}`, group: 'PLN Group', family: 'pln-postpaid', admin: 2500, debit: { kind: 'bill-plus', plus }, available: true, ...over,
});

const MMBC_PLN = entry('mmbc', 'PLN', 700);
const IAK_PLN = entry('iak', 'PLNPOSTPAID', 1000);
const TOKEN = entry('mmbc', 'PLNS100', 0, { family: 'pln-prepaid', debit: { kind: 'fixed', amount: 100_700 } });
const PBB = entry('iak', 'PBBKOT.CIMAHI', 5000, { family: 'pbb', group: 'PBB' });

const bill = (name: string) => ({ product: 'X', productName: name, customerNo: '1', customerName: name, details: [], bill: 1, admin: 0, total: 1, debit: 1 });
const ok = (name: string): InquiryOutcome => ({ ok: true, bill: bill(name) });

function fake(name: ProviderName, list: CatalogueEntry[], answer: (req: InquiryRequest) => InquiryOutcome) {
  const asked: string[] = [];
  const provider: Provider = {
    name,
    priceList: async () => list,
    inquire: async (req) => {
      asked.push(req.product.code);
      return answer(req);
    },
    pay: async () => ({ status: 'pending', reason: 'x' }),
    status: async () => ({ status: 'pending', reason: 'x' }),
    canAskStatus: () => true,
  };
  return { provider, asked };
}

async function setup(opts: {
  preference?: Preference;
  mmbc?: (req: InquiryRequest) => InquiryOutcome;
  iak?: (req: InquiryRequest) => InquiryOutcome;
  mmbcList?: CatalogueEntry[];
  iakList?: CatalogueEntry[];
}) {
  const m = fake('mmbc', opts.mmbcList ?? [MMBC_PLN, TOKEN], opts.mmbc ?? (() => ok('from mmbc')));
  const i = fake('iak', opts.iakList ?? [IAK_PLN, PBB], opts.iak ?? (() => ok('from iak')));
  const router = createProviderRouter([m.provider, i.provider], createMemoryStore(), log, { preference: opts.preference ?? 'cheapest' });
  const catalogue = await router.catalogue({ refresh: true });
  const pln = catalogue.find((e) => e.code === 'PLN')!;
  const inquire = (product: CatalogueEntry = pln) => router.inquire({ product, customerNo: '123456789', refId: 'TX1' });
  return { router, catalogue, pln, inquire, mmbc: m.asked, iak: i.asked };
}

describe('one catalogue from both price lists', () => {
  it('a product both sell is one entry under its own code, priced by the preferred provider; each own code stays', () => {
    const merged = mergeCatalogue([[MMBC_PLN, TOKEN], [IAK_PLN, PBB]], 'cheapest');
    expect(merged.map((e) => `${e.provider}:${e.code}`)).toEqual(['mmbc:PLN', 'mmbc:PLNS100', 'iak:PLNPOSTPAID', 'iak:PBBKOT.CIMAHI']);
    const iak = mergeCatalogue([[MMBC_PLN, TOKEN], [IAK_PLN, PBB]], 'iak');
    expect(iak[0]).toEqual({ ...IAK_PLN, code: 'PLN' });
    expect(iak.filter((e) => e.code === 'PLN')).toHaveLength(1);
  });

  it('cheapest is the debit over the bill, then the admin fee', () => {
    const cheapIak = entry('iak', 'PLNPOSTPAID', 500);
    expect(mergeCatalogue([[MMBC_PLN], [cheapIak]], 'cheapest')[0]).toMatchObject({ provider: 'iak', code: 'PLN' });
    const sameDebitLowerAdmin = entry('iak', 'PLNPOSTPAID', 700, { admin: 2000 });
    expect(mergeCatalogue([[MMBC_PLN], [sameDebitLowerAdmin]], 'cheapest')[0]).toMatchObject({ provider: 'iak' });
    expect(mergeCatalogue([[MMBC_PLN], [entry('iak', 'PLNPOSTPAID', 700)]], 'cheapest')[0]).toMatchObject({ provider: 'mmbc' });
  });

  it('PLN still works when only IAK lists it, and stays open while either provider is open', () => {
    expect(mergeCatalogue([[TOKEN], [IAK_PLN]], 'mmbc').map((e) => `${e.provider}:${e.code}`)).toEqual(['mmbc:PLNS100', 'iak:PLN', 'iak:PLNPOSTPAID']);
    const closed = { ...MMBC_PLN, available: false };
    expect(mergeCatalogue([[closed], [IAK_PLN]], 'mmbc')[0]).toMatchObject({ provider: 'iak', code: 'PLN', available: true });
    expect(mergeCatalogue([[closed], [{ ...IAK_PLN, available: false }]], 'mmbc')[0]).toMatchObject({ code: 'PLN', available: false });
  });
});

describe('routing an inquiry', () => {
  it('goes to the preferred provider and says which entry answered', async () => {
    const s = await setup({ preference: 'iak' });
    const r = await s.inquire();
    expect(r.entry).toBe(s.catalogue.find((e) => e.code === 'PLNPOSTPAID'));
    expect(r.outcome).toMatchObject({ ok: true, bill: { productName: 'from iak' } });
    expect([s.mmbc, s.iak]).toEqual([[], ['PLNPOSTPAID']]);
    const c = await setup({ preference: 'cheapest' });
    expect((await c.inquire()).entry).toMatchObject({ provider: 'mmbc', code: 'PLN' });
    expect([c.mmbc, c.iak]).toEqual([['PLN'], []]);
  });

  it('falls over when the preferred one is unavailable, or refuses for its own reasons', async () => {
    for (const outcome of [
      { ok: false, kind: 'unavailable', reason: 'mmbc cektagihan unreachable: HTTP 502' },
      { ok: false, kind: 'refused', reason: 'ERROR PLN: PRODUK SEDANG GANGGUAN' },
      { ok: false, kind: 'refused', reason: 'Mohon maaf, sisa saldo anda JKT-1 tidak cukup!' },
    ] as const) {
      const s = await setup({ mmbc: () => outcome });
      const r = await s.inquire();
      expect(r.entry, outcome.reason).toMatchObject({ provider: 'iak', code: 'PLNPOSTPAID' });
      expect(r.outcome).toMatchObject({ ok: true });
      expect([s.mmbc, s.iak]).toEqual([['PLN'], ['PLNPOSTPAID']]);
    }
  });

  it('does not fall over on an answer about the bill: the other provider asks the same biller', async () => {
    const s = await setup({ mmbc: () => ({ ok: false, kind: 'refused', reason: 'ERROR PLN 1: IDPEL TIDAK DITEMUKAN' }) });
    expect(await s.inquire()).toMatchObject({ outcome: { ok: false, kind: 'refused', reason: 'ERROR PLN 1: IDPEL TIDAK DITEMUKAN' }, entry: { provider: 'mmbc' } });
    expect(s.iak).toEqual([]);
    const i = await setup({ preference: 'iak', iak: () => ({ ok: false, kind: 'refused', reason: 'BILL HAS BEEN PAID (RC 34)' }) });
    expect((await i.inquire()).outcome).toMatchObject({ kind: 'refused', reason: 'BILL HAS BEEN PAID (RC 34)' });
    expect(i.mmbc).toEqual([]);
  });

  it('when both fail, a refusal is shown rather than silence', async () => {
    const s = await setup({
      mmbc: () => ({ ok: false, kind: 'unavailable', reason: 'timed out' }),
      iak: () => ({ ok: false, kind: 'refused', reason: 'PRODUCT IS TEMPORARILY OUT OF SERVICE (RC 106)' }),
    });
    expect(await s.inquire()).toMatchObject({ outcome: { kind: 'refused', reason: 'PRODUCT IS TEMPORARILY OUT OF SERVICE (RC 106)' }, entry: { provider: 'iak' } });
    const both = await setup({ mmbc: () => ({ ok: false, kind: 'unavailable', reason: 'a' }), iak: () => ({ ok: false, kind: 'unavailable', reason: 'b' }) });
    expect(await both.inquire()).toMatchObject({ outcome: { kind: 'unavailable', reason: 'a' }, entry: { provider: 'mmbc' } });
  });

  it('skips a closed offer, and sends a provider\'s own code to that provider only', async () => {
    const s = await setup({ mmbcList: [{ ...MMBC_PLN, available: false }], mmbc: () => ok('never') });
    expect((await s.inquire()).entry).toMatchObject({ provider: 'iak' });
    expect(s.mmbc).toEqual([]);
    const own = await setup({ iak: () => ({ ok: false, kind: 'unavailable', reason: 'down' }) });
    const r = await own.inquire(own.catalogue.find((e) => e.code === 'PLNPOSTPAID'));
    expect(r).toMatchObject({ outcome: { ok: false, kind: 'unavailable' }, entry: { provider: 'iak', code: 'PLNPOSTPAID' } });
    expect(own.mmbc).toEqual([]);
    const pbb = await own.inquire(PBB);
    expect(pbb.entry).toBe(PBB);
  });

  it('exposes the preference, and keeps the cached lists when a provider fails', async () => {
    const s = await setup({ preference: 'mmbc' });
    expect(s.router.preference).toBe('mmbc');
    expect(await s.router.catalogue()).toEqual(s.catalogue);
  });
});

describe('which failed inquiries fall over', () => {
  it.each([
    ['mmbc', 'ERROR PLN 1: IDPEL TIDAK DITEMUKAN', false],
    ['mmbc', 'ERROR PLN 1: NOMOR PELANGGAN SALAH', false],
    ['mmbc', 'TAGIHAN SUDAH TERBAYAR', false],
    ['mmbc', 'ERROR PLN: TAGIHAN SUDAH LUNAS', false],
    ['mmbc', 'BELUM ADA TAGIHAN', false],
    ['mmbc', 'ERROR PLN: PRODUK SEDANG GANGGUAN', true],
    ['mmbc', 'Please, request with your user! No dummy!', true],
    ['iak', 'BILL HAS BEEN PAID (RC 34)', false],
    ['iak', 'INCORRECT DESTINATION NUMBER (RC 14)', false],
    ['iak', 'WRONG AUTHENTICATION (RC 204)', true],
    ['iak', 'BALANCE NOT ENOUGH (RC 17)', true],
    ['iak', 'something without a code', true],
  ] as const)('%s refused "%s" → %s', (provider, reason, expected) => {
    expect(fallsOver(provider, { ok: false, kind: 'refused', reason })).toBe(expected);
  });

  it('unavailable always falls over; a bill never does', () => {
    expect(fallsOver('mmbc', { ok: false, kind: 'unavailable', reason: 'x' })).toBe(true);
    expect(fallsOver('iak', ok('x'))).toBe(false);
  });
});
