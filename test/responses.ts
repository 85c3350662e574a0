/** Right and wrong answers to any question, for tests and load scripts (pure: runs in Node and in workerd). */
import type { Question } from '../worker/contract';

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
