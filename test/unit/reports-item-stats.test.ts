import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  itemStats,
  matrixFromAnswers,
  optionDistribution,
  pearson,
  scoreHistogram,
  upperLowerIndex,
  type StudentResult,
} from '../../worker/reports/item-stats';

/*
 * Hand-checked data set: 6 students × 3 items, credits 0..1 (item 3 is a multiple select with
 * partial credit). Totals are the sums of credits, all distinct so that the thirds are clear.
 *
 *          q1   q2   q3   total
 *   S1     1    1    1    3
 *   S2     1    1    0.5  2.5
 *   S3     1    0    1    2
 *   S4     1    0    0.5  1.5
 *   S5     0    1    0    1
 *   S6     0    0    0    0
 *
 * Thirds: g = ⌊6/3⌋ = 2, top = S1, S2; bottom = S5, S6.
 *
 * q1: F = 4/6 = 66.667 %. D = (1+1)/2 − (0+0)/2 = 1.
 *     SD: x̄ = 2/3, Σ(x−x̄)² = 4·(1/9) + 2·(4/9) = 4/3; √(4/3 / 5) = 0.5164 → 51.640 %.
 *     rest y = total − x = 2, 1.5, 1, 0.5, 1, 0; ȳ = 1; y − ȳ = 1, .5, 0, −.5, 0, −1.
 *     Σ(x−x̄)(y−ȳ) = ⅓(1 + .5 + 0 − .5) − ⅔(0 − 1) = ⅓ + ⅔ = 1; Σ(y−ȳ)² = 1 + .25 + 0 + .25 + 0 + 1 = 2.5.
 *     r = 1 / √(4/3 · 2.5) = 1 / √3.3333 = 0.548.
 *     Efficiency: y sorted to pair with x sorted: y − ȳ = 1, .5, 0, 0 (x = 1) and −.5, −1 (x = 0):
 *     max Σ = ⅓(1.5) + ⅔(1.5) = 1.5 → 100 · 1 / 1.5 = 66.667 %.
 * q2: F = 3/6 = 50 %. D = (1+1)/2 − (1+0)/2 = 0.5.
 *     rest y = 2, 1.5, 2, 1.5, 0, 0; ȳ = 7/6; y − ȳ = 5/6, 1/3, 5/6, 1/3, −7/6, −7/6.
 *     x = 1 for S1, S2, S5: Σ(y−ȳ) = 5/6 + 1/3 − 7/6 = 0, so Σ(x−x̄)(y−ȳ) = 0: r = 0, efficiency 0 %.
 *     (The thirds see S5's lucky right answer as noise; the correlation sees none at all.)
 *     SD: Σ(x−x̄)² = 6 · .25 = 1.5; √(1.5/5) = 0.5477 → 54.772 %.
 * q3: F = 3/6 = 50 %. D = (1 + .5)/2 − (0 + 0)/2 = 0.75.
 *     rest y = 2, 2, 1, 1, 1, 0; ȳ = 7/6; y − ȳ = 5/6, 5/6, −1/6, −1/6, −1/6, −7/6; x − x̄ = .5, 0, .5, 0, −.5, −.5.
 *     Σ(x−x̄)(y−ȳ) = 5/12 − 1/12 + 1/12 + 7/12 = 1; Σ(x−x̄)² = 1; Σ(y−ȳ)² = (25+25+1+1+1+49)/36 = 102/36.
 *     r = 1 / √(102/36) = 0.594. SD: √(1/5) = 0.4472 → 44.721 %.
 *     Efficiency: x sorted 1, 1, .5, .5, 0, 0 against y sorted 2, 2, 1, 1, 1, 0:
 *     max Σ = .5(5/6 + 5/6) − .5(−1/6 − 7/6) = 5/6 + 4/6 = 1.5 → 66.667 %.
 */
const handChecked: StudentResult[] = [
  { credits: [1, 1, 1] },
  { credits: [1, 1, 0.5] },
  { credits: [1, 0, 1] },
  { credits: [1, 0, 0.5] },
  { credits: [0, 1, 0] },
  { credits: [0, 0, 0] },
];

