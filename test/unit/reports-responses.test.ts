import { describe, expect, it } from 'vitest';
import { describeResponse } from '../../worker/reports/responses';
import type { Question } from '../../worker/contract';

const base = {
  stem: { zh: '题', en: 'Q' },
  explanation: { zh: '解', en: 'Why' },
  source: { own: true as const },
  topics: ['history' as const],
  difficulty: 1 as const,
};
const opt = (id: string, zh: string, en: string) => ({ id, text: { zh, en } });
const ordering: Question = {
  ...base,
  id: 'ord-1',
  type: 'ordering',
  options: [opt('a', '甲', 'A'), opt('b', '乙', 'B'), opt('c', '丙', 'C')],
  answer: ['c', 'a', 'b'],
};
const matching: Question = {
  ...base,
  id: 'mat-1',
  type: 'matching',
  options: [opt('a', '甲', 'A'), opt('b', '乙', 'B')],
  targets: [opt('x', '天', 'sky'), opt('y', '地', 'earth')],
  answer: { a: 'x', b: 'y' },
};

describe('describeResponse', () => {
  it('numbers ordering items in the student’s order and lists matching pairs in the question’s order', () => {
    expect(describeResponse(ordering, { order: ['b', 'c', 'a'] })).toEqual({
      zh: '1. 乙 2. 丙 3. 甲',
      en: '1. B 2. C 3. A',
    });
    expect(describeResponse(matching, { pairs: { b: 'x', a: 'y' } })).toEqual({
      zh: '甲 → 地、乙 → 天',
      en: 'A → earth, B → sky',
    });
  });

  it('is null without an answer, keeps ids the question no longer has, and falls back to JSON for an unknown shape', () => {
    expect(describeResponse(ordering, null)).toBeNull();
    expect(describeResponse(ordering, { order: ['b', 'zz'] })).toEqual({ zh: '1. 乙 2. zz', en: '1. B 2. zz' });
    expect(describeResponse(undefined, { optionId: 'a' })).toEqual({ zh: 'a', en: 'a' });
    expect(describeResponse(matching, { pairs: { a: 'q' } })).toEqual({ zh: '甲 → q', en: 'A → q' });
    expect(describeResponse(ordering, { what: 1 })).toEqual({ zh: '{"what":1}', en: '{"what":1}' });
    expect(describeResponse(undefined, { value: false })).toEqual({ zh: '错', en: 'False' });
    expect(describeResponse(undefined, { value: -2.5 })).toEqual({ zh: '-2.5', en: '-2.5' });
  });
});
