/**
 * PLN prepaid tokens from two billers (issue 20), on both stores: `PLNS<k>` is one product to the user, served by
 * MMBC (`PLNS<k>`) or IAK prepaid (`hpln<rupiah>`) as PROVIDER_PREFERENCE says; the inquiry falls over to the
 * other biller only when it definitely failed at the first (down, or refused for a reason of its own), never
 * when the meter itself was refused, and the payment goes to the biller that answered the inquiry, never
 * re-routed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { tokenGroups } from '../../../src/bot/format.ts';
import { RESELLER, STORES, type StoreKind } from '../../helpers/app.ts';
import { callsOf, decided, inboxOf, lastTx, ledgerOf, PIN_CODE, type PrepaidBot, receiptsOf, startPrepaidBot, until } from '../../helpers/prepaid.ts';

let bot: PrepaidBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** IAK's sandbox meter (the simulator knows it) and one whose inquiry-pln answers HTTP 502. */
const IAK_METER = '12345678901';
const IAK_DOWN_METER = '14999999502';

const start = (kind: StoreKind, preference: string) => startPrepaidBot({ store: kind, env: { PROVIDER_PREFERENCE: preference } });
const mmbcCalls = (b: PrepaidBot) => ({ ...b.sim.calls });

describe.each(STORES)('PLN tokens from MMBC or IAK (%s store)', (kind) => {
  it('HARGA shows one PLNS20, priced as the preferred biller sells it', async () => {
    bot = await start(kind, 'iak');
    const iak = await bot.say(RESELLER, 'HARGA PLNS20');
    expect(iak.split('\n').filter((l) => l.startsWith('PLNS20 '))).toEqual([expect.stringContaining('Rp 21.500')]);
    expect(iak).not.toMatch(/^hpln20000 /m);
    await bot.stop();
    bot = await start(kind, 'mmbc');
    const mmbc = await bot.say(RESELLER, 'HARGA PLNS20');
    expect(mmbc.split('\n').filter((l) => l.startsWith('PLNS20 '))).toEqual([expect.stringContaining('Rp 20.700')]);
  });

  it('PROVIDER_PREFERENCE=iak: IAK’s inquiry-pln and top-up; the token comes with the callback; MMBC never asked', async () => {
    bot = await start(kind, 'iak');
    const before = mmbcCalls(bot);
    const summary = await bot.say(RESELLER, `PLNS20 ${IAK_METER}`);
    expect(summary).toContain('SINTYA OKTAVIANI');
    expect(summary).toContain('Saldo dipotong Rp 21.500');
    expect(callsOf(bot.prepaid)['inquiry-pln']).toBe(1);
    expect(await bot.say(RESELLER, 'YA')).toContain('sedang diproses');
    const tx = await lastTx(bot);
    expect(tx.quote).toMatchObject({ provider: 'iak-prepaid', product: 'hpln20000' });
    const t = await decided(bot.prepaid, tx.id);
    await until(() => receiptsOf(bot!).length === 1, 'the token');
    // IAK's SN is `token/name/segment/kWh`, the token dashed; the receipt shows its 20 digits in groups of four.
    const token = t.sn!.split('/')[0]!.replaceAll('-', '');
    expect(token).toMatch(/^\d{20}$/);
    expect(receiptsOf(bot)[0]).toContain(tokenGroups(token));
    expect((await bot.store.getTx(RESELLER, tx.id))?.receipt?.token).toBe(token);
    expect(mmbcCalls(bot)).toEqual(before);
  });

  it('PROVIDER_PREFERENCE=mmbc: MMBC serves it, IAK is never asked', async () => {
    bot = await start(kind, 'mmbc');
    const before = callsOf(bot.prepaid);
    expect(await bot.say(RESELLER, `PLNS20 ${IAK_METER}`)).toContain('Saldo dipotong Rp 20.700');
    expect(await bot.say(RESELLER, 'YA')).toContain('STRUK');
    expect((await lastTx(bot)).quote).toMatchObject({ provider: 'mmbc', product: 'PLNS20' });
    expect(callsOf(bot.prepaid)).toEqual(before);
  });

  it('cheapest (the default) picks MMBC’s 20.700 over IAK’s 21.500', async () => {
    bot = await start(kind, 'cheapest');
    await bot.say(RESELLER, `PLNS20 ${IAK_METER}`);
    expect((await bot.store.getQuote(RESELLER))?.provider).toBe('mmbc');
  });

  it('IAK’s inquiry down: falls over to MMBC, which serves and is paid', async () => {
    bot = await start(kind, 'iak');
    const summary = await bot.say(RESELLER, `PLNS20 ${IAK_DOWN_METER}`);
    expect(summary).toContain('Saldo dipotong Rp 20.700');
    expect(callsOf(bot.prepaid)['inquiry-pln']).toBe(1);
    expect(await bot.say(RESELLER, 'YA')).toContain('STRUK');
    expect((await lastTx(bot)).quote.provider).toBe('mmbc');
    expect(callsOf(bot.prepaid)['top-up']).toBe(0);
  });

  it('IAK refuses the meter itself (RC 14): said so, no fallover to MMBC', async () => {
    bot = await start(kind, 'iak');
    const before = mmbcCalls(bot);
    const reply = await bot.say(RESELLER, 'PLNS20 14000000001');
    expect(reply).toContain('Tagihan tidak bisa dicek');
    expect(mmbcCalls(bot)).toEqual(before);
    expect(await bot.store.getQuote(RESELLER)).toBeNull();
  });

  it('MMBC’s inquiry down with MMBC preferred: falls over to IAK; MMBC refusing the meter does not', async () => {
    bot = await start(kind, 'mmbc');
    bot.sim.setFault(IAK_METER, 'inquiry-down');
    expect(await bot.say(RESELLER, `PLNS20 ${IAK_METER}`)).toContain('SINTYA OKTAVIANI');
    expect((await bot.store.getQuote(RESELLER))?.provider).toBe('iak-prepaid');
    bot.sim.setFault(IAK_METER, 'inquiry-refuse');
    const asked = callsOf(bot.prepaid)['inquiry-pln'];
    expect(await bot.say(RESELLER, `PLNS50 ${IAK_METER}`)).toContain('Tagihan tidak bisa dicek');
    expect(callsOf(bot.prepaid)['inquiry-pln']).toBe(asked);
  });

  it('a top-up IAK refuses after its inquiry answered: refunded, never re-routed to MMBC', async () => {
    bot = await start(kind, 'iak');
    await bot.say(RESELLER, `PIN ${PIN_CODE}`);
    const before = mmbcCalls(bot);
    bot.prepaid.setFault(IAK_METER, 'refuse');
    const reply = await bot.say(RESELLER, `PLNS20.${IAK_METER}.${PIN_CODE}`);
    expect(reply).toContain('GAGAL');
    const tx = await lastTx(bot);
    expect(tx.status).toBe('FAILED');
    expect(await ledgerOf(bot, tx.id)).toEqual([{ amount: -21_500, reason: 'payment' }, { amount: 21_500, reason: 'refund' }]);
    expect(mmbcCalls(bot)).toEqual(before);
    expect(inboxOf(bot)).toEqual([]);
  });

  it('a token top-up left pending at IAK stays IAK’s: the status check settles it, MMBC never paid', async () => {
    bot = await startPrepaidBot({ store: kind, env: { PROVIDER_PREFERENCE: 'iak' }, callbacks: false });
    bot.prepaid.setFault(IAK_METER, 'http502');
    await bot.say(RESELLER, `PLNS20 ${IAK_METER}`);
    expect(await bot.say(RESELLER, 'YA')).toContain('sedang diproses');
    const tx = await lastTx(bot);
    await decided(bot.prepaid, tx.id);
    bot.advance(2_000);
    await bot.app.worker.tick();
    expect((await bot.store.getTx(RESELLER, tx.id))?.status).toBe('SETTLED');
    expect(receiptsOf(bot)).toHaveLength(1);
    expect(bot.sim.calls.bayartagihan).toBe(0);
    expect(callsOf(bot.prepaid)['top-up']).toBe(1);
  });
});

