import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, neutralise, toCsv } from '../../worker/reports/csv';
import { readCsv } from '../read-csv';

describe('toCsv', () => {
  it('starts with the UTF-8 BOM and ends records with CRLF', () => {
    expect(toCsv([])).toBe('\uFEFF');
    expect(
      toCsv([
        ['a', 'b'],
        [1, 2],
      ]),
    ).toBe('\uFEFFa,b\r\n1,2\r\n');
    // The BOM encodes to EF BB BF, the signature Excel looks for.
    expect([...new TextEncoder().encode(toCsv([]))]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('round-trips Chinese text', () => {
    const rows = [
      ['昵称', '得分', '题目'],
      ['小明', '980', '内蒙古举办了什么活动？'],
      ['巴特尔', '0', '“三北精神”，守望相助'],
    ];
    expect(readCsv(toCsv(rows))).toEqual(rows);
    // As bytes: UTF-8, which a decoder reads back with the BOM taken as the signature it is.
    expect(new TextDecoder().decode(new TextEncoder().encode(toCsv(rows)))).toBe(toCsv(rows).slice(1));
  });

  it('quotes fields with commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('plain 中文，全角逗号')).toBe('plain 中文，全角逗号'); // a full-width comma is not a separator
    expect(readCsv(toCsv([['a,b', 'say "hi"', 'two\r\nlines', '']]))).toEqual([
      ['a,b', 'say "hi"', 'two\r\nlines', ''],
    ]);
  });

  it('writes numbers, booleans and empty values', () => {
    expect(toCsv([[-3, 0.5, 1e21, true, false, null, undefined, Number.NaN, Infinity]])).toBe(
      '\uFEFF-3,0.5,1e+21,TRUE,FALSE,,,,\r\n',
    );
  });

  it('neutralises formula injection in strings, never in numbers', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvField('+1+1')).toBe("'+1+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe('"\'\t\'=1"');
    expect(csvField('\r=1')).toBe('"\'\r\'=1"');
    expect(csvField('-5')).toBe("'-5"); // a string stays text: pass numbers as numbers
    expect(csvField(-5)).toBe('-5');
    expect(csvField('a=b')).toBe('a=b'); // only the first character of a segment matters
    expect(csvField('＝1+1')).toBe('＝1+1'); // a full-width sign is not a formula
  });

  it('neutralises a formula after any list separator, so a semicolon, tab or pipe locale runs none', () => {
    expect(csvField('a;=1+1')).toBe('"a;\'=1+1"');
    expect(csvField('x\t+cmd')).toBe('"x\t\'+cmd"');
    expect(csvField('b,@SUM(1)')).toBe('"b,\'@SUM(1)"');
    expect(csvField('p|-2+3')).toBe('"p|\'-2+3"');
    expect(csvField('two\n=lines')).toBe('"two\n\'=lines"');
    expect(csvField('a; =1')).toBe('"a;\' =1"'); // an import that trims spaces still sees the apostrophe first
    expect(csvField('=a;=b')).toBe('"\'=a;\'=b"');
    // Harmless text is only quoted (one cell whatever the separator), never changed.
    expect(csvField('ok;fine')).toBe('"ok;fine"');
    expect(csvField('a|b')).toBe('"a|b"');
    expect(csvField('1, 2 and 3')).toBe('"1, 2 and 3"');
    expect(csvField('a=b;c+d')).toBe('"a=b;c+d"');
    // Split by any separator, quotes ignored (the worst reader): no part starts with a formula character.
    for (const cell of ['a;=1+1', 'x\t+cmd', 'b,@SUM(1)', 'ok;fine', 'p|-1', '\r=1', 'a;\t=1', 'a,, =1']) {
      const parts = csvField(cell)
        .replace(/^"|"$/g, '')
        .split(/[,;\t|\r\n]/);
      for (const part of parts) expect(part.trimStart(), `${JSON.stringify(cell)}: ${part}`).not.toMatch(/^[=+\-@]/);
    }
  });

  it('reads back every string it writes, neutralised strings with their apostrophe', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 5 }), { maxLength: 5 }),
        (rows) => {
          const expected = rows.map((r) => r.map(neutralise));
          expect(readCsv(toCsv(rows))).toEqual(expected);
        },
      ),
    );
  });
});
