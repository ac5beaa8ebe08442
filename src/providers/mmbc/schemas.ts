/**
 * The MMBC PPOB answers as the documents show them (mmbc-ppob-api.txt). Amounts leave here as
 * integer rupiah; texts stay as given (blank and "-" are dropped later, where they are shown).
 * Only the fields every family sends are required, and unknown keys pass through to the record.
 */
import { z } from 'zod';
import { OWN_REASONS } from '../../bot/provider.ts';
import { debit, optionalRupiah, rupiah } from '../amounts.ts';

/** A text field; MMBC sometimes sends digits as numbers. */
const text = z.union([z.string(), z.number()]).transform(String);
const optText = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === undefined || v === null ? undefined : String(v)));

export const mmbcRefusal = z.looseObject({
  result: z.literal('no'),
  reason: optText.transform((r) => r?.trim() || OWN_REASONS.none),
  saldo: optionalRupiah,
});
export type MmbcRefusal = z.output<typeof mmbcRefusal>;

export const mmbcPriceRow = z.looseObject({
  ppob_grup: text,
  ppob_produk: text,
  ppob_kodeproduk: text,
  ppob_nominal: optionalRupiah,
  ppob_admin: optionalRupiah,
  ppob_debet: debit,
  ppob_status: optText,
});
export type MmbcPriceRow = z.output<typeof mmbcPriceRow>;

export const mmbcPriceList = z.union([z.array(mmbcPriceRow), mmbcRefusal]);

/** Fields a bill, a payment and a status answer may carry, across every family. */
const common = {
  ppob_tanggal: optText,
  ppob_produk: optText,
  ppob_kodeproduk: optText,
  ppob_namapelanggan: optText,
  ppob_nomorpelanggan: optText,
  ppob_kodeagen: optText,
  ppob_bulantagihan: optText,
  ppob_periodebayar: optText,
  // per-family texts (see families.ts for which belong to whom)
  ppob_tarifdaya: optText,
  ppob_standmeter: optText,
  ppob_jumlahtunggakan: optText,
  ppob_voucher: optText,
  ppob_nomormeter: optText,
  ppob_nomorregistrasi: optText,
  ppob_jenisbayar: optText,
  ppob_jumlahpeserta: optText,
  ppob_namapeserta: optText,
  ppob_detailtagihan: optText,
  ppob_volumepemakaian: optText,
  ppob_metertagihan: optText,
  ppob_nomorpolisi: optText,
  ppob_kendaraan: optText,
  ppob_angsuranke: optText,
  ppob_sisatenor: optText,
  ppob_jatuhtempo: optText,
  ppob_totalkwh: optText,
  // amounts
  ppob_totaltagihan: optionalRupiah,
  ppob_admin: optionalRupiah,
  ppob_totalbayar: optionalRupiah,
  ppob_debet: optionalRupiah,
  ppob_debet_token: optionalRupiah,
  ppob_nominal: optionalRupiah,
  ppob_materai: optionalRupiah,
  ppob_ppn: optionalRupiah,
  ppob_ppj: optionalRupiah,
  ppob_angsuran: optionalRupiah,
  ppob_rptoken: optionalRupiah,
  ppob_sisaangsuran: optionalRupiah,
  ppob_denda: optionalRupiah,
  ppob_saldo: optionalRupiah,
};

/** cektagihan, `result: ok`: without the bill's amounts there is nothing to quote. */
export const mmbcBill = z.looseObject({
  ...common,
  result: z.literal('ok'),
  ppob_totaltagihan: rupiah,
  ppob_totalbayar: rupiah,
});
export type MmbcBill = z.output<typeof mmbcBill>;

/**
 * bayartagihan and cekstatus, `result: ok`. Deliberately lenient: a payment that went through must
 * not turn "unreadable" (and so wait for an admin) because a field it does not need is missing.
 */
export const mmbcPayment = z.looseObject({
  ...common,
  result: z.literal('ok'),
  ppob_invoice: optText,
  ppob_status: optText,
  ppob_reff: optText,
  ppob_sn: optText,
  ppob_stroomtoken: optText,
  ppob_footer: optText,
});
export type MmbcPayment = z.output<typeof mmbcPayment>;

export const mmbcInquiryAnswer = z.discriminatedUnion('result', [mmbcBill, mmbcRefusal]);
export const mmbcPaymentAnswer = z.discriminatedUnion('result', [mmbcPayment, mmbcRefusal]);
