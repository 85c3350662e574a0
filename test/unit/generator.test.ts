/**
 * The generator's text handling: sentence splitting, figures (units, qualifiers, full width,
 * siblings and scaled variants), marked terms and topic guesses.
 */
import { describe, expect, it } from 'vitest';
import {
  extractFigures,
  figureDistractors,
  formatClass,
  renderLike,
  scaledVariants,
} from '../../worker/generator/figures';
import { parseDocument, splitSentences } from '../../worker/generator/split';
import { extractTerms, termDistractors } from '../../worker/generator/terms';
import { documentTopics, guessTopics } from '../../worker/generator/topics';

const texts = (p: string) => splitSentences(p).map((s) => s.text);
const figures = (s: string) => extractFigures(s).map((f) => f.text);

describe('sentence splitting', () => {
  it('splits Chinese at 。！？ and at ； outside brackets, keeping the whole sentence as context', () => {
    const parts = splitSentences('今天开运动会。你来吗？来！2023年以来，新增就业31.09万人；新建学校893所。');
    expect(parts.map((s) => s.text)).toEqual([
      '今天开运动会。',
      '你来吗？',
      '来！',
      '2023年以来，新增就业31.09万人；',
      '新建学校893所。',
    ]);
    expect(parts[3]!.parent).toBe('2023年以来，新增就业31.09万人；新建学校893所。');
    expect(parts[0]!.parent).toBeUndefined();
    expect(texts('推行“红色堡垒户；十户联防”等经验。')).toEqual(['推行“红色堡垒户；十户联防”等经验。']);
  });

  it('keeps quotations whole and gives offsets into the paragraph', () => {
    const p = '大家都欢呼起来。“我们赢了！”他说。石榴籽讲解员讲述“三千孤儿入内蒙。”故事。';
    const parts = splitSentences(p);
    expect(parts.map((s) => s.text)).toEqual([
      '大家都欢呼起来。',
      '“我们赢了！”他说。',
      '石榴籽讲解员讲述“三千孤儿入内蒙。”故事。',
    ]);
    for (const s of parts) expect(p.slice(s.start, s.start + s.text.length)).toBe(s.text);
  });

  it('keeps figures with their units and qualifiers, decimals and grouped numbers', () => {
    expect(texts('代办事项2.9万多件，办结率90%以上。活动1000余场次。')).toEqual([
      '代办事项2.9万多件，办结率90%以上。',
      '活动1000余场次。',
    ]);
    expect(texts('Mr. Li ran 3,258 km in 2023. It was 90.5% done! Really? Yes.')).toEqual([
      'Mr. Li ran 3,258 km in 2023.',
      'It was 90.5% done!',
      'Really?',
      'Yes.',
    ]);
  });

  it('reads Markdown: headings, list items, emphasis and links, joined broken lines', () => {
    const doc = parseDocument(
      '# 标题\n\n引言一句。\n\n## 第一节\n\n- 图一说明。\n- **图二**说明[链接](http://x)。\n\n这一句在复制的时候被换页符从中间分成了\n两行。\n下一段。\n\n```\n代码3个\n```\n',
    );
    expect(doc.sections.map((s) => s.heading)).toEqual(['标题', '第一节']);
    expect(doc.sections[1]!.paragraphs.map((p) => [p.index, p.text])).toEqual([
      [1, '图一说明。'],
      [2, '图二说明链接。'],
      [3, '这一句在复制的时候被换页符从中间分成了两行。'],
      [4, '下一段。'],
    ]);
  });

  it('leaves run-in bold sub-headings out of the paragraph, but not emphasis inside a sentence', () => {
    const doc = parseDocument(
      '## 二、服务内容\n\n**坚持自愿参加。** 课后服务由学生和家长自愿选择。\n\n**丰富服务内容** 各校要开展3类活动。\n\n**阳光中学**今年举办第12届运动会。\n',
    );
    expect(doc.sections[0]!.paragraphs.map((p) => p.text)).toEqual([
      '课后服务由学生和家长自愿选择。',
      '各校要开展3类活动。',
      '阳光中学今年举办第12届运动会。',
    ]);
  });

  it('takes a short standalone line without punctuation as a plain-text heading', () => {
    const doc = parseDocument('一、赛事概况\n本届运动会共设46个项目。\n\nSports Day 2024\n\nIt had 46 events.');
    expect(doc.sections.map((s) => s.heading)).toEqual(['一、赛事概况', 'Sports Day 2024']);
    expect(doc.sections[0]!.paragraphs[0]!.text).toBe('本届运动会共设46个项目。');
  });

  it('splits a very long paragraph into its sentences', () => {
    const p = '学校共有1260名学生，开设选修课24门。'.repeat(400);
    const parts = splitSentences(p);
    expect(parts).toHaveLength(400);
    expect(parts[399]!.start).toBe(p.length - parts[399]!.text.length);
  });
});

