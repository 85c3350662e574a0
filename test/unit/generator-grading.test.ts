/**
 * The generator against a teacher's grading, and its distractors against every pattern that gives
 * an answer away.
 *
 * test/fixtures/generator/GRADING.md grades every draft of the four unseen fixtures keep / edit /
 * discard. This test fails when the drafts differ from the graded ones (ids hash a draft's
 * content), when fewer than 70 % are kept or more than 10 % discarded, or when the scorer finds
 * a give-away among them. The property tests draw many figure sets with fast-check and hold the
 * distractor choice to the same detectors, and the answers' ranks to an even spread.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractFigures, figureDistractors, numericOption } from '../../worker/generator/figures';
import { generateDrafts } from '../../worker/generator/generate';
import { giveAways, rankBias, rankShares, type NumericOption } from '../../worker/generator/giveaway';
import { figureOptionSet, scoreText } from '../../worker/generator/score';
import { prng } from '../../worker/generator/util';

const FIXTURES = 'test/fixtures/generator';
const UNSEEN = ['county-stats.zh.md', 'after-school.zh.md', 'dujiangyan.zh.md', 'otters.en.md'];
type Grade = 'keep' | 'edit' | 'discard';

/** The graded rows of GRADING.md, by fixture: id and grade, in the table's order. */
function grading(): Map<string, { id: string; grade: Grade }[]> {
  const out = new Map<string, { id: string; grade: Grade }[]>();
  let file = '';
  for (const line of readFileSync(`${FIXTURES}/GRADING.md`, 'utf8').split('\n')) {
    const heading = /^## (\S+\.md)\b/.exec(line);
    if (heading) {
      file = heading[1]!;
      out.set(file, []);
      continue;
    }
    const row = /^\| \d+ \| `(gen-[a-z0-9-]+)` \|.*\| (keep|edit|discard) \| [^|]+ \|$/.exec(line);
    if (row && file) out.get(file)!.push({ id: row[1]!, grade: row[2] as Grade });
  }
  return out;
}

describe('the graded drafts of the unseen fixtures', () => {
  const graded = grading();

  it('grades exactly the drafts the generator makes, in order', () => {
    expect([...graded.keys()]).toEqual(UNSEEN);
    for (const file of UNSEEN) {
      const drafts = generateDrafts(readFileSync(`${FIXTURES}/${file}`, 'utf8'));
      expect(
        graded.get(file)!.map((g) => g.id),
        `${file}: regrade the drafts that changed`,
      ).toEqual(drafts.map((d) => d.id));
    }
  });

  it('keeps at least 70 % as they are and discards at most 10 %, overall and per text', () => {
    const all = [...graded.values()].flat();
    const share = (rows: { grade: Grade }[], g: Grade) => rows.filter((r) => r.grade === g).length / rows.length;
    expect(share(all, 'keep')).toBeGreaterThanOrEqual(0.7);
    expect(share(all, 'discard')).toBeLessThanOrEqual(0.1);
    for (const [file, rows] of graded) {
      expect(share(rows, 'keep'), file).toBeGreaterThanOrEqual(0.7);
      expect(share(rows, 'discard'), file).toBeLessThanOrEqual(0.1);
    }
  });

  it('has no give-away and no fake English, statements about half false, answers spread over ranks', () => {
    const all = UNSEEN.flatMap((file) => {
      const text = readFileSync(`${FIXTURES}/${file}`, 'utf8');
      const drafts = generateDrafts(text);
      const reasons = scoreText(text, drafts).malformed.flatMap((m) => m.reasons);
      expect(
        reasons.filter((r) => r.startsWith('give-away') || r.startsWith('English')),
        file,
      ).toEqual([]);
      for (const d of drafts) expect(d.stem.en, d.id).toBe(d.stem.zh); // one language per draft
      return drafts;
    });
    const tf = all.filter((d) => d.type === 'truefalse');
    const falseShare = tf.filter((d) => !d.answer).length / tf.length;
    expect(falseShare).toBeGreaterThanOrEqual(0.4);
    expect(falseShare).toBeLessThanOrEqual(0.6);
    expect(rankBias(all.map(figureOptionSet).filter((x) => x !== null))).toBeNull();
  });
});

