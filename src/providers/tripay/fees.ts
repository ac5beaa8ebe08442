/**
 * What a QRIS deposit costs and who bears it. Tripay charges a channel's fee (QRIS: Rp 750 + 0.7%) to the
 * merchant, the payer or both, as the merchant set that channel up in Tripay's dashboard; a request cannot
 * choose (docs/tripay-notes.md). QRIS_FEE_PAID_BY is ours: `reseller` asks Tripay for enough more that what
 * reaches the operator still covers the deposit; `operator` asks for the deposit itself and the operator's
 * receipts carry the fee. The saldo credited is the deposit asked for, either way. Tripay's answer is the
 * truth about its fees; these figures choose what to ask for and say it beforehand.
 */
import type { TripayFee } from './schemas.ts';

export type QrisFeePaidBy = 'reseller' | 'operator';

export interface QrisChannel {
  /** Tripay's channel code: `QRIS`, `QRIS2`, `QRISC`. */
  code: string;
  name: string;
  /** The amount Tripay accepts for one payment on this channel. */
  minAmount: number;
  maxAmount: number;
  feeMerchant: TripayFee;
  feeCustomer: TripayFee;
  minimumFee?: number;
  maximumFee?: number;
}

/** `flat` + `percent`% of `amount`, the percent part rounded up to the rupiah; no float ever decides it. */
export function feeOn(fee: TripayFee, amount: number): number {
  if (fee.flat === 0 && fee.percent === 0) return 0;
  const basisPoints = Math.round(fee.percent * 100);
  return fee.flat + Math.ceil((amount * basisPoints) / 10_000);
}

/** The channel's fee on `amount` split as Tripay would: the merchant's part and the part added for the payer. */
export function channelFees(channel: QrisChannel, amount: number): { merchant: number; customer: number } {
  let merchant = feeOn(channel.feeMerchant, amount);
  const customer = feeOn(channel.feeCustomer, amount);
  // The channel's bounds hold for the whole fee; what they move is the merchant's part.
  const total = merchant + customer;
  if (channel.minimumFee !== undefined && channel.minimumFee > 0 && total < channel.minimumFee) merchant += channel.minimumFee - total;
  if (channel.maximumFee !== undefined && channel.maximumFee > 0 && total > channel.maximumFee) merchant = Math.max(0, merchant - (total - channel.maximumFee));
  return { merchant, customer };
}

export interface QrisPlan {
  /** The saldo a PAID callback credits: the deposit asked for. */
  credit: number;
  /** What to send Tripay as the transaction's amount. */
  ask: number;
  /** What the payer is expected to pay: `ask` plus the part of the fee Tripay adds for the payer. */
  payerPays: number;
  /** The whole fee on this payment, and who bears it. */
  fee: number;
  feePaidBy: QrisFeePaidBy;
}

/**
 * `reseller`: the least `ask` whose merchant fee still leaves `deposit`, so the operator receives at least the
 * saldo it credits. `operator`: `ask` is the deposit. The payer's part of the fee (a channel set up so in
 * Tripay) is paid by the reseller in both modes: Tripay adds it, we cannot take it off.
 */
export function planQrisDeposit(channel: QrisChannel, deposit: number, feePaidBy: QrisFeePaidBy): QrisPlan {
  if (!Number.isSafeInteger(deposit) || deposit <= 0) throw new Error(`a QRIS deposit is whole rupiah above 0, got ${deposit}`);
  let ask = deposit;
  if (feePaidBy === 'reseller') {
    ask = deposit + channelFees(channel, deposit).merchant;
    // The fee grows with the amount: step up until it is covered (a few steps at most, the percent is small).
    while (ask - channelFees(channel, ask).merchant < deposit) ask++;
  }
  const fees = channelFees(channel, ask);
  const payerPays = ask + fees.customer;
  return { credit: deposit, ask, payerPays, fee: fees.merchant + fees.customer, feePaidBy };
}

/** The deposits this channel can take in this mode: its own bounds on what is asked of Tripay. */
export function qrisDepositRange(channel: QrisChannel, feePaidBy: QrisFeePaidBy): { min: number; max: number } {
  const fits = (d: number) => planQrisDeposit(channel, d, feePaidBy).ask <= channel.maxAmount;
  let lo = 1;
  let hi = channel.maxAmount;
  if (!fits(lo)) return { min: channel.minAmount, max: 0 };
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return { min: channel.minAmount, max: lo };
}