describe('figures', () => {
  it('reads units, magnitudes and qualifiers as one figure', () => {
    const s =
      '代办事项2.9万多件，办结率90%以上，开展活动1000余场次，覆盖5万余人，新增就业31.09万人，改造管道3258公里，安排2.8亿元。';
    expect(figures(s)).toEqual(['2.9万多件', '90%以上', '1000余场次', '5万余人', '31.09万人', '3258公里', '2.8亿元']);
    const [f] = extractFigures('代办事项2.9万多件。');
    expect(f).toMatchObject({
      kind: 'count',
      number: 2.9,
      decimals: 1,
      value: 29000,
      magnitude: '万',
      approx: '多',
      unit: '件',
      tail: '万多件',
    });
  });

  it('reads years, dates, ordinals and percentage points', () => {
    const fs = extractFigures('2023年以来，在第41个活动月期间，9月27日上午举行大会，比2020年提高6个百分点，1980年代。');
    expect(fs.map((f) => [f.text, f.kind])).toEqual([
      ['2023年', 'year'],
      ['第41个', 'ordinal'],
      ['9月27日', 'date'],
      ['2020年', 'year'],
      ['6个百分点', 'percent'],
    ]);
  });

  it('ignores numbers in names and codes, bare numbers and compound times', () => {
    expect(figures('推行草原110、“8+N进”活动和5G网络，COVID-19期间，3D打印。')).toEqual([]);
    expect(figures('李明以4分38秒夺冠。')).toEqual([]);
    expect(figures('编纂《2023年工作报告》等。')).toEqual([]);
  });

  it('reads full-width digits as numbers and keeps the text verbatim', () => {
    const [f] = extractFigures('共有１２３名学生，满意度９６％。');
    expect(f).toMatchObject({ text: '１２３名', number: 123, fullWidth: true });
    expect(extractFigures('满意度９６％。')[0]).toMatchObject({ text: '９６％', kind: 'percent', number: 96 });
    expect(renderLike(f!, 246)).toBe('２４６名');
  });

  it('reads English figures', () => {
    const fs = extractFigures(
      'In 2023 we ran 3,258 km with 1,200 students, 90% of them, for $2.8 million on September 27.',
    );
    expect(fs.map((f) => [f.text, f.kind, f.unit])).toEqual([
      ['2023', 'year', '年'],
      ['3,258 km', 'count', 'km'],
      ['1,200 students', 'count', 'student'],
      ['90%', 'percent', '%'],
      ['$2.8 million', 'count', 'money'],
      ['September 27', 'date', 'date'],
    ]);
    expect(renderLike(fs[1]!, 6516)).toBe('6,516 km');
  });

  it('draws distractors from figures of the same unit and magnitude, rendered in the answer’s format', () => {
    const pool = extractFigures('覆盖5万余人，新增就业6.09万人，受众990万余人次，覆盖青少年131万人，建成4个。');
    const answer = pool[0]!;
    const picked = figureDistractors(answer, pool, () => false);
    // 6.09万人 is a sibling (rounded to the answer's precision, given its 余); 131万人 is too far
    // (26×) to be plausible, and 990万余人次 counts visits, so the rest are made up.
    expect(picked[0]).toEqual({ text: '6万余人', number: 6, synthesised: false });
    expect(picked.filter((p) => p.synthesised)).toHaveLength(2);
    for (const p of picked) {
      const [f] = extractFigures(p.text);
      expect(formatClass(f!)).toBe(formatClass(answer));
      expect(p.text).not.toBe(answer.text);
    }
    expect(new Set(picked.map((p) => p.text)).size).toBe(3);
  });

  it('makes variants as round as the answer, never half or double, never the answer', () => {
    const [f] = extractFigures('代办2.9万多件。');
    const v = scaledVariants(f!);
    expect(v).not.toContain(5.8);
    expect(v).not.toContain(1.5);
    expect(v.slice(0, 4).every((x) => Math.abs(x - 2.9) <= 1.5)).toBe(true);
    const [hundreds] = extractFigures('共有300名。');
    expect(scaledVariants(hundreds!).slice(0, 4)).toEqual([400, 200, 500, 100]);
    const [p] = extractFigures('办结率90%以上。');
    for (const x of scaledVariants(p!)) expect(x).toBeLessThan(100);
    const [y] = extractFigures('2021年召开。');
    expect(scaledVariants(y!).slice(0, 2)).toEqual([2022, 2020]);
    const [one] = extractFigures('建成1个。');
    expect(scaledVariants(one!)).not.toContain(1);
    // 8月27日 and 10月27日 around 9月27日 would make the answer the centre.
    const [d] = extractFigures('9月27日举行。');
    expect(figureDistractors(d!, [d!], () => false).map((x) => x.text)).toEqual(['9月26日', '9月23日', '9月17日']);
  });

  it('reads per-mille rates, ratios, per-unit yields and years before the common era', () => {
    expect(figures('人口出生率为7.05‰；三次产业结构为11.5:48.5:40.0。')).toEqual(['7.05‰', '11.5:48.5:40.0']);
    expect(figures('城乡居民收入比为2.14:1，会议8:30开始。')).toEqual(['2.14:1']);
    expect(figures('平均亩产412公斤/亩，出栏41.8万头。')).toEqual(['412公斤/亩', '41.8万头']);
    const [bc] = extractFigures('公元前256年，李冰修建都江堰。');
    expect(bc).toMatchObject({ text: '公元前256年', kind: 'year', value: -256 });
    expect(renderLike(bc!, 250)).toBe('公元前250年');
    const [ratio] = extractFigures('结构为11.5:48.5:40.0。');
    const texts = figureDistractors(ratio!, [ratio!], () => false).map((x) => x.text);
    expect(texts).toHaveLength(3);
    for (const t of texts) expect(t.split(':').sort()).toEqual(['11.5', '40.0', '48.5']);
    expect(figures('by 1985 surveyors found 48 sites')).toEqual(['1985', '48 sites']);
  });
});

