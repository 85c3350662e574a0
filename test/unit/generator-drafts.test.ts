/**
 * Drafts of each kind from small texts, and the awkward inputs: no figures, full-width digits,
 * mixed Chinese and English, very long paragraphs and sentences, empty or markup-only text.
 */
import { describe, expect, it } from 'vitest';
import { draft } from '../../worker/generator/draft';
import { BLANK, generateDrafts } from '../../worker/generator/generate';
import { checkDraft, scoreText, termIndex } from '../../worker/generator/score';
import type { Draft, DraftKind } from '../../worker/contract';

const ofKind = <K extends DraftKind>(drafts: Draft[], kind: K) =>
  drafts.filter((d): d is Draft & { kind: K } => d.kind === kind);
const answerText = (d: Draft) => (d.type === 'single' ? d.options.find((o) => o.id === d.answer)!.text.zh : '');
const wellFormed = (text: string, drafts = generateDrafts(text)) => {
  const index = termIndex(text);
  for (const d of drafts) expect(checkDraft(d, index), `${d.kind}: ${d.stem.zh}`).toEqual([]);
};

describe('figure cloze', () => {
  const text = '2023年以来，代办各类信访事项和民生事项2.9万多件，办结率90%以上。';
  const rate = '代办事项的办结率达到90%以上。';
  const drafts = ofKind([...generateDrafts(text), ...generateDrafts(rate)], 'figure-cloze');

  it('blanks a figure with its unit and qualifier, in a stem that is its quote; one draft per sentence', () => {
    // One draft per sentence: a second would show the first's answer ("…2.9万多件，办结率____").
    // "2023年以来" frames the sentence; the figure it reports is asked.
    expect(generateDrafts(text).map((d) => d.key)).toEqual([['2.9万多件']]);
    expect(drafts.map(answerText)).toEqual(['2.9万多件', '90%以上']);
    const d = drafts[0]!;
    expect(d.stem.zh).toBe(`2023年以来，代办各类信访事项和民生事项${BLANK}，办结率90%以上。`);
    // Chinese only: no "Fill in the blank:" before the Chinese passing for English.
    expect(d.stem.en).toBe(d.stem.zh);
    expect(d.explanation.en).toBe(d.explanation.zh);
    expect(d.source).toEqual({ heading: '', quote: text, paragraph: 1 });
    expect(d.key).toEqual(['2.9万多件']);
    expect(d.explanation.zh).toContain(text);
    expect(d.id).toMatch(/^gen-[a-z0-9]+$/);
  });

  it('offers four options of the same unit and format, the answer not always first', () => {
    for (const d of drafts) {
      expect(d.options).toHaveLength(4);
      expect(new Set(d.options.map((o) => o.text.zh)).size).toBe(4);
    }
    expect(drafts[0]!.options.every((o) => /^\d+\.\d万多件$/.test(o.text.zh))).toBe(true);
    expect(drafts[1]!.options.every((o) => /^\d+%以上$/.test(o.text.zh))).toBe(true);
    expect(new Set(drafts.map((d) => d.answer)).size).toBeGreaterThan(1);
  });

  it('prefers figures of the same unit from the text to made-up ones, and trusts them more', () => {
    const withSiblings = ofKind(
      generateDrafts('建成养老机构692个。建成服务设施1685个。新建公园456个。新建广场352个。'),
      'figure-cloze',
    );
    const first = withSiblings[0]!;
    expect(first.options.map((o) => o.text.zh).sort()).toEqual(['1685个', '352个', '456个', '692个']);
    const synthetic = drafts[0]!; // 2.9万多件: no other 件 in the text
    expect(first.confidence).toBeGreaterThan(synthetic.confidence);
  });

  it('is well-formed by the scorer', () => wellFormed(text));
});

