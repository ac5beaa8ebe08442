/**
 * `PULSA <NOMOR> <NOMINAL>`: a top-up without knowing the product code: the operator from the number's prefix,
 * then the cheapest open pulsa of exactly that nominal, answered as `<KODE> <NOMOR>` would be (a summary for
 * YA). The number may be written 08…, 628… or +628…, with dashes or in groups (`0812 3456 7890`).
 */
import { command } from '../commands.ts';
import { rupiah } from '../format.ts';
import { pickPulsa } from '../../providers/iak-prepaid/catalogue.ts';
import { OPERATOR_NAMES } from '../../providers/iak-prepaid/phone.ts';
import { amountOf } from './amounts.ts';
import { inquiry } from './payment.ts';

/** Every way to split the words into a number (first) and a nominal (last), most words to the number first. */
function splits(args: readonly string[]): Array<{ number: string; nominal: number }> {
  const out: Array<{ number: string; nominal: number }> = [];
  for (let n = args.length - 1; n >= 1; n--) {
    const nominal = amountOf(args.slice(n));
    const number = args.slice(0, n).join('');
    if (nominal !== undefined && /^\+?[\d-]+$/.test(number)) out.push({ number, nominal });
  }
  return out;
}

export function pulsaCommands(opts: { quoteTtlSeconds: number }) {
  return [
    command({
      name: 'pulsa',
      words: ['PULSA'],
      read: (args: string[]) => ({ args }),
      role: 'customer',
      readsOnly: true,
      async run({ args }, ctx) {
        const { t } = ctx;
        const tries = splits(args);
        if (tries.length === 0) return [{ text: t('pulsa.usage') }];
        // The split whose number is a mobile number; a nominal of several words (10 000) ends where a number can.
        let last: ReturnType<typeof pickPulsa> | undefined;
        // The nominal of the split that answered: the first splits may have been numbers too long to be one.
        let asked = 0;
        for (const { number, nominal } of tries) {
          last = pickPulsa(ctx.catalogue.entries, number, nominal);
          asked = nominal;
          if (last.ok) return inquiry({ kind: 'inquiry', entry: last.entry, customerNo: last.customerNo }, ctx, opts.quoteTtlSeconds);
          if (last.reason !== 'bad-number') break;
        }
        if (!last || last.ok || last.reason === 'bad-number') return [{ text: t('pulsa.usage') }];
        if (!('operator' in last)) return [{ text: t('pulsa.unknownOperator') }];
        const { operator, reason } = last;
        const vars = { operator: OPERATOR_NAMES[operator], nominal: rupiah(asked) };
        return [{ text: t(reason === 'closed' ? 'pulsa.closed' : 'pulsa.noNominal', vars) }];
      },
    }),
  ];
}
