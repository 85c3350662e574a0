import fc from 'fast-check';
import { parse, type GIFTQuestion, type NumericalFormat } from 'gift-pegjs';
import { describe, expect, it } from 'vitest';
import { rawBank } from '../../db/bank';
import { parseBank } from '../../db/seed-sql';
import {
  escapeGift,
  exportGift,
  importGift,
  plainNumber,
  questionToGift,
  type GiftLang,
  type TeacherQuestion,
} from '../../worker/reports/gift';
import { question as questionSchema } from '../../worker/questions/schema';
import type { Localized, Question } from '../../worker/contract';

const bank = parseBank(rawBank);
const LANGS: GiftLang[] = ['both', 'zh', 'en'];

/** The text a language setting should produce, written independently of the exporter. */
const pick = (l: Localized, lang: GiftLang) =>
  lang === 'zh' ? l.zh : lang === 'en' ? l.en : l.zh === l.en ? l.zh : `${l.zh} / ${l.en}`;
/** Answer texts lose `->` (no escape in GIFT). */
const answerPick = (l: Localized | string, lang: GiftLang) =>
  (typeof l === 'string' ? l : pick(l, lang)).replaceAll('->', '→');

const base = {
  explanation: { zh: '解析：见原文 {第1段}。', en: 'See the article: paragraph {1}.' },
  source: { section: 'intro' as const, quote: '引文引文', quoteEn: 'A quote.' },
  topics: ['history' as const, 'culture' as const],
  difficulty: 2 as const,
};
const opt = (id: string, zh: string, en: string) => ({ id, text: { zh, en } });
/** A teacher's poll without an explanation, an option starting with GIFT's weight sign. */
const vote: Question = {
  id: 'fx-poll',
  type: 'poll',
  stem: { zh: '你想去哪里？', en: 'Where would you like to go?' },
  source: { own: true },
  topics: ['culture'],
  difficulty: 1,
  options: [opt('a', '包头', 'Baotou'), opt('b', '%赤峰', '%Chifeng')],
};
/** A teacher's open answer without an explanation. */
const words: Question = {
  id: 'fx-open',
  type: 'open',
  stem: { zh: '一个词：民族团结是什么？', en: 'One word: what is ethnic unity?' },
  source: { own: true },
  topics: ['culture'],
  difficulty: 1,
};
/** One question per type, with every GIFT special character somewhere. */
const fixtures = [
  {
    ...base,
    id: 'fx-single',
    type: 'single',
    stem: { zh: '哪个等式成立？a=b：c~d #1', en: 'Which holds? a=b: c~d #1 {x}' },
    options: [
      opt('a', '1+1=2', '1+1=2'),
      opt('b', '{空集}', '{empty set}'),
      opt('c', '%50% 不是权重', '%50% is not a weight'),
      opt('d', '路径 C:\\temp', 'path C:\\temp'),
    ],
    answer: 'a',
  },
  {
    ...base,
    id: 'fx-multi',
    type: 'multi',
    stem: {
      zh: '下列哪些是内蒙古的城市？（多选）',
      en: 'Which are cities of Inner Mongolia? (Choose all that apply.)',
    },
    options: [
      opt('a', '呼和浩特', 'Hohhot'),
      opt('b', '拉萨', 'Lhasa'),
      opt('c', '包头', 'Baotou'),
      opt('d', '鄂尔多斯', 'Ordos'),
      opt('e', '西宁', 'Xining'),
    ],
    answer: ['a', 'c', 'd'],
  },
  {
    ...base,
    id: 'fx-tf',
    type: 'truefalse',
    stem: { zh: '判断：A -> B。', en: 'True or false: A -> B.' },
    answer: false,
    key: ['A'],
  },
  {
    ...base,
    id: 'fx-numeric',
    type: 'numeric',
    stem: { zh: '约有多少万人？', en: 'About how many ten-thousand people?' },
    answer: -0.0000001,
    tolerance: 0.5,
    unit: { zh: '万人', en: 'ten-thousand people' },
  },
  {
    ...base,
    id: 'fx-matching',
    type: 'matching',
    stem: { zh: '配对：', en: 'Match:' },
    options: [opt('a', '围绕 -> 主线', 'Centre on -> main line'), opt('b', '服务', 'Serve')],
    targets: [
      opt('x', '两件大事', 'two major tasks'),
      opt('y', '一条主线', 'one main line'),
      opt('z', '“枫桥经验”', "the 'Fengqiao Experience'"),
    ],
    answer: { a: 'y', b: 'x' },
  },
  {
    ...base,
    id: 'fx-ordering',
    type: 'ordering',
    stem: { zh: '按原文顺序排列。', en: 'Put them in the article’s order.' },
    options: [
      opt('a', '有机融入', 'Organic integration'),
      opt('b', '示范引领', 'Leading by example'),
      opt('c', '分类指导', 'Guidance by category'),
    ],
    answer: ['c', 'a', 'b'],
  },
  {
    ...base,
    id: 'fx-text',
    type: 'text',
    stem: { zh: '填空：“____精神”', en: "Fill in: the '____ spirit'" },
    answer: ['三北精神', '三北', 'a->b'],
  },
] satisfies Question[];

