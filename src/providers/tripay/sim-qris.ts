/**
 * A QRIS payload of the shape the national standard sets (EMVCo merchant-presented TLV, dynamic, amount in
 * tag 54, CRC-16/CCITT-FALSE in tag 63) for the Tripay simulator: scanned in the sandbox it reads as a QRIS
 * code with the right amount; it pays no one. The reference rides in tag 62 (bill number), as acquirers do.
 */

function tlv(id: string, value: string): string {
  if (value.length > 99) throw new Error(`QRIS tag ${id} holds at most 99 characters`);
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over the payload up to and including "6304". */
export function qrisCrc(payload: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(payload, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

export function sandboxQrisString(opts: { merchantCode: string; reference: string; amount: number; merchantName?: string }): string {
  const body =
    tlv('00', '01') +
    tlv('01', '12') +
    tlv('26', tlv('00', 'ID.CO.SANDBOX.WWW') + tlv('01', '936000000000000000') + tlv('02', opts.merchantCode.slice(0, 15)) + tlv('03', 'UMI')) +
    tlv('51', tlv('00', 'ID.CO.QRIS.WWW') + tlv('02', 'ID1000000000000') + tlv('03', 'UMI')) +
    tlv('52', '5999') +
    tlv('53', '360') +
    tlv('54', String(opts.amount)) +
    tlv('58', 'ID') +
    tlv('59', (opts.merchantName ?? 'PPOB SANDBOX').slice(0, 25)) +
    tlv('60', 'JAKARTA') +
    tlv('61', '10110') +
    tlv('62', tlv('01', opts.reference.slice(0, 25)));
  const withCrcTag = `${body}6304`;
  return withCrcTag + qrisCrc(withCrcTag);
}
