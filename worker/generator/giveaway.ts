/**
 * Give-aways: patterns in a set of numeric options that single out the answer without reading the
 * text. A student who has never seen the text should do no better than chance, so a figure
 * cloze's options must not make the answer the one that is
 *
 * - the centre: the only option halfway (or geometrically halfway) between two others, as the
 *   answer is when its distractors are n − 1 and n + 1, or half and double;
 * - the hub: the only option tied to two or more others by a simple relation (×2, ×3, ×10, the
 *   same digits), the "whose half and double are both present" pattern;
 * - apart: much further from the nearest option than any other option is, the others bunched;
 * - the odd one out in form: the only option with a different number of decimals, of trailing
 *   zeros (the only round number, or the only one not round) or of digits, all others agreeing.
 *
 * Over many drafts the answer's rank among its sorted options must also be spread: see
 * {@link rankBias}. Used by the generator (to reject a set of distractors) and by the scorer (to
 * report any set that slipped through), so both judge by the same rules.
 */

/** One option as the detectors see it: its value on a linear scale and how it is written. */
export interface NumericOption {
  /** Value on the scale the options are compared on (a date as days into the year). */
  value: number;
  /** Decimal places as written. */
  decimals: number;
  /** Digits before the decimal point, as written (no grouping commas). */
  intDigits: string;
  /** The form says nothing (years and dates: 2000 among 1949 and 2018 is no round number). */
  formless?: boolean;
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 + 0.002 * Math.max(Math.abs(a), Math.abs(b));

/** True when x is the arithmetic or geometric mean of a and b. */
function centreOf(x: number, a: number, b: number): boolean {
  if (near(a + b, 2 * x)) return true;
  return x > 0 && a > 0 && b > 0 && near(Math.sqrt(a * b), x);
}

/** Digits without leading zeros and without the decimal point: 2.9 and 29 and 290 share "29". */
const significant = (o: NumericOption) => {
  const s = Math.abs(o.value).toFixed(Math.min(o.decimals, 8)).replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return s;
};

/** A simple relation a student would spot between two numbers. */
function related(a: NumericOption, b: NumericOption): boolean {
  const x = a.value;
  const y = b.value;
  if (!(x > 0 && y > 0)) return false;
  for (const k of [2, 3, 10, 100]) if (near(x * k, y) || near(y * k, x)) return true;
  const sa = significant(a);
  return sa.length >= 2 && sa === significant(b);
}

/** Trailing zeros of the number as written (300 → 2, 40.0 → 1, 412 → 0). */
const trailingZeros = (o: NumericOption) => {
  const digits = o.intDigits + (o.decimals ? Math.abs(o.value).toFixed(o.decimals).split('.')[1] : '');
  return digits.length - digits.replace(/0+$/, '').length;
};

/** True when the answer differs from every other option in `feature` and the others all agree. */
function oddOneOut<T>(options: readonly NumericOption[], answer: number, feature: (o: NumericOption) => T): boolean {
  if (options.length < 3) return false;
  const mine = feature(options[answer]!);
  const others = options.filter((_, i) => i !== answer).map(feature);
  return others.every((f) => f === others[0]) && others[0] !== mine;
}

/**
 * True when the answer is much further from its nearest option than any other option is from its
 * own (1.6 times): three distractors bunched below or above it point at it. Distances are ratios
 * when all values are positive, else differences.
 */
function standsApart(options: readonly NumericOption[], answer: number): boolean {
  const positive = options.every((o) => o.value > 0);
  const at = options.map((o) => (positive ? Math.log(o.value) : o.value));
  const nearest = at.map((x, i) => Math.min(...at.filter((_, j) => j !== i).map((y) => Math.abs(x - y))));
  const others = Math.max(...nearest.filter((_, i) => i !== answer));
  return nearest[answer]! > 1.6 * others && others > 0;
}

/**
 * The patterns that single out `options[answer]`, as short English reasons; empty when none does.
 * Three options or more; with fewer, the set is returned as sound.
 */
export function giveAways(options: readonly NumericOption[], answer: number): string[] {
  const out: string[] = [];
  const n = options.length;
  if (n < 3 || answer < 0 || answer >= n) return out;
  const isCentre = (i: number) => {
    for (let a = 0; a < n; a++)
      for (let b = a + 1; b < n; b++)
        if (a !== i && b !== i && centreOf(options[i]!.value, options[a]!.value, options[b]!.value)) return true;
    return false;
  };
  const centres = options.map((_, i) => isCentre(i));
  if (centres[answer] && centres.filter(Boolean).length === 1)
    out.push('the answer is the only option halfway between two others');
  const degree = options.map((o, i) => options.filter((p, j) => j !== i && related(o, p)).length);
  if (degree[answer]! >= 2 && degree.every((d, i) => i === answer || d < degree[answer]!))
    out.push('the answer is the only option that two others are simple multiples or digit copies of');
  if (n >= 4 && standsApart(options, answer)) out.push('the answer stands apart from the other options');
  if (options.some((o) => o.formless)) return out;
  if (oddOneOut(options, answer, (o) => o.decimals)) out.push('the answer alone has its number of decimals');
  if (oddOneOut(options, answer, trailingZeros)) out.push('the answer alone has its number of trailing zeros');
  if (oddOneOut(options, answer, (o) => o.intDigits.replace(/^0+/, '').length))
    out.push('the answer alone has its number of digits');
  return out;
}

/** Shares of answers at each rank among their sorted options (0 = smallest), over many option sets. */
export function rankShares(sets: readonly { options: readonly NumericOption[]; answer: number }[]): number[] {
  const counts: number[] = [];
  for (const s of sets) {
    const v = s.options[s.answer]!.value;
    const rank = s.options.filter((o) => o.value < v).length;
    counts[rank] = (counts[rank] ?? 0) + 1;
  }
  return [...counts].map((c) => Math.round(((c ?? 0) / Math.max(1, sets.length)) * 100) / 100);
}

/**
 * A bias in where the answer sits among its sorted options, over a text's figure clozes (eight at
 * least): one rank holding 60 % of the answers, or the answer almost never the smallest or the
 * largest (under 15 %; with four options chance gives 50 %). Null when there is none.
 */
export function rankBias(sets: readonly { options: readonly NumericOption[]; answer: number }[]): string | null {
  if (sets.length < 8) return null;
  const shares = rankShares(sets);
  const top = Math.max(...shares);
  if (top >= 0.6)
    return `${Math.round(top * 100)} % of answers sit at rank ${shares.indexOf(top) + 1} of their options`;
  let extremes = 0;
  for (const s of sets) {
    const v = s.options[s.answer]!.value;
    const below = s.options.filter((o) => o.value < v).length;
    if (below === 0 || below === s.options.length - 1) extremes++;
  }
  if (extremes / sets.length < 0.15) return 'the answer is almost never the smallest or largest option';
  return null;
}
