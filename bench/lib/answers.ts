/** The question bank with its answer keys (read in Node, never from the server), and responses that are right or wrong. */
import { rawBank } from '../../db/bank';
import { parseBank } from '../../db/seed-sql';
import type { Question } from '../../worker/questions/schema';

/** Every bank question by id, answer key included. */
export const bank: ReadonlyMap<string, Question> = new Map(parseBank(rawBank).map((q) => [q.id, q as Question]));

export function bankQuestion(id: string): Question {
  const q = bank.get(id);
  if (!q) throw new Error(`question ${id} is not in the bank`);
  return q;
}

/** A response that is right for `q`. */
export function rightResponse(q: Question): unknown {
  switch (q.type) {
    case 'single':
      return { optionId: q.answer };
    case 'multi':
      return { optionIds: q.answer };
    case 'truefalse':
      return { value: q.answer };
    case 'numeric':
      return { value: q.answer };
    case 'ordering':
      return { order: q.answer };
    case 'matching':
      return { pairs: q.answer };
    case 'text':
      return { text: q.answer[0] };
  }
}

/** A well-formed response that is wrong for `q`. */
export function wrongResponse(q: Question): unknown {
  switch (q.type) {
    case 'single':
      return { optionId: q.options.find((o) => o.id !== q.answer)!.id };
    case 'multi':
      return { optionIds: q.answer.slice(1) };
    case 'truefalse':
      return { value: !q.answer };
    case 'numeric':
      return { value: q.answer + q.tolerance + 1 };
    case 'ordering':
      return { order: [...q.answer].reverse() };
    case 'matching': {
      const keys = Object.keys(q.answer);
      return { pairs: Object.fromEntries(keys.map((k, i) => [k, q.answer[keys[(i + 1) % keys.length]!]!])) };
    }
    case 'text':
      return { text: '不是这个答案' };
  }
}
