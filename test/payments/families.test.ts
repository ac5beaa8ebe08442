/**
 * Every product family through the whole bot: a reseller's message, the summary, YA, the receipt, against the
 * MMBC (PPOB and multipayment) and IAK simulators over HTTP, on real Redis and on the embedded store `npm start`
 * uses. Each flow checks the money too: debited once, paid once at the provider, the books balanced. Then the
 * router (preference, fall-over, never re-routed), the e-wallet minimum, REFUND, pending → status → settled, IAK
 * signatures, and bad numbers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rupiah } from '../../src/bot/format.ts';
import { ADMIN, ledgerBalances, RESELLER, STORES, type StoreKind, startTestBot, type TestBot } from '../helpers/app.ts';

const SALDO = 5_000_000;
let bot: TestBot | undefined;
const others: TestBot[] = [];
afterEach(async () => {
  for (const o of others.splice(0)) await o.stop();
  await bot?.stop();
  bot = undefined;
});

async function start(kind: StoreKind, env: Record<string, string> = {}): Promise<TestBot> {
  bot = await startTestBot({ store: kind, saldo: SALDO, env });
  return bot;
}

/** Columns are padded to the widest label of each block, so a line is compared with its spaces squashed. */
const squash = (text: string) => text.replace(/ +/g, ' ');

/** Providers' booked payments, whichever served it. */
const booked = (b: TestBot) => b.sim.payments.length + b.sim.reloads.length + b.iak.payments.length;

/** Inquiry, YA, and the money rules every settled payment must keep. */
async function payOnce(b: TestBot, text: string): Promise<{ summary: string; receipt: string }> {
  const summary = await b.say(RESELLER, text);
  expect(summary, text).toMatch(/Balas YA untuk bayar|Reply YA to pay/);
  const before = booked(b);
  const saldo = await b.store.getSaldo(RESELLER);
  const receipt = await b.say(RESELLER, 'YA');
  expect(receipt, `${text}\n${receipt}`).toMatch(/^(STRUK PEMBAYARAN|PAYMENT RECEIPT)/);
  const [tx] = await b.store.listTx(RESELLER, 1);
  expect(tx?.status).toBe('SETTLED');
  expect(await b.store.getSaldo(RESELLER)).toBe(saldo - tx!.quote.price);
  expect(booked(b) - before, text).toBe(1);
  expect(await ledgerBalances(b.store, RESELLER)).toBe(true);
  return { summary, receipt };
}

