/**
 * QRIS fees (Rp 750 + 0.7% in Tripay's guide) and QRIS_FEE_PAID_BY: `reseller` asks Tripay for enough that
 * the operator still receives the deposit; `operator` asks for the deposit. The saldo credited is the deposit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelFees, feeOn, planQrisDeposit, type QrisChannel, qrisDepositRange } from '../../../src/providers/tripay/fees.ts';

const QRIS: QrisChannel = {
  code: 'QRIS',
  name: 'QRIS',
  minAmount: 1_000,
  maxAmount: 5_000_000,
  feeMerchant: { flat: 750, percent: 0.7 },
  feeCustomer: { flat: 0, percent: 0 },
};

describe('QRIS fees', () => {
  it('is Rp 750 + 0.7%, the percent rounded up to the rupiah (Tripay’s fee calculator: 100.000 → 1.450)', () => {
    expect(feeOn(QRIS.feeMerchant, 100_000)).toBe(1_450);
    expect(feeOn(QRIS.feeMerchant, 12_345)).toBe(750 + 87);
    expect(feeOn({ flat: 0, percent: 0 }, 100_000)).toBe(0);
  });

  it('reseller pays: the least amount asked that still leaves the deposit after the merchant fee', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 4_900_000 }), (deposit) => {
        const p = planQrisDeposit(QRIS, deposit, 'reseller');
        const received = p.ask - channelFees(QRIS, p.ask).merchant;
        expect(received).toBeGreaterThanOrEqual(deposit);
        expect(p.ask - 1 - channelFees(QRIS, p.ask - 1).merchant).toBeLessThan(deposit);
        expect(p).toMatchObject({ credit: deposit, payerPays: p.ask, fee: channelFees(QRIS, p.ask).merchant, feePaidBy: 'reseller' });
      }),
    );
    expect(planQrisDeposit(QRIS, 100_000, 'reseller')).toEqual({ credit: 100_000, ask: 101_461, payerPays: 101_461, fee: 1_461, feePaidBy: 'reseller' });
  });

  it('operator pays: the deposit is asked as it is and the fee comes off what the operator receives', () => {
    expect(planQrisDeposit(QRIS, 100_000, 'operator')).toEqual({ credit: 100_000, ask: 100_000, payerPays: 100_000, fee: 1_450, feePaidBy: 'operator' });
  });

  it('a channel set to charge the payer adds its fee to what the payer pays in either mode', () => {
    const customer = { ...QRIS, feeMerchant: { flat: 0, percent: 0 }, feeCustomer: { flat: 750, percent: 0.7 } };
    expect(planQrisDeposit(customer, 100_000, 'reseller')).toEqual({ credit: 100_000, ask: 100_000, payerPays: 101_450, fee: 1_450, feePaidBy: 'reseller' });
    expect(planQrisDeposit(customer, 100_000, 'operator')).toMatchObject({ ask: 100_000, payerPays: 101_450 });
  });

  it('keeps the whole fee within the channel’s minimum and maximum fee', () => {
    const bounded = { ...QRIS, minimumFee: 1_000, maximumFee: 2_000 };
    expect(channelFees(bounded, 10_000)).toEqual({ merchant: 1_000, customer: 0 });
    expect(channelFees(bounded, 1_000_000)).toEqual({ merchant: 2_000, customer: 0 });
  });

  it('the deposits a channel takes: the reseller’s top is lowered by the fee that must fit under the maximum', () => {
    expect(qrisDepositRange(QRIS, 'operator')).toEqual({ min: 1_000, max: 5_000_000 });
    const r = qrisDepositRange(QRIS, 'reseller');
    expect(planQrisDeposit(QRIS, r.max, 'reseller').ask).toBeLessThanOrEqual(5_000_000);
    expect(planQrisDeposit(QRIS, r.max + 1, 'reseller').ask).toBeGreaterThan(5_000_000);
  });

  it('refuses a deposit that is not whole rupiah above 0', () => {
    for (const d of [0, -5, 10.5]) expect(() => planQrisDeposit(QRIS, d, 'reseller')).toThrow();
  });
});