describe('distractors, over many generated figure sets', () => {
  /** A unit and how numbers are written with it. */
  const units: { unit: string; decimals: number; min: number; max: number }[] = [
    { unit: '名', decimals: 0, min: 2, max: 5000 },
    { unit: '个', decimals: 0, min: 3, max: 900 },
    { unit: '万人', decimals: 2, min: 1, max: 200 },
    { unit: '亿元', decimals: 1, min: 1, max: 900 },
    { unit: '%', decimals: 1, min: 1, max: 99 },
    { unit: '公斤', decimals: 0, min: 10, max: 2000 },
    { unit: '年', decimals: 0, min: 1950, max: 2030 },
    { unit: '元', decimals: 0, min: 10, max: 90000 },
  ];
  const write = (n: number, decimals: number) => n.toFixed(decimals);
  // Positions in each unit's range come from a PRNG seeded by fast-check: its own integers lean
  // to the ends of a range, which would make most answers the smallest number a unit allows.
  const figureSet = fc
    .record({
      u: fc.integer({ min: 0, max: units.length - 1 }),
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      count: fc.integer({ min: 0, max: 6 }),
      round: fc.boolean(),
    })
    .map(({ u, seed, count, round }) => {
      const rnd = prng(seed);
      return { u, answer: rnd(), others: Array.from({ length: count }, rnd), round };
    })
    .map(({ u, answer, others, round }) => {
      const { unit, decimals, min, max } = units[u]!;
      // Half the answers round numbers ("300名"), half not.
      const at = (x: number) => {
        const n = min + x * (max - min);
        return round && decimals === 0 && unit !== '年' ? Math.max(min, Math.round(n / 100) * 100 || 100) : n;
      };
      const sentence = [answer, ...others].map((x) => `共计${write(at(x), decimals)}${unit}。`).join('');
      return sentence;
    });

  const optionsOf = (sentence: string): { options: NumericOption[]; answer: number } | null => {
    const pool = extractFigures(sentence.replace(/。/g, '，'));
    const answer = pool[0];
    if (!answer) return null;
    const picked = figureDistractors(answer, pool, () => false);
    if (picked.length < 2) return null;
    const options = [answer, ...picked.map((p) => extractFigures(p.text)[0]!)].map((f) => numericOption(f));
    return { options, answer: 0 };
  };

  it('never singles the answer out (centre, hub of multiples, apart, odd one out in form)', () => {
    fc.assert(
      fc.property(figureSet, (sentence) => {
        const set = optionsOf(sentence);
        if (set) expect(giveAways(set.options, set.answer), sentence).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('spreads the answers over the ranks of their options', () => {
    const sets = fc
      .sample(figureSet, { numRuns: 400, seed: 7 })
      .map(optionsOf)
      .filter((x) => x !== null);
    expect(sets.length).toBeGreaterThan(300);
    expect(rankBias(sets)).toBeNull();
    for (const share of rankShares(sets)) expect(share).toBeLessThan(0.4);
  });

  it('detects the patterns it is meant to: half and double, n ± 1, the only round number', () => {
    const opts = (values: number[], decimals = 0) =>
      values.map((value) => ({ value, decimals, intDigits: String(Math.trunc(value)) }));
    expect(giveAways(opts([1260, 630, 2520, 1900]), 0)).toContain(
      'the answer is the only option halfway between two others',
    );
    expect(giveAways(opts([40, 20, 80, 13]), 0)).toContain(
      'the answer is the only option that two others are simple multiples or digit copies of',
    );
    expect(giveAways(opts([300, 317, 283, 341]), 0)).toContain('the answer alone has its number of trailing zeros');
    expect(giveAways(opts([41.8, 21.9, 16.8, 18.4], 1), 0)).toContain('the answer stands apart from the other options');
    expect(giveAways(opts([412, 356, 481, 527]), 0)).toEqual([]);
  });
});