/** [command, what the summary and the receipt both show, what the receipt adds, what neither shows] */
const FAMILIES: Array<[string, string[], string[], string[]]> = [
  ['PLN 532100112233', ['SITI AMINAH · R1/1300 VA · Okt 2026', 'Stand meter 00041210 - 00041388', 'Tagihan        Rp 254.300'], ['Invoice'], []],
  ['PLNS100 14123456789', ['AGUS SETIAWAN · R1/1300 VA', 'Voucher TOKEN PLN 100.000', 'Nominal        Rp 100.000'], ['TOKEN: ', 'kWh: ', 'PPJ', 'Informasi Hubungi Call Center 123'], ['Tagihan ']],
  ['PLNNONTAGLIS 5392110012345', ['ELIAS BALA', 'No. registrasi 5392110012345', 'ID pelanggan   532110987654', 'Jenis bayar    MIGRASI PRABAYAR'], [], []],
  ['BPJSKS 8888801234567', ['SRI WAHYUNI · 01 BULAN', 'Jumlah peserta 03 ORANG', 'Peserta        1. SRI WAHYUNI 2. BAMBANG HERMAWAN 3. DWI LESTARI'], [], []],
  ['TELKOM 0216234567', ['WARIS SASTRA PERANGINANGIN · OKT', 'Tunggakan 1', 'Admin          Rp   3.000'], ['Rincian   OKT Rp 275000'], []],
  ['SPEEDY 122310012345', ['ISMET ZAINI', 'Tagihan        Rp 385.000'], [], []],
  ['PDAM KOT MEDAN 123456', ['PDAM Kota Medan · 123456', 'ZULKIFLI LUBIS · Okt 2026', 'Pemakaian 18 M3'], [], ['202610']],
  ['PDAM ATB BATAM 123456', ['RAMADHANUS · Okt 2026'], [], ['Pemakaian']],
  ['MNCVISION 401234567890', ['EKA OTAVIANI · 24/10/2026-23/11/2026', 'Tagihan        Rp 361.400'], [], []],
  ['TOPTV 1500123456', ['TRI ASTUTIK · 02/11/2026-01/12/2026'], [], []],
  ['HALO 08116550204', ['HALO · 08116550204', 'IGNXXXXXXXXXXXXXXXXNAN', 'Tagihan        Rp 165.000'], [], []],
  ['MATRIX 081587654321', ['ARDXXXX'], [], []],
  ['PGN 0110012345', ['LASMO · Okt 2026', 'Pemakaian 23 M3'], [], []],
  ['MCF 1234567890', ['AHYUDI', 'No. polisi  B 4512 KJT', 'Kendaraan   HONDA VARIO 125', 'Angsuran ke 4', 'Jatuh tempo 15/11/2026', 'Denda       Rp 15.000'], [], ['20261115']],
  ['WOM 801234567890', ['MIPTAHUL CHOIRI', 'Angsuran ke 9', 'Jatuh tempo 23/11/2026'], [], ['No. polisi', 'Kendaraan', 'Sisa tenor']],
  ['GOPAY 081234567890 100000', ['GoPay · 081234567890', 'Penerima GOPAY BUDI SANTOSO', 'Nominal        Rp 100.000', 'Admin          Rp   2.000'], ['Ref '], ['Tagihan ']],
  ['OVO 081398765432 250000', ['Penerima OVO SITI NURHALIZA', 'Nominal        Rp 250.000', 'Total bayar    Rp 251.500'], [], []],
  ['PLNPOSTPAID 537700112233', ['NYOMAN ARIASA · R1/900 VA · Jun 2026, Jul 2026, Agu 2026, Sep 2026', 'Stand meter         00030100 - 00030429', 'Lembar tagihan      4', 'Sisa lembar tagihan 1', 'Denda               Rp 18.000'], [], []],
  ['PBBKOT.CIMAHI 327703000401005610', ['PBB Kota Cimahi · 327703000401005610', 'H. ASEP SUNANDAR', 'Tahun pajak   2026', 'Lokasi        KO. GRIYA ASRI CIPAGERAN, CIPAGERAN, CIMAHI UTARA, PEMKOT CIMAHI', 'Luas tanah    113 M2', 'Luas bangunan 47 M2', 'Jatuh tempo   31/08/2026'], [], []],
  ['pbbkab bandung 320401000100200300', ['DEDE KURNIASIH', 'Denda         Rp 8.250'], [], []],
];

describe.each(STORES)('every family: summary and receipt with its own details, paid once (%s store)', (kind) => {
  it.each(FAMILIES)('%s', async (text, both, receiptOnly, neither) => {
    const b = await start(kind);
    const { summary, receipt } = await payOnce(b, text);
    for (const line of both) {
      expect(squash(summary), `summary of ${text}:\n${summary}`).toContain(squash(line));
      expect(squash(receipt), `receipt of ${text}:\n${receipt}`).toContain(squash(line));
    }
    for (const line of receiptOnly) expect(squash(receipt), `receipt of ${text}:\n${receipt}`).toContain(squash(line));
    for (const line of neither) expect(`${summary}\n${receipt}`).not.toContain(line);
    // No blank or "-" detail ever reaches the user.
    expect(`${summary}\n${receipt}`).not.toMatch(/ -$|:\s*$/m);
  });

  it('the receipt of a token has the 20 digits in groups of four, as MMBC booked them', async () => {
    const b = await start(kind);
    const { receipt } = await payOnce(b, 'PLNS50 123456789');
    const token = b.sim.payments.at(-1)!.token!;
    expect(receipt).toContain(`TOKEN: ${token.match(/\d{4}/g)!.join(' ')}`);
  });

  it('English labels in the en locale', async () => {
    const b = await start(kind, { LOCALE: 'en' });
    const { summary, receipt } = await payOnce(b, 'MCF 1234567890');
    for (const s of [summary, receipt]) {
      expect(s).toMatch(/^Instalment no\.?\s+4$/im);
      expect(s).toMatch(/^Plate( no\.)?\s+B 4512 KJT$/im);
      expect(s).not.toMatch(/\bdetail\.\w+/);
    }
    expect((await payOnce(b, 'PLNNONTAGLIS 5392110012345')).summary).toMatch(/^Customer ID\s+532110987654$/m);
  });
});