describe('term cloze', () => {
  const text =
    '文化馆推出《骑兵》等一批优秀作品。出版社出版了小说《草原之子》。图书馆收藏了《马背上的学校》。今年全区实施“温暖工程”。各地启动“阳光工程”和“春雨工程”。全市学校参与了“书香工程”。';
  const drafts = ofKind(generateDrafts(text, { kinds: ['term-cloze'] }), 'term-cloze');

  it('blanks the inside of the marks and offers terms of the same kind', () => {
    const grass = drafts.find((d) => answerText(d) === '草原之子')!;
    expect(grass.stem.zh).toBe(`出版社出版了小说《${BLANK}》。`);
    expect(grass.options.map((o) => o.text.zh).sort()).toEqual(['草原之子', '马背上的学校', '骑兵']);
    const warm = drafts.find((d) => answerText(d) === '温暖工程')!;
    expect(warm.options.map((o) => o.text.zh).sort()).toEqual(['书香工程', '春雨工程', '温暖工程', '阳光工程']);
  });

  it('never offers a term the stem already shows', () => {
    const sun = drafts.find((d) => answerText(d) === '阳光工程')!;
    expect(sun.options.map((o) => o.text.zh)).not.toContain('春雨工程');
  });

  it('makes no cloze when fewer than two siblings exist', () => {
    expect(ofKind(generateDrafts('实施“温暖工程”，改造供热管道。'), 'term-cloze')).toEqual([]);
  });

  it('is well-formed by the scorer', () => wellFormed(text));
});

describe('true/false', () => {
  const article = [
    '全区城镇新增就业31.09万人。',
    '新建改扩建中小学校、幼儿园893所。',
    '建设县域医共体99个。',
    '建成养老机构692个。',
    '建成居家社区养老服务设施1685个。',
    '实施“温暖工程”。',
    '实施“百乡千村万院”行动。',
    '推出“行走的思政课”亮点工程。',
  ].join('');
  const drafts = ofKind(generateDrafts(article, { kinds: ['truefalse'] }), 'truefalse');

  it('states a sentence as written, or with one figure or term swapped for a sibling, half of them false', () => {
    // Seven: “百乡千村万院” has no sibling of its kind (numbered) to swap in.
    expect(drafts.length).toBe(7);
    expect(drafts.filter((d) => !d.answer).length).toBeGreaterThanOrEqual(3);
    expect(drafts.filter((d) => d.answer).length).toBeGreaterThanOrEqual(3);
    for (const d of drafts) {
      expect(d.key).toHaveLength(1);
      expect(d.source.quote).toContain(d.key![0]);
      const statement = d.stem.zh.replace(/^判断：/, '');
      if (d.answer) expect(statement).toBe(d.source.quote);
      else {
        expect(statement).not.toContain(d.key![0]);
        expect(d.explanation.zh).toMatch(/^错误。原文是“.+”，不是“.+”。/);
      }
      expect(d.stem.en).toBe(d.stem.zh);
    }
  });

  it('is one draft per sentence: a cloze or a statement, not both', () => {
    const all = generateDrafts(article);
    for (const d of all) {
      const same = all.filter((x) => x.source.quote === d.source.quote);
      expect(same, d.source.quote).toHaveLength(1);
    }
    const tf = all.filter((d) => d.kind === 'truefalse');
    expect(tf.length).toBeGreaterThan(0);
    expect(tf.length).toBeLessThan(all.length);
  });

  it('is well-formed by the scorer', () => wellFormed(article, drafts));
});

