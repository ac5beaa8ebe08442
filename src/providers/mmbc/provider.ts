/**
 * MMBC behind the Provider port: MMBC's words turned into ours, erring towards "pending" whenever unsure.
 * Bills go to its PPOB API; e-wallet codes (from list_merchant) to its multipayment API (ewallet.ts).
 */
import {
  type Bill,
  type CatalogueEntry,
  type InquiryOutcome,
  OWN_REASONS,
  type PayOutcome,
  type Provider,
  type ProviderDebit,
  type Receipt,
} from '../../bot/provider.ts';
import { isBlank } from '../amounts.ts';
import { ProviderRefused } from '../errors.ts';
import { errorRecord, messageOf, withoutUndefined } from '../outcomes.ts';
import type { MmbcClient } from './client.ts';
import { inquireMerchant, merchantEntries, reloadMerchant, reloadStatus } from './ewallet.ts';
import { mmbcDetails, mmbcFamily, mmbcPeriod, tokenNominal } from './families.ts';
import type { MmbcPayment } from './schemas.ts';

export function createMmbcProvider(client: MmbcClient): Provider {
  /** The last e-wallet list that loaded: a multipayment outage must not empty the catalogue of its top-ups. */
  let wallets: CatalogueEntry[] = [];
  const isWallet = (code: string) => mmbcFamily(code) === 'ewallet' || wallets.some((w) => w.code === code.trim().toUpperCase());

  async function walletList(): Promise<CatalogueEntry[]> {
    try {
      const res = await client.merchants();
      if (res.ok) wallets = merchantEntries(res.answer);
    } catch {
      // keep the last list; the bills still load
    }
    return wallets;
  }

  return {
    name: 'mmbc',

    // cekstatus and status_reload both need the invoice, which a payment whose answer never came lacks.
    canAskStatus: (req) => Boolean(req.invoice),

    async priceList() {
      const [res, ewallets] = await Promise.all([client.priceList(), walletList()]);
      if (!res.ok) throw new ProviderRefused('mmbc', 'daftarharga', res.refusal.reason);
      const bills = res.answer.map((row): CatalogueEntry => {
        const family = mmbcFamily(row.ppob_kodeproduk, row.ppob_grup);
        const nominal = family === 'pln-prepaid' ? (row.ppob_nominal ?? tokenNominal(row.ppob_kodeproduk)) : undefined;
        return {
          provider: 'mmbc',
          code: row.ppob_kodeproduk.trim(),
          name: row.ppob_produk.trim(),
          group: row.ppob_grup.trim(),
          family,
          ...(nominal === undefined ? {} : { nominal }),
          admin: row.ppob_admin ?? 0,
          debit: row.ppob_debet,
          available: row.ppob_status?.trim().toLowerCase() === 'ready',
        };
      });
      return [...bills, ...ewallets];
    },

    async inquire(req): Promise<InquiryOutcome> {
      if (req.product.family === 'ewallet') return inquireMerchant(client, req);
      const { product, customerNo } = req;
      let res: Awaited<ReturnType<MmbcClient['inquire']>>;
      try {
        res = await client.inquire(product.code, customerNo);
      } catch (err) {
        return { ok: false, kind: 'unavailable', reason: messageOf(err) };
      }
      if (!res.ok) return { ok: false, kind: 'refused', reason: res.refusal.reason };
      const a = res.answer;
      const debit = a.ppob_debet ?? a.ppob_debet_token ?? debitFromCatalogue(product.debit, a.ppob_totaltagihan);
      if (debit === undefined) return { ok: false, kind: 'unavailable', reason: 'mmbc cektagihan: answer without ppob_debet' };
      const period = mmbcPeriod(a);
      const bill: Bill = {
        product: product.code,
        productName: text(a.ppob_produk) ?? product.name,
        customerNo,
        customerName: text(a.ppob_namapelanggan) ?? '',
        ...(period === undefined ? {} : { period }),
        details: mmbcDetails(product.family, a),
        bill: a.ppob_totaltagihan,
        admin: a.ppob_admin ?? 0,
        total: a.ppob_totalbayar,
        debit,
      };
      return { ok: true, bill };
    },

    async pay(req): Promise<PayOutcome> {
      // An e-wallet quote carries its nominal: that decides even when the merchant list could not be loaded.
      if (req.bill?.ref?.amount !== undefined || isWallet(req.product)) return reloadMerchant(client, req);
      let res: Awaited<ReturnType<MmbcClient['pay']>>;
      try {
        res = await client.pay(req.product, req.customerNo);
      } catch (err) {
        // Sent or not, paid or not: we cannot tell, and MMBC has no idempotency key to ask again with.
        return { status: 'pending', reason: messageOf(err), raw: errorRecord(err) };
      }
      if (!res.ok) return { status: 'failed', reason: res.refusal.reason, raw: res.raw };
      return outcomeOf(req.product, res.answer, res.raw);
    },

    async status(req) {
      if (isWallet(req.product)) return reloadStatus(client, req);
      if (!req.invoice) {
        return { status: 'unknowable', reason: 'mmbc cekstatus needs the invoice, which the payment never returned' };
      }
      const invoice = req.invoice;
      try {
        const res = await client.status(invoice, req.customerNo);
        // "No Data!" may only mean MMBC has not booked it yet: not a reason to refund.
        if (!res.ok) return { status: 'pending', reason: res.refusal.reason, invoice, raw: res.raw };
        return outcomeOf(req.product, res.answer, res.raw, invoice);
      } catch (err) {
        return { status: 'pending', reason: messageOf(err), invoice, raw: errorRecord(err) };
      }
    },
  };
}

function outcomeOf(code: string, a: MmbcPayment, raw: unknown, knownInvoice?: string): PayOutcome {
  const invoice = text(a.ppob_invoice) ?? knownInvoice;
  const pending = (reason: string): PayOutcome => ({ status: 'pending', reason, raw, ...(invoice ? { invoice } : {}) });
  const status = a.ppob_status?.trim().toLowerCase();
  if (status === 'gagal') return { status: 'failed', reason: OWN_REASONS.failed, raw };
  if (status === 'pending') return pending('pending');
  if (status !== 'confirm') return pending(status ? `unknown status ${status}` : 'no status');

  const family = mmbcFamily(code);
  const token = a.ppob_stroomtoken?.replace(/\D/g, '') || undefined;
  // A confirmed token purchase without the token is no use to the buyer; the status check will fetch it.
  if (family === 'pln-prepaid' && !token) return pending('confirmed without a token');
  const receipt: Receipt = withoutUndefined({
    invoice,
    reference: text(a.ppob_reff) ?? text(a.ppob_sn),
    at: text(a.ppob_tanggal),
    token,
    kwh: text(a.ppob_totalkwh),
    footer: text(a.ppob_footer),
    customerName: text(a.ppob_namapelanggan),
    details: mmbcDetails(family, a),
    debit: a.ppob_debet,
  });
  return { status: 'settled', receipt, raw };
}

function debitFromCatalogue(debit: ProviderDebit, bill: number): number | undefined {
  if (debit.kind === 'fixed') return debit.amount;
  if (debit.kind === 'bill-plus') return bill + debit.plus;
  return undefined;
}

function text(value: string | undefined): string | undefined {
  return isBlank(value) ? undefined : value!.trim();
}
