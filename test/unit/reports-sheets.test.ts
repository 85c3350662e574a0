import { describe, expect, it } from 'vitest';
import { localClock } from '../../worker/reports/local-time';
import {
  answerSheet,
  classSheet,
  gridSheet,
  type ClassResults,
  type SessionResults,
  type SheetAnswer,
} from '../../worker/reports/sheets';
import type { Question } from '../../worker/contract';

const base = {
  explanation: { zh: '解', en: 'Why' },
  source: { own: true as const },
  topics: ['history' as const],
  difficulty: 1 as const,
};
const single: Question = {
  ...base,
  id: 'q-single',
  type: 'single',
  stem: { zh: '首都是哪里？', en: 'Which is the capital?' },
  options: [
    { id: 'a', text: { zh: '北京', en: 'Beijing' } },
    { id: 'b', text: { zh: '上海', en: 'Shanghai' } },
  ],
  answer: 'a',
};
const numeric: Question = {
  ...base,
  id: 'q-numeric',
  type: 'numeric',
  stem: { zh: '零下几度？', en: 'How cold?' },
  answer: -5,
  tolerance: 0,
};
const truefalse: Question = {
  ...base,
  id: 'q-tf',
  type: 'truefalse',
  stem: { zh: '长城在北方。', en: 'The Great Wall is in the north.' },
  answer: true,
};

/** 8:00 in Beijing on 5 March 2026, and `s` seconds later. */
const at = (s: number) => Date.UTC(2026, 2, 5, 0, 0, s);
const answer = (participantId: string, questionId: string, rest: Partial<SheetAnswer>): SheetAnswer => ({
  participantId,
  questionId,
  response: null,
  correct: false,
  points: 0,
  timeMs: 0,
  answeredAt: at(0),
  ...rest,
});

// A's order was shuffled (true/false first, then numeric, then single); B ran out of time on the
// first question and stopped; C joined and answered nothing.
const results: SessionResults = {
  questions: [
    { position: 0, question: single },
    { position: 1, question: numeric },
    { position: 2, question: truefalse },
  ],
  students: [
    { id: 'A', rank: 1, nickname: 'Amy', rosterName: '王芳', score: 1700 },
    { id: 'B', rank: 2, nickname: '=B', rosterName: null, score: 0 },
    { id: 'C', rank: 2, nickname: '小明', rosterName: null, score: 0 },
  ],
  answers: [
    answer('A', 'q-tf', { response: { value: false }, timeMs: 3_449, answeredAt: at(3) }),
    answer('A', 'q-numeric', {
      response: { value: -5 },
      correct: true,
      points: 900,
      timeMs: 12_000,
      answeredAt: at(15),
    }),
    answer('A', 'q-single', { response: { optionId: 'a' }, correct: true, points: 800, answeredAt: at(20) }),
    answer('B', 'q-single', { timeMs: 30_000, answeredAt: at(30) }),
  ],
};

describe('a poll in the sheets', () => {
  const poll: Question = {
    ...base,
    id: 'q-poll',
    type: 'poll',
    stem: { zh: '想去哪里？', en: 'Where to?' },
    options: [
      { id: 'a', text: { zh: '北京', en: 'Beijing' } },
      { id: 'b', text: { zh: '上海', en: 'Shanghai' } },
    ],
  };
  const withPoll: SessionResults = {
    questions: [
      { position: 0, question: poll },
      { position: 1, question: single },
    ],
    students: [{ id: 'A', rank: 1, nickname: 'Amy', rosterName: null, score: 800 }],
    answers: [
      answer('A', 'q-poll', { response: { optionId: 'b' }, answeredAt: at(5) }),
      answer('A', 'q-single', { response: { optionId: 'a' }, correct: true, points: 800, answeredAt: at(9) }),
    ],
  };

  it('leaves a vote neither right nor wrong: empty where the sheets say yes/no or 1/0', () => {
    const [, vote] = answerSheet(withPoll, 'en', localClock('UTC'));
    expect(vote!.slice(4, 10)).toEqual(['Q1', 'q-poll', 'Where to?', 'Shanghai', '', 0]);
    const [, correct] = gridSheet(withPoll, 'en', 'correct');
    expect(correct).toEqual(['Amy', '', '', 1, 800, 1, 2]);
    const [, points] = gridSheet(withPoll, 'en', 'points');
    expect(points).toEqual(['Amy', '', 0, 800, 800, 1, 2]);
  });
});

describe('answerSheet', () => {
  it('writes one row per answer in session order, numbered by the session, in the school’s time', () => {
    const [header, ...rows] = answerSheet(results, 'en', localClock('Asia/Shanghai'));
    expect(header).toEqual([
      'rank',
      'nickname',
      'roster name',
      'total score',
      'question',
      'question id',
      'question text',
      'answer given',
      'correct',
      'points',
      'seconds',
      'answered at (Asia/Shanghai)',
    ]);
    expect(rows).toEqual([
      [
        1,
        'Amy',
        '王芳',
        1700,
        'Q1',
        'q-single',
        'Which is the capital?',
        'Beijing',
        'yes',
        800,
        0,
        '2026-03-05 08:00:20',
      ],
      [1, 'Amy', '王芳', 1700, 'Q2', 'q-numeric', 'How cold?', -5, 'yes', 900, 12, '2026-03-05 08:00:15'],
      [
        1,
        'Amy',
        '王芳',
        1700,
        'Q3',
        'q-tf',
        'The Great Wall is in the north.',
        'False',
        'no',
        0,
        3.4,
        '2026-03-05 08:00:03',
      ],
      [2, '=B', '', 0, 'Q1', 'q-single', 'Which is the capital?', '', 'no', 0, 30, '2026-03-05 08:00:30'],
      // No answers: still a row, as wide as the header.
      [2, '小明', '', 0, null, null, null, null, null, null, null, null],
    ]);
  });

  it('writes headers, question texts and answers in Chinese', () => {
    const [header, ...rows] = answerSheet(results, 'zh', localClock('UTC'));
    expect(header).toEqual([
      '名次',
      '昵称',
      '花名册姓名',
      '总得分',
      '题号',
      '题目编号',
      '题目',
      '作答',
      '是否正确',
      '得分',
      '用时（秒）',
      '作答时间（UTC）',
    ]);
    expect(rows[0]).toEqual([
      1,
      'Amy',
      '王芳',
      1700,
      '第 1 题',
      'q-single',
      '首都是哪里？',
      '北京',
      '是',
      800,
      0,
      '2026-03-05 00:00:20',
    ]);
    expect(rows[2]!.slice(4, 9)).toEqual(['第 3 题', 'q-tf', '长城在北方。', '错', '否']);
  });
});

