import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grade, normalizeText, pointsFor, storedResponse } from '../../worker/questions/scoring';
import type { Question } from '../../worker/contract';
import { base, opts } from './fixtures';

const q = {
  single: { ...base, id: 's-1', type: 'single', options: opts('a', 'b', 'c'), answer: 'b' },
  multi: { ...base, id: 'm-1', type: 'multi', options: opts('a', 'b', 'c', 'd'), answer: ['a', 'c'] },
  truefalse: { ...base, id: 't-1', type: 'truefalse', answer: false, key: ['x'] },
  numeric: { ...base, id: 'n-1', type: 'numeric', answer: 31.09, tolerance: 0 },
  numericTol: { ...base, id: 'n-2', type: 'numeric', answer: 100, tolerance: 5 },
  ordering: { ...base, id: 'o-1', type: 'ordering', options: opts('a', 'b', 'c'), answer: ['c', 'a', 'b'] },
  matching: {
    ...base,
    id: 'x-1',
    type: 'matching',
    options: opts('a', 'b'),
    targets: opts('x', 'y', 'z'),
    answer: { a: 'y', b: 'x' },
  },
  text: { ...base, id: 'w-1', type: 'text', answer: ['信访代办制', 'petition proxy system'] },
  poll: { ...base, id: 'p-1', type: 'poll', source: { own: true }, options: opts('a', 'b', 'c') },
  open: { ...base, id: 'o-1', type: 'open', source: { own: true } },
} satisfies Record<string, Question>;

const verdict = (question: Question, response: unknown) => grade(question, response);

describe('grading each type', () => {
  it.each([
    ['single', q.single, { optionId: 'b' }, { optionId: 'a' }, { optionId: 'q' }],
    [
      'multi (all of them, no partial credit)',
      q.multi,
      { optionIds: ['c', 'a'] },
      { optionIds: ['a'] },
      { optionIds: ['a', 'a', 'c'] },
    ],
    ['true/false', q.truefalse, { value: false }, { value: true }, { value: 'false' }],
    ['numeric exact', q.numeric, { value: 31.09 }, { value: 31.1 }, { value: '31.09' }],
    ['numeric with tolerance', q.numericTol, { value: 104.5 }, { value: 105.5 }, { value: null }],
    ['ordering', q.ordering, { order: ['c', 'a', 'b'] }, { order: ['a', 'b', 'c'] }, { order: ['c', 'a'] }],
    ['matching', q.matching, { pairs: { a: 'y', b: 'x' } }, { pairs: { a: 'x', b: 'y' } }, { pairs: { a: 'y' } }],
    ['text', q.text, { text: ' 信访代办制。' }, { text: '信访' }, { text: 42 }],
  ] as const)('%s: right, wrong, malformed', (_name, question, right, wrong, malformed) => {
    expect(verdict(question, right)).toEqual({ ok: true, correct: true, credit: 1 });
    expect(verdict(question, wrong)).toEqual({ ok: true, correct: false, credit: 0 });
    expect(verdict(question, malformed).ok).toBe(false);
    expect(verdict(question, { ...right, extra: 1 }).ok).toBe(false);
    expect(verdict(question, null).ok).toBe(false);
  });

  it('takes any option of a poll as neither right nor wrong, with no credit, and refuses anything else', () => {
    for (const optionId of ['a', 'b', 'c'])
      expect(verdict(q.poll, { optionId })).toEqual({ ok: true, correct: false, credit: 0 });
    for (const malformed of [{ optionId: 'd' }, { optionIds: ['a'] }, { optionId: 'a', extra: 1 }, null])
      expect(verdict(q.poll, malformed).ok).toBe(false);
    expect(pointsFor(0, 0, 20_000)).toBe(0);
  });

  it('takes any few words as an open answer, neither right nor wrong, and stores them trimmed', () => {
    for (const text of ['团结', ' unity ', 'x'.repeat(80)])
      expect(verdict(q.open, { text })).toEqual({ ok: true, correct: false, credit: 0 });
    for (const malformed of [{ text: '' }, { text: '   ' }, { text: 'x'.repeat(81) }, { optionId: 'a' }, null])
      expect(verdict(q.open, malformed).ok).toBe(false);
    expect(storedResponse(q.open, { text: '  民族团结 ' })).toEqual({ text: '民族团结' });
    // Any other type's response is stored as given.
    expect(storedResponse(q.text, { text: ' 信访代办制 ' })).toEqual({ text: ' 信访代办制 ' });
  });

  it('rejects matching pairs to unknown targets and ordering with foreign items', () => {
    expect(verdict(q.matching, { pairs: { a: 'y', b: 'nope' } }).ok).toBe(false);
    expect(verdict(q.ordering, { order: ['c', 'a', 'z'] }).ok).toBe(false);
  });

  it('compares text after folding width, case, spaces and punctuation', () => {
    expect(normalizeText('“Ｐetition  Proxy-System”！')).toBe('petitionproxysystem');
    expect(verdict(q.text, { text: 'PETITION PROXY SYSTEM' })).toEqual({ ok: true, correct: true, credit: 1 });
    expect(verdict(q.text, { text: '   ' })).toEqual({ ok: true, correct: false, credit: 0 });
  });

  it('gives partial credit on a multiple select only when the session enables it', () => {
    const partial = { partialCredit: true };
    expect(grade(q.multi, { optionIds: ['a'] })).toEqual({ ok: true, correct: false, credit: 0 });
    expect(grade(q.multi, { optionIds: ['a'] }, partial)).toEqual({ ok: true, correct: false, credit: 0.5 });
    expect(grade(q.multi, { optionIds: ['a', 'b'] }, partial)).toEqual({ ok: true, correct: false, credit: 0 });
    expect(grade(q.multi, { optionIds: ['b', 'd'] }, partial)).toEqual({ ok: true, correct: false, credit: 0 });
    expect(grade(q.multi, { optionIds: ['a', 'c'] }, partial)).toEqual({ ok: true, correct: true, credit: 1 });
    expect(pointsFor(0.5, 0, 10_000)).toBe(500);
  });
});

describe('points', () => {
  it('follows round(1000 × (1 − t / 2T)) for a right answer in time', () => {
    expect(pointsFor(1, 0, 20_000)).toBe(1000);
    expect(pointsFor(1, 10_000, 20_000)).toBe(750);
    expect(pointsFor(1, 20_000, 20_000)).toBe(500);
    expect(pointsFor(1, 20_001, 20_000)).toBe(0);
    expect(pointsFor(0, 1_000, 20_000)).toBe(0);
  });

  it('is between 500 and 1000 for any right answer in time, and never rises as time passes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 600_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (limit, a, b) => {
          const [early, late] = [Math.min(a, b) * limit, Math.max(a, b) * limit];
          const p = pointsFor(1, early, limit);
          expect(p).toBeGreaterThanOrEqual(500);
          expect(p).toBeLessThanOrEqual(1000);
          expect(pointsFor(1, late, limit)).toBeLessThanOrEqual(p);
        },
      ),
      { seed: 20261128, numRuns: 500 },
    );
  });
});