describe('matching', () => {
  it('pairs places with the practices the sentence names', () => {
    const [m] = ofKind(
      generateDrafts('涌现出鄂尔多斯市“暖心板凳会”、赤峰市“晨巡晚议”、乌海市“老奶奶帮帮团”等典型经验。'),
      'matching',
    );
    expect(m).toBeDefined();
    const pairs = m!.options.map((o) => [o.text.zh, m!.targets.find((t) => t.id === m!.answer[o.id])!.text.zh]);
    expect(pairs).toEqual([
      ['鄂尔多斯市', '暖心板凳会'],
      ['赤峰市', '晨巡晚议'],
      ['乌海市', '老奶奶帮帮团'],
    ]);
    // Targets are not shown in the items' order.
    expect(m!.targets.map((t) => t.text.zh)).not.toEqual(pairs.map(([, r]) => r));
  });

  it('pairs people with their roles, and list items with their figures', () => {
    const drafts = generateDrafts(
      '守边员尼玛、乡土人才孵化中心主任齐晓景、研究中心教授何生海等17名个人受到表彰。建成养老机构692个、居家社区养老服务设施1685个、县域医共体99个。',
    );
    const [people, things] = ofKind(drafts, 'matching');
    expect(people!.options.map((o) => o.text.zh)).toEqual(['尼玛', '齐晓景', '何生海']);
    expect(people!.options.map((o) => people!.targets.find((t) => t.id === people!.answer[o.id])!.text.zh)).toEqual([
      '守边员',
      '主任',
      '教授',
    ]);
    expect(things!.options.map((o) => o.text.zh)).toEqual(['养老机构', '居家社区养老服务设施', '县域医共体']);
    wellFormed(
      '',
      drafts.filter((d) => d.kind === 'matching'),
    );
  });

  it('pairs items that mean something alone, of one unit only', () => {
    const text =
      '全年粮食总产量15.9万吨，比上年增长2.4%；第一产业增加值21.4亿元，第二产业增加值90.4亿元，第三产业增加值74.6亿元，比上年增长5.8%。';
    const pairs = generateDrafts(text)
      .filter((d) => d.type === 'matching')
      .flatMap((d) => (d.type === 'matching' ? d.options.map((o) => o.text.zh) : []));
    expect(pairs).toEqual(['第一产业增加值', '第二产业增加值', '第三产业增加值']);
  });

  it('needs at least three pairs', () => {
    expect(ofKind(generateDrafts('鄂尔多斯市“暖心板凳会”、赤峰市“晨巡晚议”等经验。'), 'matching')).toEqual([]);
  });
});

describe('ordering', () => {
  it('orders three or more dated events chronologically, shown out of order', () => {
    const text =
      '2021年，学校开设了天文课。1987年，学校举办了第一届运动会；2015年，学校新建了图书馆。2020年比2019年多出3个班。';
    const [o] = ofKind(generateDrafts(text), 'ordering');
    expect(o).toBeDefined();
    const inOrder = o!.answer.map((id) => o!.options.find((x) => x.id === id)!.text.zh);
    expect(inOrder).toEqual(['学校举办了第一届运动会', '学校新建了图书馆', '学校开设了天文课']);
    expect(o!.options.map((x) => x.id)).not.toEqual(o!.answer);
    expect(o!.topics[0]).toBe('history');
    for (const item of inOrder) expect(o!.source.quote).toContain(item);
    expect(o!.explanation.zh).toBe(
      '时间顺序：学校举办了第一届运动会（1987年） → 学校新建了图书馆（2015年） → 学校开设了天文课（2021年）。',
    );
  });

  it('needs three dated events', () => {
    expect(ofKind(generateDrafts('2021年，学校开设了天文课。1987年，学校举办了第一届运动会。'), 'ordering')).toEqual(
      [],
    );
  });
});

