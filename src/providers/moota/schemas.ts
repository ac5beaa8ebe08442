/**
 * Moota's webhook push (docs/moota-notes.md): a JSON array of bank mutations, each as Moota's mutation API
 * shows one (`mutation_id`, `amount`, `type` CR/DB, `date`, `description`, `bank_id`, `account_number`, a
 * `bank` object, `note`, `balance`, …). Moota adds fields over time, so unknown ones are let through and
 * dropped here; a field we rely on with the wrong type refuses the whole push (400), so nothing half-read is
 * ever acted on. The amount becomes integer rupiah here, once: Moota sends it as a number (50000) in pushes
 * and as a decimal string ("100123.00") in its API.
 */
import { z } from 'zod';
import { parseRupiah } from '../amounts.ts';

/** Moota's mutation and bank ids are short opaque strings ("aolk4PekJxM"); far longer is not Moota. */
const id = z.string().trim().min(1).max(64);

/** Moota leaves optional text empty, or null. */
const optText = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => (v === undefined || v === null || v.trim() === '' ? undefined : v.trim()));

/** `"2021-10-05 10:25:16"`: Moota's dates are wall-clock time in Jakarta (UTC+7, no daylight saving). */
const MOOTA_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/;
const WIB_OFFSET_MS = 7 * 3600_000;

/** Epoch ms of a Moota date, or undefined when it is not one (kept as text either way). */
export function mootaDateMs(date: string): number | undefined {
  const m = MOOTA_DATE.exec(date);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - WIB_OFFSET_MS;
  // Date.UTC rolls 2021-02-31 over into March: such a date is not one.
  const back = new Date(ms + WIB_OFFSET_MS);
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? ms : undefined;
}

/**
 * The amount as Moota sends it: a number or a decimal string. Its size in whole rupiah, and whether it was
 * whole: a transfer with cents (rare, but banks allow it) is rounded for display and never matched to a
 * ticket's exact amount by itself.
 */
const amount = z.union([z.string(), z.number()]).transform((input, ctx) => {
  const value = parseRupiah(input);
  if (value === undefined) {
    ctx.issues.push({ code: 'custom', message: `not an amount: ${JSON.stringify(input)}`, input });
    return z.NEVER;
  }
  const whole = typeof input === 'number' ? Number.isInteger(input) : /^0*$/.test(fractionOf(input) ?? '');
  return { rupiah: Math.abs(value), whole };
});

const mutationShape = z.looseObject({
  mutation_id: id,
  amount,
  type: z.enum(['CR', 'DB']),
  date: z.string().trim().min(1),
  description: z.union([z.string(), z.null()]).optional().transform((v) => (v ?? '').trim()),
  bank_id: id.optional(),
  account_number: z.union([z.string(), z.number()]).transform(String).optional(),
  note: optText,
  bank: z.looseObject({ bank_type: optText, label: optText }).nullish(),
});

export interface MootaMutation {
  /** Moota's own id: the operation key of whatever this mutation does (`moota:<mutationId>`). */
  mutationId: string;
  type: 'CR' | 'DB';
  /** True for a credit (money in). A debit is parsed and kept for the record, never credited. */
  credit: boolean;
  /** Whole rupiah, positive: `type` says the direction. */
  amount: number;
  /** False when Moota's amount had cents (rounded in `amount`): it then matches no ticket by itself. */
  wholeRupiah: boolean;
  /** As Moota wrote it, Jakarta time: `2021-10-05 10:25:16`. */
  date: string;
  /** `date` as epoch ms, when it reads as a date. */
  at?: number;
  description: string;
  /** The Moota bank account the mutation is on, when Moota says. */
  bankId?: string;
  accountNumber?: string;
  /** `bca`, `bri`, `qris`, … */
  bankType?: string;
  note?: string;
}

export const mootaMutation = mutationShape.transform(
  (m): MootaMutation => ({
    mutationId: m.mutation_id,
    type: m.type,
    credit: m.type === 'CR',
    amount: m.amount.rupiah,
    wholeRupiah: m.amount.whole,
    date: m.date,
    ...optional('at', mootaDateMs(m.date)),
    description: m.description,
    ...optional('bankId', m.bank_id),
    ...optional('accountNumber', m.account_number),
    ...optional('bankType', m.bank?.bank_type?.toLowerCase()),
    ...optional('note', m.note),
  }),
);

/**
 * One push. It may carry the same mutation twice (Moota's own sample does), and the same mutation again in a
 * later push: acting once per `mutationId` is the receiver's job, not the parser's.
 */
export const mootaPush = z.array(mootaMutation);

/** The decimals of an amount written as text ("100123.50" → "50", "18.182,00" → "00"), if it has any. */
function fractionOf(input: string): string | undefined {
  const t = input.trim().replace(/^rp\.?\s*/i, '').replace(/^-\s*/, '');
  return /^\d+\.(\d{1,2})$/.exec(t)?.[1] ?? /,(\d+)$/.exec(t)?.[1];
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
