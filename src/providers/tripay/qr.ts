/**
 * A QRIS payload as a PNG the payer scans from the chat: the image is made here from Tripay's `qr_string`
 * (never fetched from Tripay's `qr_url`), so the picture always says exactly what Tripay answered. Error
 * correction M (15%) is what QRIS issuers print; a module of 8 pixels and the standard 4-module quiet zone keep
 * a phone camera reading it off another phone's screen.
 */
import QRCode from 'qrcode';

/** QRIS payloads are a few hundred characters; a QR code holds at most about 2,300 at level M. */
export const MAX_QR_TEXT = 2_000;

export interface QrPngOptions {
  /** Pixels per module. */
  scale?: number;
  /** Quiet zone, in modules. */
  margin?: number;
}

export async function renderQrPng(text: string, opts: QrPngOptions = {}): Promise<Buffer> {
  if (text.length === 0 || text.length > MAX_QR_TEXT) throw new Error(`a QR payload is 1–${MAX_QR_TEXT} characters, got ${text.length}`);
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', scale: opts.scale ?? 8, margin: opts.margin ?? 4 });
}
