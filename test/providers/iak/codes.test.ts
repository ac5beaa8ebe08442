import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeOfReason, inquiryVerdict, isAboutTheBill, payVerdict, refusalReason, statusVerdict } from '../../../src/providers/iak/codes.ts';

describe('IAK response codes → our outcomes', () => {
  it.each([
    ['00', 'success'],
    ['05', 'pending'],
    ['39', 'pending'],
    ['201', 'pending'],
    ['01', 'failed'],
    ['34', 'failed'],
    ['40', 'failed'],
    ['04', 'failed'],
    ['42', 'failed'],
    ['14', 'failed'],
    ['17', 'failed'],
    ['204', 'failed'],
    // a duplicate on a payment could be ours going through: never refunded on it
    ['11', 'pending'],
    ['91', 'pending'],
    ['103', 'pending'],
    [undefined, 'pending'],
  ] as const)('pay-pasca %s → %s', (code, verdict) => {
    expect(payVerdict(code)).toBe(verdict);
  });

  it('no code outside the documented failure list is ever a failure', () => {
    const definite = new Set(['01', '02', '03', '04', '06', '07', '08', '09', '10', '13', '14', '16', '17', '20', '30', '31', '32', '33', '34', '35', '36', '37', '38', '40', '41', '42', '106', '107', '108', '109', '202', '204', '208']);
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^\d{1,3}$/), fc.string()), (code) => {
        const v = payVerdict(code);
        if (code === '00') return v === 'success';
        return definite.has(code) ? v === 'failed' : v === 'pending';
      }),
    );
  });

  it('checkstatus: the code decides, a contradicting status field holds it pending', () => {
    expect(statusVerdict('00', 1)).toBe('success');
    expect(statusVerdict('00', undefined)).toBe('success');
    expect(statusVerdict('00', 3)).toBe('pending');
    expect(statusVerdict('00', 2)).toBe('pending');
    expect(statusVerdict('39', 3)).toBe('pending');
    expect(statusVerdict('42', 0)).toBe('failed');
    expect(statusVerdict('42', 1)).toBe('pending');
    expect(statusVerdict('07', 2)).toBe('failed');
    expect(statusVerdict('99', 2)).toBe('pending');
    // About the request, or "paid" without saying by whom: never a refund.
    expect(statusVerdict('204', undefined)).toBe('pending');
    expect(statusVerdict('01', undefined)).toBe('pending');
    expect(statusVerdict('06', undefined)).toBe('pending');
  });

  it('inquiry: success, in process (unavailable), or a refusal', () => {
    expect(inquiryVerdict('00')).toBe('success');
    expect(inquiryVerdict('39')).toBe('unavailable');
    expect(inquiryVerdict(undefined)).toBe('unavailable');
    expect(inquiryVerdict('34')).toBe('refused');
    expect(inquiryVerdict('204')).toBe('refused');
  });

  it('refusals carry their code, and say whether they are about the bill', () => {
    const r = refusalReason('BILL HAS BEEN PAID', '34');
    expect(r).toBe('[alreadyPaid] BILL HAS BEEN PAID (RC 34)'); // tagged with our word for it (provider.ts)
    expect(refusalReason('INCORRECT DESTINATION NUMBER', '14')).toBe('[wrongNumber] INCORRECT DESTINATION NUMBER (RC 14)');
    expect(refusalReason('WHATEVER', '20')).toBe('WHATEVER (RC 20)');
    expect(codeOfReason(r)).toBe('34');
    expect(codeOfReason('no code here')).toBeUndefined();
    expect(refusalReason(undefined, '20')).toBe('IAK refused (RC 20)');
    for (const c of ['01', '34', '40', '14', '10']) expect(isAboutTheBill(c), c).toBe(true);
    for (const c of ['20', '17', '106', '204', '33']) expect(isAboutTheBill(c), c).toBe(false);
  });
});
