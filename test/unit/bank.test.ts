import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collapse, parseArticle } from '../../db/article';
import { rawBank } from '../../db/bank';
import { checkBank } from '../../db/bank-checks';
import { question } from '../../worker/questions/schema';
import { QUESTION_TYPES } from '../../worker/contract';

const article = readFileSync('db/source/article.zh.md', 'utf8');

describe('the question bank', () => {
  it('keeps a verbatim copy of the shared article with its attribution', () => {
    expect(readFileSync('db/source/README.md', 'utf8')).toContain('verbatim substring');
    expect(parseArticle(article).paragraphs.length).toBe(19);
  });

  it('validates every question against the schema', () => {
    for (const q of rawBank) expect(question.safeParse(q).error?.issues ?? [], JSON.stringify(q).slice(0, 80)).toEqual([]);
  });

  it('quotes the article verbatim (whitespace collapsed) in every question', () => {
    const body = collapse(article);
    for (const q of rawBank as { id: string; source: { quote: string } }[]) expect(body.includes(collapse(q.source.quote)), q.id).toBe(true);
  });

  it('passes every bank check: unique ids and stems, keys in quotes, every paragraph and figure covered', () => {
    const report = checkBank(rawBank, article);
    expect(report.problems).toEqual([]);
    expect(report.questions.length).toBeGreaterThanOrEqual(150);
    expect(report.unusedFigures).toEqual([]);
    for (const type of QUESTION_TYPES) expect(report.perType.get(type), type).toBeGreaterThan(0);
  });

  it('finds problems when there are some', () => {
    const [first] = rawBank as Record<string, unknown>[];
    const broken = [first, { ...first }, { ...first, id: 'bad-quote', stem: { zh: '另一个题干', en: 'x' }, source: { section: 'intro', quote: '这句话不在文章里' } }];
    const problems = checkBank(broken, article).problems.join('\n');
    expect(problems).toContain('duplicate id');
    expect(problems).toContain('same stem');
    expect(problems).toContain('not verbatim');
    expect(problems).toContain('every paragraph needs at least 2');
    expect(problems).toContain('figures no question asks about');
  });

  it('exports the whole bank as JSON with `npm run --silent bank:export`', () => {
    const out = execFileSync('npm', ['run', '--silent', 'bank:export'], { encoding: 'utf8' });
    const exported = JSON.parse(out) as { id: string; answer: unknown }[];
    expect(exported.length).toBe(rawBank.length);
    expect(exported.map((q) => q.id)).toEqual((rawBank as { id: string }[]).map((q) => q.id));
    expect(exported.every((q) => q.answer !== undefined)).toBe(true);
  });
});