describe.each(STORES)('e-wallet top-ups (%s store)', (kind) => {
  it('a nominal under Rp 50.000 is refused with the minimum, before any call', async () => {
    const b = await start(kind);
    expect(await b.say(RESELLER, 'GOPAY 081234567890 49999')).toBe('Nominal GOPAY paling sedikit Rp 50.000. Tagihan tidak dicek.');
    expect(await b.say(RESELLER, 'GOPAY.081234567890.10000')).toContain('paling sedikit Rp 50.000');
    expect(b.sim.calls.inquiry_merchant).toBe(0);
    expect(await b.store.getQuote(RESELLER)).toBeNull();
  });

  it('REFUND gives the money back at once, with a ledger entry', async () => {
    const b = await start(kind);
    await b.say(RESELLER, 'GOPAY 081200000003 100000');
    const reply = await b.say(RESELLER, 'YA');
    expect(reply).toContain('GAGAL');
    expect(reply).toContain('biller mengembalikan dananya (REFUND)');
    const [tx] = await b.store.listTx(RESELLER, 1);
    expect(tx?.status).toBe('FAILED');
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO);
    expect((await b.store.ledger(RESELLER, 10)).filter((e) => e.txId === tx!.id).map((e) => e.reason).sort()).toEqual(['payment', 'refund']);
  });

  it('PENDING → status_reload → settled: the receipt follows, no admin needed', async () => {
    const b = await start(kind);
    await b.say(RESELLER, 'GOPAY 081200000001 150000');
    expect(await b.say(RESELLER, 'YA')).toContain('sedang diproses');
    const [tx] = await b.store.listTx(RESELLER, 1);
    expect(tx?.invoice).toBeDefined();
    b.advance(2_000);
    await b.app.worker.tick();
    b.advance(5_000);
    await b.app.worker.tick();
    expect((await b.store.getTx(RESELLER, tx!.id))?.status).toBe('SETTLED');
    expect(b.inbox.get(RESELLER)?.[0]?.text).toContain('Penerima GOPAY RINA MARLINA');
    expect(b.inbox.get(ADMIN)).toBeUndefined();
    expect(b.sim.calls.reload_merchant).toBe(1);
    expect(await ledgerBalances(b.store, RESELLER)).toBe(true);
  });

  it('PENDING → status_reload says REFUND → refunded and told', async () => {
    const b = await start(kind);
    await b.say(RESELLER, 'GOPAY 081200000005 100000');
    await b.say(RESELLER, 'YA');
    const [tx] = await b.store.listTx(RESELLER, 1);
    b.advance(2_000);
    await b.app.worker.tick();
    expect((await b.store.getTx(RESELLER, tx!.id))?.status).toBe('FAILED');
    expect(b.inbox.get(RESELLER)?.[0]?.text).toContain('GAGAL');
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO);
  });

  it('a timed-out top-up has no invoice to ask about: pending, the admins told at once, never sent again', async () => {
    const b = await start(kind);
    await b.say(RESELLER, 'GOPAY 081200000002 100000');
    expect(await b.say(RESELLER, 'YA')).toContain('sedang diproses');
    const [tx] = await b.store.listTx(RESELLER, 1);
    expect(b.inbox.get(ADMIN)?.[0]?.text).toContain(tx!.id);
    b.advance(60 * 60_000);
    await b.app.worker.tick();
    expect((await b.store.getTx(RESELLER, tx!.id))?.status).toBe('PENDING');
    expect(b.sim.calls.reload_merchant).toBe(1);
    expect(b.inbox.get(ADMIN)).toHaveLength(1);
  });
});

