/**
 * Quality checks of the question bank, shared by `npm run bank:check` and the tests: schema,
 * unique ids and stems, verbatim quotes and their English translations (no Chinese left in them
 * but bracketed names), answer keys found in their quotes, coverage of every
 * paragraph and every figure of the article, and the balance of answer positions and ids.
 */
import { isBankQuestion, question } from '../worker/questions/schema';
import type { RelationsFile } from '../worker/questions/relations';
import { articleFigures, collapse, parseArticle, type Paragraph } from './article';
import { BANK_QUESTION_TYPES, type Localized, type Question, TOPICS } from '../worker/contract';

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
  /** How answer positions and ids spread, one row per type, shape and pattern counted. */
  balance: BalanceFigure[];
}

const figuresIn = (s: string): string[] => collapse(s).match(/\d+月\d+日|\d+(?:\.\d+)?/g) ?? [];

/** CJK ideographs, CJK punctuation and full-width forms. */
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u{20000}-\u{3ffff}]/u;
const BRACKETED = /[(（][^()（）]*[)）]/g;

/**
 * The Chinese in an English translation outside brackets, or "" when there is none. Names may keep
 * their Chinese in brackets, e.g. "the 'Warm-hearted Bench Meetings' (暖心板凳会)"; anything else
 * in Chinese was left untranslated.
 */
export function strayChinese(english: string): string {
  // Innermost brackets first, until none are left.
  let text = english;
  let before: string;
  do {
    before = text;
    text = text.replace(BRACKETED, ' ');
  } while (text !== before);
  return text
    .split(/\s+/)
    .filter((word) => CJK.test(word))
    .join(' ');
}

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

/** How every true/false stem starts, so that a statement is never read as a question. */
export const TRUE_FALSE = { zh: '判断：', en: 'True or false: ' } as const;

/** Whether `figure` occurs in `text` as a number of its own, not as part of a longer one (2 in 2023). */
const standsAlone = (text: string, figure: string): boolean =>
  new RegExp(`(?<![\\d.])${figure.replaceAll('.', '\\.')}(?![\\d]|\\.\\d)`).test(text);

/** One entry of `db/bank/glossary.json`: a name or term of the article and the one English the bank gives it. */
export interface GlossaryEntry {
  zh: string;
  en: string;
}

