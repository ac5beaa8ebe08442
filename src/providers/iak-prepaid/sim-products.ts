/**
 * The IAK prepaid simulator's price list, in the shape of IAK's `api/pricelist` rows: pulsa of four operators
 * and by.U, a few data packages, PLN tokens, e-money, a game voucher, a shopping voucher, one product closed,
 * and three the bot leaves off (a direct top-up game, a card e-money, an international top-up).
 */

export interface SimPriceRow {
  product_code: string;
  product_description: string;
  product_nominal: string;
  product_details: string;
  product_price: number;
  product_type: string;
  active_period: string;
  status: 'active' | 'non active';
  icon_url: string;
  product_category: string;
}

const row = (
  product_code: string,
  product_description: string,
  product_type: string,
  product_nominal: string,
  product_price: number,
  extra: Partial<SimPriceRow> = {},
): SimPriceRow => ({
  product_code,
  product_description,
  product_nominal,
  product_details: '-',
  product_price,
  product_type,
  active_period: product_type === 'pulsa' || product_type === 'data' ? '30' : '0',
  status: 'active',
  icon_url: '-',
  product_category: product_type === 'game' || product_type === 'voucher' || product_type === 'etoll' ? product_type : 'pulsa',
  ...extra,
});

const pulsa = (stem: string, operator: string, prices: Record<number, number>) =>
  Object.entries(prices).map(([nominal, price]) => row(`${stem}${nominal}`, operator, 'pulsa', nominal, price));

export const SIM_PRICE_LIST: readonly SimPriceRow[] = [
  ...pulsa('htelkomsel', 'Telkomsel', { 5000: 5_950, 10000: 10_850, 20000: 20_450, 25000: 25_300, 50000: 49_900, 100000: 98_750 }),
  ...pulsa('xld', 'XL', { 5000: 5_900, 10000: 10_800, 25000: 24_850, 50000: 49_550, 100000: 99_100 }),
  ...pulsa('hindosat', 'Indosat', { 5000: 5_990, 10000: 10_950, 25000: 24_880, 50000: 48_800, 100000: 98_510 }),
  row('haxis10000', 'Axis', 'pulsa', '10000', 10_850),
  row('hthree10000', 'Three', 'pulsa', '10000', 10_700),
  row('hbyu10000', 'by.U', 'pulsa', '10000', 10_400),
  // Closed at IAK: shown as closed, never sold.
  row('htelkomsel150000', 'Telkomsel', 'pulsa', '150000', 147_500, { status: 'non active' }),
  row('tseldata15000', 'Telkomsel Paket Internet', 'data', 'Data 2GB', 14_700, { product_details: 'Data 2GB 30 hari' }),
  row('xldata25000', 'XL Paket Internet', 'data', 'Xtra Combo 10GB', 24_650, { product_details: 'Xtra Combo 10GB 30 hari' }),
  row('isatdata30000', 'Indosat Paket Internet', 'data', 'Freedom Internet 12GB', 29_500, { product_details: 'Freedom Internet 12GB 30 hari' }),
  // Dearer than the MMBC simulator's tokens (nominal + 700), so the sandbox's default (PROVIDER_PREFERENCE
  // cheapest) keeps MMBC's demo meters; PROVIDER_PREFERENCE=iak, or MMBC down, brings IAK's in.
  row('hpln20000', 'PLN', 'pln', '20000', 21_500),
  row('hpln50000', 'PLN', 'pln', '50000', 51_500),
  row('hpln100000', 'PLN', 'pln', '100000', 101_500),
  row('hpln200000', 'PLN', 'pln', '200000', 201_500),
  row('gopay20000', 'GoPay', 'etoll', '20000', 21_000),
  row('dana50000', 'DANA', 'etoll', '50000', 51_000),
  row('hsteam12000', 'Steam Wallet (IDR)', 'game', '12000', 16_500),
  row('alfamart100', 'Alfamart Voucher', 'voucher', 'Voucher Alfamart Rp 100.000', 99_750),
  // Left off the bot's catalogue: a player id, a card number, a foreign number.
  row('hmobilelegend110', 'Mobile Legend', 'game', '110 Diamonds', 30_000),
  row('mandirietoll50000', 'Mandiri E-Toll', 'etoll', '50000', 51_500),
  row('altel10', 'Malaysia Topup', 'malaysia', '10', 39_750, { product_category: 'international' }),
];
