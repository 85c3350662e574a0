import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collapse, parseArticle } from '../../db/article';
import { bankRelations, glossary, rawBank, relationsFile } from '../../db/bank';
import { answerBalance, checkBank, glossaryProblems, relationProblems, strayChinese } from '../../db/bank-checks';
import { drawApart, relatedPairsIn, relationRows } from '../../worker/questions/relations';
import { question } from '../../worker/questions/schema';
import { grade } from '../../worker/questions/scoring';
import { BANK_QUESTION_TYPES, type Option, type Question } from '../../worker/contract';

const article = readFileSync('db/source/article.zh.md', 'utf8');

describe('the question bank', () => {
  it('keeps a verbatim copy of the shared article with its attribution', () => {
    expect(readFileSync('db/source/README.md', 'utf8')).toContain('verbatim substring');
    expect(parseArticle(article).paragraphs.length).toBe(19);
  });

  it('validates every question against the schema', () => {
    for (const q of rawBank)
      expect(question.safeParse(q).error?.issues ?? [], JSON.stringify(q).slice(0, 80)).toEqual([]);
  });

  it('quotes the article verbatim (whitespace collapsed) in every question', () => {
    const body = collapse(article);
    for (const q of rawBank as { id: string; source: { quote: string } }[])
      expect(body.includes(collapse(q.source.quote)), q.id).toBe(true);
  });

  it('passes every bank check: unique ids and stems, keys in quotes, every paragraph and figure covered', () => {
    const report = checkBank(rawBank, article, glossary, relationsFile);
    expect(report.problems).toEqual([]);
    expect(report.questions.length).toBeGreaterThanOrEqual(150);
    expect(report.unusedFigures).toEqual([]);
    for (const type of BANK_QUESTION_TYPES) expect(report.perType.get(type), type).toBeGreaterThan(0);
    const balanced = new Set(report.balance.map((b) => b.group.split(',')[0]));
    expect([...balanced].sort()).toEqual(['matching', 'multi', 'ordering', 'single']);
  });

  it('finds problems when there are some', () => {
    const [first] = rawBank as Record<string, unknown>[];
    const broken = [
      first,
      { ...first },
      {
        ...first,
        id: 'bad-quote',
        stem: { zh: '另一个题干', en: 'x' },
        source: { section: 'intro', quote: '这句话不在文章里', quoteEn: 'This sentence is not in the article.' },
      },
    ];
    const problems = checkBank(broken, article).problems.join('\n');
    expect(problems).toContain('duplicate id');
    expect(problems).toContain('same stem');
    expect(problems).toContain('not verbatim');
    expect(problems).toContain('every paragraph needs at least 2');
    expect(problems).toContain('figures no question asks about');
  });

  it('fails a bank quote without its English translation, or with Chinese left outside brackets', () => {
    const [first] = rawBank as { source: { section: string; quote: string } }[];
    const { section, quote } = first!.source;
    const variant = (id: string, source: Record<string, unknown>) => ({
      ...first,
      id,
      stem: { zh: id, en: id },
      source: { section, quote, ...source },
    });
    const problems = checkBank(
      [
        variant('no-english', {}),
        variant('blank-english', { quoteEn: '  ' }),
        variant('untranslated', { quoteEn: 'During the 41st 民族团结进步活动月' }),
        variant('chinese-comma', { quoteEn: 'Ordos，Chifeng' }),
        variant('named', { quoteEn: "the 'Warm-hearted Bench Meetings' (暖心板凳会) and the 'Cavalry' （《骑兵》）" }),
      ],
      article,
    ).problems;
    expect(problems).toContain('no-english: source.quoteEn: a bank quote needs its English translation');
    expect(problems).toContain('blank-english: source.quoteEn: a bank quote needs its English translation');
    expect(problems).toContain('untranslated: quoteEn has Chinese outside brackets: 民族团结进步活动月');
    expect(problems).toContain('chinese-comma: quoteEn has Chinese outside brackets: Ordos，Chifeng');
    expect(problems.filter((p) => p.startsWith('named:'))).toEqual([]);
  });

  it('fails a true/false stem without its prefix, and an ordering or matching below difficulty 3', () => {
    const bank = rawBank as { id: string; type: string; stem: { zh: string; en: string } }[];
    const tf = bank.find((q) => q.type === 'truefalse')!;
    const ordering = bank.find((q) => q.type === 'ordering')!;
    const problems = checkBank(
      [
        { ...tf, id: 'no-prefix-zh', stem: { zh: tf.stem.zh.replace('判断：', ''), en: tf.stem.en } },
        { ...tf, id: 'no-prefix-en', stem: { zh: `${tf.stem.zh}。`, en: tf.stem.en.replace('True or false: ', '') } },
        { ...ordering, id: 'easy-order', difficulty: 2 },
      ],
      article,
    ).problems;
    expect(problems).toContain('no-prefix-zh: a true/false stem starts with "判断：" and "True or false: "');
    expect(problems).toContain('no-prefix-en: a true/false stem starts with "判断：" and "True or false: "');
    expect(problems).toContain("easy-order: an ordering question is difficulty 3 (see the README's rubric)");
  });

  it('finds the Chinese left outside brackets in a translation', () => {
    expect(strayChinese("Wuhai's 'Old Grannies Help Group' (老奶奶帮帮团)")).toBe('');
    expect(strayChinese('the Chinese title (《中华民族概论》, a textbook (教材))')).toBe('');
    expect(strayChinese('the 41st 活动月 (活动月)')).toBe('活动月');
    expect(strayChinese('an unclosed (暖心板凳会')).toBe('(暖心板凳会');
    expect(strayChinese('a full stop。')).toBe('stop。');
  });

  it('fails when answers sit where a habit puts them', () => {
    // Three copies of one single-choice question: the same position right three times in three.
    const first = (rawBank as { type: string }[]).find((q) => q.type === 'single') as Record<string, unknown>;
    const copies = [1, 2, 3].map((i) => ({ ...first, id: `habit-00${i}`, stem: { zh: `题${i}`, en: 'x' } }));
    const problems = checkBank(copies, article).problems.join('\n');
    expect(problems).toMatch(/answer balance, single: the answer at position \d in 3 of 3 questions/);
  });

  it('exports the whole bank as JSON with `npm run --silent bank:export`', () => {
    const out = execFileSync('npm', ['run', '--silent', 'bank:export'], { encoding: 'utf8' });
    const exported = JSON.parse(out) as { id: string; answer: unknown }[];
    expect(exported.length).toBe(rawBank.length);
    expect(exported.map((q) => q.id)).toEqual((rawBank as { id: string }[]).map((q) => q.id));
    expect(exported.every((q) => q.answer !== undefined)).toBe(true);
    // npm and tsx start in about a second, but several on a busy shared machine.
  }, 30_000);
});