describe('awkward inputs', () => {
  it('makes nothing from nothing: empty text, markup only, prose without figures or terms', () => {
    expect(generateDrafts('')).toEqual([]);
    expect(generateDrafts('# 标题\n\n## 小标题\n\n---\n')).toEqual([]);
    expect(generateDrafts('今天天气很好。我们一起去公园散步，看到了很多花！你喜欢春天吗？')).toEqual([]);
    expect(generateDrafts('The sun was warm. We walked in the park and saw many flowers.')).toEqual([]);
  });

  it('makes no figure drafts from a text without figures, and only sound term drafts', () => {
    const text =
      '同学们参加了“读书月”活动和“科技周”活动。学校组织观看了《长津湖》。大家还观看了《我和我的祖国》和《夺冠》。语文组开展了“诗词节”活动。';
    const drafts = generateDrafts(text);
    expect(drafts.some((d) => d.kind === 'figure-cloze')).toBe(false);
    expect(drafts.some((d) => d.kind === 'term-cloze')).toBe(true);
    wellFormed(text, drafts);
  });

  it('reads full-width digits as numbers and keeps the quote verbatim', () => {
    const text = '学校共有１２３名学生参加了比赛，其中１２名获奖，获奖率约为９.８%。';
    const drafts = ofKind(generateDrafts(text), 'figure-cloze');
    const d = drafts.find((x) => answerText(x) === '１２３名')!;
    expect(d.source.quote).toBe(text);
    expect(d.stem.zh).toBe(`学校共有${BLANK}学生参加了比赛，其中１２名获奖，获奖率约为９.８%。`);
    expect(d.options.every((o) => /^[０-９]+名$/.test(o.text.zh))).toBe(true);
    const [rate] = ofKind(generateDrafts('获奖率约为９.８%。共有１２３名学生。'), 'figure-cloze');
    expect(rate!.options.every((o) => /^[０-９]+\.[０-９]%$/.test(o.text.zh))).toBe(true);
    // As round as the answer and in its width: no half-width digit among them.
    expect(d.options.every((o) => !/[0-9]/.test(o.text.zh))).toBe(true);
    wellFormed(text);
  });

  it('handles mixed Chinese and English, each draft in the language of its sentence only', () => {
    const text =
      '来自 Beijing 的 STEM 老师带来了 200 个模型。The robotics team built 8 robots in 6 weeks. 学生用 Python 编写的小程序下载量超过1500次。';
    const drafts = generateDrafts(text);
    const english = drafts.find((d) => d.key?.[0] === '8 robots')!;
    expect(english.stem).toEqual({
      en: 'True or false: The robotics team built 8 robots in 6 weeks.',
      zh: english.stem.en,
    });
    const chinese = drafts.find((d) => d.key?.[0] === '200 个')!;
    expect(chinese.stem.zh).toMatch(/^判断：来自 Beijing 的 STEM 老师带来了 \d+ 个模型。$/);
    expect(chinese.stem.en).toBe(chinese.stem.zh);
    expect(drafts.find((d) => answerText(d) === '1500次')).toBeDefined();
    wellFormed(text, drafts);
  });

  it('quotes a window of clauses from a very long sentence, within the schema’s limits', () => {
    const clauses = Array.from({ length: 80 }, (_, i) => `第${i + 1}组同学种下树苗${(i + 1) * 7}棵`);
    const text = `${clauses.join('，')}。`;
    expect(text.length).toBeGreaterThan(1000);
    const drafts = generateDrafts(text);
    expect(drafts.length).toBeGreaterThan(5); // windows of a very long sentence that do not answer each other
    for (const d of drafts) {
      expect(draft.safeParse(d).success).toBe(true);
      expect(d.source.quote.length).toBeLessThanOrEqual(1000);
      expect(text).toContain(d.source.quote.split(' … ')[0]);
    }
    const cloze = ofKind(drafts, 'figure-cloze').find((d) => d.stem.zh.startsWith('……'))!;
    expect(cloze.stem.zh.startsWith('……')).toBe(true);
    expect(cloze.stem.zh.endsWith('……')).toBe(true);
    expect(cloze.confidence).toBeLessThan(0.9);
    expect(scoreText(text, drafts).wellFormedPct).toBeGreaterThanOrEqual(95);
  });

  it('survives a very long paragraph, and a run of text with no punctuation at all', () => {
    const paragraph = '学校共有1260名学生，开设选修课24门，组建社团36个。'.repeat(300);
    const drafts = generateDrafts(paragraph);
    expect(drafts.length).toBeGreaterThanOrEqual(1); // repeated sentences give the same drafts once
    const run = `${'山川河流草原森林'.repeat(150)}共有1260名学生${'山川河流草原森林'.repeat(150)}`;
    for (const d of generateDrafts(run)) expect(draft.safeParse(d).success).toBe(true);
  });

  it('respects the kinds and maxDrafts options', () => {
    const text = '2023年以来，代办各类信访事项和民生事项2.9万多件，办结率90%以上。';
    expect(generateDrafts(text, { kinds: ['truefalse'] }).every((d) => d.kind === 'truefalse')).toBe(true);
    expect(generateDrafts(`${text}新建学校893所。建成公园12个。`, { maxDrafts: 2 })).toHaveLength(2);
  });
});