describe.each(STORES)('IAK outcomes (%s store)', (kind) => {
  it('39 → checkstatus by our ref_id → settled, without bothering the admins', async () => {
    const b = await start(kind);
    await b.say(RESELLER, 'PLNPOSTPAID 539900000001');
    expect(await b.say(RESELLER, 'YA')).toContain('sedang diproses');
    const [tx] = await b.store.listTx(RESELLER, 1);
    b.advance(2_000);
    await b.app.worker.tick();
    expect((await b.store.getTx(RESELLER, tx!.id))?.status).toBe('PENDING');
    b.advance(5_000);
    await b.app.worker.tick();
    expect((await b.store.getTx(RESELLER, tx!.id))?.status).toBe('SETTLED');
    expect(b.inbox.get(RESELLER)?.[0]?.text).toContain('AGUNG PRAKOSO');
    expect(b.inbox.get(ADMIN)).toBeUndefined();
    expect(b.iak.calls['pay-pasca']).toBe(1);
    expect(b.iak.payments.map((p) => p.refId)).toEqual([tx!.id]);
  });

  it('a hung payment is asked about by ref_id and settled; one that never arrived (42) is refunded', async () => {
    const b = await start(kind);
    await b.say(RESELLER, 'PLNPOSTPAID 539900000002');
    expect(await b.say(RESELLER, 'YA')).toContain('sedang diproses');
    const [hung] = await b.store.listTx(RESELLER, 1);
    await b.say(RESELLER, 'PLNPOSTPAID 539900000006');
    expect(await b.say(RESELLER, 'YA')).toContain('sedang diproses');
    const [lost] = await b.store.listTx(RESELLER, 1);
    b.advance(2_000);
    await b.app.worker.tick();
    expect((await b.store.getTx(RESELLER, hung!.id))?.status).toBe('SETTLED');
    // "Not received" two seconds after the payment may be a request still on its way: not yet a failure.
    expect((await b.store.getTx(RESELLER, lost!.id))?.status).toBe('PENDING');
    // Past twice the provider timeout (400 ms here) and 5 s more, it can no longer arrive: refunded.
    b.advance(6_000);
    await b.app.worker.tick();
    expect((await b.store.getTx(RESELLER, lost!.id))?.status).toBe('FAILED');
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO - hung!.quote.price);
    expect(b.inbox.get(ADMIN)).toBeUndefined();
    expect(b.iak.calls['pay-pasca']).toBe(2);
    expect(await ledgerBalances(b.store, RESELLER)).toBe(true);
  });

  it('a bill paid elsewhere between inquiry and payment (34) is refunded at once', async () => {
    const b = await start(kind);
    await b.say(RESELLER, 'PLNPOSTPAID 539900000003');
    expect(await b.say(RESELLER, 'YA')).toContain('tagihan ini sudah dibayar; kata biller: BILL HAS BEEN PAID (RC 34)');
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO);
  });
});

// Redis only: the second process shares the first one's Redis prefix; the embedded store lives in one process.
describe('IAK signatures (redis store)', () => {
  it('signatures: IAK refuses a wrong one, the inquiry says so and a payment signed wrong is refunded', async () => {
    const b = await start('redis');
    await b.say(RESELLER, 'PLNPOSTPAID 531234567890');
    // A second process on the same Redis whose IAK key is wrong (rotated on IAK's side): its catalogue comes from the cache.
    const wrong = await startTestBot({ sim: b.sim, iak: b.iak, prefix: b.prefix, env: { IAK_API_KEY: 'rotated-away' } });
    others.push(wrong);
    const reply = await wrong.say(RESELLER, 'YA');
    expect(reply).toContain('GAGAL');
    expect(reply).toContain('WRONG AUTHENTICATION (RC 204)');
    expect(await b.store.getSaldo(RESELLER)).toBe(SALDO);
    expect(b.iak.payments).toEqual([]);
    expect(await wrong.say(RESELLER, 'PBBKOT.CIMAHI 327703000401005610')).toContain('WRONG AUTHENTICATION (RC 204)');
    expect(b.iak.calls.badSign).toBeGreaterThanOrEqual(3);
  });
});

