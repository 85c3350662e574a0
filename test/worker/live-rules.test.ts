/** The live game's scoring rules (pure functions). */
import { describe, expect, it } from 'vitest';
import { distribution, rankByScore, scoreAnswer, streakBonus } from '../../worker/live/rules';
import { storedQuestion } from './helpers';

describe('the streak bonus', () => {
  it('is +100 at 2 right in a row, rising by 100 to +500 at 6 or more', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map(streakBonus)).toEqual([0, 0, 100, 200, 300, 400, 500, 500, 500]);
  });

  it('grows with right answers in time and resets on a wrong, late or missing answer', () => {
    const limit = 20_000;
    let totals = { score: 0, correct: 0, streak: 0, answered: 0 };
    const play = (answer: { response: unknown; correct: boolean; base: number; timeMs: number }) => {
      const outcome = scoreAnswer(totals, answer, limit);
      totals = outcome.totals;
      return outcome;
    };
    const right = { response: { value: true }, correct: true, base: 1000, timeMs: 0 };
    expect(play(right)).toMatchObject({ points: 1000, bonus: 0, late: false, totals: { streak: 1, score: 1000 } });
    expect(play(right)).toMatchObject({ points: 1100, bonus: 100, totals: { streak: 2, score: 2100 } });
    expect(play({ ...right, base: 0, timeMs: 20_001 })).toMatchObject({
      points: 0,
      bonus: 0,
      late: true,
      totals: { streak: 0, correct: 3 },
    });
    for (const bonus of [0, 100, 200, 300, 400, 500, 500]) expect(play(right).bonus).toBe(bonus);
    expect(play({ response: null, correct: false, base: 0, timeMs: 25_000 })).toMatchObject({
      answered: false,
      points: 0,
      totals: { streak: 0 },
    });
    expect(play({ ...right, correct: false, base: 0 })).toMatchObject({ points: 0, totals: { streak: 0 } });
    expect(totals.answered).toBe(12);
  });

  it('gives a poll vote no points and neither breaks nor extends the streak', () => {
    const before = { score: 2100, correct: 2, streak: 2, answered: 2 };
    // A stored poll vote is graded not right with no credit, so its base is 0.
    const vote = { response: { optionId: 'a' }, correct: false, base: 0, timeMs: 1_000 };
    expect(scoreAnswer(before, vote, 20_000, true)).toEqual({
      totals: { score: 2100, correct: 2, streak: 2, answered: 3 },
      answered: true,
      late: false,
      points: 0,
      bonus: 0,
    });
    // Even a row marked right, as a stored answer could be, counts nothing for a poll.
    const marked = scoreAnswer(before, { ...vote, correct: true, base: 1000 }, 20_000, true);
    expect(marked).toMatchObject({ points: 0, totals: { score: 2100, correct: 2, streak: 2 } });
    // No vote at all leaves the streak too: nothing was asked that could be right.
    expect(scoreAnswer(before, { ...vote, response: null }, 20_000, true).totals.streak).toBe(2);
  });

  it('counts right answers without a clock when the session is untimed', () => {
    const outcome = scoreAnswer(
      { score: 0, correct: 0, streak: 1, answered: 1 },
      { response: {}, correct: true, base: 1000, timeMs: 999_999 },
      0,
    );
    expect(outcome).toMatchObject({ late: false, bonus: 100, points: 1100 });
  });
});

describe('ranking', () => {
  it('shares a rank between equal scores (1, 2, 2, 4) and keeps join order within a tie', () => {
    const ranked = rankByScore([
      { id: 'a', score: 10 },
      { id: 'b', score: 30 },
      { id: 'c', score: 10 },
      { id: 'd', score: 5 },
      { id: 'e', score: 30 },
    ]);
    expect(ranked.map((r) => [r.id, r.rank])).toEqual([
      ['b', 1],
      ['e', 1],
      ['a', 3],
      ['c', 3],
      ['d', 5],
    ]);
  });
});

describe('the distribution', () => {
  it('counts answers per option for choice questions and right/wrong/late/none for all', async () => {
    const q = await storedQuestion('com-025');
    expect(q.type).toBe('truefalse');
    const d = distribution(q, [
      { response: { value: true }, correct: true, late: false },
      { response: { value: false }, correct: false, late: false },
      { response: { value: true }, correct: true, late: true },
      { response: null, correct: false, late: false },
    ]);
    expect(d).toEqual({
      players: 4,
      answered: 3,
      correct: 1,
      wrong: 2,
      late: 1,
      noAnswer: 1,
      options: { true: 2, false: 1 },
    });
  });

  it('counts a poll’s votes per option, with nobody right or wrong', async () => {
    const single = await storedQuestion('com-025');
    const poll = {
      ...single,
      type: 'poll' as const,
      source: { own: true as const },
      options: ['a', 'b', 'c'].map((id) => ({ id, text: { zh: id, en: id } })),
    };
    const d = distribution(poll, [
      { response: { optionId: 'a' }, correct: false, late: false },
      { response: { optionId: 'c' }, correct: false, late: false },
      { response: { optionId: 'c' }, correct: false, late: true },
      { response: null, correct: false, late: false },
    ]);
    expect(d).toEqual({
      players: 4,
      answered: 3,
      correct: 0,
      wrong: 0,
      late: 1,
      noAnswer: 1,
      options: { a: 1, b: 0, c: 2 },
    });
  });

  it('counts an open question’s answers with nobody right or wrong, and no options', async () => {
    const single = await storedQuestion('com-025');
    const { id, stem, explanation, topics, difficulty } = single;
    const open = { id, stem, explanation, topics, difficulty, type: 'open' as const, source: { own: true as const } };
    const d = distribution(open, [
      { response: { text: '团结' }, correct: false, late: false },
      { response: null, correct: false, late: false },
    ]);
    expect(d).toEqual({ players: 2, answered: 1, correct: 0, wrong: 0, late: 0, noAnswer: 1 });
    // Scored as ungraded: no points, the streak kept.
    const before = { score: 900, correct: 1, streak: 1, answered: 1 };
    const outcome = scoreAnswer(
      before,
      { response: { text: '团结' }, correct: false, base: 0, timeMs: 500 },
      20_000,
      true,
    );
    expect(outcome).toMatchObject({ points: 0, totals: { score: 900, correct: 1, streak: 1, answered: 2 } });
  });
});
