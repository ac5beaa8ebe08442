/** Text fields as providers send them: digits sometimes as numbers, "no value" sometimes as null. */
import { z } from 'zod';

export const text = z.union([z.string(), z.number()]).transform((v) => String(v).trim());

export const optText = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === undefined || v === null ? undefined : String(v).trim()));

/** A small whole number sent as 1 or "1"; anything else is left out rather than failing the answer. */
export const optInt = z
  .unknown()
  .optional()
  .transform((v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
    return Number.isSafeInteger(n) ? n : undefined;
  });
