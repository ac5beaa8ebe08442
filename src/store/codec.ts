/** Stored state is read back through zod: a corrupt or foreign value fails loudly instead of moving money. */
import { z } from 'zod';
import type { LedgerEntry, Quote, Transaction, TxEvent } from '../bot/store.ts';
import { DETAIL_KEYS } from '../bot/provider.ts';

const rupiah = z.number().int();
const detail = z.object({ key: z.enum(DETAIL_KEYS), value: z.string().optional(), amount: rupiah.optional() });

const bill = z.object({
  product: z.string(),
  productName: z.string(),
  customerNo: z.string(),
  customerName: z.string(),
  period: z.string().optional(),
  details: z.array(detail),
  bill: rupiah,
  admin: rupiah,
  total: rupiah,
  debit: rupiah,
  ref: z.record(z.string(), z.string()).optional(),
});

const quote = z.object({
  id: z.string(),
  txId: z.string(),
  user: z.string(),
  provider: z.enum(['mmbc', 'iak', 'iak-prepaid']),
  product: z.string(),
  asked: z.string().optional(),
  family: z.enum([
    'pln-postpaid', 'pln-prepaid', 'pln-nontaglis', 'bpjs', 'telkom', 'pdam', 'tv', 'halo', 'pgn', 'multifinance',
    'ewallet', 'pbb', 'pulsa', 'other',
  ]),
  bill,
  markup: rupiah,
  network: z.array(z.object({ account: z.string(), markup: rupiah.nonnegative() })).optional(),
  price: rupiah.nonnegative(),
  createdAt: z.number(),
  expiresAt: z.number(),
  pinOk: z.boolean().optional(),
});

const receipt = z.object({
  invoice: z.string().optional(),
  reference: z.string().optional(),
  at: z.string().optional(),
  token: z.string().optional(),
  kwh: z.string().optional(),
  footer: z.string().optional(),
  customerName: z.string().optional(),
  details: z.array(detail),
  debit: rupiah.optional(),
});

const ledgerEntry = z.object({
  at: z.number(),
  amount: rupiah,
  reason: z.enum(['payment', 'refund', 'deposit', 'transfer-in', 'transfer-out', 'adjustment', 'komisi', 'tukar-komisi']),
  txId: z.string().optional(),
  saldoAfter: rupiah,
  note: z.string().optional(),
});

const txEvent = z.object({ at: z.number(), type: z.string(), data: z.unknown().optional() });

const txHash = z.object({
  user: z.string(),
  status: z.enum(['RESERVED', 'SENDING', 'PENDING', 'SETTLED', 'FAILED']),
  quote: z.string(),
  createdAt: z.coerce.number(),
  updatedAt: z.coerce.number(),
  saldoAfter: z.coerce.number().int(),
  messageId: z.string().optional(),
  invoice: z.string().optional(),
  receipt: z.string().optional(),
  reason: z.string().optional(),
  flagged: z.string().optional(),
  paidBy: z.string().optional(),
  commissioned: z.string().optional(),
});

export function parseQuote(raw: string): Quote {
  return quote.parse(JSON.parse(raw)) as Quote;
}

export function parseLedgerEntry(raw: string): LedgerEntry {
  return ledgerEntry.parse(JSON.parse(raw)) as LedgerEntry;
}

export function parseTxEvent(raw: string): TxEvent {
  return txEvent.parse(JSON.parse(raw)) as TxEvent;
}

export function parseTransaction(id: string, hash: Record<string, string>): Transaction {
  const h = txHash.parse(hash);
  const tx: Transaction = {
    id,
    user: h.user,
    quote: parseQuote(h.quote),
    status: h.status,
    createdAt: h.createdAt,
    updatedAt: h.updatedAt,
    saldoAfter: h.saldoAfter,
  };
  if (h.messageId) tx.messageId = h.messageId;
  if (h.invoice) tx.invoice = h.invoice;
  if (h.receipt) tx.receipt = receipt.parse(JSON.parse(h.receipt)) as Transaction['receipt'];
  if (h.reason) tx.reason = h.reason;
  if (h.flagged) tx.flagged = h.flagged;
  if (h.paidBy) tx.paidBy = h.paidBy;
  if (h.commissioned === '1') tx.commissioned = true;
  return tx;
}
