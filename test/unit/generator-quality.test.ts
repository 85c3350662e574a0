/**
 * The generator's measured quality: the sample article (at least 80 drafts, every section
 * covered, at least 95 % well-formed), our own small texts with their expected drafts, a
 * 50 000-character input, determinism, the scorer's own checks, and the two commands.
 *
 * Expected drafts live next to the texts in test/fixtures/generator/*.expected.json (the fields a
 * teacher sees). After an intended change to the generator, rewrite them with
 * `UPDATE_GENERATOR_FIXTURES=1 npx vitest run --project unit test/unit/generator-quality` and
 * review the diff.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collapse } from '../../db/article';
import { MAX_GENERATE_CHARS } from '../../worker/contract';
import { generateDrafts } from '../../worker/generator/generate';
import { parseDocument } from '../../worker/generator/split';
import { extractFigures } from '../../worker/generator/figures';
import { checkDraft, figureOptionSet, scoreText } from '../../worker/generator/score';
import { rankBias, rankShares } from '../../worker/generator/giveaway';
import { type Draft, DRAFT_KINDS } from '../../worker/contract';

const ARTICLE = 'db/source/article.zh.md';
const FIXTURES = 'test/fixtures/generator';
const article = readFileSync(ARTICLE, 'utf8');

describe('drafts from the sample article', () => {
  const drafts = generateDrafts(article);
  const score = scoreText(article, drafts);

  it('makes at least 45 drafts, of every kind, covering every section', () => {
    // One per sentence (two from one sentence would answer each other), plus matchings and orderings.
    expect(score.total).toBeGreaterThanOrEqual(45);
    for (const kind of DRAFT_KINDS) expect(score.perKind[kind], kind).toBeGreaterThan(0);
    const headings = parseDocument(article).sections.map((s) => s.heading);
    expect(headings).toHaveLength(6);
    expect(score.perSection.map((s) => s.heading)).toEqual(headings);
    expect(score.uncovered).toEqual([]);
    for (const s of score.perSection) expect(s.drafts, s.heading).toBeGreaterThanOrEqual(3);
  });

  it('is at least 95 % well-formed', () => {
    expect(score.malformed).toEqual([]);
    expect(score.wellFormedPct).toBeGreaterThanOrEqual(95);
  });

  it('quotes the article verbatim (whitespace collapsed), with unique ids and stems', () => {
    const body = collapse(article);
    for (const d of drafts)
      for (const part of d.source.quote.split(' … ')) expect(body.includes(part), d.source.quote).toBe(true);
    expect(new Set(drafts.map((d) => d.id)).size).toBe(drafts.length);
    const stems = drafts.map((d) => d.stem.zh);
    expect(new Set(stems).size).toBe(stems.length);
  });

  it('asks about nine in ten sentences with a figure, by a cloze, a statement or a matching', () => {
    let withFigure = 0;
    let asked = 0;
    for (const section of parseDocument(article).sections)
      for (const p of section.paragraphs)
        for (const sentence of p.sentences)
          if (extractFigures(sentence.text).length) {
            withFigure++;
            const whole = sentence.parent ?? sentence.text;
            if (drafts.some((d) => d.source.quote.split(' … ').some((q) => sentence.text.includes(q) || q === whole)))
              asked++;
          }
    expect(asked / withFigure).toBeGreaterThanOrEqual(0.9);
  });

  it('is deterministic: the same text gives the same drafts', () => {
    generateDrafts(readFileSync(`${FIXTURES}/garden.en.md`, 'utf8')); // other work in between
    expect(generateDrafts(article)).toEqual(drafts);
  });
});

describe('a 50 000-character input', () => {
  // The article again and again, each copy with its numbers shifted so that no draft repeats.
  let big = '';
  for (let i = 0; big.length < MAX_GENERATE_CHARS; i++)
    big += `${article.replace(/\d+/g, (n) => String(Number(n) + i))}\n\n`;
  big = big.slice(0, MAX_GENERATE_CHARS);

  it('completes with drafts from every copy, unique ids, and stays well-formed', () => {
    const drafts = generateDrafts(big);
    expect(drafts.length).toBeGreaterThan(300); // one draft per sentence
    expect(new Set(drafts.map((d) => d.id)).size).toBe(drafts.length);
    expect(scoreText(big, drafts).wellFormedPct).toBeGreaterThanOrEqual(95);
  }, 30_000); // a shared two-core machine under load: the run, not its speed, is tested here

  it('reads no more than the limit', () => {
    const longer = `${big}\n\n${article}`;
    expect(generateDrafts(longer).length).toBe(generateDrafts(big).length);
  }, 30_000);
});

describe('our own texts and their expected drafts', () => {
  /** The fields of a draft a teacher would look at, in a form that reads well in a diff. */
  const view = (d: Draft) => {
    const common = {
      id: d.id,
      kind: d.kind,
      heading: d.source.heading,
      paragraph: d.source.paragraph,
      quote: d.source.quote,
      stem: d.stem,
      topics: d.topics,
      confidence: d.confidence,
    };
    switch (d.type) {
      case 'single':
        return {
          ...common,
          answer: d.options.find((o) => o.id === d.answer)!.text.zh,
          options: d.options.map((o) => o.text.zh),
        };
      case 'truefalse':
        return { ...common, answer: d.answer, key: d.key };
      case 'matching':
        return {
          ...common,
          pairs: d.options.map((o) => [o.text.zh, d.targets.find((t) => t.id === d.answer[o.id])!.text.zh]),
          targets: d.targets.map((t) => t.text.zh),
        };
      case 'ordering':
        return {
          ...common,
          inOrder: d.answer.map((id) => d.options.find((o) => o.id === id)!.text.zh),
          shown: d.options.map((o) => o.text.zh),
        };
    }
  };
  const texts = readdirSync(FIXTURES).filter((f) => /\.(zh|en|mixed)\.md$/.test(f));

  it('has seven texts of its own: Chinese, English, mixed, and four written as unseen texts', () => {
    expect(texts.sort()).toEqual([
      'after-school.zh.md',
      'county-stats.zh.md',
      'dujiangyan.zh.md',
      'garden.en.md',
      'otters.en.md',
      'science-fair.mixed.md',
      'sports-day.zh.md',
    ]);
  });

  /** Sections with nothing to ask: a notice's title and salutation, an article's two-line lead. */
  const UNCOVERED: Record<string, string[]> = {
    'after-school.zh.md': ['关于做好2026年春季学期中小学课后服务工作的通知'],
    'otters.en.md': ['The Return of the River Otter'],
  };

  for (const file of texts) {
    it(`${file}: gives the expected drafts, all well-formed, every section covered`, () => {
      const text = readFileSync(`${FIXTURES}/${file}`, 'utf8');
      const drafts = generateDrafts(text);
      const expectedFile = `${FIXTURES}/${file.replace(/\.md$/, '.expected.json')}`;
      if (process.env.UPDATE_GENERATOR_FIXTURES === '1')
        writeFileSync(expectedFile, `${JSON.stringify(drafts.map(view), null, 2)}\n`);
      expect(existsSync(expectedFile), `${expectedFile} is missing`).toBe(true);
      expect(drafts.map(view)).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
      const score = scoreText(text, drafts);
      expect(score.malformed).toEqual([]); // give-aways and fake English included
      expect(score.uncovered).toEqual(UNCOVERED[file] ?? []);
    });
  }

  it('spreads figure-cloze answers over the ranks of their options, and makes about half the statements false', () => {
    const all = texts.flatMap((f) => generateDrafts(readFileSync(`${FIXTURES}/${f}`, 'utf8')));
    const sets = all.map(figureOptionSet).filter((x) => x !== null);
    expect(sets.length).toBeGreaterThan(30);
    expect(rankBias(sets)).toBeNull();
    for (const share of rankShares(sets)) expect(share).toBeLessThan(0.5);
    const tf = all.filter((d) => d.type === 'truefalse');
    const falseShare = tf.filter((d) => !d.answer).length / tf.length;
    expect(falseShare).toBeGreaterThanOrEqual(0.4);
    expect(falseShare).toBeLessThanOrEqual(0.6);
  });

  it('sports-day.zh.md: the key drafts a teacher would expect', () => {
    const drafts = generateDrafts(readFileSync(`${FIXTURES}/sports-day.zh.md`, 'utf8'));
    const cloze = (answer: string) => drafts.find((d) => d.type === 'single' && d.key?.[0] === answer);
    const asked = (answer: string) => drafts.find((d) => d.key?.[0] === answer); // by a cloze or a statement
    expect(cloze('1260名')!.stem.zh).toBe(
      '10月18日至19日，阳光中学在新落成的体育场举办第12届秋季运动会，全校____师生参加。',
    );
    expect(asked('930名')!.type).toBe('truefalse'); // its sentence's other figure, 78.8%以上, is then not asked
    expect(asked('2.6万人次')).toBeDefined();
    expect(asked('18.5万元')).toBeDefined();
    expect(asked('第12届')).toBeUndefined(); // the title shows it
    expect(asked('1260名')).toBeDefined();
    expect(drafts.some((d) => d.key?.[0] === '38秒')).toBe(false); // half of 4分38秒
    const ordering = drafts.find((d) => d.type === 'ordering');
    expect(ordering && ordering.answer.map((id) => ordering.options.find((o) => o.id === id)!.text.zh)).toEqual([
      '学校举办了第一届运动会',
      '运动会固定在每年秋季举行',
      '运动会新增“亲子趣味赛”',
      '运动会开始通过网络直播',
    ]);
    const places = drafts.find((d) => d.type === 'matching' && d.options[0]!.text.zh === '东校区');
    expect(
      places &&
        places.type === 'matching' &&
        places.options.map((o) => places.targets.find((t) => t.id === places.answer[o.id])!.text.zh),
    ).toEqual(['每天一小时', '晨跑打卡', '周末家庭运动日', '师生同场赛']);
  });

  it('garden.en.md: English drafts with English figures, terms and dates', () => {
    const drafts = generateDrafts(readFileSync(`${FIXTURES}/garden.en.md`, 'utf8'));
    const keys = drafts.filter((d) => d.kind === 'figure-cloze' || d.kind === 'truefalse').map((d) => d.key![0]);
    expect(keys).toEqual(expect.arrayContaining(['1998', '640 kg', 'September 27', '$2,400', '15 m']));
    const green = drafts.find((d) => d.source.quote.includes('"Green Schools" programme'))!;
    expect(green.stem.en).toMatch(
      /^In (____|2016), the school joined the "Green Schools" programme, and in (____|2022) it/,
    );
    expect(green.stem.zh).toBe(green.stem.en); // English only: no Chinese instruction before it
    expect(drafts.find((d) => d.kind === 'ordering')).toBeDefined();
  });
});