describe.each(STORES)('the product router (%s store)', (kind) => {
  it('PLN goes to the cheapest by default (MMBC here), and to IAK when preferred; the payment follows the inquiry', async () => {
    const b = await start(kind);
    await payOnce(b, 'PLN 123456789');
    expect([b.sim.calls.cektagihan, b.sim.payments.length, b.iak.calls['inq-pasca']]).toEqual([1, 1, 0]);
    await b.stop();

    const i = await start(kind, { PROVIDER_PREFERENCE: 'iak' });
    const { summary, receipt } = await payOnce(i, 'PLN 123456789');
    expect(summary).toContain('SUYITNO');
    expect(receipt).toContain('Lembar tagihan 1');
    expect([i.sim.calls.cektagihan, i.sim.calls.bayartagihan, i.iak.calls['inq-pasca'], i.iak.payments.length]).toEqual([0, 0, 1, 1]);
    const [tx] = await i.store.listTx(RESELLER, 1);
    expect(tx?.quote).toMatchObject({ provider: 'iak', product: 'PLNPOSTPAID', family: 'pln-postpaid' });
    expect(i.iak.payments[0]?.refId).toBe(tx!.id);
  });

  it('falls over to IAK when MMBC cannot answer the inquiry, and pays IAK', async () => {
    const b = await start(kind, { PROVIDER_PREFERENCE: 'mmbc' });
    const { summary } = await payOnce(b, 'PLN 532199887766');
    expect(summary).toContain('YULIANA');
    expect([b.sim.calls.cektagihan, b.sim.calls.bayartagihan, b.iak.payments.length]).toEqual([1, 0, 1]);
  });

  it("HARGA gives IAK's fee per bill sheet, and a four-sheet bill is debited four fees and one markup", async () => {
    const b = await start(kind);
    await b.say(ADMIN, 'MARKUP PLNPOSTPAID 100');
    const prices = await b.say(RESELLER, 'HARGA PLNPOSTPAID');
    const m = /tagihan \+ Rp ([\d.]+) per lembar \+ Rp 100 · Admin Rp [\d.]+ per lembar/.exec(prices);
    expect(m, prices).not.toBeNull();
    const fee = Number(m![1]!.replaceAll('.', ''));
    await b.say(RESELLER, 'PLNPOSTPAID 537700112233'); // four sheets
    const quote = await b.store.getQuote(RESELLER);
    expect(quote!.price).toBe(quote!.bill.bill + 4 * fee + 100);
  });

  it("charges the asked product's markup when another biller serves it", async () => {
    const b = await start(kind, { PROVIDER_PREFERENCE: 'mmbc' });
    await b.say(ADMIN, 'MARKUP PLN 5000');
    await b.say(ADMIN, 'MARKUP PLNPOSTPAID 0');
    const summary = await b.say(RESELLER, 'PLN 532199887766'); // MMBC answers 502, IAK serves it
    const quote = await b.store.getQuote(RESELLER);
    expect(quote).toMatchObject({ provider: 'iak', markup: 5_000 });
    expect(quote!.price).toBe(quote!.bill.debit + 5_000);
    expect(summary).toContain(`Saldo dipotong ${rupiah(quote!.price)}`);
  });

  it('does not fall over on an answer about the bill', async () => {
    const b = await start(kind);
    expect(await b.say(RESELLER, 'PLN 500000000009')).toContain('IDPEL TIDAK DITEMUKAN');
    expect(b.iak.calls['inq-pasca']).toBe(0);
  });

  it('a payment is never re-routed: the quote\'s provider answers HTTP 502, it stays there, pending, then settled', async () => {
    const b = await start(kind, { PROVIDER_PREFERENCE: 'iak' });
    await b.say(RESELLER, 'PLN 123456789');
    b.iak.setFault('123456789', 'http502');
    expect(await b.say(RESELLER, 'YA')).toContain('sedang diproses');
    expect(b.sim.calls.bayartagihan).toBe(0);
    b.advance(2_000);
    await b.app.worker.tick();
    const [tx] = await b.store.listTx(RESELLER, 1);
    expect(tx?.status).toBe('SETTLED');
    expect([b.sim.calls.bayartagihan, b.iak.calls['pay-pasca'], b.iak.payments.length]).toEqual([0, 1, 1]);
  });

  it('HARGA shows PLN once at the preferred price, IAK\'s own code and the e-wallets beside it', async () => {
    const b = await start(kind);
    const pln = await b.say(RESELLER, 'HARGA PLN');
    expect(pln.match(/^PLN · /gm)).toHaveLength(1);
    expect(pln).toContain('PLN · PLN Bulanan · tagihan + Rp 700');
    expect(pln).toContain('PLNPOSTPAID · PLN Pascabayar · tagihan + Rp 1.000');
    expect(await b.say(RESELLER, 'HARGA E-WALLET')).toContain('GOPAY · GoPay');
    expect(await b.say(RESELLER, 'HARGA PBB')).toMatch(/PBBKOT\.BANDUNG .*TUTUP/);
    expect(await b.say(RESELLER, 'PBBKOT.BANDUNG 327301000100200300')).toContain('sedang tutup');
    expect(b.iak.calls['inq-pasca']).toBe(0);
  });
});

