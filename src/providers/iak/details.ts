/** Which family an IAK product belongs to, and what of its `desc` a summary and a receipt show. */
import type { Detail, Family } from '../../bot/provider.ts';
import { isBlank } from '../amounts.ts';
import { pbbDesc, plnDesc } from './schemas.ts';

export const IAK_PLN = 'PLNPOSTPAID';

/** The families this bot serves from IAK; the rest of IAK's postpaid list stays off the catalogue. */
export function iakFamily(code: string, type = ''): Family | undefined {
  const c = code.trim().toUpperCase();
  if (c === IAK_PLN) return 'pln-postpaid';
  if (type.trim().toLowerCase() === 'pbb' || /^PBB/.test(c)) return 'pbb';
  return undefined;
}

export function iakDetails(family: Family | undefined, desc: unknown): Detail[] {
  if (family === 'pln-postpaid') return plnDetails(desc);
  if (family === 'pbb') return pbbDetails(desc);
  return [];
}

const v = (value: string | undefined): string | undefined => (isBlank(value) ? undefined : value!.trim());

function push(out: Detail[], key: Detail['key'], value: string | undefined): void {
  const shown = v(value);
  if (shown !== undefined) out.push({ key, value: shown });
}

function plnDetails(desc: unknown): Detail[] {
  const parsed = plnDesc.safeParse(desc);
  if (!parsed.success) return [];
  const d = parsed.data;
  const out: Detail[] = [];
  const tarif = v(d.tarif);
  const daya = v(d.daya);
  // MMBC's tarifdaya reads "R1/1300 VA"; IAK sends the two apart.
  if (tarif || daya) out.push({ key: 'tariff', value: [tarif, daya && `${daya} VA`].filter(Boolean).join('/') });
  const months = d.tagihan?.detail ?? [];
  const first = v(months[0]?.meter_awal);
  const last = v(months.at(-1)?.meter_akhir);
  if (first && last) out.push({ key: 'standMeter', value: `${first} - ${last}` });
  push(out, 'sheets', d.lembar_tagihan);
  // IAK: "If lembar_tagihan_sisa > 0, then you have to include it in your receipt".
  if (Number(d.lembar_tagihan_sisa ?? 0) > 0) push(out, 'sheetsLeft', d.lembar_tagihan_sisa);
  const penalty = months.reduce((sum, m) => sum + (m.denda ?? 0), 0);
  if (penalty > 0) out.push({ key: 'penalty', amount: penalty });
  return out;
}

function pbbDetails(desc: unknown): Detail[] {
  const parsed = pbbDesc.safeParse(desc);
  if (!parsed.success) return [];
  const d = parsed.data;
  const out: Detail[] = [];
  push(out, 'taxYear', d.tahun_pajak);
  const place = [d.lokasi, d.kelurahan, d.kecamatan, d.kab_kota].map(v).filter(Boolean);
  if (place.length) out.push({ key: 'location', value: place.join(', ') });
  push(out, 'landArea', d.luas_tanah);
  push(out, 'buildingArea', d.luas_gedung);
  push(out, 'dueDate', d.jatuh_tempo);
  if ((d.denda ?? 0) > 0) out.push({ key: 'penalty', amount: d.denda! });
  return out;
}
