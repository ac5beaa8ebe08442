import { describe, expect, it } from 'vitest';
import { parseJsonLenient, repairJson } from '../../src/providers/json.ts';

describe('parseJsonLenient', () => {
  it('parses valid JSON as is', () => {
    expect(parseJsonLenient('{"a":"1,}","b":[1,2]}')).toEqual({ a: '1,}', b: [1, 2] });
  });

  it('drops trailing commas before } and ], as in the documents', () => {
    const text = '{\n  "ppob_tarifdaya": "R1M/900 VA",\n}';
    expect(parseJsonLenient(text)).toEqual({ ppob_tarifdaya: 'R1M/900 VA' });
    expect(parseJsonLenient('[{"a":1,},\n  ]')).toEqual([{ a: 1 }]);
  });

  it('keeps commas and brackets inside strings', () => {
    expect(parseJsonLenient('{"r":"a, }", "s":"x\\",]",}')).toEqual({ r: 'a, }', s: 'x",]' });
  });

  it('joins a line broken inside a string with a space', () => {
    const text = '{"reason": "sisa saldo\nRp. 100",}';
    expect(parseJsonLenient(text)).toEqual({ reason: 'sisa saldo Rp. 100' });
    expect(parseJsonLenient('{"r": "a\r\nb"}')).toEqual({ r: 'a b' });
  });

  it('ignores a byte order mark', () => {
    expect(parseJsonLenient('\ufeff{"a":1}')).toEqual({ a: 1 });
  });

  it('throws on what it cannot repair', () => {
    expect(() => parseJsonLenient('<html>502 Bad Gateway</html>')).toThrow(SyntaxError);
    expect(() => parseJsonLenient('')).toThrow(SyntaxError);
    expect(() => parseJsonLenient('{"a":1')).toThrow(SyntaxError);
  });

  it('repairJson leaves valid JSON untouched', () => {
    const text = '{ "a": [1, 2], "b": "c, ]" }';
    expect(repairJson(text)).toBe(text);
  });
});
