/**
 * Item analysis of a session's results, with the statistics Moodle's quiz statistics report shows
 * a teacher, so that figures exported from Pomegranate read the same way:
 *
 * - facility index: how easy an item was (mean credit as a % of the maximum);
 * - discrimination index, classical form: share of credit earned by the top third of students
 *   minus that of the bottom third (the "upper–lower" index of Moodle 1.x's item analysis);
 * - point-biserial r between the item score and the rest-of-test score (what Moodle 2+ reports as
 *   "Discrimination index", there ×100) and Moodle's "Discriminative efficiency";
 * - flags for items worth a second look, a histogram of total scores and per-option counts.
 *
 * Everything works on a plain matrix (students × items) so that it can be unit-tested without
 * D1; {@link matrixFromAnswers} builds that matrix from rows of the `answers` table. Pure code,
 * no Node APIs: it runs inside the Worker.
 *
 * The types of the results ({@link ItemStats}, {@link ItemFlag}, {@link OptionDistribution}) are part
 * of the session report the API returns, so they live in worker/contract/api.ts, shared with the web.
 */
import type { ItemFlag, ItemStats, OptionDistribution } from '../contract';

/** One student's row of the results matrix. */
export interface StudentResult {
  /**
   * Credit per item, in item order: the share of the item's marks earned, 0..1 (1 right, 0 wrong,
   * in between for partial credit), or `null` when the student never answered the item. A
   * time-out with no answer is an answered item with credit 0 (our `answers` table stores a row
   * for it); `null` is for an item the student never reached, which is left out of that item's
   * statistics rather than counted as wrong.
   */
  credits: readonly (number | null)[];
  /**
   * Total score used to rank students and to form the rest-of-test score (total − item credit).
   * It must be on the credit scale (e.g. the sum of credits = number right), not in game points:
   * points include a speed bonus, and subtracting a 0..1 credit from a points total would not give
   * a rest-of-test score. Omitted → the sum of the non-null credits.
   */
  total?: number;
}

/** Thresholds of the flags. */
export interface ItemStatsOptions {
  /** Below this many answers an item gets `few_responses`. Default 5. */
  minResponses?: number;
}

/** Default {@link ItemStatsOptions.minResponses}. */
export const MIN_RESPONSES = 5;

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Σ (x − x̄)(y − ȳ), the unnormalised covariance (the normalisation cancels in r and in the efficiency). */
function coSum(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - mx) * (ys[i]! - my);
  return s;
}

/** Rounding dust below this is zero: sums of a few hundred values of order 1 err far less. */
const EPS = 1e-12;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * Pearson's r of two equally long lists, or null when either has (numerically) no variance or
 * there are fewer than two pairs. Clamped to [−1, 1] against rounding.
 */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new RangeError('pearson: lists differ in length');
  if (xs.length < 2) return null;
  const sxx = coSum(xs, xs);
  const syy = coSum(ys, ys);
  if (sxx <= EPS || syy <= EPS) return null;
  return clamp(coSum(xs, ys) / Math.sqrt(sxx * syy), -1, 1);
}

/**
 * The classical upper–lower discrimination index of one item, exactly:
 *
 * 1. Take the n students who answered the item and rank them by total score, highest first.
 * 2. g = ⌊n / 3⌋ students form the top group and g the bottom group (n < 3 → null).
 * 3. p(group) = the group's mean credit on the item, i.e. the proportion correct when credits are
 *    0/1 (a partial credit counts as that fraction of a correct answer).
 * 4. D = p(top) − p(bottom), in [−1, 1].
 *
 * Ties across a group boundary: when students with the same total straddle the cut, the group
 * takes the places it still has from that tie block at the block's mean credit, instead of
 * picking some of them by input order. D therefore does not depend on the order of the rows.
 */
export function upperLowerIndex(pairs: readonly { credit: number; total: number }[]): number | null {
  const g = Math.floor(pairs.length / 3);
  if (g === 0) return null;
  const byTotal = [...pairs].sort((a, b) => b.total - a.total);
  return groupMean(byTotal, g) - groupMean([...byTotal].reverse(), g);
}