describe.each(STORES)('numbers that cannot be right are refused with the expected form, before any call (%s store)', (kind) => {
  it.each([
    ['PLN 12345abcd', '9 sampai 12 angka'],
    ['PLN 12345678', '9 sampai 12 angka'],
    ['PLN 1234567890123', '9 sampai 12 angka'],
    ['PLNS100 1234', '9 sampai 12 angka'],
    ['PLNNONTAGLIS 12345', 'nomor registrasi'],
    ['BPJSKS 7788012345678', 'diawali 88'],
    ['BPJSKS 88123', 'diawali 88'],
    ['TELKOM 0215', 'nomor telepon rumah'],
    ['PDAM KOT MEDAN 12', 'nomor pelanggan PDAM'],
    ['MNCVISION 12ab56', 'nomor pelanggan TV'],
    ['HALO 12345678901', 'nomor HP'],
    ['HALO 0811', 'nomor HP'],
    ['HALO 08123456789012345', 'nomor HP'],
    ['MCF 123', 'nomor kontrak'],
    ['GOPAY 0812 100000', 'nomor HP'],
    ['GOPAY 712345678901 100000', 'nomor HP'],
    ['PLNPOSTPAID 53000000000A', '9 sampai 12 angka'],
    ['PBBKOT.CIMAHI 3273010001', 'NOP, 18 angka'],
    ['PBBKOT.CIMAHI 3277030004010056101', 'NOP, 18 angka'],
  ])('%s', async (text, form) => {
    const b = await start(kind);
    const reply = await b.say(RESELLER, text);
    expect(reply).toContain('tidak sesuai');
    expect(reply).toContain(form);
    const calls = { ...b.sim.calls, ...Object.fromEntries(Object.entries(b.iak.calls).filter(([k]) => k !== 'pricelist-pasca')) };
    delete calls.daftarharga;
    delete calls.list_merchant;
    expect(Object.values(calls).every((n) => n === 0), JSON.stringify(calls)).toBe(true);
  });

  it('the documents\' 9-digit PLN number is accepted', async () => {
    const b = await start(kind);
    expect(await b.say(RESELLER, 'PLN 123456789')).toContain('SUYITNO');
  });
});