describe('gridSheet', () => {
  it('puts students on rows and questions in session order on columns, with totals', () => {
    expect(gridSheet(results, 'en', 'points')).toEqual([
      [
        'nickname',
        'roster name',
        'Q1 Which is the capital?',
        'Q2 How cold?',
        'Q3 The Great Wall is in the north.',
        'total points',
        'number right',
        'number answered',
      ],
      ['Amy', '王芳', 800, 900, 0, 1700, 2, 3],
      // Time ran out on Q1: answered, with 0; never reached Q2 and Q3: empty.
      ['=B', '', 0, null, null, 0, 0, 1],
      ['小明', '', null, null, null, 0, 0, 0],
    ]);
  });

  it('gives 1 or 0 per question with value=correct, and Chinese headers', () => {
    const [header, amy, b] = gridSheet(results, 'zh', 'correct');
    expect(header).toEqual([
      '昵称',
      '花名册姓名',
      '第 1 题 首都是哪里？',
      '第 2 题 零下几度？',
      '第 3 题 长城在北方。',
      '总得分',
      '答对题数',
      '作答题数',
    ]);
    expect(amy).toEqual(['Amy', '王芳', 1, 1, 0, 1700, 2, 3]);
    expect(b).toEqual(['=B', '', 0, null, null, 0, 0, 1]);
  });

  it('shortens a long stem to one line in the header', () => {
    const long: Question = { ...single, stem: { zh: '很长的题目'.repeat(10), en: 'A question\nover   two lines' } };
    const one = { ...results, questions: [{ position: 0, question: long }] };
    const [zh] = gridSheet(one, 'zh', 'points');
    expect(zh![2]).toBe(`第 1 题 ${'很长的题目'.repeat(8).slice(0, 39)}…`);
    expect(gridSheet(one, 'en', 'points')[0]![2]).toBe('Q1 A question over two lines');
  });
});

describe('classSheet', () => {
  const day = (d: number) => Date.UTC(2026, 2, d, 23, 30); // the next morning in Beijing
  const seat = (sessionId: string, nickname: string, rosterId: string | null, correct: number) => ({
    sessionId,
    nickname,
    nicknameKey: nickname.toLowerCase(),
    rosterId,
    correct,
  });
  const klass: ClassResults = {
    sessions: [
      { id: 's1', title: '第一课', createdAt: day(1), gradedCount: 3 },
      { id: 's2', title: 'Lesson 2', createdAt: day(8), gradedCount: 4 },
      { id: 's3', title: 'Empty', createdAt: day(9), gradedCount: 0 },
    ],
    roster: [
      { id: 'r-zhang', name: '张伟' },
      { id: 'r-an', name: '安娜' },
      { id: 'r-li', name: '李雷' },
    ],
    seats: [
      seat('s1', 'Wei', 'r-zhang', 2),
      seat('s2', 'Wei', 'r-zhang', 1),
      // Typed as the roster name and not linked: counts for the name.
      seat('s2', '李雷', null, 2),
      seat('s1', 'Anna', 'r-an', 3),
      seat('s1', 'Li', null, 1),
      seat('s2', 'li', null, 4),
      seat('s2', 'Bob', null, 0),
      // A roster entry of another class counts as no link.
      seat('s3', 'Zed', 'r-elsewhere', 0),
    ],
  };

  it('writes one row per roster name and per unlinked nickname, percent right per session', () => {
    expect(classSheet(klass, 'zh', localClock('Asia/Shanghai'))).toEqual([
      [
        '花名册姓名',
        '昵称',
        '2026-03-02 第一课（正确率 %）',
        '2026-03-09 Lesson 2（正确率 %）',
        '2026-03-10 Empty（正确率 %）',
      ],
      // Roster names in pinyin order (an, li, zhang), then the nicknames.
      ['安娜', 'Anna', 100, null, null],
      ['李雷', '李雷', null, 50, null],
      ['张伟', 'Wei', 67, 25, null],
      ['', 'Bob', null, 0, null],
      ['', 'Li、li', 33, 100, null],
      ['', 'Zed', null, null, null],
    ]);
  });

  it('writes English headers and dates in the zone given', () => {
    const [header] = classSheet(klass, 'en', localClock('UTC'));
    expect(header).toEqual([
      'roster name',
      'nicknames',
      '2026-03-01 第一课 (% right)',
      '2026-03-08 Lesson 2 (% right)',
      '2026-03-09 Empty (% right)',
    ]);
  });
});