/** Mean credit of the first g places of `ranked`, a tie block straddling place g counted at its mean. */
function groupMean(ranked: readonly { credit: number; total: number }[], g: number): number {
  let sum = 0;
  let taken = 0;
  let i = 0;
  while (taken < g) {
    // The block of equal totals starting at i.
    let j = i;
    let blockSum = 0;
    while (j < ranked.length && ranked[j]!.total === ranked[i]!.total) blockSum += ranked[j++]!.credit;
    const size = j - i;
    const places = Math.min(size, g - taken);
    sum += (blockSum / size) * places;
    taken += places;
    i = j;
  }
  return sum / g;
}

function checkMatrix(students: readonly StudentResult[]): number {
  const items = students[0]?.credits.length ?? 0;
  students.forEach((s, row) => {
    if (s.credits.length !== items)
      throw new RangeError(`row ${row} has ${s.credits.length} items, row 0 has ${items}`);
    s.credits.forEach((c, col) => {
      if (c !== null && !(Number.isFinite(c) && c >= 0 && c <= 1))
        throw new RangeError(`row ${row}, item ${col}: credit ${String(c)} is not null or a number in 0..1`);
    });
    if (s.total !== undefined && !Number.isFinite(s.total))
      throw new RangeError(`row ${row}: total ${String(s.total)} is not finite`);
  });
  return items;
}

const totalOf = (s: StudentResult) => s.total ?? s.credits.reduce<number>((a, c) => a + (c ?? 0), 0);

/**
 * Item statistics for every column of the matrix (see {@link ItemStats} for each figure's
 * definition). Each item's figures use only the students who answered it (non-null credit).
 *
 * @throws RangeError when rows differ in length or a credit is outside 0..1.
 */
export function itemStats(students: readonly StudentResult[], options: ItemStatsOptions = {}): ItemStats[] {
  const items = checkMatrix(students);
  const minResponses = options.minResponses ?? MIN_RESPONSES;
  const totals = students.map(totalOf);
  const stats: ItemStats[] = [];
  for (let col = 0; col < items; col++) {
    const pairs: { credit: number; total: number }[] = [];
    students.forEach((s, row) => {
      const credit = s.credits[col];
      if (credit !== null && credit !== undefined) pairs.push({ credit, total: totals[row]! });
    });
    const n = pairs.length;
    const xs = pairs.map((p) => p.credit);
    const rest = pairs.map((p) => p.total - p.credit);
    const facility = n ? clamp(100 * mean(xs), 0, 100) : null;
    const sd = n >= 2 ? 100 * Math.sqrt(Math.max(0, coSum(xs, xs) / (n - 1))) : null;
    const discrimination = upperLowerIndex(pairs);
    const pointBiserial = pearson(xs, rest);
    // The largest covariance two lists with these values can have pairs them in the same order.
    const maxCo =
      n >= 2
        ? coSum(
            [...xs].sort((a, b) => a - b),
            [...rest].sort((a, b) => a - b),
          )
        : 0;
    const efficiency = maxCo > EPS ? Math.min(100, (100 * coSum(xs, rest)) / maxCo) : null;

    const flags: ItemFlag[] = [];
    if ((discrimination !== null && discrimination < -EPS) || (pointBiserial !== null && pointBiserial < -EPS))
      flags.push('negative');
    if (facility !== null && facility > 95) flags.push('very_easy');
    if (facility !== null && facility < 5) flags.push('very_hard');
    if (n < minResponses) flags.push('few_responses');
    stats.push({ index: col, responses: n, facility, sd, discrimination, pointBiserial, efficiency, flags });
  }
  return stats;
}

/** One bar of a histogram: values v with from ≤ v < to (the last bar also takes v = to). */
export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

/**
 * Histogram of total scores in `bins` equal-width bars over [min, max]. By default min = 0 and
 * max = the highest score (pass the maximum possible score, e.g. the number of questions, to keep
 * the scale fixed between sessions). Scores outside [min, max] are counted in the first or last
 * bar so that the counts always add up to the number of students. With max ≤ min (e.g. everyone
 * scored 0) all scores go to the first bar.
 */
