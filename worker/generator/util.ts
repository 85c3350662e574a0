/**
 * Small pure helpers shared by the generator: width normalisation, script detection, a stable
 * string hash and a seeded shuffle. No Node or DOM APIs: this folder runs inside workerd.
 */

/** Han characters (CJK unified ideographs and extension A, compatibility ideographs). */
export const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

/** True when the text contains at least one Han character. */
export const hasHan = (s: string): boolean => HAN.test(s);

/**
 * Maps full-width digits, full stop, percent sign, plus and comma-free ASCII look-alikes to their
 * half-width forms, one UTF-16 unit for one, so that offsets found in the normalised text are
 * offsets in the original text too (the quote must stay verbatim, only the parsing is normalised).
 * The ideographic comma and full-width comma are left alone: in Chinese they separate clauses,
 * they never group digits.
 */
export function halfWidthDigits(s: string): string {
  return s.replace(/[\uff10-\uff19\uff0e\uff05\uff0b]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** True when the text writes at least one digit in full width (e.g. "１２３"). */
export const hasFullWidthDigit = (s: string): boolean => /[\uff10-\uff19]/.test(s);

/** Renders half-width digits and full stops in full width, for distractors of a full-width figure. */
export function toFullWidthDigits(s: string): string {
  return s.replace(/[0-9.%]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/**
 * Normalised form for comparing option texts: NFKC (full/half width), lower case, no spaces. Two
 * options equal under this form would read as the same answer to a student.
 */
export const sameText = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/**
 * cyrb53: a fast, well-mixed 53-bit string hash. Used for draft ids and shuffle seeds, so the same
 * text always gives the same ids and option orders (determinism is a requirement of the issue).
 */
export function hash53(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle seeded by a string: same key, same order. Returns a new array. */
export function seededShuffle<T>(items: readonly T[], key: string): T[] {
  const out = [...items];
  const rnd = prng(hash53(key));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Counts the (non-overlapping) occurrences of `needle` in `hay`. */
export function countOf(hay: string, needle: string): number {
  if (!needle) return 0;
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** Clips a text to at most `max` characters, marking the cut with an ellipsis. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 2)}……`;
}

/** Opening → closing bracket pairs whose balance decides where a sentence may end. */
export const BRACKETS: Record<string, string> = {
  '“': '”',
  '《': '》',
  '「': '」',
  '『': '』',
  '（': '）',
  '(': ')',
  '〈': '〉',
  '【': '】',
};
const ANY_OPENER = /[“《「『（(【〈]/;

const OPEN_CODES = Object.keys(BRACKETS).map((c) => c.charCodeAt(0));
const CLOSE_CODES = Object.values(BRACKETS).map((c) => c.charCodeAt(0));

/** Net count of unclosed opening brackets (never negative per bracket kind). */
export function unclosedBrackets(s: string): number {
  if (!ANY_OPENER.test(s)) return 0;
  // Runs for every sentence boundary of the input, so it counts by char code, without allocating.
  const open = new Int32Array(OPEN_CODES.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let k = OPEN_CODES.indexOf(c);
    if (k >= 0) open[k]!++;
    else if ((k = CLOSE_CODES.indexOf(c)) >= 0 && open[k]! > 0) open[k]!--;
  }
  let n = 0;
  for (const v of open) n += v;
  return n;
}

/** True when every bracket kind opens and closes the same number of times, in order. */
export function balancedBrackets(s: string): boolean {
  const stack: string[] = [];
  for (const c of s) {
    if (c in BRACKETS) stack.push(BRACKETS[c]!);
    else if (CLOSE_CODES.includes(c.charCodeAt(0))) {
      if (stack.pop() !== c) return false;
    }
  }
  return stack.length === 0;
}
