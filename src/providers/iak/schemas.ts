/**
 * IAK postpaid answers (iak-postpaid-pay-*.txt, iak-postpaid-notes.md): `{ "data": { … }, "meta": [] }`.
 * Amounts are JSON numbers (sometimes `302500.0`) or strings; they leave here as integer rupiah. `desc`
 * differs per product and is read by details.ts, never allowed to make a payment unreadable.
 */
import { z } from 'zod';
import { optionalRupiah } from '../amounts.ts';
import { optInt, optText, text } from '../fields.ts';

const envelope = <T extends z.ZodType>(data: T) => z.looseObject({ data, meta: z.unknown().optional() });

/** inq-pasca, pay-pasca and checkstatus share one shape; what is required depends on the verdict. */
export const iakBill = z.looseObject({
  tr_id: optText,
  code: optText,
  datetime: optText,
  hp: optText,
  tr_name: optText,
  period: optText,
  nominal: optionalRupiah,
  admin: optionalRupiah,
  price: optionalRupiah,
  selling_price: optionalRupiah,
  balance: optionalRupiah,
  noref: optText,
  no_ref: optText,
  ref_id: optText,
  response_code: optText,
  message: optText,
  /** checkstatus: 0 not received, 1 success, 2 failed, 3 in process. */
  status: optInt,
  desc: z.unknown().optional(),
});
export type IakBill = z.output<typeof iakBill>;

export const iakPriceRow = z.looseObject({
  code: text,
  name: text,
  /** 1 active, 4 not. */
  status: optInt,
  fee: optionalRupiah,
  komisi: optionalRupiah,
  type: optText,
  province: optText,
});
export type IakPriceRow = z.output<typeof iakPriceRow>;

export const iakPriceData = z.looseObject({
  pasca: z.array(iakPriceRow).optional(),
  response_code: optText,
  rc: optText,
  message: optText,
});

export const iakBillAnswer = envelope(iakBill);
export const iakPriceAnswer = envelope(iakPriceData);

const money = optionalRupiah;

export const plnDesc = z.looseObject({
  tarif: optText,
  daya: optText,
  lembar_tagihan: optText,
  lembar_tagihan_sisa: optText,
  tagihan: z
    .looseObject({
      detail: z
        .array(
          z.looseObject({
            meter_awal: optText,
            meter_akhir: optText,
            periode: optText,
            nilai_tagihan: money,
            admin: money,
            denda: money,
            total: money,
          }),
        )
        .optional(),
    })
    .optional(),
});

export const pbbDesc = z.looseObject({
  nop: optText,
  tahun_pajak: optText,
  lokasi: optText,
  kelurahan: optText,
  kecamatan: optText,
  kab_kota: optText,
  luas_tanah: optText,
  luas_gedung: optText,
  jatuh_tempo: optText,
  total_tagihan: money,
  denda: money,
  admin: money,
  total_bayar: money,
});
