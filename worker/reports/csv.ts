/**
 * CSV export for teachers' reports (results, item statistics), written so that the file opens
 * correctly in Excel, Numbers, LibreOffice and pandas alike:
 *
 * - RFC 4180: fields separated by commas, records ended by CRLF; a field containing a comma, a
 *   double quote, CR or LF is wrapped in double quotes and its quotes are doubled.
 * - A UTF-8 byte order mark first: without it Excel on Windows reads a UTF-8 file as the local
 *   ANSI code page and turns every Chinese nickname and stem into mojibake.
 * - Formula-injection neutralisation (OWASP "CSV injection"): nicknames and free text come from
 *   students, and a cell such as `=HYPERLINK(...)` or `@SUM(...)` would be evaluated by the
 *   spreadsheet when the teacher opens the file. Not only at the start of a cell: a spreadsheet
 *   set to another list separator (`;` in much of Europe, a tab, `|`) splits `a;=1+1` into `a` and
 *   a formula. See {@link csvField} for the exact rule.
 *
 * Pure string code with no Node APIs, so it runs unchanged inside the Worker.
 */

/** The UTF-8 byte order mark (U+FEFF) that starts every file {@link toCsv} writes. */
export const CSV_BOM = '\uFEFF';

/** The record separator RFC 4180 prescribes. */
export const CSV_EOL = '\r\n';

/** A value a CSV cell can be made from. */
export type CsvValue = string | number | boolean | null | undefined;

/**
 * First characters that make a spreadsheet treat a cell as a formula (`=`, `+`, `-`, `@`) or that
 * Excel strips before doing so (tab, carriage return), per the OWASP CSV-injection guidance.
 */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * A segment after any list separator a spreadsheet may split on (comma, semicolon, tab, pipe) or
 * a line break (for readers that split lines before quotes), starting with a formula character,
 * possibly after spaces (some imports trim them). The apostrophe goes right after the separator.
 */
const SEGMENT_TRIGGER = /([,;\t|\r\n])(?=[ \u3000]*[=+\-@])/g;

/** Characters that make a cell quoted: RFC 4180's, and the other list separators, so that a semicolon or tab locale keeps the cell whole. */
const NEEDS_QUOTES = /[",;\t|\r\n]/;

/**
 * A string cell's text, neutralised: an apostrophe in front when it starts with a formula
 * character, and after every separator that a formula character follows (`a;=1+1` → `a;'=1+1`).
 */
export function neutralise(value: string): string {
  const text = value.replace(SEGMENT_TRIGGER, "$1'");
  return FORMULA_TRIGGERS.has(text.charAt(0)) ? `'${text}` : text;
}

/**
 * One cell, neutralised and quoted as needed. The rule is by JavaScript type, never by guessing
 * from the text:
 *
 * - `null` / `undefined` → an empty cell.
 * - `number` → its shortest round-trip decimal (`String(n)`), never neutralised: a number cannot
 *   carry a formula, so `-3` stays the number −3 that the spreadsheet can sum. `NaN` and
 *   ±`Infinity` have no CSV meaning and become an empty cell.
 * - `boolean` → `TRUE` / `FALSE`, the spellings Excel and LibreOffice read as booleans.
 * - `string` → {@link neutralise}d: if it starts with `=`, `+`, `-`, `@`, tab or carriage return,
 *   an apostrophe is put in front (`'=1+1`), which spreadsheets show as text and do not evaluate;
 *   so is every part after a comma, semicolon, tab, pipe or line break that starts with one of
 *   `=`, `+`, `-`, `@` (after spaces, if any): `b,@SUM(1)` → `b,'@SUM(1)`. Text stays readable: one
 *   apostrophe where a formula could start, nothing else changes (`ok;fine` stays as it is). This
 *   applies to every string, including one that looks like a number (`"-5"` becomes `'-5`): pass
 *   numeric values as numbers to keep them numeric. The apostrophe is visible to
 *   non-spreadsheet readers; that is the accepted price of the protection.
 *
 * Then, if the text contains a double quote, CR, LF or a list separator (comma, semicolon, tab,
 * pipe), it is quoted with inner quotes doubled (RFC 4180 §2.6–2.7): whatever separator the
 * spreadsheet uses, the cell stays one cell.
 */
export function csvField(value: CsvValue): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : '';
  else if (typeof value === 'boolean') text = value ? 'TRUE' : 'FALSE';
  else text = neutralise(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A whole CSV file: the UTF-8 BOM, then one CRLF-terminated record per row (the last record is
 * terminated too, which RFC 4180 allows and which keeps appending rows trivial). Rows may differ
 * in length; no padding is added. An empty `rows` gives just the BOM.
 *
 * The result is a JavaScript string; encode it as UTF-8 (`new TextEncoder().encode(...)`, or
 * simply return it as a `Response` body) with `Content-Type: text/csv; charset=utf-8`.
 */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  let out = CSV_BOM;
  for (const row of rows) out += row.map(csvField).join(',') + CSV_EOL;
  return out;
}