describe('the glossary', () => {
  /** A question whose texts name the Granny Help Group in Chinese; `en` gives each English text. */
  const named = (id: string, en: { stem: string; option?: string; quoteEn?: string }): Question => ({
    id,
    type: 'single',
    stem: { zh: `判断：乌海市“老奶奶帮帮团”在哪里？${id}`, en: en.stem },
    options: [
      { id: 'a', text: { zh: '老奶奶帮帮团', en: en.option ?? 'the Granny Help Group' } },
      { id: 'b', text: { zh: '乌兰牧骑', en: 'Ulan Muqir' } },
    ],
    answer: 'a',
    explanation: { zh: '见图片说明。', en: 'See the caption.' },
    source: {
      section: 'captions',
      quote: '乌海市“老奶奶帮帮团”积极践行新时代“枫桥经验”',
      quoteEn:
        en.quoteEn ?? "Wuhai's 'Granny Help Group' (老奶奶帮帮团) actively practises the new-era 'Fengqiao Experience'",
    },
    topics: ['models'],
    difficulty: 1,
  });
  const terms = [
    { zh: '老奶奶帮帮团', en: 'Granny Help Group' },
    { zh: '乌海市', en: 'Wuhai' },
    { zh: '枫桥经验', en: 'Fengqiao Experience' },
  ];
  const fixture = '# 标题\n\n乌海市“老奶奶帮帮团”积极践行“枫桥经验”，“石榴籽讲解员”讲故事。\n';

  it('passes English that uses the glossary name, whatever its quotation marks and case', () => {
    const ok = named('ok', { stem: 'Where is Wuhai\'s "granny help group"?', option: '“Granny Help Group”' });
    expect(glossaryProblems([ok], terms, fixture)).toEqual([]);
  });

  it('fails a text pair whose Chinese names a glossary term and whose English does not use its English', () => {
    const problems = glossaryProblems(
      [
        named('other-name', { stem: "Where is Wuhai's Old Grannies Help Group?" }),
        named('option', { stem: "Where is Wuhai's Granny Help Group?", option: "Grannies' Helping Group" }),
        named('quote', { stem: "Where is Wuhai's Granny Help Group?", quoteEn: "Wuhai's grannies practise Fengqiao" }),
      ],
      terms,
      fixture,
    );
    expect(problems).toEqual([
      'other-name: stem: 老奶奶帮帮团 is "Granny Help Group" in English (glossary)',
      'option: option a: 老奶奶帮帮团 is "Granny Help Group" in English (glossary)',
      'quote: quote: 老奶奶帮帮团 is "Granny Help Group" in English (glossary)',
      'quote: quote: 枫桥经验 is "Fengqiao Experience" in English (glossary)',
    ]);
  });

  it('fails a glossary with a term listed twice or used by no question, or missing a quoted name two questions use', () => {
    const qs = [
      named('one', { stem: "Wuhai's Granny Help Group?" }),
      named('two', { stem: "Wuhai's Granny Help Group?" }),
    ];
    const fixtureTwice = fixture.replace('讲故事', '讲“老奶奶帮帮团”的故事');
    expect(
      glossaryProblems(qs, [...terms, { zh: '乌海市', en: 'Wuhai' }, { zh: '赤峰市', en: 'Chifeng' }], fixtureTwice),
    ).toEqual(['glossary: 乌海市 is listed twice', 'glossary: no question uses 赤峰市']);
    expect(glossaryProblems(qs, terms.slice(1), fixture)).toEqual([
      'glossary: 老奶奶帮帮团 is used by 2 questions but has no entry',
    ]);
  });

  it('names every programme the bank names in more than one question, each with one English name', () => {
    expect(glossary.length).toBeGreaterThanOrEqual(100);
    const en = new Map<string, string>();
    for (const e of glossary) {
      expect(en.has(e.zh), e.zh).toBe(false);
      en.set(e.zh, e.en);
    }
    expect(en.get('老奶奶帮帮团')).toBe('Granny Help Group');
    expect(en.get('（多选）')).toBe('(Choose all that apply.)');
  });
});

