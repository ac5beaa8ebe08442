import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { reasonTag } from '../../../src/bot/provider.ts';
import {
  inquiryVerdict,
  prepaidRefusalIsAboutTheNumber,
  refusalReason,
  statusVerdict,
  topUpVerdict,
} from '../../../src/providers/iak-prepaid/codes.ts';
import {
  signCallback,
  signCheckStatus,
  signPlnInquiry,
  signPriceList,
  signTopUp,
  validCallbackSign,
} from '../../../src/providers/iak-prepaid/sign.ts';

describe('IAK prepaid response codes → settled / pending / failed', () => {
  it('a top-up: PROCESS first, success or a definite refusal at once', () => {
    expect(topUpVerdict({ rc: '39', status: 0, message: 'PROCESS' })).toBe('pending');
    expect(topUpVerdict({ rc: '00', status: 1 })).toBe('success');
    expect(topUpVerdict({ rc: '00' })).toBe('success');
    for (const rc of ['06', '07', '13', '14', '16', '17', '20', '106', '110', '202', '204', '206', '207']) {
      expect(topUpVerdict({ rc, status: 2 }), rc).toBe('failed');
      expect(topUpVerdict({ rc }), rc).toBe('failed');
    }
  });

  it('a top-up: anything not definitely failed is pending, never a refund', () => {
    for (const a of [
      {},
      { rc: '201', message: 'UNDEFINED RESPONSE CODE' },
      { rc: '05', status: 2, message: 'UNDEFINED ERROR' },
      { rc: '999', status: 2 },
      { rc: '07', status: 0 }, // the code and the status disagree
      { rc: '07', status: 1 },
      { rc: '00', status: 0 },
      { rc: '00', status: 2 },
      { status: 2 },
    ]) {
      expect(topUpVerdict(a), JSON.stringify(a)).toBe('pending');
    }
  });

  it('a top-up IAK already has under this ref_id is a status lookup, never a failure', () => {
    expect(topUpVerdict({ rc: '11', message: 'DUPLICATE REF ID' })).toBe('lookup');
    expect(topUpVerdict({ rc: '107', message: 'REF ID ALREADY USED' })).toBe('lookup');
    expect(topUpVerdict({ rc: '20', message: 'Duplicate ref_id' })).toBe('lookup');
    // IAK's documented answer is the transaction's own status: read as such.
    expect(topUpVerdict({ rc: '39', status: 0, message: 'PROCESS' })).toBe('pending');
  });

  it('check-status and the callback: rc and status must agree', () => {
    expect(statusVerdict({ rc: '00', status: 1 })).toBe('success');
    expect(statusVerdict({ rc: '00' })).toBe('success');
    expect(statusVerdict({ rc: '07', status: 2 })).toBe('failed');
    expect(statusVerdict({ rc: '13', status: 2 })).toBe('failed');
    expect(statusVerdict({ rc: '06', message: 'TRANSACTION NOT FOUND' })).toBe('failed');
    expect(statusVerdict({ rc: '39', status: 0 })).toBe('pending');
    expect(statusVerdict({ rc: '00', status: 0 })).toBe('pending');
    expect(statusVerdict({ rc: '07', status: 0 })).toBe('pending');
    expect(statusVerdict({ rc: '07', status: 1 })).toBe('pending');
    // IAK's sandbox sends "UNDEFINED ERROR" with status 2: not a code that says nothing was topped up.
    expect(statusVerdict({ rc: '05', status: 2 })).toBe('pending');
    // About the status request, not the top-up: a rotated key, an IP not allowed, maintenance.
    for (const rc of ['204', '102', '110', '118']) expect(statusVerdict({ rc }), rc).toBe('pending');
    expect(statusVerdict({})).toBe('pending');
  });

  it('inquiry-pln: success, a refusal, or unavailable', () => {
    expect(inquiryVerdict({ rc: '00', status: 1 })).toBe('success');
    expect(inquiryVerdict({ rc: '14', status: 2 })).toBe('refused');
    expect(inquiryVerdict({ rc: '39' })).toBe('unavailable');
    expect(inquiryVerdict({})).toBe('unavailable');
  });

  it('refusal reasons carry the code, our word for a wrong number, and tell fallover what is about the number', () => {
    expect(refusalReason('NUMBER NOT MATCH WITH OPERATOR', '16')).toBe('[wrongNumber] NUMBER NOT MATCH WITH OPERATOR (RC 16)');
    expect(reasonTag(refusalReason('INCORRECT DESTINATION NUMBER', '14'))).toEqual({ key: 'wrongNumber', text: 'INCORRECT DESTINATION NUMBER (RC 14)' });
    expect(refusalReason(undefined, '17')).toBe('IAK refused (RC 17)');
    expect(prepaidRefusalIsAboutTheNumber(refusalReason('INCORRECT DESTINATION NUMBER', '14'))).toBe(true);
    expect(prepaidRefusalIsAboutTheNumber(refusalReason('INSUFFICIENT DEPOSIT', '17'))).toBe(false);
    expect(prepaidRefusalIsAboutTheNumber('iak-prepaid api/inquiry-pln unreachable: timed out')).toBe(false);
  });
});

describe('IAK prepaid signatures', () => {
  const c = { username: '081234567890', apiKey: '5f2b9c1e0a' };
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');

  it('are md5 of username + api_key + ref_id, customer_id or "pl", as documented', () => {
    expect(signTopUp(c, 'order001')).toBe(md5('0812345678905f2b9c1e0aorder001'));
    expect(signCheckStatus(c, 'order001')).toBe(md5('0812345678905f2b9c1e0aorder001'));
    expect(signCallback(c, 'order001')).toBe(md5('0812345678905f2b9c1e0aorder001'));
    expect(signPlnInquiry(c, '12345678901')).toBe(md5('0812345678905f2b9c1e0a12345678901'));
    expect(signPriceList(c)).toBe(md5('0812345678905f2b9c1e0apl'));
    // Written out, so a change to a rule shows up here.
    expect(signTopUp(c, 'order001')).toBe('9436540259c19474e43526f359ef6a43');
  });

  it('a callback sign is checked in either case of hex, and refused otherwise', () => {
    const sign = signCallback(c, 'TX1');
    expect(validCallbackSign(c, 'TX1', sign)).toBe(true);
    expect(validCallbackSign(c, 'TX1', sign.toUpperCase())).toBe(true);
    expect(validCallbackSign(c, 'TX2', sign)).toBe(false);
    expect(validCallbackSign(c, 'TX1', sign.slice(1))).toBe(false);
    expect(validCallbackSign(c, 'TX1', undefined)).toBe(false);
    expect(validCallbackSign(c, 'TX1', 12345)).toBe(false);
    expect(validCallbackSign({ ...c, apiKey: 'other-key' }, 'TX1', sign)).toBe(false);
  });
});
