/** The simulator's price list, written the way MMBC writes it ("2.500", "Tagihan + 700"). */

export interface SimProduct {
  group: string;
  name: string;
  code: string;
  /** Token face value; fixed-price products only. */
  nominal?: number;
  admin: number;
  /** A fixed debit, or the bill plus a fee. */
  debit: { fixed: number } | { plus: number };
  ready: boolean;
}

const token = (rupiah: number, ready = true): SimProduct => ({
  group: 'PLN Group',
  name: 'PLN Pra Bayar',
  code: `PLNS${rupiah / 1000}`,
  nominal: rupiah,
  admin: 2500,
  debit: { fixed: rupiah + 700 },
  ready,
});

const bill = (group: string, code: string, name: string, admin: number, plus: number, ready = true): SimProduct => ({
  group,
  name,
  code,
  admin,
  debit: { plus },
  ready,
});

export const SIM_PRODUCTS: readonly SimProduct[] = [
  bill('PLN Group', 'PLN', 'PLN Bulanan', 2500, 700),
  token(20_000),
  token(50_000),
  token(100_000),
  token(200_000),
  token(500_000),
  token(1_000_000, false),
  bill('PLN Group', 'PLNNONTAGLIS', 'PLN Non Taglis', 2500, 700),
  bill('BPJS', 'BPJSKS', 'BPJS Kesehatan', 2500, 1400),
  bill('PDAM', 'PDAM KOT MEDAN', 'PDAM Kota Medan', 2500, 1700),
  bill('PDAM', 'PDAM ATB BATAM', 'PDAM ATB Batam', 2500, 1600),
  bill('PDAM', 'PDAM KAB LOMBOK TENGAH', 'PDAM Kab. Lombok Tengah', 2500, 2100, false),
  bill('Telkom Group', 'TELKOM', 'TELKOM', 3000, 1500),
  bill('Telkom Group', 'SPEEDY', 'SPEEDY / IndiHome', 3000, 1500),
  bill('Telkom Group', 'TELKOMVISION', 'TELKOMVISION', 3000, 1500),
  bill('Kartu Postpaid', 'HALO', 'HALO', 2500, 500),
  bill('Kartu Postpaid', 'MATRIX', 'MATRIX', 2500, 500),
  bill('Kartu Postpaid', 'XPLOR', 'XPLOR', 2500, 500),
  bill('PGN', 'PGN', 'PGN', 2500, 2000),
  bill('TV Berlangganan', 'MNCVISION', 'MNCVISION', 0, 500),
  bill('TV Berlangganan', 'TOPTV', 'TOPTV', 0, 500),
  bill('TV Berlangganan', 'OKEVISION', 'OKEVISION', 0, 500),
  bill('Multifinance', 'MCF', 'MCF', 0, 500),
  bill('Multifinance', 'MAF', 'MAF', 0, 500),
  bill('Multifinance', 'WOM', 'WOM Finance', 0, 500),
  bill('Multifinance', 'BAF', 'BAF', 0, 500),
];

export function simProduct(code: string): SimProduct | undefined {
  const c = code.trim().toUpperCase().replace(/\s+/g, ' ');
  return SIM_PRODUCTS.find((p) => p.code === c);
}

/** "2.500": MMBC's own way of writing an amount. */
export function idr(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** "18.182,00", as in the token receipts. */
export function idrCents(n: number): string {
  return `${idr(n)},00`;
}

export function priceRow(p: SimProduct): Record<string, string> {
  return {
    ppob_grup: p.group,
    ppob_produk: p.name,
    ppob_kodeproduk: p.code,
    ppob_nominal: p.nominal === undefined ? '-' : idr(p.nominal),
    ppob_admin: idr(p.admin),
    ppob_debet: 'fixed' in p.debit ? idr(p.debit.fixed) : `Tagihan + ${idr(p.debit.plus)}`,
    ppob_status: p.ready ? 'Ready' : 'Close',
  };
}
