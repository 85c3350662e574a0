/**
 * Quality checks of the question bank, shared by `npm run bank:check` and the tests: schema,
 * unique ids and stems, verbatim quotes, answer keys found in their quotes, and coverage of
 * every paragraph and every figure of the article.
 */
import { isBankQuestion, question } from '../worker/questions/schema';
import { articleFigures, collapse, parseArticle, type Paragraph } from './article';
import { type Question, QUESTION_TYPES, TOPICS } from '../worker/contract';

/** Outcome of checking the bank against the article. */
export interface BankReport {
  questions: Question[];
  problems: string[];
  /** Questions per paragraph, keyed `section ¶index` (¶0 is the section's heading). */
  perParagraph: Map<string, number>;
  perType: Map<string, number>;
  perTopic: Map<string, number>;
  figures: string[];
  unusedFigures: string[];
}

const figuresIn = (s: string): string[] => collapse(s).match(/\d+月\d+日|\d+(?:\.\d+)?/g) ?? [];

/** The texts that must occur in the quote for the answer to be provable from it. */
export function keyTexts(q: Question): string[] {
  if (q.key) return q.key;
  switch (q.type) {
    case 'single':
      return [q.options.find((o) => o.id === q.answer)?.text.zh ?? ''];
    case 'numeric':
      return [String(q.answer)];
    case 'ordering':
      return q.options.map((o) => o.text.zh);
    case 'matching':
      return [...q.options, ...q.targets.filter((t) => Object.values(q.answer).includes(t.id))].map((o) => o.text.zh);
    case 'text':
      return q.answer.slice(0, 1);
    default:
      return [];
  }
}

/** Validates every raw bank entry and measures coverage; `problems` is empty when the bank is sound. */
export function checkBank(raw: unknown[], articleMarkdown: string): BankReport {
  const article = parseArticle(articleMarkdown);
  const body = collapse(articleMarkdown);
  const problems: string[] = [];
  const questions: Question[] = [];
  raw.forEach((entry, i) => {
    const parsed = question.safeParse(entry);
    if (parsed.success) questions.push(parsed.data);
    else {
      const id = (entry as { id?: unknown })?.id ?? `#${i}`;
      for (const issue of parsed.error.issues) problems.push(`${String(id)}: ${issue.path.join('.')}: ${issue.message}`);
    }
  });

  const places: (Paragraph | { section: Paragraph['section']; index: 0; text: string })[] = [
    ...Object.entries(article.headings).map(([section, text]) => ({ section: section as Paragraph['section'], index: 0 as const, text })),
    ...article.paragraphs,
  ];
  const perParagraph = new Map<string, number>(places.filter((p) => p.index > 0).map((p) => [`${p.section} ¶${p.index}`, 0]));
  const seenIds = new Set<string>();
  const seenStems = new Map<string, string>();
  const used = new Set<string>();
  for (const q of questions) {
    if (seenIds.has(q.id)) problems.push(`${q.id}: duplicate id`);
    seenIds.add(q.id);
    const stem = collapse(q.stem.zh);
    if (seenStems.has(stem)) problems.push(`${q.id}: same stem as ${seenStems.get(stem)}`);
    seenStems.set(stem, q.id);

    if (!isBankQuestion(q)) {
      problems.push(`${q.id}: a bank question needs the article section and quote it comes from`);
      continue;
    }
    const quote = collapse(q.source.quote);
    if (!body.includes(quote)) {
      problems.push(`${q.id}: quote is not verbatim in the article: ${quote}`);
      continue;
    }
    const place = places.find((p) => p.text.includes(quote));
    if (!place) problems.push(`${q.id}: quote spans more than one paragraph`);
    else {
      if (place.section !== q.source.section) problems.push(`${q.id}: quote is in section ${place.section}, not ${q.source.section}`);
      const where = `${place.section} ¶${place.index}`;
      if (place.index > 0) perParagraph.set(where, (perParagraph.get(where) ?? 0) + 1);
    }
    const stemZh = collapse(q.stem.zh);
    const givenAway =
      (q.type === 'numeric' && stemZh.includes(String(q.answer))) ||
      (q.type === 'text' && q.answer.some((a) => stemZh.includes(a))) ||
      (q.type === 'single' && stemZh.includes(q.options.find((o) => o.id === q.answer)?.text.zh ?? '\u0000'));
    if (givenAway) problems.push(`${q.id}: the stem gives the answer away`);
    if (q.type === 'truefalse' && !q.key) problems.push(`${q.id}: a true/false question needs a key`);
    const keys = keyTexts(q);
    const missing = q.type === 'text' ? (q.answer.some((a) => quote.includes(a)) ? [] : q.answer) : keys.filter((k) => !quote.includes(collapse(k)));
    if (missing.length) problems.push(`${q.id}: answer key not in its quote: ${missing.join(' | ')}`);
    for (const k of keys) for (const f of figuresIn(k)) if (quote.includes(f)) used.add(f);
  }

  const count = <T extends string>(names: readonly T[], of: (q: Question) => T[]) => {
    const m = new Map<string, number>(names.map((n) => [n, 0]));
    for (const q of questions) for (const n of of(q)) m.set(n, (m.get(n) ?? 0) + 1);
    return m;
  };
  const figures = articleFigures(articleMarkdown);
  const unusedFigures = figures.filter((f) => !used.has(f));
  if (unusedFigures.length) problems.push(`figures no question asks about: ${unusedFigures.join(' ')}`);
  for (const [where, n] of perParagraph) if (n < 2) problems.push(`${where} has ${n} question(s); every paragraph needs at least 2`);
  return {
    questions,
    problems,
    perParagraph,
    perType: count(QUESTION_TYPES, (q) => [q.type]),
    perTopic: count(TOPICS, (q) => q.topics),
    figures,
    unusedFigures,
  };
}
