/** Right and wrong answers to any question, for tests and load scripts (pure: runs in Node and in workerd). */
import type { Option, Question, StudentQuestion } from '../worker/contract';

/**
 * `q` (answer key included) in the ids a student was served it with: a session shows its own ids,
 * never the bank's. Options and targets are matched by their text, as the student reads them, so
 * that the right and wrong responses below name what the student saw.
 */
export function asServed(q: Question, served: StudentQuestion): Question {
  const same = (a: Option, b: Option) => a.text.zh === b.text.zh && a.text.en === b.text.en;
  const ids = (list: readonly Option[], shown: readonly Option[] | undefined) =>
    new Map(
      list.map((o) => {
        const found = shown?.filter((x) => same(x, o)) ?? [];
        if (found.length !== 1) throw new Error(`question ${q.id}: option ${o.id} shown ${found.length} times`);
        return [o.id, found[0]!.id];
      }),
    );
  const id = served.id;
  switch (q.type) {
    case 'single': {
      const options = ids(q.options, served.options);
      return { ...q, id, options: served.options!, answer: options.get(q.answer)! };
    }
    case 'poll':
      ids(q.options, served.options);
      return { ...q, id, options: served.options! };
    case 'multi':
    case 'ordering': {
      const options = ids(q.options, served.options);
      return { ...q, id, options: served.options!, answer: q.answer.map((a) => options.get(a)!) };
    }
    case 'matching': {
      const [options, targets] = [ids(q.options, served.options), ids(q.targets, served.targets)];
      const pairs = Object.entries(q.answer).map(([l, t]) => [options.get(l)!, targets.get(t)!]);
      return { ...q, id, options: served.options!, targets: served.targets!, answer: Object.fromEntries(pairs) };
    }
    default:
      return { ...q, id };
  }
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
    case 'poll':
      // Nothing is right or wrong in a poll: any vote is taken.
      return { optionId: q.options[0]!.id };
    case 'open':
      // Nor in an open answer: any few words are taken.
      return { text: '民族团结' };
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
    case 'poll':
      return { optionId: q.options.at(-1)!.id };
    case 'open':
      return { text: '团结' };
  }
}

/** A teacher's own poll (no right answer), as the question editor sends it: shared by the workerd and browser tests. */
export const ownPoll = {
  type: 'poll',
  stem: { zh: '你最想参观哪个城市？', en: 'Which city would you most like to visit?' },
  explanation: { zh: '下周的参观由大家决定。', en: "Your votes decide next week's visit." },
  options: [
    { id: 'a', text: { zh: '包头', en: 'Baotou' } },
    { id: 'b', text: { zh: '呼和浩特', en: 'Hohhot' } },
    { id: 'c', text: { zh: '赤峰', en: 'Chifeng' } },
  ],
  topics: ['culture'],
  difficulty: 1,
};

/**
 * A teacher's own single choice with a photo on its stem (right answer `b`): `image` is what
 * `POST /api/images` answered (the Worker sets the stored size when the question is saved).
 */
export const ownImageQuestion = (image: { id: string; width: number; height: number }) => ({
  type: 'single',
  stem: { zh: '照片上是哪座城市？', en: 'Which city is in the photo?' },
  image: {
    ...image,
    alt: { zh: '大召寺前的广场，远处是青山', en: 'The square in front of Dazhao Temple, hills behind it' },
  },
  explanation: { zh: '大召寺在呼和浩特。', en: 'Dazhao Temple is in Hohhot.' },
  options: [
    { id: 'a', text: { zh: '包头', en: 'Baotou' } },
    { id: 'b', text: { zh: '呼和浩特', en: 'Hohhot' } },
    { id: 'c', text: { zh: '赤峰', en: 'Chifeng' } },
  ],
  answer: 'b',
  topics: ['culture'],
  difficulty: 1,
});

/**
 * A teacher's own single choice with a photo on each of its first two options (none on the stem),
 * as the question editor sends it: shared by the workerd and browser tests.
 */
export const ownOptionImagesQuestion = (
  first: { id: string; width: number; height: number },
  second: { id: string; width: number; height: number },
) => ({
  type: 'single',
  stem: { zh: '哪张照片是草原？', en: 'Which photo shows the grassland?' },
  explanation: { zh: '草原上有蒙古包。', en: 'The grassland has yurts on it.' },
  options: [
    {
      id: 'a',
      text: { zh: '草原', en: 'Grassland' },
      image: { ...first, alt: { zh: '草原上的白色蒙古包', en: 'White yurts on the grassland' } },
    },
    {
      id: 'b',
      text: { zh: '沙漠', en: 'Desert' },
      image: { ...second, alt: { zh: '金色的沙丘', en: 'Golden sand dunes' } },
    },
    { id: 'c', text: { zh: '都不是', en: 'Neither' } },
  ],
  answer: 'a',
  topics: ['culture'],
  difficulty: 1,
});

/** A teacher's own open answer (a word cloud), as the question editor sends it: shared by the workerd and browser tests. */
export const ownOpen = {
  type: 'open',
  stem: { zh: '用一个词说说：民族团结是什么？', en: 'In a word: what is ethnic unity?' },
  explanation: { zh: '大家的回答组成词云。', en: 'Your answers make the word cloud.' },
  topics: ['culture'],
  difficulty: 1,
};
