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
 *   spreadsheet when the teacher opens the file. See {@link csvField} for the exact rule.
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
 * One cell, neutralised and quoted as needed. The rule is by JavaScript type, never by guessing
 * from the text:
 *
 * - `null` / `undefined` → an empty cell.
 * - `number` → its shortest round-trip decimal (`String(n)`), never neutralised: a number cannot
 *   carry a formula, so `-3` stays the number −3 that the spreadsheet can sum. `NaN` and
 *   ±`Infinity` have no CSV meaning and become an empty cell.
 * - `boolean` → `TRUE` / `FALSE`, the spellings Excel and LibreOffice read as booleans.
 * - `string` → if it starts with `=`, `+`, `-`, `@`, tab or carriage return, an apostrophe is put in
 *   front (`'=1+1`), which spreadsheets show as text and do not evaluate. This applies to every
 *   string, including one that looks like a number (`"-5"` becomes `'-5`): pass numeric values as
 *   numbers to keep them numeric. The apostrophe is visible to non-spreadsheet readers; that is
 *   the accepted price of the protection.
 *
 * Then, if the text contains a comma, a double quote, CR or LF, it is quoted with inner quotes
 * doubled (RFC 4180 §2.6–2.7).
 */
export function csvField(value: CsvValue): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : '';
  else if (typeof value === 'boolean') text = value ? 'TRUE' : 'FALSE';
  else text = FORMULA_TRIGGERS.has(value.charAt(0)) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
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