describe.each(STORES)('a PLN token IAK refused for its own reason (%s store)', (kind) => {
  it('the money comes back and MMBC’s summary is offered; MMBC is paid only on the YA that follows', async () => {
    // IAK's deposit with us is empty: its top-up is refused, 17 INSUFFICIENT DEPOSIT, which is about IAK, not the meter.
    bot = await startPrepaidBot({ store: kind, env: { PROVIDER_PREFERENCE: 'iak' }, prepaidSim: { balance: 0 } });
    expect(await bot.say(RESELLER, `PLNS20 ${IAK_METER}`)).toContain('Saldo dipotong Rp 21.500');
    const saldo = await bot.store.getSaldo(RESELLER);
    const before = mmbcCalls(bot);
    const replies = (await bot.say(RESELLER, 'YA')).split('\n---\n');
    expect(replies[0]).toContain('GAGAL');
    expect(await bot.store.getSaldo(RESELLER)).toBe(saldo);
    // The offer is a summary from MMBC, at MMBC's price; nothing is paid there yet.
    expect(replies[1]).toContain('Biller lain');
    expect(replies[1]).toContain('Saldo dipotong Rp 20.700');
    expect(bot.sim.calls.bayartagihan ?? 0).toBe(before.bayartagihan ?? 0);
    expect((await bot.store.getQuote(RESELLER))?.provider).toBe('mmbc');
    expect(await bot.say(RESELLER, 'YA')).toContain('STRUK');
    expect(bot.sim.calls.bayartagihan ?? 0).toBe((before.bayartagihan ?? 0) + 1);
    expect(await bot.store.getSaldo(RESELLER)).toBe(saldo - 20_700);
  });

  it('a refusal about the meter is final: no other biller is asked', async () => {
    bot = await startPrepaidBot({ store: kind, env: { PROVIDER_PREFERENCE: 'iak' } });
    bot.prepaid.setFault(IAK_METER, 'refuse');
    await bot.say(RESELLER, `PLNS20 ${IAK_METER}`);
    const before = mmbcCalls(bot);
    const replies = (await bot.say(RESELLER, 'YA')).split('\n---\n');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('GAGAL');
    expect(mmbcCalls(bot)).toEqual(before);
  });
});