describe('related questions', () => {
  const ids = ['q-1', 'q-2', 'q-3', 'q-4', 'q-5'];

  it('records the give-aways and same facts the issue names', () => {
    const has = (a: string, b: string) => relatedPairsIn([a, b], bankRelations).length > 0;
    for (const [a, b] of [
      ['int-002', 'int-001'],
      ['int-007', 'int-005'],
      ['cap-001', 'cap-002'],
      ['cap-001', 'cap-003'],
      ['cap-005', 'cap-006'],
      ['dem-012', 'dem-011'],
      ['dem-014', 'dem-013'],
      ['dem-018', 'dem-017'],
      ['dem-040', 'dem-041'],
      ['com-010', 'com-008'],
      ['com-011', 'com-008'],
      ['int-005', 'int-011'],
      ['cap-003', 'cap-004'],
      ['cap-006', 'cap-008'],
      ['com-021', 'dem-049'],
      ['com-022', 'dem-050'],
      ['dem-044', 'dem-046'],
      ['dem-013', 'dem-016'],
    ])
      expect(has(a!, b!), `${a} ~ ${b}`).toBe(true);
  });

  it('fails unknown ids, self-relations, pairs listed twice and gives within a same group', () => {
    expect(relationProblems(ids, { gives: [['q-1', 'q-2']], same: [['q-3', 'q-4', 'q-5']] })).toEqual([]);
    expect(
      relationProblems(ids, {
        gives: [
          ['q-1', 'q-9'],
          ['q-2', 'q-2'],
          ['q-1', 'q-3'],
          ['q-1', 'q-3'],
          ['q-5', 'q-4'],
        ],
        same: [['q-4', 'q-5'], ['q-1'], ['q-5', 'q-4']],
      }),
    ).toEqual([
      'relations: q-9 (in q-1, q-9) is no bank question',
      'relations: a same group needs two questions or more: q-1',
      'relations: q-4 ~ q-5 are the same in two groups',
      'relations: q-2 gives itself away',
      'relations: q-1 gives q-3 twice',
      'relations: q-5 gives q-4, but they are already the same (q-5, q-4)',
    ]);
  });

  it('draws apart: skips a question related to one taken, and fills up with skipped ones only when it must', () => {
    const relations = relationRows({ gives: [['q-1', 'q-2']], same: [['q-3', 'q-4']] });
    expect(relations).toEqual([
      { questionId: 'q-1', relatedId: 'q-2', kind: 'gives' },
      { questionId: 'q-3', relatedId: 'q-4', kind: 'same' },
    ]);
    expect(drawApart(ids, 3, relations)).toEqual(['q-1', 'q-3', 'q-5']);
    expect(drawApart(['q-2', 'q-1', 'q-4', 'q-3', 'q-5'], 3, relations)).toEqual(['q-2', 'q-4', 'q-5']);
    expect(drawApart(ids, 5, relations)).toEqual(['q-1', 'q-3', 'q-5', 'q-2', 'q-4']);
    expect(relatedPairsIn(['q-4', 'q-2', 'q-1', 'q-3'], relations)).toEqual([
      { first: 0, second: 3, relation: relations[1] },
      { first: 1, second: 2, relation: relations[0] },
    ]);
  });
});

