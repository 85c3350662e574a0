/**
 * A strict RFC 4180 reader for the tests of the CSV exports, written independently of the writer
 * (worker/reports/csv): the UTF-8 BOM first, CRLF after every record, quoted fields with doubled
 * quotes. Anything else throws.
 */
export function readCsv(text: string): string[][] {
  if (!text.startsWith('\uFEFF')) throw new Error('no byte order mark');
  const s = text.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < s.length) {
    let field = '';
    if (s[i] === '"') {
      i++;
      for (;;) {
        if (i >= s.length) throw new Error('unterminated quote');
        if (s[i] === '"' && s[i + 1] === '"') ((field += '"'), (i += 2));
        else if (s[i] === '"') {
          i++;
          break;
        } else field += s[i++];
      }
    } else while (i < s.length && s[i] !== ',' && s[i] !== '\r') field += s[i++];
    row.push(field);
    if (s[i] === ',') i++;
    else if (s.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`unexpected ${JSON.stringify(s[i])} at ${i}`);
  }
  if (row.length) throw new Error('the last record does not end with CRLF');
  return rows;
}
