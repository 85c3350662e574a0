import { describe, expect, it } from 'vitest';
import { answerGrid, orderStudents, type GridAnswer } from '../../worker/reports/answer-grid';

const answer = (participantId: string, questionId: string, rest: Partial<GridAnswer> = {}): GridAnswer => ({
  participantId,
  questionId,
  correct: false,
  blank: false,
  ...rest,
});

describe("the dashboard's answer grid", () => {
  it('places each answer under its question in the session order, whatever order it was given in', () => {
    // A played the questions shuffled (q3, q1, q2) and answered all three; B left q2 blank and
    // has not reached q3; C answered nothing.
    const grid = answerGrid(
      ['q1', 'q2', 'q3'],
      ['A', 'B', 'C'],
      [
        answer('A', 'q3', { correct: true }),
        answer('B', 'q1', { correct: true }),
        answer('A', 'q1'),
        answer('B', 'q2', { blank: true }),
        answer('A', 'q2', { correct: true }),
      ],
    );
    expect(grid.rows).toEqual([
      { participantId: 'A', cells: ['wrong', 'right', 'right'] },
      { participantId: 'B', cells: ['right', 'blank', null] },
      { participantId: 'C', cells: [null, null, null] },
    ]);
  });

  it('marks an answer to a poll as a vote, neither right nor wrong', () => {
    const grid = answerGrid(
      ['q1', 'p1'],
      ['A', 'B'],
      [answer('A', 'q1', { correct: true }), answer('A', 'p1'), answer('B', 'p1', { blank: true })],
      new Set(['p1']),
    );
    expect(grid.rows.map((r) => r.cells)).toEqual([
      ['right', 'voted'],
      [null, 'blank'],
    ]);
  });

  it('counts a blank answer as blank, not wrong, and leaves out answers of nobody listed or no listed question', () => {
    const grid = answerGrid(['q1'], ['A'], [answer('A', 'q1', { blank: true }), answer('Z', 'q1'), answer('A', 'q9')]);
    expect(grid.rows).toEqual([{ participantId: 'A', cells: ['blank'] }]);
  });

  it('has no rows without participants, and empty rows without questions', () => {
    expect(answerGrid(['q1'], [], [answer('A', 'q1')]).rows).toEqual([]);
    expect(answerGrid([], ['A'], []).rows).toEqual([{ participantId: 'A', cells: [] }]);
  });
});

describe("the grid's orders of students", () => {
  // In the order they joined.
  const students = [
    { nickname: 'Zoe', score: 500 },
    { nickname: '李雷', score: 1500 },
    { nickname: 'amy', score: 1500 },
    { nickname: '王芳', score: 0 },
    { nickname: 'Bob', score: 800 },
  ];
  const names = (list: { nickname: string }[]) => list.map((s) => s.nickname);

  it('keeps the order of joining', () => {
    expect(names(orderStudents(students, 'joined', 'en'))).toEqual(['Zoe', '李雷', 'amy', '王芳', 'Bob']);
  });

  it('by score: highest first, ties in the order of joining', () => {
    expect(names(orderStudents(students, 'score', 'en'))).toEqual(['李雷', 'amy', 'Bob', 'Zoe', '王芳']);
  });

  it("by name: in the language's collation, Chinese names in pinyin order", () => {
    const zh = names(orderStudents(students, 'name', 'zh'));
    // 李 (lǐ) before 王 (wáng); letters ignore case.
    expect(zh.indexOf('李雷')).toBeLessThan(zh.indexOf('王芳'));
    expect(names(orderStudents(students, 'name', 'en')).filter((n) => /^[a-z]/i.test(n))).toEqual([
      'amy',
      'Bob',
      'Zoe',
    ]);
  });

  it('leaves the given list as it was', () => {
    const before = names(students);
    orderStudents(students, 'score', 'en');
    expect(names(students)).toEqual(before);
  });
});