/** Synthetic questions for the balance rules: ids follow the shown order unless given. */
const opts = (n: number, ids = 'abcdefgh') =>
  Array.from({ length: n }, (_, i): Option => ({ id: ids[i]!, text: { zh: `选项${i}`, en: `option ${i}` } }));
const base = (id: string) => ({
  id,
  stem: { zh: id, en: id },
  explanation: { zh: '解释', en: 'why' },
  source: { own: true as const },
  topics: ['history' as const],
  difficulty: 1 as const,
});
const single = (i: number, at: number, n = 4, ids?: string): Question => {
  const options = opts(n, ids);
  return { ...base(`s-${i}`), type: 'single', options, answer: options[at]!.id };
};
/** A multi question whose answer is the options at the given positions, e.g. `'024'` for a, c, e. */
const multi = (i: number, at: string, n = 5): Question => ({
  ...base(`m-${i}`),
  type: 'multi',
  options: opts(n),
  answer: [...at].map((p) => 'abcdefgh'[Number(p)]!),
});
const ordering = (i: number, order: string, ids?: string): Question => ({
  ...base(`o-${i}`),
  type: 'ordering',
  options: opts(order.length, ids),
  answer: [...order],
});
const matching = (i: number, pairs: string, targets = 'xyz'): Question => ({
  ...base(`t-${i}`),
  type: 'matching',
  options: opts(pairs.length),
  targets: opts(targets.length, targets),
  answer: Object.fromEntries([...pairs].map((t, k) => ['abcdefgh'[k]!, t])),
});
const times = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));

/**
 * A bank spread as a careful author spreads it: singles right at each position in turn; multi
 * answers of 2 and 3 options rotating round 5 positions; every 3-item order and 2→3 matching
 * other than the shown one used once or twice.
 */
const multiSets = ['02', '13', '24', '03', '14', '013', '124', '023', '134', '024'];
const orders = ['acb', 'bac', 'bca', 'cab', 'cba'];
const pairings = ['xz', 'yx', 'yz', 'zx', 'zy'];
const balanced = (): Question[] => [
  ...times(20, (i) => single(i, i % 4)),
  ...multiSets.map((set, i) => multi(i, set)),
  ...times(10, (i) => ordering(i, orders[i % 5]!)),
  ...times(5, (i) => matching(i, pairings[i]!)),
];
const without = (type: Question['type']) => balanced().filter((q) => q.type !== type);