/** Quotation marks, which the glossary comparison ignores on both sides ("“三北”工程" is 三北工程). */
const QUOTE_MARKS = /[“”‘’「」『』"']/g;
/** A Chinese text as the glossary compares it: whitespace and quotation marks removed. */
export const glossaryZh = (s: string): string => s.replace(/\s+/g, '').replace(QUOTE_MARKS, '');
/** An English text as the glossary compares it: quotation marks removed, whitespace collapsed, case folded. */
export const glossaryEn = (s: string): string => collapse(s.replace(QUOTE_MARKS, '')).toLowerCase();

/** A question's texts in both languages that the glossary rule pairs: stem, explanation, options, targets, quote. */
export function pairedTexts(q: Question): [where: string, text: Localized][] {
  const pairs: [string, Localized][] = [['stem', q.stem]];
  if (q.explanation) pairs.push(['explanation', q.explanation]);
  if ('options' in q) q.options.forEach((o) => pairs.push([`option ${o.id}`, o.text]));
  if (q.type === 'matching') q.targets.forEach((t) => pairs.push([`target ${t.id}`, t.text]));
  if ('section' in q.source) pairs.push(['quote', { zh: q.source.quote, en: q.source.quoteEn }]);
  return pairs;
}

/**
 * The glossary rule: one English name per Chinese name. Wherever a question's Chinese text (of a
 * pair in {@link pairedTexts}) contains an entry's `zh`, the English of the same pair contains the
 * entry's `en`, both compared as {@link glossaryZh} and {@link glossaryEn} do. The glossary itself
 * has unique, used entries, and it names every quoted name (“…” or 《…》, three characters or more)
 * of the article that two or more questions use.
 */
export function glossaryProblems(questions: Question[], glossary: GlossaryEntry[], articleMarkdown: string): string[] {
  const problems: string[] = [];
  const zhOf = (q: Question) => pairedTexts(q).map(([, t]) => glossaryZh(t.zh));
  const seen = new Set<string>();
  for (const entry of glossary) {
    const zh = glossaryZh(entry.zh);
    if (seen.has(zh)) problems.push(`glossary: ${entry.zh} is listed twice`);
    seen.add(zh);
    if (!glossaryEn(entry.en)) problems.push(`glossary: ${entry.zh} has no English`);
    if (!questions.some((q) => zhOf(q).some((t) => t.includes(zh))))
      problems.push(`glossary: no question uses ${entry.zh}`);
  }
  for (const q of questions)
    for (const [where, text] of pairedTexts(q)) {
      const zh = glossaryZh(text.zh);
      const en = glossaryEn(text.en);
      for (const entry of glossary)
        if (zh.includes(glossaryZh(entry.zh)) && !en.includes(glossaryEn(entry.en)))
          problems.push(`${q.id}: ${where}: ${entry.zh} is "${entry.en}" in English (glossary)`);
    }
  const names = new Set(
    [...articleMarkdown.matchAll(/“([^“”]{3,})”|(《[^》]+》)/g)].map((m) => glossaryZh(m[1] ?? m[2]!)),
  );
  for (const name of names) {
    const users = questions.filter((q) => zhOf(q).some((t) => t.includes(name))).length;
    if (users >= 2 && !seen.has(name))
      problems.push(`glossary: ${name} is used by ${users} questions but has no entry`);
  }
  return problems;
}

/**
 * Checks `db/bank/relations.json`: every id is a bank question's, no question is related to itself,
 * and each pair of questions is recorded once. A `gives` pair is directed (a's stem gives away b's
 * answer; both directions may be listed, each once); a `same` group is symmetric by its form, so a
 * pair already in a `same` group is not listed again, in either direction, as `gives`.
 */
export function relationProblems(ids: readonly string[], file: RelationsFile): string[] {
  const problems: string[] = [];
  const known = new Set(ids);
  const gives = new Set<string>();
  const same = new Map<string, string>();
  const unordered = (a: string, b: string) => [a, b].sort().join(' ~ ');
  const name = (group: readonly string[]) => group.join(', ');
  for (const group of [...file.gives, ...file.same])
    for (const id of group)
      if (!known.has(id)) problems.push(`relations: ${id} (in ${name(group)}) is no bank question`);
  for (const group of file.same) {
    if (group.length < 2) problems.push(`relations: a same group needs two questions or more: ${name(group)}`);
    group.forEach((a, i) =>
      group.slice(i + 1).forEach((b) => {
        const pair = unordered(a, b);
        if (a === b) problems.push(`relations: ${a} is the same as itself`);
        else if (same.has(pair)) problems.push(`relations: ${pair} are the same in two groups`);
        same.set(pair, name(group));
      }),
    );
  }
  for (const [a, b] of file.gives) {
    if (a === b) problems.push(`relations: ${a} gives itself away`);
    else if (gives.has(`${a} > ${b}`)) problems.push(`relations: ${a} gives ${b} twice`);
    else if (same.has(unordered(a, b)))
      problems.push(`relations: ${a} gives ${b}, but they are already the same (${same.get(unordered(a, b))})`);
    gives.add(`${a} > ${b}`);
  }
  return problems;
}

/**
 * Validates every raw bank entry and measures coverage; `problems` is empty when the bank is sound.
 * With a `glossary`, also applies {@link glossaryProblems}; with `relations`, {@link relationProblems}.
 */
export function checkBank(
  raw: unknown[],
  articleMarkdown: string,
  glossary?: GlossaryEntry[],
  relations?: RelationsFile,
): BankReport {
  const article = parseArticle(articleMarkdown);
  const body = collapse(articleMarkdown);
  const problems: string[] = [];
  const questions: Question[] = [];
  raw.forEach((entry, i) => {
    const parsed = question.safeParse(entry);
    if (parsed.success) questions.push(parsed.data);
    else {
      const id = (entry as { id?: unknown })?.id ?? `#${i}`;
      const source = (entry as { source?: { section?: unknown; quoteEn?: unknown } })?.source;
      // The schema only says "Invalid input" when neither kind of source fits.
      if (source?.section !== undefined && (typeof source.quoteEn !== 'string' || !source.quoteEn.trim()))
        problems.push(`${String(id)}: source.quoteEn: a bank quote needs its English translation`);
      for (const issue of parsed.error.issues)
        problems.push(`${String(id)}: ${issue.path.join('.')}: ${issue.message}`);
    }
  });

  const places: (Paragraph | { section: Paragraph['section']; index: 0; text: string })[] = [
    ...Object.entries(article.headings).map(([section, text]) => ({
      section: section as Paragraph['section'],
      index: 0 as const,
      text,
    })),
    ...article.paragraphs,
  ];
  const perParagraph = new Map<string, number>(
    places.filter((p) => p.index > 0).map((p) => [`${p.section} ¶${p.index}`, 0]),
  );
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
    const stray = strayChinese(q.source.quoteEn);
    if (stray) problems.push(`${q.id}: quoteEn has Chinese outside brackets: ${stray}`);
    const quote = collapse(q.source.quote);
    if (!body.includes(quote)) {
      problems.push(`${q.id}: quote is not verbatim in the article: ${quote}`);
      continue;
    }
    const place = places.find((p) => p.text.includes(quote));
    if (!place) problems.push(`${q.id}: quote spans more than one paragraph`);
    else {
      if (place.section !== q.source.section)
        problems.push(`${q.id}: quote is in section ${place.section}, not ${q.source.section}`);
      const where = `${place.section} ¶${place.index}`;
      if (place.index > 0) perParagraph.set(where, (perParagraph.get(where) ?? 0) + 1);
    }
    const stemZh = collapse(q.stem.zh);
    const givenAway =
      (q.type === 'numeric' && standsAlone(stemZh, String(q.answer))) ||
      (q.type === 'text' && q.answer.some((a) => stemZh.includes(a))) ||
      (q.type === 'single' && stemZh.includes(q.options.find((o) => o.id === q.answer)?.text.zh ?? '\u0000'));
    if (givenAway) problems.push(`${q.id}: the stem gives the answer away`);
    if (q.type === 'truefalse' && !q.key) problems.push(`${q.id}: a true/false question needs a key`);
    if (q.type === 'truefalse' && !(q.stem.zh.startsWith(TRUE_FALSE.zh) && q.stem.en.startsWith(TRUE_FALSE.en)))
      problems.push(`${q.id}: a true/false stem starts with "${TRUE_FALSE.zh}" and "${TRUE_FALSE.en}"`);
    if ((q.type === 'ordering' || q.type === 'matching') && q.difficulty !== 3)
      problems.push(`${q.id}: an ${q.type} question is difficulty 3 (see the README's rubric)`);
    const keys = keyTexts(q);
    const missing =
      q.type === 'text'
        ? q.answer.some((a) => quote.includes(a))
          ? []
          : q.answer
        : keys.filter((k) => !quote.includes(collapse(k)));
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
  for (const [where, n] of perParagraph)
    if (n < 2) problems.push(`${where} has ${n} question(s); every paragraph needs at least 2`);
  if (glossary) problems.push(...glossaryProblems(questions, glossary, articleMarkdown));
  if (relations)
    problems.push(
      ...relationProblems(
        questions.map((q) => q.id),
        relations,
      ),
    );
  const balance = answerBalance(questions);
  problems.push(...balance.problems);
  return {
    questions,
    problems,
    perParagraph,
    perType: count(BANK_QUESTION_TYPES, (q) => [q.type]),
    perTopic: count(TOPICS, (q) => q.topics),
    figures,
    unusedFigures,
    balance: balance.figures,
  };
}

/**
 * Limits on where answers sit. A student who skips the reading can still learn the author's
 * habits ("the answer is usually c", "a and c are always ticked", "three items go b, c, a"), and
 * option ids reach every browser even when the options are shuffled, so ids are counted as well
 * as shown positions. Each limit is the share of a group of comparable questions that one
 * pattern may cover: the hit rate of a student who bets on that pattern. They sit above what
 * placing this bank's options at random usually gives (a random bank passes about two times in
 * three; the rest hold a clump a student could bet on just as well) and below an author's habit.
 */
const BALANCE = {
  /** Single: no answer position or id is right in more than 40% of the questions (chance: 25% with 4 options)… */
  singleMost: 0.4,
  /** …and every position is right in at least 10% of the questions showing it: else it can be crossed out. */
  singleLeast: 0.1,
  /**
   * Multi: no position or id is in more than 80% of the answers ("always tick a")… Answers are dense
   * (57% of a multi question's options are right, on average, in this bank): at 70%, half the banks
   * with options placed at random would fail.
   */
  multiMost: 0.8,
  /** …and every position is in at least 20% of the answers of the questions showing it ("never tick b"). */
  multiLeast: 0.2,
  /** Multi: no exact answer set is the answer of more than a quarter of them. */
  multiSet: 0.25,
  /** Multi: no answer size covers more than 60% of them, so "tick exactly three" does not pay. */
  multiSize: 0.6,
  /**
   * Ordering: no answer order covers more than half the orderings of as many items (chance: 20%
   * with 3 items). Groups are small: nine 3-item orderings drawn at random hold four alike 4 times in 10.
   */
  ordering: 0.5,
  /** Matching: no set of pairs covers more than half the matchings of the same shape, for the same reason. */
  matching: 0.5,
  /**
   * Matching: no target position is the one left over in more than 75% of the matchings of a shape with
   * extra targets (authors append the distractor). Knowing the distractor helps less than knowing a pair.
   */
  leftover: 0.75,
} as const;

/** Two questions alike are a coincidence, not a pattern: an upper limit never falls below two questions. */
const COINCIDENCE = 2;

/** One row of the balance figures that `npm run bank:check` prints. */
export interface BalanceFigure {
  /** The questions compared, e.g. `ordering, 3 items`: orders of different lengths do not compare. */
  group: string;
  questions: number;
  /** What was counted, e.g. `answer position`. */
  counted: string;
  /** The counts by shown position (1 = first); for combinations, the most common ones. */
  byPosition: string;
  /** The most common pattern by option id, as browsers see the ids. */
  topById: string;
  /** The allowed shares, and the most questions one pattern may cover. */
  limit: string;
}

type View = 'position' | 'id';

/** Occurrences of each pattern in one group, seen by shown position (1-based) and by option id. */
interface Tally {
  group: string;
  questions: number;
  counted: string;
  byPosition: Map<string, number>;
  byId: Map<string, number> | null;
  /** A pattern in words for a problem message. */
  say: (pattern: string, view: View) => string;
  most: number;
  /** A lower limit per position, as a share of the questions showing that position. */
  least?: { share: number; shown: Map<string, number> };
  /** Patterns are single positions, listed in order, rather than combinations listed by frequency. */
  positional: boolean;
}

const countOf = (values: string[]) => {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
};
const pct = (share: number) => `${Math.round(share * 100)}%`;
const byKey = <T>(items: T[], key: (item: T) => string) => {
  const m = new Map<string, T[]>();
  for (const item of items) m.set(key(item), [...(m.get(key(item)) ?? []), item]);
  return [...m].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
};
/** How many questions show each position (1-based). */
const shownAt = (lengths: number[]) =>
  countOf(lengths.flatMap((n) => Array.from({ length: n }, (_, i) => String(i + 1))));
const topOf = (m: Map<string, number>) => [...m].sort(([pa, a], [pb, b]) => b - a || pa.localeCompare(pb));

/** What the balance counts: answer positions of single and multi questions, orders and pairs. */
function tallies(questions: Question[]): Tally[] {
  const out: Tally[] = [];
  const of = <T extends Question['type']>(type: T) =>
    questions.filter((q): q is Extract<Question, { type: T }> => q.type === type);
  const pos = (list: { id: string }[], id: string) => String(list.findIndex((o) => o.id === id) + 1);

  // Single and multi questions of every size are pooled: "bet on c" works across sizes.
  const single = of('single');
  if (single.length)
    out.push({
      group: 'single',
      questions: single.length,
      counted: 'answer position',
      byPosition: countOf(single.map((q) => pos(q.options, q.answer))),
      byId: countOf(single.map((q) => q.answer)),
      say: (p, view) => (view === 'position' ? `the answer at position ${p}` : `the answer "${p}"`),
      most: BALANCE.singleMost,
      least: { share: BALANCE.singleLeast, shown: shownAt(single.map((q) => q.options.length)) },
      positional: true,
    });

  const multi = of('multi');
  if (multi.length) {
    const set = (q: (typeof multi)[number], view: View) =>
      view === 'id'
        ? [...q.answer].sort().join(',')
        : q.answer
            .map((id) => Number(pos(q.options, id)))
            .sort((a, b) => a - b)
            .join(',');
    const common = { group: 'multi', questions: multi.length };
    out.push(
      {
        ...common,
        counted: 'option in the answer',
        byPosition: countOf(multi.flatMap((q) => q.answer.map((id) => pos(q.options, id)))),
        byId: countOf(multi.flatMap((q) => q.answer)),
        say: (p, view) => (view === 'position' ? `the option at position ${p}` : `option "${p}"`) + ' in the answer',
        most: BALANCE.multiMost,
        least: { share: BALANCE.multiLeast, shown: shownAt(multi.map((q) => q.options.length)) },
        positional: true,
      },
      {
        ...common,
        counted: 'answer set',
        byPosition: countOf(multi.map((q) => set(q, 'position'))),
        byId: countOf(multi.map((q) => set(q, 'id'))),
        say: (p, view) => (view === 'position' ? `the answer set at positions ${p}` : `the answer set ${p}`),
        most: BALANCE.multiSet,
        positional: false,
      },
      {
        ...common,
        counted: 'answer size',
        byPosition: countOf(multi.map((q) => String(q.answer.length))),
        byId: null,
        say: (p) => `an answer of ${p} options`,
        most: BALANCE.multiSize,
        positional: true,
      },
    );
  }

  for (const [k, group] of byKey(of('ordering'), (q) => String(q.options.length)))
    out.push({
      group: `ordering, ${k} items`,
      questions: group.length,
      counted: 'answer order',
      byPosition: countOf(group.map((q) => q.answer.map((id) => pos(q.options, id)).join(','))),
      byId: countOf(group.map((q) => q.answer.join(','))),
      say: (p, view) => (view === 'position' ? `the answer order ${p} (shown positions)` : `the answer order ${p}`),
      most: BALANCE.ordering,
      positional: false,
    });

  for (const [shape, group] of byKey(of('matching'), (q) => `${q.options.length} → ${q.targets.length}`)) {
    const common = { group: `matching, ${shape}`, questions: group.length };
    out.push({
      ...common,
      counted: 'pairs',
      byPosition: countOf(
        group.map((q) => q.options.map((o, i) => `${i + 1}→${pos(q.targets, q.answer[o.id] ?? '')}`).join(' ')),
      ),
      byId: countOf(group.map((q) => q.options.map((o) => `${o.id}→${q.answer[o.id] ?? ''}`).join(' '))),
      say: (p, view) => (view === 'position' ? `the pairs ${p} (shown positions)` : `the pairs ${p}`),
      most: BALANCE.matching,
      positional: false,
    });
    const leftOver = group.map((q) => q.targets.filter((t) => !Object.values(q.answer).includes(t.id)));
    if (leftOver.some((l) => l.length))
      out.push({
        ...common,
        counted: 'left-over target',
        byPosition: countOf(group.flatMap((q, i) => leftOver[i]!.map((t) => pos(q.targets, t.id)))),
        byId: countOf(leftOver.flat().map((t) => t.id)),
        say: (p, view) => (view === 'position' ? `the target at position ${p}` : `target "${p}"`) + ' left over',
        most: BALANCE.leftover,
        positional: true,
      });
  }
  return out;
}

/**
 * Checks that answers do not sit where an author's habit puts them: per type and shape, no answer
 * position, id, set, order or set of pairs is much more common than chance (see {@link BALANCE}),
 * and no ordering or matching is solved by sorting its ids or by taking items in the order shown.
 */
export function answerBalance(questions: Question[]): { problems: string[]; figures: BalanceFigure[] } {
  const problems: string[] = [];
  const figures: BalanceFigure[] = [];
  for (const t of tallies(questions)) {
    const upper = Math.max(COINCIDENCE, t.most * t.questions);
    const views: [View, Map<string, number> | null][] = [
      ['position', t.byPosition],
      ['id', t.byId],
    ];
    for (const [view, counts] of views)
      for (const [pattern, k] of topOf(counts ?? new Map()))
        if (k > upper)
          problems.push(
            `answer balance, ${t.group}: ${t.say(pattern, view)} in ${k} of ${t.questions} questions ` +
              `(${pct(k / t.questions)}; at most ${pct(t.most)})`,
          );
    for (const [p, n] of t.least?.shown ?? []) {
      const k = t.byPosition.get(p) ?? 0;
      if (t.least && k < Math.floor(t.least.share * n))
        problems.push(
          `answer balance, ${t.group}: ${t.say(p, 'position')} in only ${k} of the ${n} questions showing it ` +
            `(${pct(k / n)}; at least ${pct(t.least.share)})`,
        );
    }
    const listed = t.positional
      ? [...t.byPosition].sort(([a], [b]) => Number(a) - Number(b))
      : topOf(t.byPosition).slice(0, 3);
    const more = t.positional || t.byPosition.size <= 3 ? '' : ` (${t.byPosition.size} different)`;
    const [top] = topOf(t.byId ?? new Map());
    figures.push({
      group: t.group,
      questions: t.questions,
      counted: t.counted,
      byPosition: listed.map(([p, k]) => `${p}: ${k}`).join(' · ') + more,
      topById: top ? `${top[0]}: ${top[1]} (${pct(top[1] / t.questions)})` : '—',
      limit:
        (t.least ? `≥ ${pct(t.least.share)}, ` : '') +
        (upper > t.most * t.questions
          ? `≤ ${COINCIDENCE} (two alike always pass)`
          : `≤ ${Math.floor(upper)} (${pct(t.most)})`),
    });
  }

  for (const q of questions) {
    if (q.type === 'ordering' && q.answer.join() === [...q.answer].sort().join())
      problems.push(`${q.id}: the answer order is the ids' alphabetical order, so sorting the ids solves it`);
    if (q.type === 'matching') {
      const left = q.options.map((o) => o.id);
      const right = q.targets.map((t) => t.id);
      const inOrder = (l: string[], r: string[]) =>
        Object.entries(q.answer).every(([a, b]) => l.indexOf(a) === r.indexOf(b));
      if (inOrder(left, right)) problems.push(`${q.id}: each item pairs with the target shown at its position`);
      if (inOrder([...left].sort(), [...right].sort()))
        problems.push(`${q.id}: items and targets pair in the alphabetical order of their ids`);
    }
  }
  return { problems, figures };
}
