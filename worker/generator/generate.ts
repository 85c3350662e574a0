/**
 * The draft generator: a teacher's text (Markdown or plain, Chinese or English) in, draft
 * questions out, each tied to the sentence it came from. Five kinds:
 *
 * - figure cloze: a sentence with a number, date, amount or percentage; the figure is blanked and
 *   the options are it and three figures of the same unit (from the text, else scaled variants),
 *   all written alike ("2.9万多件", "5.8万多件", …);
 * - term cloze: a name in “…” or 《…》 blanked; distractors are other names of the same kind;
 * - true/false: a sentence as written, or with one figure or name swapped for a sibling;
 * - matching: pairs the sentence states (place ↔ practice, person ↔ role, item ↔ figure);
 * - ordering: events the text dates with years, into chronological order (three or more years).
 *
 * Pure and deterministic: no clock, no randomness except seeded by the text, no I/O, so the same
 * text gives the same drafts in the Worker and on the command line. The work is linear in the
 * text apart from sibling ranking over the text's figures and terms (a few hundred at 50 000
 * characters), which keeps a full-size input in the tens of milliseconds.
 *
 * A draft is in the language of its sentence only: the generator cannot translate, so both
 * fields of every text carry the same words (a Chinese draft's `en` is its Chinese, never "Fill in
 * the blank:" and the Chinese). A teacher may add a translation in review; a session in English
 * leaves out the questions that have none (see worker/questions/language.ts).
 *
 * Drafts of one sentence never answer each other (a cloze's stem shows the sentence's other
 * figures, a statement all but one): one draft per sentence, more only from windows of a very
 * long one. True/false statements are false half the time, a figure or name swapped for a
 * sibling from the same text.
 */
import { extractFigures, figureDistractors, mentionsNumber, unitClass, type Figure } from './figures';
import { parseDocument, type DocParagraph, type DocSection, type DocSentence } from './split';
import { extractTerms, termDistractors, termKind, type Term } from './terms';
import { documentTopics, guessTopics } from './topics';
import { balancedBrackets, BRACKETS, clip, countOf, hash53, hasHan, seededShuffle } from './util';
import { type Draft, DRAFT_KINDS, type DraftKind, type Localized, MAX_GENERATE_CHARS, type Topic } from '../contract';

/** Longest input read; the rest is ignored (the issue's limit, and a bound on CPU time). */

/** The blank of a cloze stem. */
export const BLANK = '____';

/** Instruction prefixes of stems, by language, so checks can find the sentence behind them. */
export const STEM_PREFIXES = {
  clozeEn: 'Fill in the blank: ',
  clozeZh: '填空：',
  tfZh: '判断：',
  tfEn: 'True or false: ',
} as const;

/** Options of {@link generateDrafts}. */
export interface GenerateOptions {
  /** The kinds to make; all by default. */
  kinds?: readonly DraftKind[];
  /** Stop after this many drafts (in text order). */
  maxDrafts?: number;
}

/** A sentence with what the generator needs to know about its place and content. */
interface Unit {
  section: DocSection;
  paragraph: DocParagraph;
  sentence: DocSentence;
  /** The sentence before, in the same paragraph. */
  prev?: DocSentence;
  figures: Figure[];
  terms: Term[];
  /** The text's title: its first heading. */
  title: string;
  /** What the whole text is about, most likely first (see {@link documentTopics}). */
  docTopics: readonly Topic[];
}

/**
 * Sentences longer than this are quoted by a window of clauses around the blank, of about
 * `window` characters (English spends more characters on the same content than Chinese).
 */
const LENGTHS = { zh: { long: 150, window: 110 }, en: { long: 260, window: 180 } } as const;
const OPTION_IDS = ['a', 'b', 'c', 'd', 'e', 'f'];
const TARGET_IDS = ['x', 'y', 'z', 'w', 'v', 'u', 't', 's'];

/**
 * Generates draft questions from a text. Drafts come in text order (section, paragraph,
 * sentence; for each sentence figure clozes, term clozes, then its true/false; matchings after
 * their sentence; orderings last), with ids `gen-<hash of the content>` that are stable for the
 * same text. Identical drafts (a repeated sentence) are given once.
 */
