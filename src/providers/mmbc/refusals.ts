/**
 * Which MMBC refusals are about the customer's bill (unknown number, already paid, nothing owed) rather than
 * about MMBC itself (product down, its deposit, its login). MMBC gives only free text, so these are its words.
 */
const ABOUT_THE_BILL = [
  /TIDAK DITEMUKAN/i,
  /NOMOR (PELANGGAN |METER |HP )?SALAH/i,
  /IDPEL SALAH/i,
  /SUDAH (DI ?)?BAYAR/i,
  /SUDAH LUNAS|\bLUNAS\b/i,
  /TERBAYAR/i,
  /(TIDAK|BELUM) ADA TAGIHAN/i,
  /TAGIHAN (BELUM|TIDAK) TERSEDIA/i,
  /DIBLOKIR|TERBLOKIR/i,
  /TIDAK TERDAFTAR/i,
];

export function mmbcRefusalIsAboutTheBill(reason: string): boolean {
  return ABOUT_THE_BILL.some((re) => re.test(reason));
}