describe('the scorer', () => {
  const [cloze] = generateDrafts('2023年以来，代办各类信访事项和民生事项2.9万多件，办结率90%以上。').filter(
    (d) => d.key?.[0] === '2.9万多件',
  );
  const good = cloze as Extract<Draft, { type: 'single' }>;
  const broken = (change: (d: Extract<Draft, { type: 'single' }>) => void) => {
    const d = structuredClone(good);
    change(d);
    return checkDraft(d).join('; ');
  };

  it('passes a sound draft and names what is wrong with a broken one', () => {
    expect(checkDraft(good)).toEqual([]);
    expect(broken((d) => (d.source.quote = d.source.quote.replace('2.9万多件', '2.9万件')))).toContain(
      'not in the quote',
    );
    expect(broken((d) => (d.options[0]!.text.zh = d.options[1]!.text.zh))).toContain('options repeat');
    expect(broken((d) => (d.stem.zh = `${d.stem.zh}____`))).toContain('2 blanks');
    expect(broken((d) => (d.options.find((o) => o.id !== d.answer)!.text.zh = '5.8万多人'))).toContain(
      'unit and format',
    );
    expect(broken((d) => (d.options.find((o) => o.id !== d.answer)!.text.zh = '5.80万多件'))).toContain(
      'unit and format',
    );
    expect(broken((d) => (d.stem.zh = d.stem.zh.replace('。', '')))).toContain('does not end like a sentence');
    expect(broken((d) => (d.stem.zh = d.stem.zh.replace('2023年以来，', '')))).toContain('is not the quote');
    expect(broken((d) => (d.confidence = 2))).toContain('schema');
    // Distractors that single the answer out: 2.9 halfway between 1.9 and 3.9, and nothing else so.
    const distractors = ['1.9万多件', '3.9万多件', '5.6万多件'];
    expect(
      broken((d) => d.options.filter((o) => o.id !== d.answer).forEach((o, i) => (o.text.zh = distractors[i]!))),
    ).toContain('give-away: the answer is the only option halfway between two others');
    expect(broken((d) => (d.stem.en = `Fill in the blank: ${d.stem.zh}`))).toContain('English text that is Chinese');
    expect(broken((d) => (d.answer = 'z'))).toContain('schema');
  });

  it('checks true/false statements against their quotes', () => {
    const [tf] = generateDrafts('2023年以来，代办各类信访事项和民生事项2.9万多件，办结率90%以上。', {
      kinds: ['truefalse'],
    });
    expect(checkDraft(tf)).toEqual([]);
    expect(checkDraft({ ...tf!, answer: !tf!.answer }).join()).toMatch(/statement/);
  });
});

describe('the commands', () => {
  const tsx = (...args: string[]) => execFileSync('npx', ['tsx', ...args], { encoding: 'utf8' });

  it('`generate FILE` prints the drafts as JSON', () => {
    const out = JSON.parse(tsx('scripts/generate.ts', `${FIXTURES}/sports-day.zh.md`)) as Draft[];
    expect(out).toEqual(generateDrafts(readFileSync(`${FIXTURES}/sports-day.zh.md`, 'utf8')));
  }, 30_000);

  it('`generate:score FILE` prints the figures', () => {
    const out = tsx('scripts/generate-score.ts', ARTICLE);
    expect(out).toMatch(/^\d+ drafts from \d+ characters; \d+ well-formed \(100 %\)/);
    expect(out).toContain('| figure-cloze |');
    expect(out).toContain('| 图片说明 |');
    expect(out).toContain('malformed: none');
    const json = JSON.parse(tsx('scripts/generate-score.ts', `${FIXTURES}/garden.en.md`, '--json')) as {
      total: number;
      wellFormedPct: number;
    };
    expect(json.wellFormedPct).toBe(100);
  }, 30_000);
});