describe('terms', () => {
  it('finds “” and 《》 terms with their kind, not quoted speech', () => {
    const ts = extractTerms(
      '出台《内蒙古自治区促进民族团结进步条例》，推出《骑兵》，实施“温暖工程”，弘扬“三北精神”，他说“我们赢了！”。',
    );
    expect(ts.map((t) => [t.text, t.family, t.kind])).toEqual([
      ['内蒙古自治区促进民族团结进步条例', 'title', 'regulation'],
      ['骑兵', 'title', 'work'],
      ['温暖工程', 'quoted', 'programme'],
      ['三北精神', 'quoted', 'numbered'],
    ]);
    expect(extractTerms('the "Green Schools" programme').map((t) => t.text)).toEqual(['Green Schools']);
    expect(extractTerms('他说：“今年要建成“智慧校园”示范校。”还有“阳光工程”。').map((t) => t.text)).toEqual([
      '智慧校园',
      '阳光工程',
    ]);
  });

  it('ranks siblings of the same kind first, never containing or contained in the answer', () => {
    const pool = extractTerms('“三北精神”“三北”“五个认同”“四个与共”“民族政策宣传月”“民族法治宣传周”“暖心板凳会”');
    const answer = pool.find((t) => t.text === '民族政策宣传月')!;
    expect(termDistractors(answer, pool, () => false).texts[0]).toBe('民族法治宣传周');
    const north = pool.find((t) => t.text === '三北精神')!;
    const choice = termDistractors(north, pool, () => false);
    expect(choice.texts).not.toContain('三北');
    expect(choice.texts.slice(0, 2).sort()).toEqual(['五个认同', '四个与共']);
    expect(termDistractors(north, pool, (t) => t === '五个认同').texts).not.toContain('五个认同');
  });
});

describe('topics', () => {
  it('guesses topics from the heading first, then the sentence', () => {
    expect(guessTopics('强化宣传教育 增强创建工作影响力', '出版著作50余部。')[0]).toBe('publicity');
    expect(guessTopics('被表彰为全国民族团结进步模范集体', '受到表彰。')[0]).toBe('models');
    expect(guessTopics('', '全区城镇新增就业31.09万人。')).toEqual(['livelihood']);
    expect(guessTopics('', '完成边境旗农村公路建设1487公里。')).toContain('border');
    expect(guessTopics('', '天气很好。')).toEqual(['history']);
    expect(guessTopics('各校区特色', '各校区做法各具特色。')).not.toContain('law-policy');
  });

  it('puts the whole text’s topic first: a statistics release is about the economy, a dated notice no history', () => {
    const stats = documentTopics(
      parseDocument('# 2025年国民经济和社会发展统计公报\n\n全年地区生产总值186.4亿元，比上年增长5.8%。\n'),
    );
    expect(stats[0]).toBe('economy');
    expect(guessTopics('', '比上年增长5.8%。', true, stats)).toEqual(['economy']);
    const notice = documentTopics(parseDocument('# 关于做好课后服务工作的通知\n\n学校应在2026年3月前公布安排。\n'));
    expect(guessTopics('', '学校应在2026年3月前公布安排。', true, notice)).not.toContain('history');
    const past = documentTopics(parseDocument('# 都江堰\n\n公元前256年，秦国蜀郡太守李冰主持修建了都江堰。\n'));
    expect(past[0]).toBe('history');
  });
});