export function scoreHistogram(
  totals: readonly number[],
  bins: number,
  range: { min?: number; max?: number } = {},
): HistogramBin[] {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const finite = totals.filter(Number.isFinite);
  if (finite.length !== totals.length) throw new RangeError('scores must be finite numbers');
  const min = range.min ?? 0;
  const max = range.max ?? Math.max(min, ...finite);
  const width = (max - min) / bins;
  const out: HistogramBin[] = Array.from({ length: bins }, (_, i) => ({
    from: min + i * width,
    to: i === bins - 1 ? max : min + (i + 1) * width,
    count: 0,
  }));
  for (const t of finite) {
    const i = width > 0 ? Math.floor((t - min) / width) : 0;
    out[clamp(i, 0, bins - 1)]!.count++;
  }
  return out;
}

/**
 * Counts the options chosen in `responses`, the stored answers to one choice question (the
 * `response` JSON of our `answers` rows, so typed `unknown`):
 * `{ optionId }` for single choice, `{ optionIds }` for multiple select, `{ value: boolean }` for
 * true/false (counted under the ids `"true"` and `"false"`; pass those as `optionIds`).
 * Every option id starts at 0 so that never-chosen distractors show up in the report.
 */
export function optionDistribution(optionIds: readonly string[], responses: readonly unknown[]): OptionDistribution {
  const counts: Record<string, number> = Object.fromEntries(optionIds.map((id) => [id, 0]));
  const known = new Set(optionIds);
  let noAnswer = 0;
  let invalid = 0;
  for (const r of responses) {
    if (r === null || r === undefined) {
      noAnswer++;
      continue;
    }
    const chosen = choicesOf(r);
    if (!chosen || chosen.some((id) => !known.has(id)) || new Set(chosen).size !== chosen.length) invalid++;
    else if (chosen.length === 0) noAnswer++;
    else for (const id of chosen) counts[id] = (counts[id] ?? 0) + 1;
  }
  return { counts, noAnswer, invalid, total: responses.length };
}

function choicesOf(r: unknown): string[] | null {
  if (typeof r !== 'object' || r === null) return null;
  const o = r as Record<string, unknown>;
  if (typeof o.optionId === 'string') return [o.optionId];
  if (Array.isArray(o.optionIds) && o.optionIds.every((x) => typeof x === 'string')) return o.optionIds as string[];
  if (typeof o.value === 'boolean') return [String(o.value)];
  return null;
}

/** The minimum an `answers` row must tell for {@link matrixFromAnswers}. */
export interface AnswerRow {
  participantId: string;
  questionId: string;
  /** The stored verdict. */
  correct: boolean;
  /**
   * The credit when known (partial credit on a multiple select). Our `answers` table does not
   * store it, so without it a row counts 1 when correct and 0 otherwise (re-grade the stored
   * response with `grade()` to recover partial credit).
   */
  credit?: number;
}

/**
 * Builds the results matrix: one row per participant (in the order given), one column per
 * question (in the order given, usually the session's order), null where a participant has no
 * answer row. Totals are left out so that {@link itemStats} sums the credits, which keeps totals on
 * the credit scale. Rows for unknown participants or questions are ignored.
 */
export function matrixFromAnswers(
  participantIds: readonly string[],
  questionIds: readonly string[],
  rows: readonly AnswerRow[],
): StudentResult[] {
  const col = new Map(questionIds.map((id, i) => [id, i]));
  const matrix = new Map(participantIds.map((id) => [id, questionIds.map((): number | null => null)]));
  for (const r of rows) {
    const c = col.get(r.questionId);
    const credits = matrix.get(r.participantId);
    if (c === undefined || !credits) continue;
    credits[c] = clamp(r.credit ?? (r.correct ? 1 : 0), 0, 1);
  }
  return participantIds.map((id) => ({ credits: matrix.get(id)! }));
}