describe('escaping and numbers', () => {
  it('backslash-escapes ~ = # { } : and the backslash, and writes line breaks as \\n', () => {
    expect(escapeGift('a~b=c#d{e}f:g\\h\ni\r\nj')).toBe('a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni\\nj');
    expect(escapeGift('中文：全角冒号不需转义')).toBe('中文：全角冒号不需转义');
  });

  it('writes numbers in plain decimal notation', () => {
    expect(plainNumber(31.09)).toBe('31.09');
    expect(plainNumber(-0.0000001)).toBe('-0.0000001');
    expect(plainNumber(1.5e21)).toBe('1500000000000000000000');
    expect(plainNumber(-0)).toBe('0');
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const s = plainNumber(n);
        expect(s).toMatch(/^-?\d+(\.\d+)?$/); // the GIFT grammar's number
        expect(Number(s)).toBe(Object.is(n, -0) ? 0 : n);
      }),
    );
  });
});

describe('GIFT export', () => {
  it('writes each type in Moodle’s syntax', () => {
    const [single, multi, tf, numeric, matching, ordering, text] = fixtures.map((q) =>
      questionToGift(q, { lang: 'zh' }),
    );
    expect(single).toBe(
      [
        '// [id:fx-single] [tag:history] [tag:culture] [tag:difficulty-2]',
        '::fx-single::哪个等式成立？a\\=b：c\\~d \\#1{',
        '\t=1+1\\=2',
        '\t~\\{空集\\}',
        '\t~[moodle]%50% 不是权重',
        '\t~路径 C\\:\\\\temp',
        '\t####解析：见原文 \\{第1段\\}。',
        '}',
      ].join('\n'),
    );
    expect(multi).toContain(
      '\t~%33.33333%呼和浩特\n\t~%-100%拉萨\n\t~%33.33333%包头\n\t~%33.33333%鄂尔多斯\n\t~%-100%西宁\n',
    );
    expect(questionToGift(fixtures[1]!, { lang: 'zh', multiPenalty: 'share' })).toContain('\t~%-33.33333%拉萨\n');
    expect(tf).toMatch(/::fx-tf::判断：A -> B。\{F####解析/);
    expect(numeric).toMatch(/::fx-numeric::约有多少万人？\{#-0\.0000001:0\.5####/);
    expect(matching).toContain('\t=围绕 → 主线 -> 一条主线\n\t=服务 -> 两件大事\n\t= -> “枫桥经验”\n');
    expect(ordering).toContain('// pomegranate:ordering');
    expect(ordering).toContain('\t=有机融入 -> 2\n\t=示范引领 -> 3\n\t=分类指导 -> 1\n');
    expect(text).toContain('\t=三北精神\n\t=三北\n\t=a→b\n');
  });

  it('writes both languages as "中文 / English", a text the same in both once', () => {
    const out = questionToGift(fixtures[5]!, { lang: 'both' });
    expect(out).toContain('::fx-ordering::按原文顺序排列。 / Put them in the article’s order.{');
    expect(questionToGift({ ...fixtures[2]!, stem: { zh: 'ABC', en: 'ABC' } })).toContain('::fx-tf::ABC{F');
  });

  it('writes a poll as multiple answer with every option at 0 %, after its marker', () => {
    const poll: Question = { ...vote, explanation: base.explanation };
    const out = questionToGift(poll, { lang: 'zh' });
    expect(out).toContain('// pomegranate:poll');
    expect(out).toContain('::fx-poll::你想去哪里？{\n\t~%0%包头\n\t~%0%[moodle]%赤峰\n\t####');
    // An independent parser reads it as a multiple choice in which no option earns or loses anything.
    const [parsed] = parse(out) as GIFTQuestion[];
    expect(parsed).toMatchObject({ type: 'MC' });
    const choices = (parsed as { choices: { weight: number | null; text: { text: string } }[] }).choices;
    expect(choices.map((c) => [c.weight, c.text.text])).toEqual([
      [0, '包头'],
      [0, '%赤峰'],
    ]);
    // Our import reads it back as a poll; options without any weight stay an error (a forgotten =).
    const back = importGift(exportGift([poll]));
    expect(back.errors).toEqual([]);
    expect(back.questions[0]!.question).toMatchObject({ id: 'fx-poll', type: 'poll', options: poll.options });
  });

  it('writes a poll or an open answer without an explanation with no general feedback, and reads it back so', () => {
    const out = exportGift([vote, words], { lang: 'zh' });
    expect(out).not.toContain('####');
    expect(out).toContain('::fx-open::一个词：民族团结是什么？{}');
    const back = importGift(out, { lang: 'zh' });
    expect(back.errors).toEqual([]);
    // No placeholder, and no warning asking for one.
    expect(back.questions.flatMap((q) => q.warnings).filter((w) => w.includes('####'))).toEqual([]);
    for (const q of back.questions) expect(q.question).not.toHaveProperty('explanation');
    expect(back.questions.map((q) => q.question.type)).toEqual(['poll', 'open']);
  });

  it('writes a stem with an image as HTML with the image by its full address; our import keeps the text', () => {
    const own: Question = {
      id: 'fx-photo',
      type: 'truefalse',
      stem: { zh: '照片里的 <旗杆> 在学校门口。', en: 'The <flagpole> in the photo is at the gate.' },
      image: { id: 'AbCdEfGhIjKlMnOpQrStUv', alt: { zh: '旗杆 & 操场', en: 'A "flagpole"' }, width: 900, height: 600 },
      explanation: { zh: '是的。', en: 'Yes.' },
      source: { own: true },
      topics: ['culture'],
      difficulty: 1,
      answer: true,
    };
    const imageUrl = (id: string) => `https://quiz.example/api/images/${id}?w=1600`;
    const out = questionToGift(own, { lang: 'en', imageUrl });
    expect(out).toContain(
      '::fx-photo::[html]The &lt;flagpole&gt; in the photo is at the gate.<br><img src\\="https\\://quiz.example/api/images/AbCdEfGhIjKlMnOpQrStUv?w\\=1600" alt\\="A &quot;flagpole&quot;" width\\="900" height\\="600">{T',
    );
    const [parsed] = parse(out);
    expect(parsed).toMatchObject({ type: 'TF', stem: { format: 'html' } });
    // Without an address to give, the image is left out.
    expect(questionToGift(own, { lang: 'en' })).toContain('::fx-photo::The <flagpole> in the photo is at the gate.{T');
    const back = importGift(exportGift([own], { lang: 'en', imageUrl }), { lang: 'en' });
    expect(back.questions[0]!.question.stem).toEqual({
      zh: 'The <flagpole> in the photo is at the gate.',
      en: 'The <flagpole> in the photo is at the gate.',
    });
    expect(back.questions[0]!.question).not.toHaveProperty('image');
  });

  it('writes an open answer as an essay after its marker, and reads it back', () => {
    const open: Question = { ...words, explanation: base.explanation };
    const out = questionToGift(open, { lang: 'zh' });
    expect(out).toContain('// pomegranate:open');
    expect(out).toContain('::fx-open::一个词：民族团结是什么？{####');
    // An independent parser reads it as an essay.
    const [parsed] = parse(out) as GIFTQuestion[];
    expect(parsed).toMatchObject({ type: 'Essay' });
    const back = importGift(exportGift([open]));
    expect(back.errors).toEqual([]);
    expect(back.questions[0]!.question).toMatchObject({ id: 'fx-open', type: 'open', stem: open.stem });
    // An essay without our marker is still skipped.
    expect(importGift('::e1::Write about it.{}').questions).toEqual([]);
  });

  it('separates questions by a blank line and can start with a category', () => {
    const out = exportGift(fixtures.slice(0, 2), { category: '民族团结/引言' });
    expect(out.startsWith('$CATEGORY: 民族团结/引言\n\n// [id:fx-single]')).toBe(true);
    expect(out.split('\n\n')).toHaveLength(3);
    expect(out.endsWith('}\n')).toBe(true);
  });
});

/** Checks one gift-pegjs question against the question it was exported from. */
function expectParsedAs(p: GIFTQuestion, q: Question, lang: GiftLang) {
  expect(p.type === 'Category' ? null : p.title, q.id).toBe(q.id);
  if (p.type === 'Category' || p.type === 'Description' || p.type === 'Essay')
    throw new Error(`${q.id} parsed as ${p.type}`);
  expect(p.id).toBe(q.id);
  expect(p.tags).toEqual([...q.topics, `difficulty-${q.difficulty}`]);
  expect(p.stem.text, q.id).toBe(pick(q.stem, lang));
  expect(p.globalFeedback?.text, q.id).toBe(pick(q.explanation!, lang));
  switch (q.type) {
    case 'single':
      expect(p.type).toBe('MC');
      if (p.type !== 'MC') return;
      expect(p.choices.map((c) => [c.text.text, c.isCorrect, c.weight])).toEqual(
        q.options.map((o) => [answerPick(o.text, lang), o.id === q.answer, null]),
      );
      break;
    case 'multi': {
      // Multiple answer: MC with no "=" and weights, the right options sharing 100 %.
      expect(p.type).toBe('MC');
      if (p.type !== 'MC') return;
      expect(p.choices.map((c) => c.text.text)).toEqual(q.options.map((o) => answerPick(o.text, lang)));
      expect(p.choices.every((c) => !c.isCorrect)).toBe(true);
      const right = p.choices.flatMap((c, i) => ((c.weight ?? 0) > 0 ? [q.options[i]!.id] : []));
      expect(right).toEqual(q.options.filter((o) => q.answer.includes(o.id)).map((o) => o.id));
      const total = p.choices.reduce((a, c) => a + Math.max(0, c.weight ?? 0), 0);
      expect(total).toBeCloseTo(100, 3);
      for (const c of p.choices) if ((c.weight ?? 0) <= 0) expect(c.weight).toBe(-100);
      break;
    }
    case 'truefalse':
      expect(p.type).toBe('TF');
      if (p.type === 'TF') expect(p.isTrue).toBe(q.answer);
      break;
    case 'numeric':
      expect(p.type).toBe('Numerical');
      if (p.type === 'Numerical')
        expect(p.choices as NumericalFormat).toEqual({ type: 'range', number: q.answer, range: q.tolerance });
      break;
    case 'matching': {
      expect(p.type).toBe('Matching');
      if (p.type !== 'Matching') return;
      const target = new Map(q.targets.map((t) => [t.id, answerPick(t.text, lang)]));
      const pairs = q.options.map((o) => [answerPick(o.text, lang), target.get(q.answer[o.id]!)]);
      const distractors = q.targets
        .filter((t) => !Object.values(q.answer).includes(t.id))
        .map((t) => ['', answerPick(t.text, lang)]);
      expect(p.matchPairs.map((m) => [m.subquestion.text, m.subanswer])).toEqual([...pairs, ...distractors]);
      break;
    }
    case 'ordering':
      // Exported as matching of each item to its position.
      expect(p.type).toBe('Matching');
      if (p.type === 'Matching')
        expect(p.matchPairs.map((m) => [m.subquestion.text, m.subanswer])).toEqual(
          q.options.map((o) => [answerPick(o.text, lang), String(q.answer.indexOf(o.id) + 1)]),
        );
      break;
    case 'text':
      expect(p.type).toBe('Short');
      if (p.type === 'Short')
        expect(p.choices.map((c) => [c.text.text, c.isCorrect])).toEqual(
          q.answer.map((a) => [answerPick(a, lang), true]),
        );
      break;
  }
}

/** The independent parser's questions, by title. */
function parseIndependently(gift: string): Map<string, GIFTQuestion> {
  const parsed = parse(gift);
  const byTitle = new Map(parsed.map((p) => [p.title ?? '', p]));
  expect(byTitle.size).toBe(parsed.length);
  return byTitle;
}

describe('GIFT export read by the independent gift-pegjs parser', () => {
  it.each(LANGS)('finds every bank question with its type, options and answer (%s)', (lang) => {
    const parsed = parseIndependently(exportGift(bank, { lang, category: 'Pomegranate' }));
    expect(parsed.size).toBe(bank.length + 1); // + the category
    for (const q of bank) expectParsedAs(parsed.get(q.id)!, q, lang);
  });

  it.each(LANGS)('keeps special characters intact in every type (%s)', (lang) => {
    const parsed = parseIndependently(exportGift(fixtures, { lang }));
    for (const q of fixtures) expectParsedAs(parsed.get(q.id)!, q, lang);
  });

  it('keeps arbitrary text intact', () => {
    const chars = [
      'a',
      'Z',
      'T',
      '0',
      '.',
      '中',
      '文',
      ' ',
      '~',
      '=',
      '#',
      '{',
      '}',
      ':',
      '\\',
      '-',
      '>',
      '%',
      '[',
      ']',
      '/',
      '\n',
      '“',
    ];
    const text = fc
      .array(fc.constantFrom(...chars), { minLength: 1, maxLength: 30 })
      .map((cs) => cs.join(''))
      .filter((s) => s === s.trim() && !/\s\s/.test(s) && s.length > 0);
    const prefixed = fc.oneof(
      text,
      text.map((s) => `[html]${s}`),
      text.map((s) => `%50%${s}`),
    );
    fc.assert(
      fc.property(prefixed, prefixed, prefixed, (stem, right, wrong) => {
        const q = questionSchema.parse({
          ...fixtures[0],
          stem: { zh: stem, en: 'x' },
          options: [opt('a', right, 'x'), opt('b', wrong, 'y')],
          explanation: { zh: wrong, en: 'z' },
        });
        const gift = exportGift([q], { lang: 'zh' });
        expectParsedAs(parseIndependently(gift).get(q.id)!, q, 'zh');
        const mine = importGift(gift, { lang: 'zh' });
        expect(mine.errors).toEqual([]);
        expect(mine.questions[0]!.question).toMatchObject({
          stem: { zh: q.stem.zh },
          explanation: { zh: q.explanation!.zh },
        });
      }),
      { numRuns: 300 },
    );
  });
});

/** A question without ids, source, key or unit: what survives GIFT. */
function canonical(q: Question | TeacherQuestion) {
  const { source: _s, key: _k, id: _i, unit: _u, ...rest } = q as Record<string, unknown> & Question;
  const text = (id: string, list: readonly { id: string; text: Localized }[]) => list.find((o) => o.id === id)!.text;
  switch (q.type) {
    case 'single':
      return { ...rest, options: q.options.map((o) => o.text), answer: text(q.answer, q.options) };
    case 'multi':
      return { ...rest, options: q.options.map((o) => o.text), answer: q.answer.map((a) => text(a, q.options)) };
    case 'ordering':
      return { ...rest, options: q.options.map((o) => o.text), answer: q.answer.map((a) => text(a, q.options)) };
    case 'matching':
      return {
        ...rest,
        options: q.options.map((o) => o.text),
        targets: q.targets.map((t) => JSON.stringify(t.text)).sort(),
        answer: q.options.map((o) => [o.text, text(q.answer[o.id]!, q.targets)]),
      };
    default:
      return rest;
  }
}

describe('GIFT import of our own export', () => {
  it('gives back the whole bank (both languages): types, texts, answers, topics, difficulty and ids', () => {
    const { questions, errors, skipped } = importGift(exportGift(bank));
    expect(errors).toEqual([]);
    expect(skipped).toEqual([]);
    expect(questions.map((r) => r.question.id)).toEqual(bank.map((q) => q.id));
    expect(questions.flatMap((r) => r.warnings)).toEqual([]);
    questions.forEach((r, i) => expect(canonical(r.question), bank[i]!.id).toEqual(canonical(bank[i]!)));
    // Every result satisfies the schema once a source is supplied, and has none of its own.
    for (const { question } of questions) {
      expect('source' in question).toBe(false);
      const source = { section: 'intro', quote: '任意引文', quoteEn: 'Any quote.' };
      expect(questionSchema.safeParse({ ...question, source }).success).toBe(true);
    }
  });

  it.each(['zh', 'en'] as const)(
    'keeps the %s texts of a one-language export and copies them to the other language',
    (lang) => {
      const { questions, errors } = importGift(exportGift(bank, { lang }), { lang });
      expect(errors).toEqual([]);
      questions.forEach((r, i) => {
        const q = bank[i]!;
        expect(r.question.type).toBe(q.type);
        expect(r.question.stem).toEqual({ zh: q.stem[lang], en: q.stem[lang] });
        expect(r.question.explanation).toEqual({ zh: q.explanation[lang], en: q.explanation[lang] });
      });
    },
  );

  it('restores the fixtures, arrows aside', () => {
    const { questions, errors } = importGift(exportGift(fixtures));
    expect(errors).toEqual([]);
    const noArrow = (l: Localized) => ({ zh: l.zh.replaceAll('->', '→'), en: l.en.replaceAll('->', '→') });
    const expected = fixtures.map((q): Question => {
      if (q.type === 'matching') return { ...q, options: q.options.map((o) => ({ ...o, text: noArrow(o.text) })) };
      if (q.type === 'text') return { ...q, answer: q.answer.map((a) => a.replaceAll('->', '→')) };
      return q;
    });
    questions.forEach((r, i) => expect(canonical(r.question), fixtures[i]!.id).toEqual(canonical(expected[i]!)));
  });
});

const teacherFile = [
  /* 1 */ '// 教师自编题库',
  /* 2 */ '$CATEGORY: 民族团结',
  /* 3 */ '',
  /* 4 */ '// [tag:history] [tag:difficulty-1]',
  /* 5 */ '::capital::内蒙古的首府是哪座城市？ / What is the capital of Inner Mongolia?{',
  /* 6 */ '  =呼和浩特 / Hohhot # 对 / right',
  /* 7 */ '  ~包头 / Baotou',
  /* 8 */ '  ~鄂尔多斯 / Ordos',
  /* 9 */ '  #### 呼和浩特是首府。 / Hohhot is the capital.',
  /* 10 */ '}',
  /* 11 */ '',
  /* 12 */ '::Q2 多选:: 下列哪些是内蒙古的城市？ / Which are cities of Inner Mongolia?{~%50%呼和浩特 / Hohhot ~%50%包头 / Baotou ~%-100%拉萨 / Lhasa ####见地图。 / See the map.}',
  /* 13 */ '',
  /* 14 */ '内蒙古位于中国北部。 / Inner Mongolia is in northern China.{TRUE}',
  /* 15 */ '',
  /* 16 */ '::range::1947年前后？ / Around 1947?{#1946..1948}',
  /* 17 */ '',
  /* 18 */ '::pi::圆周率 / Pi{#3.14:0.01}',
  /* 19 */ '',
  /* 20 */ '::pi2::圆周率 / Pi{#=3.14:0.01 =%50%3:0.5}',
  /* 21 */ '',
  /* 22 */ '::match::配对 / Match{=呼和浩特 / Hohhot -> 首府 / capital =包头 / Baotou -> 钢城 / steel city = -> 草原 / grassland}',
  /* 23 */ '',
  /* 24 */ '::short::填空：“____精神” / Fill in{=三北精神 =三北 =%50%三}',
  /* 25 */ '',
  /* 26 */ '谁是作者？ / Who is the author?{张三}',
  /* 27 */ '',
  /* 28 */ '内蒙古的首府是{=呼和浩特 / Hohhot ~包头 / Baotou}市。 / (city)',
  /* 29 */ '',
  /* 30 */ '这是一段说明文字。',
  /* 31 */ '',
  /* 32 */ '写一段话。{}',
].join('\r\n');

describe('GIFT import of a teacher’s file', () => {
  const { questions, errors, skipped } = importGift(`\uFEFF${teacherFile}`, {
    defaults: { topics: ['culture'], difficulty: 3 },
  });
  const byLine = new Map(questions.map((r) => [r.line, r]));

  it('reads every supported question and skips the rest with a note', () => {
    expect(errors).toEqual([]);
    expect(questions.map((r) => [r.line, r.question.type])).toEqual([
      [5, 'single'],
      [12, 'multi'],
      [14, 'truefalse'],
      [16, 'numeric'],
      [18, 'numeric'],
      [20, 'numeric'],
      [22, 'matching'],
      [24, 'text'],
      [26, 'text'],
      [28, 'single'],
    ]);
    expect(skipped.map((s) => s.line)).toEqual([2, 30, 32]);
    expect(skipped[0]!.message).toContain('category');
    expect(skipped[2]!.message).toContain('essay');
  });

  it('maps multiple choice with Chinese and English, tags, and feedback', () => {
    const { question, warnings } = byLine.get(5)!;
    expect(question).toEqual({
      id: 'capital',
      type: 'single',
      stem: { zh: '内蒙古的首府是哪座城市？', en: 'What is the capital of Inner Mongolia?' },
      options: [opt('a', '呼和浩特', 'Hohhot'), opt('b', '包头', 'Baotou'), opt('c', '鄂尔多斯', 'Ordos')],
      answer: 'a',
      explanation: { zh: '呼和浩特是首府。', en: 'Hohhot is the capital.' },
      topics: ['history'],
      difficulty: 1,
    } satisfies TeacherQuestion);
    expect(warnings.join('\n')).toContain('Per-answer feedback');
  });

  it('maps multiple answer, true/false, numbers and ranges', () => {
    expect(byLine.get(12)!.question).toMatchObject({
      type: 'multi',
      answer: ['a', 'b'],
      topics: ['culture'],
      difficulty: 3,
    });
    expect(byLine.get(12)!.question.id).toBeUndefined(); // "Q2 多选" is not a valid id
    expect(byLine.get(12)!.warnings.join('\n')).toMatch(/not a valid question id[\s\S]*No topic tag/);
    expect(byLine.get(14)!.question).toMatchObject({
      type: 'truefalse',
      answer: true,
      explanation: { zh: '（暂无解析）' },
    });
    expect(byLine.get(16)!.question).toMatchObject({ type: 'numeric', answer: 1947, tolerance: 1 });
    expect(byLine.get(18)!.question).toMatchObject({ type: 'numeric', answer: 3.14, tolerance: 0.01 });
    expect(byLine.get(20)!.question).toMatchObject({ type: 'numeric', answer: 3.14, tolerance: 0.01 });
    expect(byLine.get(20)!.warnings.join('\n')).toContain('Only the first full-credit numerical answer');
    expect(importGift('范围{#0.1..0.3}').questions[0]!.question).toMatchObject({ answer: 0.2, tolerance: 0.1 });
  });

  it('maps matching with a distractor, short answers and the missing-word form', () => {
    expect(byLine.get(22)!.question).toMatchObject({
      type: 'matching',
      options: [opt('a', '呼和浩特', 'Hohhot'), opt('b', '包头', 'Baotou')],
      targets: [opt('t1', '首府', 'capital'), opt('t2', '钢城', 'steel city'), opt('t3', '草原', 'grassland')],
      answer: { a: 't1', b: 't2' },
    });
    expect(byLine.get(24)!.question).toMatchObject({ type: 'text', answer: ['三北精神', '三北'] });
    expect(byLine.get(24)!.warnings.join('\n')).toContain('partial credit');
    expect(byLine.get(26)!.question).toMatchObject({ type: 'text', answer: ['张三'] });
    expect(byLine.get(28)!.question).toMatchObject({
      type: 'single',
      stem: { zh: '内蒙古的首府是 _____ 市。', en: '(city)' },
    });
  });

  it('imports one-language files by copying the text to the other language', () => {
    const {
      questions: [only],
    } = importGift('::cn-1::首府？{=呼和浩特 ~包头####见地图}', { lang: 'zh' });
    expect(only!.question).toMatchObject({
      stem: { zh: '首府？', en: '首府？' },
      options: [opt('a', '呼和浩特', '呼和浩特'), opt('b', '包头', '包头')],
    });
    expect(only!.warnings).toEqual(['No topic tag: topics set to governance.']);
  });
});

describe('GIFT import errors', () => {
  const bad = [
    /* 1 */ '::bad1::两个等号？{=甲 =乙 ~丙}',
    /* 2 */ '',
    /* 3 */ '::bad2::没有闭合{=甲 ~乙',
    /* 4 */ '',
    /* 5 */ '::bad3::数字？{#abc}',
    /* 6 */ '',
    /* 7 */ '::bad4::配对',
    /* 8 */ '{',
    /* 9 */ '=甲 -> 一',
    /* 10 */ '=乙',
    /* 11 */ '}',
    /* 12 */ '',
    /* 13 */ '::bad5::全对？{~%50%甲 ~%50%乙}',
    /* 14 */ '',
    /* 15 */ '::bad6::多余的括号}',
    /* 16 */ '',
    /* 17 */ '::bad7::没有对的{~甲 ~乙}',
    /* 18 */ '',
    /* 19 */ '::bad8 没闭合的标题{T}',
    /* 20 */ '',
    /* 21 */ '::bad9::权重{~%150%甲 ~乙}',
    /* 22 */ '',
    /* 23 */ '::ok-1::好题？{T}',
  ].join('\n');
  const { questions, errors } = importGift(bad);

  it('reports each malformed question with its line and still reads the good one', () => {
    expect(questions.map((r) => r.question.id)).toEqual(['ok-1']);
    expect(errors.map((e) => e.line)).toEqual([1, 3, 5, 10, 13, 15, 17, 19, 21]);
    const message = (line: number) => errors.find((e) => e.line === line)!.message;
    expect(message(1)).toContain('more than one option marked =');
    expect(message(3)).toContain('not closed');
    expect(message(5)).toContain('"abc" is not a number');
    expect(message(10)).toContain('without "->"');
    expect(message(13)).toContain('at least one option must be wrong');
    expect(message(15)).toContain('"}" without a "{"');
    expect(message(17)).toContain('no option is right');
    expect(message(19)).toContain('title');
    expect(message(21)).toContain('outside -100..100');
  });

  it('never throws on arbitrary input', () => {
    const gifty = fc.array(
      fc.constantFrom(
        '::',
        '{',
        '}',
        '=',
        '~',
        '#',
        '####',
        '->',
        '%50%',
        ':',
        '..',
        '\\',
        '\n',
        '\n\n',
        'T',
        '1',
        'a',
        '中',
        ' ',
        '//',
        '$CATEGORY:',
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(gifty, (parts) => {
        const r = importGift(parts.join(''));
        for (const e of [...r.errors, ...r.skipped]) expect(e.line).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