describe('item statistics on the hand-checked data set', () => {
  const [q1, q2, q3] = itemStats(handChecked);

  it('facility index', () => {
    expect(q1!.facility).toBeCloseTo(66.667, 3);
    expect(q2!.facility).toBeCloseTo(50, 3);
    expect(q3!.facility).toBeCloseTo(50, 3);
  });

  it('upper–lower discrimination index', () => {
    expect(q1!.discrimination).toBeCloseTo(1, 3);
    expect(q2!.discrimination).toBeCloseTo(0.5, 3);
    expect(q3!.discrimination).toBeCloseTo(0.75, 3);
  });

  it('point-biserial r with the rest of the test', () => {
    expect(q1!.pointBiserial).toBeCloseTo(0.548, 3);
    expect(q2!.pointBiserial).toBeCloseTo(0, 3);
    expect(q3!.pointBiserial).toBeCloseTo(0.594, 3);
  });

  it('discriminative efficiency and standard deviation', () => {
    expect(q1!.efficiency).toBeCloseTo(66.667, 3);
    expect(q2!.efficiency).toBeCloseTo(0, 3);
    expect(q3!.efficiency).toBeCloseTo(66.667, 3);
    expect(q1!.sd).toBeCloseTo(51.64, 2);
    expect(q2!.sd).toBeCloseTo(54.772, 3);
    expect(q3!.sd).toBeCloseTo(44.721, 3);
  });

  it('counts the responses and flags nothing on a sound data set', () => {
    expect(itemStats(handChecked).map((s) => [s.index, s.responses, s.flags])).toEqual([
      [0, 6, []],
      [1, 6, []],
      [2, 6, []],
    ]);
  });

  it('gives the same figures with explicit totals equal to the sums', () => {
    const withTotals = handChecked.map((s) => ({ ...s, total: s.credits.reduce<number>((a, c) => a + (c ?? 0), 0) }));
    expect(itemStats(withTotals)).toEqual(itemStats(handChecked));
  });
});

describe('upper–lower index', () => {
  it('splits a tie across the cut at the tie block’s mean credit', () => {
    // 3 students, g = 1. Top: A (credit 1). Bottom: B and C tie at total 1 for one place:
    // the place is filled at their mean credit (1 + 0)/2 = 0.5. D = 1 − 0.5 = 0.5, whatever the row order.
    const a = { credit: 1, total: 2 };
    const b = { credit: 1, total: 1 };
    const c = { credit: 0, total: 1 };
    expect(upperLowerIndex([a, b, c])).toBeCloseTo(0.5, 9);
    expect(upperLowerIndex([c, b, a])).toBeCloseTo(0.5, 9);
  });

  it('is null with fewer than three students', () => {
    expect(
      upperLowerIndex([
        { credit: 1, total: 1 },
        { credit: 0, total: 0 },
      ]),
    ).toBeNull();
  });
});

describe('flags', () => {
  it('flags negative, very easy, very hard and few responses', () => {
    const rows: StudentResult[] = [
      // item 0: only the weakest get it (negative); item 1: everyone right; item 2: everyone wrong;
      // item 3: answered by two students only.
      { credits: [0, 1, 0, 1], total: 10 },
      { credits: [0, 1, 0, null], total: 8 },
      { credits: [0, 1, 0, null], total: 6 },
      { credits: [1, 1, 0, null], total: 4 },
      { credits: [1, 1, 0, 0], total: 2 },
      { credits: [1, 1, 0, null], total: 1 },
    ];
    const [neg, easy, hard, few] = itemStats(rows);
    expect(neg!.flags).toEqual(['negative']);
    expect(neg!.discrimination).toBeCloseTo(-1, 9);
    expect(easy!.flags).toEqual(['very_easy']);
    expect(easy!.pointBiserial).toBeNull(); // no variance in the item
    expect(easy!.efficiency).toBeNull();
    expect(hard!.flags).toEqual(['very_hard']);
    expect(few!.responses).toBe(2);
    expect(few!.flags).toContain('few_responses');
    expect(few!.discrimination).toBeNull();
    expect(itemStats(rows, { minResponses: 2 })[3]!.flags).not.toContain('few_responses');
  });

  it('leaves unanswered items out instead of counting them wrong', () => {
    const [q] = itemStats([{ credits: [1] }, { credits: [null] }, { credits: [0] }]);
    expect(q!.responses).toBe(2);
    expect(q!.facility).toBe(50);
    const [none] = itemStats([{ credits: [null] }]);
    expect(none).toMatchObject({ responses: 0, facility: null, sd: null, discrimination: null, pointBiserial: null });
  });

  it('rejects ragged rows and credits outside 0..1', () => {
    expect(() => itemStats([{ credits: [1, 0] }, { credits: [1] }])).toThrow(RangeError);
    expect(() => itemStats([{ credits: [1.5] }])).toThrow(/credit/);
    expect(() => itemStats([{ credits: [Number.NaN] }])).toThrow(RangeError);
    expect(itemStats([])).toEqual([]);
  });
});

const credit = fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(null));
const matrix = fc.integer({ min: 1, max: 5 }).chain((items) =>
  fc.array(fc.record({ credits: fc.array(credit, { minLength: items, maxLength: items }) }), {
    minLength: 0,
    maxLength: 40,
  }),
);