describe('the answer balance', () => {
  it('passes a bank whose answers are spread, and describes the spread per type', () => {
    const { problems, figures } = answerBalance(balanced());
    expect(problems).toEqual([]);
    expect(figures.find((f) => f.group === 'single')).toMatchObject({
      questions: 20,
      byPosition: '1: 5 · 2: 5 · 3: 5 · 4: 5',
    });
    expect(figures.map((f) => `${f.group}: ${f.counted}`)).toEqual([
      'single: answer position',
      'multi: option in the answer',
      'multi: answer set',
      'multi: answer size',
      'ordering, 3 items: answer order',
      'matching, 2 → 3: pairs',
      'matching, 2 → 3: left-over target',
    ]);
  });

  it.each<[string, () => Question[], string[]]>([
    // 9 of 20 right at position 3: 45% > 40%.
    [
      'single: one position',
      () => [...without('single'), ...times(20, (i) => single(i, i < 9 ? 2 : [0, 1, 3][i % 3]!))],
      ['the answer at position 3 in 9 of 20 questions (45%; at most 40%)', 'the answer "c" in 9 of 20'],
    ],
    [
      'single: a position never right',
      () => [...without('single'), ...times(20, (i) => single(i, i % 3))],
      ['the answer at position 4 in only 0 of the 20 questions showing it'],
    ],
    // Shown positions spread, but the right option is always called "k".
    [
      'single: one id',
      () => [...without('single'), ...times(20, (i) => single(i, i % 4, 4, ['kabc', 'akbc', 'abkc', 'abck'][i % 4]))],
      ['the answer "k" in 20 of 20'],
    ],
    [
      'multi: a and c always ticked',
      () => [...without('multi'), ...times(10, (i) => multi(i, i % 2 ? '02' : i % 4 ? '023' : '024'))],
      [
        'option "a" in the answer in 10 of 10',
        'the option at position 3 in the answer in 10',
        'the option at position 2 in the answer in only 0',
      ],
    ],
    [
      'multi: one answer set',
      () => [...without('multi'), ...multiSets.map((set, i) => multi(i, i < 3 ? '024' : set))],
      ['the answer set at positions 1,3,5 in 4 of 10', 'the answer set a,c,e in 4 of 10'],
    ],
    [
      'multi: one answer size',
      () => [...without('multi'), ...multiSets.map((set, i) => multi(i, set.slice(0, 2)))],
      ['an answer of 2 options in 10 of 10'],
    ],
    [
      'ordering: b, c, a',
      () => [
        ...without('ordering'),
        ...times(10, (i) => ordering(i, i < 6 ? 'bca' : orders.filter((o) => o !== 'bca')[i - 6]!)),
      ],
      ['the answer order 2,3,1 (shown positions) in 6 of 10', 'the answer order b,c,a in 6 of 10'],
    ],
    [
      'matching: the same pairs',
      () => [...without('matching'), ...times(5, (i) => matching(i, i < 3 ? 'yx' : pairings[i]!))],
      ['the pairs 1→2 2→1 (shown positions) in 3 of 5', 'the pairs a→y b→x in 3 of 5'],
    ],
    [
      'matching: the distractor last',
      () => [...without('matching'), ...['xyw', 'ywx', 'xwy', 'wyx'].map((pairs, i) => matching(i, pairs, 'wxyz'))],
      ['the target at position 4 left over in 4 of 4', 'target "z" left over in 4 of 4'],
    ],
  ])('fails on a habit: %s', (_, bank, expected) => {
    const problems = answerBalance(bank()).problems.join('\n');
    for (const e of expected) expect(problems).toContain(e);
  });

  it('fails an ordering solved by sorting its ids and a matching paired in order', () => {
    const problems = answerBalance([ordering(1, 'abc', 'bac'), matching(2, 'xy'), matching(3, 'zx', 'zxy')]).problems;
    expect(problems).toEqual([
      "o-1: the answer order is the ids' alphabetical order, so sorting the ids solves it",
      't-2: each item pairs with the target shown at its position',
      't-2: items and targets pair in the alphabetical order of their ids',
      't-3: each item pairs with the target shown at its position',
    ]);
  });
});

describe('fill-in answers in English sessions', () => {
  const bank = (rawBank as unknown[]).map((q) => question.parse(q) as Question);
  const text = (id: string) => bank.find((q) => q.id === id)!;
  it.each([
    ['int-007', 'Three-North'],
    ['int-007', '三北精神'],
    ['dir-018', 'six projects'],
    ['cap-006', 'Fengqiao Experience'],
    ['pub-021', 'Ethnic Rule of Law Publicity Week'],
  ])('%s accepts %s', (id, answer) => {
    expect(grade(text(id), { text: answer })).toMatchObject({ ok: true, correct: true });
  });
  it('says in the English stem that English is accepted wherever an English form is', () => {
    for (const q of bank)
      if (q.type === 'text' && q.answer.some((a) => /^[\x20-\x7e]+$/.test(a)))
        expect(q.stem.en, q.id).not.toMatch(/\((in|answer in|give the name in) Chinese\)/i);
  });
});