export function generateDrafts(text: string, options: GenerateOptions = {}): Draft[] {
  const kinds = new Set<DraftKind>(options.kinds ?? DRAFT_KINDS);
  const doc = parseDocument(text.length > MAX_GENERATE_CHARS ? text.slice(0, MAX_GENERATE_CHARS) : text);
  const units: Unit[] = [];
  const docTopics = documentTopics(doc);
  for (const section of doc.sections)
    for (const paragraph of section.paragraphs)
      paragraph.sentences.forEach((sentence, i) =>
        units.push({
          section,
          paragraph,
          sentence,
          prev: paragraph.sentences[i - 1],
          figures: extractFigures(sentence.text),
          terms: extractTerms(sentence.text),
          docTopics,
          title: doc.sections[0]?.heading ?? '',
        }),
      );
  const figurePool = units.flatMap((u) => u.figures);
  const termPool = units.flatMap((u) => u.terms);

  const drafts: Draft[] = [];
  const push = (d: Draft | null) => {
    if (d && kinds.has(d.kind)) drafts.push(d);
  };
  // Matchings are made from whole sentences; the facts they pair are not asked again by clause.
  const matched = new Map<string, { drafts: Draft[]; facts: Set<string> }>();
  const tally = { true: 0, false: 0 };
  for (const u of units) {
    const whole = u.sentence.parent ?? u.sentence.text;
    const key = `${u.section.index}/${u.paragraph.index}/${whole}`;
    let m = matched.get(key);
    const first = !m;
    if (!m) {
      const found = kinds.has('matching') ? matchings(u, whole, figurePool, termPool) : [];
      const facts = new Set<string>();
      for (const d of found) if (d.type === 'matching') for (const o of d.targets) facts.add(o.text.zh);
      m = { drafts: found, facts };
      matched.set(key, m);
    }
    for (const d of sentenceDrafts(u, figurePool, termPool, m.facts, tally, kinds)) push(d);
    if (first) for (const d of m.drafts) push(d);
  }
  for (const d of orderings(units)) push(d);

  const seen = new Set<string>();
  const out: Draft[] = [];
  for (const d of drafts) {
    const id = `gen-${hash53(`${d.kind}\u0001${d.source.quote}\u0001${identity(d)}`).toString(36)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    d.id = id; // drafts are fresh objects, made above
    out.push(d);
    if (options.maxDrafts !== undefined && out.length >= options.maxDrafts) break;
  }
  return out;
}

/**
 * What tells apart two drafts of one kind on one quote: the blanked text, the statement's truth
 * and key, the items. (The id hashes this with kind and quote; hashing whole stems and
 * explanations cost more than all the rest of an id.)
 */
function identity(d: Draft): string {
  switch (d.type) {
    case 'single':
      return d.key?.[0] ?? '';
    case 'truefalse':
      return `${d.answer}\u0001${d.key?.[0] ?? ''}\u0001${d.stem.zh.length}`;
    default:
      return d.options.map((o) => o.text.zh).join('\u0001');
  }
}

// ---------------------------------------------------------------------------------------------
// Quoting: windows of long sentences, stems that end like sentences, explanations with context.

interface Excerpt {
  /** Verbatim part of the sentence that is quoted. */
  quote: string;
  /** Offset of `quote` in the sentence. */
  offset: number;
  cutLeft: boolean;
  cutRight: boolean;
}

/**
 * The part of a sentence to quote for a blank at [start, end): the whole sentence when it is
 * short, else whole clauses around the blank (cut only at a comma, semicolon or colon outside
 * brackets) up to about {@link LENGTHS}' window, or, for a clause longer than that, a plain
 * window of characters.
 */
function excerpt(text: string, start: number, end: number): Excerpt {
  const { long, window: WINDOW } = LENGTHS[hasHan(text) ? 'zh' : 'en'];
  if (text.length <= long) {
    // "其中，城镇居民…" read alone: 其中 (of which) points at a sentence the stem does not show.
    const lead = /^(其中|同时|此外|另外)[，,]\s*/.exec(text)?.[0] ?? '';
    if (lead && start >= lead.length && text.length - lead.length >= 8)
      return { quote: text.slice(lead.length), offset: lead.length, cutLeft: false, cutRight: false };
    return { quote: text, offset: 0, cutLeft: false, cutRight: false };
  }
  const bounds = clauseBounds(text);
  let ai = 0;
  while (ai + 1 < bounds.length && bounds[ai + 1]! <= start) ai++;
  let bi = bounds.length - 1;
  while (bi - 1 >= 0 && bounds[bi - 1]! >= end) bi--;
  let a = bounds[ai]!;
  let b = bounds[bi]!;
  if (b - a > WINDOW * 1.6) {
    // A clause too long to quote whole: a plain window, not cutting a number or word in two.
    const wordish = (i: number) => /[0-9０-９.,A-Za-z]/.test(text.charAt(i));
    a = Math.max(0, start - 40);
    b = Math.min(text.length, end + 40);
    while (a > 0 && a < start && wordish(a - 1) && wordish(a)) a++;
    while (b < text.length && b > end && wordish(b - 1) && wordish(b)) b--;
  } else {
    for (let grew = true; grew; ) {
      grew = false;
      if (bi + 1 < bounds.length && bounds[bi + 1]! - a <= WINDOW) ((b = bounds[++bi]!), (grew = true));
      if (ai > 0 && b - bounds[ai - 1]! <= WINDOW) ((a = bounds[--ai]!), (grew = true));
    }
  }
  const raw = text.slice(a, b);
  const lead = raw.length - raw.trimStart().length;
  return { quote: raw.trim(), offset: a + lead, cutLeft: a > 0, cutRight: b < text.length };
}

const boundsCache = new Map<string, number[]>();

/** Offsets where a clause may start: 0, after each comma, semicolon or colon outside brackets, and the end. */
function clauseBounds(text: string): number[] {
  let bounds = boundsCache.get(text);
  if (bounds) return bounds;
  bounds = [0];
  const stack: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c in BRACKETS) stack.push(BRACKETS[c]!);
    else if (stack.length && c === stack[stack.length - 1]) stack.pop();
    else if (!stack.length && CLAUSE_END.has(c) && !(c === ',' && /\d/.test(text.charAt(i + 1)))) bounds.push(i + 1); // not 3,258
  }
  bounds.push(text.length);
  if (boundsCache.size > 2000) boundsCache.clear(); // bounded: the Worker isolate lives on
  boundsCache.set(text, bounds);
  return bounds;
}
const CLAUSE_END = new Set([...'，,；;：:。！？!?']);

/** How a sentence ends: a full stop, question or exclamation mark, possibly inside closing quotes or brackets. */
export const SENTENCE_END = /[。！？!?.…][”’"」』）)]*$/;

/** Ends a stem like a sentence: "……" ("…" in English) where the quote was cut, 。 or . in place of a ； or ，. */
function finish(body: string, ex: Excerpt, zh: boolean): string {
  const core = body.replace(/[，,；;：:、\s]+$/, '');
  const ellipsis = zh ? '……' : '…';
  const head = ex.cutLeft ? ellipsis : '';
  if (ex.cutRight) return `${head}${core}${ellipsis}`;
  // A closing quote or bracket ends a sentence only after a full stop inside it (…做法。” but not …“亲子趣味赛”).
  return `${head}${SENTENCE_END.test(core) ? core : core + (zh ? '。' : '.')}`;
}

/**
 * Context that helps a student or teacher read a quote, in both languages: where a clause's
 * sentence begins ("2023年以来" for a clause after a ；), or the sentence before one that starts
 * with "this", "其中" and the like. Null when the quote stands on its own.
 */
function context(u: Unit): { zh: string; en: string } | null {
  const parent = u.sentence.parent;
  if (parent && !parent.startsWith(u.sentence.text)) {
    const lead = /^[^，,]{2,20}[，,]/.exec(parent)?.[0]?.slice(0, -1);
    if (lead) return { zh: `同句开头：${lead}`, en: `the sentence begins: ${lead}` };
  }
  const t = u.sentence.text;
  if (
    u.prev &&
    (/^(这|此|该|其|他|她|它|同时|此外|另外|其中|上述|对此|为此|因此)/.test(t) ||
      /^(This|These|That|It|They|He|She|Its|Their|Such)\b/.test(t))
  ) {
    const prev = clip(u.prev.text, 120);
    return { zh: `上文：${prev}`, en: `the sentence before: ${prev}` };
  }
  return null;
}

/**
 * A text in one language, both fields alike: the generator does not translate (an `en` that
 * repeated the Chinese after "Fill in the blank:" read as English and was none).
 */
const same = (text: string): Localized => ({ zh: text, en: text });

/** The explanation, in the sentence's language: the verdict, the whole sentence (or its window when very long), and context. */
function explanation(u: Unit, quote: string, lead: string): Localized {
  const extra = context(u);
  const source = u.sentence.text.length <= 300 ? u.sentence.text : quote;
  return same(
    u.sentence.lang === 'zh'
      ? clip(`${lead}原文：${source}${extra ? `（${extra.zh}）` : ''}`, 600)
      : clip(`${lead}From the text: ${source}${extra ? ` (${extra.en})` : ''}`, 600),
  );
}

const clamp = (x: number) => Math.round(Math.min(1, Math.max(0.05, x)) * 100) / 100;

function options(items: string[]): { id: string; text: Localized }[] {
  return items.map((t, i) => ({ id: OPTION_IDS[i]!, text: { zh: t, en: t } }));
}

function single(
  u: Unit,
  kind: 'figure-cloze' | 'term-cloze',
  ex: Excerpt,
  body: string,
  answer: string,
  distractors: string[],
  confidence: number,
  dated: boolean,
): Draft {
  const zh = u.sentence.lang === 'zh';
  const shuffled = seededShuffle([answer, ...distractors], `${ex.quote}\u0001${answer}`);
  const opts = options(shuffled);
  return {
    id: 'gen-pending',
    kind,
    type: 'single',
    stem: same(clip(finish(body, ex, zh), 560)),
    options: opts,
    answer: opts[shuffled.indexOf(answer)]!.id,
    explanation: explanation(u, ex.quote, zh ? `答案：${answer}。` : `Answer: ${answer}. `),
    source: { heading: u.section.heading, quote: ex.quote, paragraph: u.paragraph.index },
    topics: guessTopics(u.section.heading, u.sentence.text, dated, u.docTopics),
    difficulty: 2,
    key: [answer],
    confidence: clamp(confidence),
  };
}

/** Penalties shared by every sentence-based draft: long sentences read worse, cut ones worse still. */
const lengthPenalty = (u: Unit, ex: Excerpt) =>
  (u.sentence.text.length > 120 ? 0.1 : 0) + (ex.cutLeft || ex.cutRight ? 0.1 : 0);

/** Enough words besides the blank for the stem to read as a sentence: four letters, digits or Han characters. */
function readable(body: string): boolean {
  let n = 0;
  for (let i = 0; i < body.length && n < 4; i++) {
    const c = body.charCodeAt(i);
    if (
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x3400 && c <= 0x9fff) ||
      (c >= 0xff10 && c <= 0xff19)
    )
      n++;
  }
  return n >= 4;
}

// ---------------------------------------------------------------------------------------------
// Kinds.

/**
 * A figure cloze: the figure blanked in its sentence (or window), four options of its unit and
 * format. None when the figure occurs twice, the stem would show its number elsewhere, too
 * little is left to read, or fewer than two distractors can be found.
 */
function figureCloze(u: Unit, f: Figure, pool: readonly Figure[]): Draft | null {
  const s = u.sentence.text;
  if (countOf(s, f.text) !== 1) return null; // a figure shown twice would answer itself
  const ex = excerpt(s, f.start, f.end);
  const at = f.start - ex.offset;
  const body = ex.quote.slice(0, at) + BLANK + ex.quote.slice(at + f.text.length);
  if (!readable(body) || mentionsNumber(body, f)) return null; // "31.09 for ____" gives 31.09万人 away
  // A figure the heading shows ("关于做好2026年春季学期…的通知") asks nothing.
  if (u.section.heading.includes(f.text) || u.title.includes(f.text)) return null;
  const limit = contextLimit(s.slice(0, f.start), f);
  const picked = figureDistractors(f, pool, (t) => body.includes(t) || overLimit(t, limit));
  if (picked.length < 2) return null;
  // A change ("比上年增加0.8万亩") tells less than the level it changes; a growth rate is the
  // release's point and stays.
  const change =
    f.kind === 'count' && /(增加|减少|提高|降低|增长|下降|缩小|扩大|多出|少了)了?$/.test(s.slice(0, f.start));
  const synthesised = picked.filter((p) => p.synthesised).length;
  const confidence =
    0.9 -
    0.1 * synthesised -
    lengthPenalty(u, ex) -
    (f.kind === 'count' && !f.unit ? 0.1 : 0) -
    (picked.length < 3 ? 0.1 : 0) -
    (change ? 0.1 : 0) -
    // "2023年以来，…" frames the sentence; the figures after it are what it reports.
    (f.kind === 'year' && /^(年)?(以来|起|至今|以后|后)/.test(s.slice(f.end)) ? 0.15 : 0);
  return single(
    u,
    'figure-cloze',
    ex,
    body,
    f.text,
    picked.map((p) => p.text),
    confidence,
    f.kind === 'year' || f.kind === 'date',
  );
}

/**
 * The most a figure can be where the sentence says what it is out of: "每周开展5天" (a week has
 * 7 days), "每天不少于2小时" (24 hours), "每月" (31 days), "每年" (12 months). Infinity otherwise.
 */
function contextLimit(before: string, f: Figure): number {
  const per = /每(周|天|日|月|年)[^，,。；;]{0,8}$/.exec(before)?.[1];
  if (!per || f.kind !== 'count') return Infinity;
  const limits: Record<string, Record<string, number>> = {
    周: { 天: 7, 次: Infinity },
    天: { 小时: 24, 分钟: 1440 },
    日: { 小时: 24, 分钟: 1440 },
    月: { 天: 31, 周: 5 },
    年: { 个月: 12, 月: 12, 天: 366, 周: 53 },
  };
  return limits[per]?.[f.unit] ?? Infinity;
}

/** True when a rendered figure's number exceeds `limit`. */
function overLimit(text: string, limit: number): boolean {
  if (limit === Infinity) return false;
  const n = Number(/\d+(?:\.\d+)?/.exec(text.normalize('NFKC').replace(/,/g, ''))?.[0]);
  return Number.isFinite(n) && n > limit;
}

/** Distractors for a term; a 《title》 only takes titles of its own kind (no novel among regulations). */
function termChoice(t: Term, pool: readonly Term[], avoid: (x: string) => boolean) {
  // A distractor must look like the answer: a saying with a comma ("水旱从人，不知饥馑") among
  // four-character names, or a name twice as long, is picked out by its shape.
  // Titles of works vary more in length than names of programmes ("骑兵", "马背上的学校").
  const spread = t.family === 'title' ? 3 : 1.8;
  const shape = (x: string) =>
    /[，,、]/.test(x) === /[，,、]/.test(t.text) &&
    Math.max(x.length, t.text.length) <= spread * Math.min(x.length, t.text.length);
  const choice = termDistractors(t, pool, (x) => avoid(x) || !shape(x));
  if (t.family !== 'title' || choice.certain) return choice;
  const strict = termDistractors(t, pool, (x) => avoid(x) || !shape(x), 3, true);
  return { texts: strict.texts, certain: true };
}

/** A term cloze: the inside of “…” or 《…》 blanked; none without two siblings of its family. */
function termCloze(u: Unit, t: Term, pool: readonly Term[]): Draft | null {
  const s = u.sentence.text;
  if (countOf(s, t.text) !== 1) return null;
  const ex = excerpt(s, t.start - 1, t.end + 1);
  const at = t.start - ex.offset;
  const body = ex.quote.slice(0, at) + BLANK + ex.quote.slice(at + t.text.length);
  if (!readable(body)) return null;
  const choice = termChoice(t, pool, (x) => body.includes(x));
  // Two distractors of a guessed kind ("天府之国" among ways of dividing a river) make a guess,
  // not a question.
  if (choice.texts.length < 2 || (!choice.certain && choice.texts.length < 3)) return null;
  const confidence = 0.85 - (choice.certain ? 0 : 0.2) - (choice.texts.length < 3 ? 0.1 : 0) - lengthPenalty(u, ex);
  return single(u, 'term-cloze', ex, body, t.text, choice.texts, confidence, false);
}

/** A fact of a sentence a true/false statement may be about, with the sibling to swap in. */
interface Swap {
  start: number;
  original: string;
  swap: string;
  /** The sibling was made up (a figure not in the text) or its kind is a guess. */
  penalty: number;
  dated: boolean;
}

/**
 * The facts of a sentence that a statement could be about: each figure or term that occurs once
 * and has a sibling to swap in (a true statement about a lone quoted phrase asks nothing).
 */
function swaps(u: Unit, figurePool: readonly Figure[], termPool: readonly Term[]): Swap[] {
  const s = u.sentence.text;
  const out: Swap[] = [];
  for (const f of u.figures) {
    if (countOf(s, f.text) !== 1 || u.section.heading.includes(f.text) || u.title.includes(f.text)) continue;
    const quote = excerpt(s, f.start, f.end).quote;
    const d = figureDistractors(f, figurePool, (x) => quote.includes(x), 1)[0];
    if (d)
      out.push({
        start: f.start,
        original: f.text,
        swap: d.text,
        penalty: d.synthesised ? 0.1 : 0,
        dated: f.kind === 'year' || f.kind === 'date',
      });
  }
  for (const t of u.terms) {
    if (countOf(s, t.text) !== 1) continue;
    const quote = excerpt(s, t.start, t.end).quote;
    const c = termChoice(t, termPool, (x) => quote.includes(x));
    // Only a sibling of the same kind: "成为“鱼嘴分水”的“天府之国”" is false at a glance.
    const first = c.texts[0];
    if (first && (c.certain || (t.kind !== '' && termKind(first, t.family) === t.kind)))
      out.push({ start: t.start, original: t.text, swap: first, penalty: 0, dated: false });
  }
  return out;
}

/**
 * A true/false statement about one fact of a sentence: the sentence as written (true) or with
 * the fact swapped for its sibling (false).
 */
function trueFalse(u: Unit, c: Swap, truth: boolean): Draft | null {
  const s = u.sentence.text;
  const zh = u.sentence.lang === 'zh';
  const { start, original, swap, dated } = c;
  const ex = excerpt(s, start, start + original.length);
  const at = start - ex.offset;
  const penalty = truth ? 0 : c.penalty;
  const statement = truth ? ex.quote : ex.quote.slice(0, at) + swap + ex.quote.slice(at + original.length);
  if (!readable(statement.replace(original, ''))) return null;
  const verdict = zh
    ? truth
      ? '正确。'
      : `错误。原文是“${original}”，不是“${swap}”。`
    : truth
      ? 'True. '
      : `False: the text says "${original}", not "${swap}". `;
  return {
    id: 'gen-pending',
    kind: 'truefalse',
    type: 'truefalse',
    stem: same(clip((zh ? STEM_PREFIXES.tfZh : STEM_PREFIXES.tfEn) + finish(statement, ex, zh), 600)),
    answer: truth,
    key: [original],
    explanation: explanation(u, ex.quote, verdict),
    source: { heading: u.section.heading, quote: ex.quote, paragraph: u.paragraph.index },
    topics: guessTopics(u.section.heading, s, dated, u.docTopics),
    difficulty: 1,
    confidence: clamp(0.8 - penalty - lengthPenalty(u, ex)),
  };
}

/**
 * The drafts of one sentence: its best cloze or a true/false (about a third of sentences, chosen
 * by a hash of the sentence), never one that shows another's answer or the answer of a matching
 * of the sentence. Statements come in pairs, one true and one false, in an order a hash
 * of the sentence decides: half are false, and no fixed rhythm tells which.
 */
function sentenceDrafts(
  u: Unit,
  figurePool: readonly Figure[],
  termPool: readonly Term[],
  taken: ReadonlySet<string>,
  tally: { true: number; false: number },
  kinds: ReadonlySet<DraftKind>,
): Draft[] {
  const s = u.sentence.text;
  const clozes: Draft[] = [];
  for (const f of u.figures)
    if (!taken.has(f.text) && kinds.has('figure-cloze')) {
      const d = figureCloze(u, f, figurePool);
      if (d) clozes.push(d);
    }
  // One term cloze per sentence: “作业辅导”“兴趣社团”“体育锻炼” blanked in turn ask the same list.
  for (const t of u.terms)
    if (!taken.has(t.text) && kinds.has('term-cloze') && !clozes.some((d) => d.kind === 'term-cloze')) {
      const d = termCloze(u, t, termPool);
      if (d) clozes.push(d);
    }
  const statements = kinds.has('truefalse') ? swaps(u, figurePool, termPool).filter((c) => !taken.has(c.original)) : [];
  const seed = hash53(s, 7);
  const shows = (d: Draft, x: string) => d.stem.zh.includes(x);
  // A draft whose stem shows the answer of a matching of its sentence would answer it.
  const free = (d: Draft) => ![...taken].some((x) => shows(d, x));
  const ranked = clozes.filter(free).sort((a, b) => b.confidence - a.confidence);
  let statement: Draft | null = null;
  if (statements.length) {
    // The statement's fact: one whose sibling comes from the text, then the least trusted
    // cloze's fact (the best clozes stay clozes).
    const conf = (x: string) => clozes.find((d) => d.key![0] === x)?.confidence ?? -1;
    const tf = [...statements].sort(
      (a, b) => a.penalty - b.penalty || conf(a.original) - conf(b.original) || a.start - b.start,
    )[0]!;
    let truth = Math.floor(seed / 8) % 2 === 0;
    if (tally.true > tally.false) truth = false;
    else if (tally.false > tally.true) truth = true;
    statement = trueFalse(u, tf, truth);
    if (statement && !free(statement)) statement = null;
  }
  const order =
    statement && (seed % 3 === 0 || !ranked.length)
      ? [statement, ...ranked]
      : [...ranked, ...(statement ? [statement] : [])];
  // Drafts of one sentence must not answer each other: a cloze's stem shows every other figure of
  // its sentence, a statement all but the one it swaps. So a sentence of ordinary length gives one
  // draft; a very long one, quoted by windows, one per window that shows no other's answer.
  const accepted: Draft[] = [];
  for (const d of order) {
    if (accepted.length >= Math.max(1, Math.floor(s.length / 60))) break;
    if (accepted.some((a) => shows(a, d.key![0]!) || shows(d, a.key![0]!))) continue;
    accepted.push(d);
  }
  if (statement && accepted.includes(statement)) tally[statement.answer ? 'true' : 'false']++;
  // In text order: clozes as their facts come, the statement last.
  return [
    ...clozes.filter((d) => accepted.includes(d)),
    ...(statement && accepted.includes(statement) ? [statement] : []),
  ];
}

// ---------------------------------------------------------------------------------------------
// Matching: pairs a sentence states.

interface Pair {
  left: string;
  right: string;
}

const PLACE_SUFFIX = /(市|盟|旗|县|区|省|州|镇|乡|村|嘎查|苏木|街道|社区)$/;
const LEADING_VERBS =
  /^(涌现出了?|出现了?|推出了?|打造了?|形成了?|包括|例如|比如|以及|探索|推广|学习|借鉴|如|有|在|及|和|与|像)/;

/** Place ↔ practice: "鄂尔多斯市“暖心板凳会”、赤峰市“晨巡晚议”…". */
function placePairs(s: string, terms: readonly Term[]): Pair[] {
  const out: Pair[] = [];
  for (const t of terms) {
    if (t.family !== 'quoted') continue;
    let a = t.start - 1;
    while (a > 0 && /[\u4e00-\u9fff]/.test(s.charAt(a - 1))) a--;
    const place = s.slice(a, t.start - 1).replace(LEADING_VERBS, '');
    if (place.length >= 2 && place.length <= 8 && PLACE_SUFFIX.test(place)) out.push({ left: place, right: t.text });
  }
  return out;
}

const TITLES =
  '副主任|主任|副教授|教授|守边员|主持人|讲解员|书记|副校长|校长|班主任|老师|教师|院士|医生|局长|县长|市长|部长|主席|队长|村长|记者|作家|研究员|工程师|董事长|经理|站长|所长|院长|馆长|厂长|社长|主编|教练|运动员|志愿者|班长|组长';

const PERSON = new RegExp(`(${TITLES})([\\u4e00-\\u9fff·]{2,4}?)(?=[、，。；和及与等]|$)`, 'g');
const PERSON_HINT = new RegExp(TITLES);

/** Person ↔ role: "…守边员尼玛、…主任齐晓景、…教授何生海等". */
function personPairs(s: string): Pair[] {
  const out: Pair[] = [];
  if (!PERSON_HINT.test(s)) return out;
  for (const m of s.matchAll(PERSON))
    if (!/^[们的了在是都也将把被]/.test(m[2]!)) out.push({ left: m[2]!, right: m[1]! }); // not "老师们都…"
  return out;
}

const FIGURE_VERBS =
  /^(?:共|累计|共计|全年|今年|当天)?(准备|提供|投入|更新|接待|新建改扩建|启动实施|组织开展|深入开展|建设命名|动态调整|累计|共计|新建|新增|建成|建设|建立|实施|完成|推出|打造|开展|创建|组织|举办|出版|安排|改造|签订|覆盖|吸引|代办|推送|培训|发放|种植|修建|接待|招收|举行|参加|获得|有)/;

/** Item ↔ figure, from list clauses that end in a figure: "建成养老机构692个、居家社区养老服务设施1685个". */
function figurePairs(s: string, figures: readonly Figure[]): Pair[] {
  const out: Pair[] = [];
  const classes: string[] = [];
  const clauses = [...s.matchAll(/(?:[^，,；;。！？!?：:]|,(?=\d))+/g)];
  for (const c of clauses) {
    let from = c.index;
    for (const piece of c[0].matchAll(/[^、]+/g)) {
      const end = c.index + piece.index + piece[0].trimEnd().length;
      const f = figures.find((x) => x.end === end && x.start >= from);
      if (!f) continue;
      const left = s
        .slice(from, f.start)
        .trim()
        .replace(/^、/, '')
        .replace(/^其中/, '')
        .replace(/(约为|为|是|达到|达)$/, '');
      const stripped = left.replace(FIGURE_VERBS, '');
      const item = stripped.length >= 2 ? stripped : left;
      if (
        item.length >= 2 &&
        item.length <= 24 &&
        hasHan(item) &&
        !/\d/.test(item) &&
        !/^[、\s]/.test(item) &&
        !MEANINGLESS_ITEM.test(item)
      ) {
        out.push({ left: item, right: f.text });
        classes.push(unitClass(f));
      }
      from = end + 1;
    }
  }
  // One unit only: items paired with 15.9万吨, 2.4% and 412公斤 match themselves by their units.
  const count = new Map<string, number>();
  for (const c of classes) count.set(c, (count.get(c) ?? 0) + 1);
  const top = [...count.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return out.filter((_, i) => classes[i] === top);
}

/**
 * Items that say nothing on their own: a change without its subject ("比上年增长", "提高",
 * "增长"), the words a statistics release repeats after every figure.
 */
const MEANINGLESS_ITEM =
  /^(比上年|比去年|较上年|同比|比)?(增长|下降|提高|增加|减少|缩小|扩大|上升|回落|降低)了?$|^(比上年|比去年|较上年|同比)/;

/** Keeps pairs whose left and right sides are both unique, in order. */
function distinctPairs(pairs: Pair[]): Pair[] {
  const lefts = new Map<string, number>();
  const rights = new Map<string, number>();
  for (const p of pairs) {
    lefts.set(p.left, (lefts.get(p.left) ?? 0) + 1);
    rights.set(p.right, (rights.get(p.right) ?? 0) + 1);
  }
  return pairs.filter((p) => lefts.get(p.left) === 1 && rights.get(p.right) === 1);
}

/** Splits a list into chunks of three to five (one chunk up to six). */
function chunks<T>(items: T[]): T[][] {
  if (items.length <= 6) return [items];
  const n = Math.ceil(items.length / 5);
  const size = Math.ceil(items.length / n);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.filter((c) => c.length >= 3);
}

function matchings(u: Unit, whole: string, figurePool: readonly Figure[], termPool: readonly Term[]): Draft[] {
  if (!hasHan(whole) || whole.length > 1000) return [];
  const terms = u.sentence.parent ? extractTerms(whole) : u.terms;
  const figures = u.sentence.parent ? extractFigures(whole) : u.figures;
  const out: Draft[] = [];
  const variants: [Pair[], string, number, (p: Pair[]) => string | undefined][] = [
    [
      placePairs(whole, terms),
      '把下列地方与原文中提到的做法或经验配对',
      0.75,
      (pairs) =>
        termDistractors(terms.find((t) => t.text === pairs[0]!.right)!, termPool, (x) => whole.includes(x), 1).texts[0],
    ],
    [personPairs(whole), '把下列人物与原文中的身份配对', 0.75, () => undefined],
    [
      figurePairs(whole, figures),
      '把下列各项与原文中对应的数字配对',
      0.65,
      (pairs) => {
        const f = figures.find((x) => x.text === pairs[0]!.right);
        return f
          ? figureDistractors(f, figurePool, (x) => whole.includes(x) || pairs.some((p) => p.right === x), 1).find(
              (d) => !d.synthesised,
            )?.text
          : undefined;
      },
    ],
  ];
  // Stems name their sentence (as the bank's do: "根据“突出主线意识”一段，…"), so two matchings
  // from one text never share a stem.
  // A sentence opening with "其中，" or the like is named by what follows.
  const first = /^[^，,；;：:。！？!?]+/.exec(whole.replace(/^(其中|同时|此外|另外|全年|年末)[，,]/, ''))?.[0] ?? whole;
  // The name stops before the first digit, quoted name or target: "根据“第一产业增加值21.4亿元”
  // 一句" or "根据“东校区“每天一小时”…”一句" would show an answer. Too little left: the paragraph.
  const nameOf = (targets: string[]) => {
    let cut = first.search(/[0-9０-９“《「『"]/);
    for (const t of targets) {
      const at = first.indexOf(t);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    const named = (cut >= 0 ? first.slice(0, cut) : first).replace(/[、，,\s]+$/, '');
    if (named.length < 2) return null;
    return named.length > 16 ? `“${named.slice(0, 14)}……”一句` : cut >= 0 ? `“${named}……”一句` : `“${named}”一句`;
  };
  for (const [found, taskZh, base, extra] of variants) {
    const pairs = distinctPairs(found);
    if (pairs.length < 3) continue;
    const groups = chunks(pairs);
    for (const [g, chunk] of groups.entries()) {
      const part = groups.length > 1 ? `（第${g + 1}组）` : '';
      const lead = nameOf(chunk.map((p) => p.right)) ?? `原文第${u.paragraph.index}段`;
      const stemZh = `根据${lead}，${taskZh}${part}。`;
      const seedKey = `${whole}\u0001${chunk.map((p) => p.left).join('|')}`;
      const more = extra(chunk);
      let rights = seededShuffle([...chunk.map((p) => p.right), ...(more ? [more] : [])], seedKey);
      // Targets shown in the items' order would pair themselves; rotate once if so.
      const aligned = chunk.every((p, i) => rights[i] === p.right);
      if (aligned) rights = [...rights.slice(1), rights[0]!];
      const targets = rights.map((r, i) => ({ id: TARGET_IDS[i]!, text: { zh: r, en: r } }));
      const left = options(chunk.map((p) => p.left));
      const answer: Record<string, string> = {};
      chunk.forEach((p, i) => (answer[left[i]!.id] = targets.find((t) => t.text.zh === p.right)!.id));
      const list = chunk.map((p) => `${p.left}—${p.right}`).join('；');
      out.push({
        id: 'gen-pending',
        kind: 'matching',
        type: 'matching',
        stem: same(stemZh),
        options: left,
        targets,
        answer,
        explanation: same(clip(`${list}。原文：${whole}`, 600)),
        source: { heading: u.section.heading, quote: whole, paragraph: u.paragraph.index },
        topics: guessTopics(u.section.heading, whole, false, u.docTopics),
        difficulty: 3,
        confidence: clamp(base - (whole.length > 200 ? 0.1 : 0)),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ordering: dated events.

interface DatedEvent {
  year: number;
  /** The year as the text writes it ("2021年", "１９８７年", "1998"). */
  yearText: string;
  item: string;
  excerpt: string;
  unit: Unit;
  order: number;
}

const YEAR_BEFORE =
  /(始于|起于|成立于|创办于|建于|自|从|在|于|截至|到|至|In|in|Since|since|By|by|From|from|During|during|Until|until|Of|of|After|after|Before|before)\s*$/;
const YEAR_AFTER = /^(年底|年初|上半年|下半年|以来|期间|开始|以后|之后|起|底|初|末|的|,)\s*/;
const TRIM = /^[\s，,；;：:、。.!?！？]+|[\s，,；;：:、。.!?！？（(]+$/g;

/**
 * The event a year dates: the rest of the year's clause ("2021年中央民族工作会议以来" →
 * "中央民族工作会议"), or the next clause when the year's clause says nothing else
 * ("自1983年以来，229个集体…"). The item is verbatim in the excerpt, which is verbatim in the
 * sentence, and names no year itself (that would give the order away).
 */
function eventFor(u: Unit, f: Figure): { item: string; excerpt: string } | null {
  const s = u.sentence.text;
  const zh = u.sentence.lang === 'zh';
  const bounds = [...s.matchAll(/(?:[^，,；;：:。！？!?]|,(?=\d))+(?:[，；;：:。！？!?]|,(?!\d))*/g)].map(
    (m) => [m.index, m.index + m[0].length] as const,
  );
  const ci = bounds.findIndex(([a, b]) => f.start >= a && f.end <= b);
  if (ci < 0) return null;
  const [a, b] = bounds[ci]!;
  // "比2020年提高了6个百分点" compares with a year; it dates no event. Nor does "到1949年, …" or
  // "By 2012, …": what had come about by then is a state, not an event with its own date.
  if (/(到|截至|截止|截至到|\b[Bb]y|\b[Uu]ntil)\s*$/.test(s.slice(a, f.start))) return null;
  if (/(比|较|同比|与|和)\s*$/.test(s.slice(a, f.start)) || /^\s*(相比|同期|相较)/.test(s.slice(f.end))) return null;
  const tidy = (x: string) =>
    x.replace(TRIM, '').replace(/(召开)?以来$|期间$|之后$|以后$/, (m) => (m.startsWith('召开') ? '召开' : ''));
  const before = tidy(s.slice(a, f.start).replace(YEAR_BEFORE, ''));
  const after = tidy(
    s
      .slice(f.end)
      .slice(0, b - f.end)
      .replace(YEAR_AFTER, ''),
  );
  const enough = (x: string) => (zh ? x.replace(/[^\u4e00-\u9fff]/g, '').length >= 4 : x.split(/\s+/).length >= 3);
  let item = enough(after) ? after : enough(before) ? before : '';
  let excerptEnd = b;
  if (!item && ci + 1 < bounds.length) {
    const [na, nb] = bounds[ci + 1]!;
    const next = tidy(s.slice(na, nb));
    if (enough(next)) ((item = next), (excerptEnd = nb));
  }
  if (!item || /\d{4}/.test(item) || !balancedBrackets(item)) return null;
  if (zh ? item.length > 40 : item.length > 90) return null;
  const excerptText = s.slice(a, excerptEnd).replace(TRIM, '');
  return excerptText.includes(item) ? { item, excerpt: excerptText } : null;
}

function orderings(units: readonly Unit[]): Draft[] {
  const byYear = new Map<number, DatedEvent>();
  units.forEach((u, order) => {
    for (const f of u.figures) {
      // A year, or a full date with its year ("2008年5月12日").
      // 公元前256年 counts as −256.
      const year = f.kind === 'year' ? f.value : f.date?.year;
      if (year === undefined || byYear.has(year)) continue;
      const e = eventFor(u, f);
      if (e && ![...byYear.values()].some((x) => x.item === e.item))
        byYear.set(year, { year, yearText: f.text, ...e, unit: u, order });
    }
  });
  const events = [...byYear.values()].sort((x, y) => x.year - y.year);
  if (events.length < 3) return [];
  const out: Draft[] = [];
  const groups = chunks(events);
  for (const [g, chunk] of groups.entries()) {
    const part = groups.length > 1 ? { zh: `（第${g + 1}组）`, en: ` (set ${g + 1})` } : { zh: '', en: '' };
    const inText = [...chunk].sort((x, y) => x.order - y.order);
    const quote = inText.map((e) => e.excerpt).join(' … ');
    if (quote.length > 1000) continue;
    const first = inText[0]!;
    // Shuffle first, then name the shown items a, b, c…: ids must not tell the order.
    let shown = seededShuffle(chunk, quote);
    if (shown.every((e, i) => e === chunk[i])) shown = [...shown.slice(1), shown[0]!];
    const items = options(shown.map((e) => e.item));
    const idOf = (e: DatedEvent) => items[shown.indexOf(e)]!.id;
    const zh = first.unit.sentence.lang === 'zh';
    const listZh = chunk.map((e) => `${e.item}（${e.yearText}）`).join(' → ');
    const listEn = chunk.map((e) => `${e.item} (${e.yearText})`).join(' → ');
    const topics: Topic[] = ['history'];
    for (const t of guessTopics(first.unit.section.heading, quote, false, first.unit.docTopics))
      if (!topics.includes(t) && topics.length < 3) topics.push(t);
    out.push({
      id: 'gen-pending',
      kind: 'ordering',
      type: 'ordering',
      stem: same(
        zh
          ? `按时间先后（从早到晚）排列原文中的下列事项${part.zh}。`
          : `Put these events from the text in chronological order, earliest first${part.en}.`,
      ),
      options: items,
      answer: chunk.map(idOf),
      explanation: same(zh ? clip(`时间顺序：${listZh}。`, 600) : clip(`In order: ${listEn}.`, 600)),
      source: { heading: first.unit.section.heading, quote, paragraph: first.unit.paragraph.index },
      topics,
      difficulty: 3,
      confidence: clamp(
        0.6 -
          (chunk.some((e) => e.item.length > 25) ? 0.1 : 0) -
          (new Set(chunk.map((e) => e.unit.paragraph)).size > 1 ? 0.05 : 0),
      ),
    });
  }
  return out;
}