describe('item statistics: properties', () => {
  it('keeps every figure in its range, or null when undefined', () => {
    fc.assert(
      fc.property(matrix, (rows) => {
        for (const s of itemStats(rows)) {
          if (s.facility !== null) {
            expect(s.facility).toBeGreaterThanOrEqual(0);
            expect(s.facility).toBeLessThanOrEqual(100);
          }
          if (s.discrimination !== null) expect(Math.abs(s.discrimination)).toBeLessThanOrEqual(1 + 1e-12);
          if (s.pointBiserial !== null) expect(Math.abs(s.pointBiserial)).toBeLessThanOrEqual(1);
          if (s.efficiency !== null) expect(s.efficiency).toBeLessThanOrEqual(100);
          expect(s.facility === null).toBe(s.responses === 0);
          expect(s.discrimination === null).toBe(s.responses < 3);
        }
      }),
    );
  });

  it('does not depend on the order of the students', () => {
    fc.assert(
      fc.property(
        matrix.chain((rows) =>
          fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length })),
        ),
        ([rows, shuffled]) => {
          const a = itemStats(rows);
          const b = itemStats(shuffled);
          a.forEach((s, i) => {
            for (const key of ['facility', 'discrimination', 'pointBiserial', 'efficiency', 'sd'] as const) {
              const x = s[key];
              const y = b[i]![key];
              if (x === null || y === null) expect(x).toBe(y);
              else expect(x).toBeCloseTo(y, 9);
            }
          });
        },
      ),
    );
  });

  it('gives r = null exactly when the item or the rest score has no variance', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 9 })), {
          minLength: 2,
          maxLength: 30,
        }),
        (pairs) => {
          const xs = pairs.map((p) => p[0]);
          const ys = pairs.map((p) => p[1]);
          const flat = (v: number[]) => v.every((x) => x === v[0]);
          expect(pearson(xs, ys) === null).toBe(flat(xs) || flat(ys));
        },
      ),
    );
  });
});

describe('score histogram', () => {
  it('bins totals over [0, max] and counts every student once', () => {
    expect(scoreHistogram([0, 1, 2, 2, 3, 4], 4, { max: 4 })).toEqual([
      { from: 0, to: 1, count: 1 },
      { from: 1, to: 2, count: 1 },
      { from: 2, to: 3, count: 2 },
      { from: 3, to: 4, count: 2 }, // the top score 4 falls in the last bar
    ]);
    expect(scoreHistogram([], 3, { max: 6 }).map((b) => b.count)).toEqual([0, 0, 0]);
    expect(scoreHistogram([0, 0], 2).map((b) => b.count)).toEqual([2, 0]);
    expect(() => scoreHistogram([1], 0)).toThrow(RangeError);
  });

  it('always accounts for every score', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 100, noNaN: true })),
        fc.integer({ min: 1, max: 20 }),
        (totals, bins) => {
          const h = scoreHistogram(totals, bins, { max: 50 });
          expect(h).toHaveLength(bins);
          expect(h.reduce((a, b) => a + b.count, 0)).toBe(totals.length);
        },
      ),
    );
  });
});

describe('option distribution', () => {
  it('counts single, multiple and true/false answers, no answer and invalid ones', () => {
    const single = optionDistribution(
      ['a', 'b', 'c'],
      [{ optionId: 'a' }, { optionId: 'b' }, { optionId: 'a' }, null, { optionId: 'q' }, 'junk'],
    );
    expect(single).toEqual({ counts: { a: 2, b: 1, c: 0 }, noAnswer: 1, invalid: 2, total: 6 });
    const multi = optionDistribution(
      ['a', 'b', 'c', 'd'],
      [{ optionIds: ['a', 'c'] }, { optionIds: ['c'] }, { optionIds: [] }, undefined, { optionIds: ['a', 'a'] }],
    );
    expect(multi).toEqual({ counts: { a: 1, b: 0, c: 2, d: 0 }, noAnswer: 2, invalid: 1, total: 5 });
    expect(optionDistribution(['true', 'false'], [{ value: true }, { value: false }, { value: true }]).counts).toEqual({
      true: 2,
      false: 1,
    });
  });
});

describe('matrix from answer rows', () => {
  it('puts credits in participant × question order with null for missing rows', () => {
    const m = matrixFromAnswers(
      ['p1', 'p2'],
      ['q1', 'q2'],
      [
        { participantId: 'p1', questionId: 'q2', correct: true },
        { participantId: 'p1', questionId: 'q1', correct: false },
        { participantId: 'p2', questionId: 'q1', correct: false, credit: 0.5 },
        { participantId: 'p3', questionId: 'q1', correct: true },
      ],
    );
    expect(m).toEqual([{ credits: [0, 1] }, { credits: [0.5, null] }]);
  });
});
