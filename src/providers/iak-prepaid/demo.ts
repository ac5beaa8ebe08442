/** The IAK prepaid sandbox's demo numbers, for the README, the tests and anyone trying the bot without credentials. */

/**
 * What the simulator does with a top-up to a number (any other valid number succeeds):
 * - `callback-fail`: PROCESS, then IAK's callback says FAILED (RC 07): refunded.
 * - `pending`: PROCESS and no callback; the first check-status finds it done.
 * - `garbage`: topped up, but the answer is an HTML page; the callback still comes.
 * - `timeout`: topped up, but the answer never comes (the client times out); the callback still comes.
 * - `refuse`: refused at once, CUSTOMER NUMBER BLOCKED (RC 13): refunded.
 * - `lost`: the top-up never reaches IAK (the client times out); check-status says 06 TRANSACTION NOT FOUND.
 * - `http502`: topped up, answered HTTP 502; the callback still comes.
 * - `inquiry-down`: a PLN meter whose `inquiry-pln` answers HTTP 502 (another biller may serve it).
 */
export type IakPrepaidSimFault = 'callback-fail' | 'pending' | 'garbage' | 'timeout' | 'refuse' | 'lost' | 'http502' | 'inquiry-down';

export interface IakPrepaidDemoNumber {
  number: string;
  /** A product to try it with. */
  product: string;
  fault?: IakPrepaidSimFault;
  note: string;
}

export const DEMO_NUMBERS: readonly IakPrepaidDemoNumber[] = [
  { number: '081234567890', product: 'htelkomsel10000', note: 'PROCESS, then the callback about 2 s later: success with SN' },
  { number: '081712345678', product: 'xld25000', note: 'XL: success as above (any valid number of the product’s operator succeeds)' },
  { number: '085612345678', product: 'hindosat10000', note: 'Indosat: success as above' },
  { number: '085155012345', product: 'hbyu10000', note: 'by.U (a Telkomsel number): success as above' },
  { number: '081200000001', product: 'htelkomsel10000', fault: 'callback-fail', note: 'PROCESS, then the callback says FAILED (RC 07): refunded' },
  { number: '081200000002', product: 'htelkomsel10000', fault: 'pending', note: 'PROCESS and no callback: pending until the status check, which finds it done' },
  { number: '081200000003', product: 'htelkomsel10000', fault: 'garbage', note: 'the answer is an HTML page (IAK still tops up): pending, then the callback settles it' },
  { number: '081200000004', product: 'htelkomsel10000', fault: 'timeout', note: 'the answer never comes (IAK still tops up): pending, then the callback or status settles it' },
  { number: '081200000005', product: 'htelkomsel10000', fault: 'refuse', note: 'refused at once: CUSTOMER NUMBER BLOCKED (RC 13), refunded' },
  { number: '081200000006', product: 'htelkomsel10000', fault: 'lost', note: 'never reaches IAK: pending, then status says TRANSACTION NOT FOUND (RC 06), refunded' },
  { number: '081200000007', product: 'htelkomsel10000', fault: 'http502', note: 'HTTP 502 (IAK still tops up): pending, then the callback settles it' },
  { number: '12345678901', product: 'hpln20000', note: 'PLN meter (IAK’s own sandbox meter): SINTYA OKTAVIANI, R1/1300 VA; the token comes with the callback' },
  { number: '14123456789', product: 'hpln50000', note: 'PLN meter: BUDI SANTOSO, R1/900 VA' },
  { number: '14999999502', product: 'hpln20000', fault: 'inquiry-down', note: 'PLN meter whose inquiry answers HTTP 502' },
  { number: '081298765432', product: 'hsteam12000', note: 'game voucher: the callback brings its code and PIN' },
];

export const DEMO_FAULTS: ReadonlyMap<string, IakPrepaidSimFault> = new Map(
  DEMO_NUMBERS.flatMap((d) => (d.fault ? [[d.number, d.fault] as const] : [])),
);

/** IAK's sandbox answers inquiry-pln for this meter only; the simulator adds a second one. */
export const DEMO_METERS: ReadonlyMap<string, { name: string; segment: string; meterNo: string }> = new Map([
  ['12345678901', { name: 'SINTYA OKTAVIANI', segment: 'R1 /000001300', meterNo: '548933889287' }],
  ['14123456789', { name: 'BUDI SANTOSO', segment: 'R1 /000000900', meterNo: '14123456789' }],
]);
