/**
 * The generator's quality, measured: a well-formedness check of every draft and summary figures
 * for a whole text (drafts per kind and per section, share well-formed, sections with no draft).
 * `npm run generate:score -- FILE` prints them; the tests hold the sample article to at least 80
 * drafts, every section covered and 95 % well-formed.
 *
 * A draft is well-formed when:
 * - it passes the draft schema, which includes the question schema's cross-field rules;
 * - its answer occurs in its quote exactly as given (cloze answer, true/false key, every
 *   matched pair, every ordering item);
 * - its options are distinct from each other and from the answer (after width and case folding),
 *   and of the same unit: a figure cloze's options all read as one figure of the same kind,
 *   unit, magnitude, approximation, suffix and precision; a term cloze's options are all terms of
 *   the same 《》 or “” family in the text;
 * - its stem reads as a sentence: one blank (cloze) or none, balanced brackets, a sentence end,
 *   enough words besides the blank, the blank not inside a number, the answer's number not shown
 *   elsewhere, and, with the blank filled in (or the statement taken as it is, for a true one),
 *   the stem is its quote.
 * - its options give nothing away: no option pattern singles out a figure cloze's answer
 *   (worker/generator/giveaway.ts: the centre, the hub of multiples, apart, the odd one out in
 *   decimals, trailing zeros or digits);
 * - it does not fake a language: a text whose English differs from its Chinese has no Chinese in
 *   it ("Fill in the blank: 课后服务…" is not English).
 * Over a whole text, the answers of figure clozes must also be spread over the ranks of their
 * sorted options (`rankBias`), or a student learns "pick the middle one".
 * The check reads only the draft (and, for term families, the text), not the generator's
 * internals, so it measures what a teacher would see.
 */
import { draft } from './draft';
import { extractFigures, formatClass, mentionsNumber, numericOption } from './figures';
import { giveAways, rankBias, rankShares, type NumericOption } from './giveaway';
import { BLANK, generateDrafts, SENTENCE_END, STEM_PREFIXES } from './generate';
import { parseDocument } from './split';
import { extractTerms, type TermFamily } from './terms';
import { balancedBrackets, countOf, HAN, hasHan, sameText } from './util';
import { type Draft, DRAFT_KINDS, type DraftKind } from '../contract';

/** Terms of a text by their text, with the families they appear in. */
export type TermIndex = Map<string, Set<TermFamily>>;

/** Indexes the marked terms of a text, for checking term-cloze options. */
export function termIndex(text: string): TermIndex {
  const index: TermIndex = new Map();
  for (const section of parseDocument(text).sections)
    for (const p of section.paragraphs)
      for (const s of p.sentences)
        for (const t of extractTerms(s.text)) {
          const families = index.get(t.text) ?? new Set<TermFamily>();
          families.add(t.family);
          index.set(t.text, families);
        }
  return index;
}

const TRAILING = /[。！？!?.…，,；;：:、\s]+$/;
const core = (s: string) => s.replace(/^…+/, '').replace(TRAILING, '').replace(/…+$/, '').replace(TRAILING, '');

function stripPrefix(stem: string): string {
  for (const p of Object.values(STEM_PREFIXES)) if (stem.startsWith(p)) return stem.slice(p.length);
  return stem;
}

/** Why a stem (without its instruction) does not read as a sentence; empty when it does. */
function sentenceProblems(body: string): string[] {
  const out: string[] = [];
  const words = body.replaceAll(BLANK, '').match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  if (words < 4) out.push('stem has too few words to read as a sentence');
  if (!balancedBrackets(body.replaceAll(BLANK, ''))) out.push('stem has unbalanced brackets or quotes');
  if (!SENTENCE_END.test(body)) out.push('stem does not end like a sentence');
  return out;
}

/**
 * Checks one draft; returns the reasons it is malformed (empty when it is well-formed). With a
 * term index of the text, term-cloze options are checked to be terms of the answer's family.
 */
export function checkDraft(raw: unknown, terms?: TermIndex): string[] {
  const parsed = draft.safeParse(raw);
  if (!parsed.success) return parsed.error.issues.map((i) => `schema: ${i.path.join('.') || '(draft)'}: ${i.message}`);
  const d: Draft = parsed.data;
  const reasons: string[] = [];
  const quote = d.source.quote;
  const lang = hasHan(quote) ? 'zh' : 'en';
  const body = stripPrefix(d.stem[lang]);
  const inQuote = (t: string, what: string) => {
    if (!quote.includes(t)) reasons.push(`${what} "${t}" is not in the quote`);
  };

  const texts: string[] = [];
  const collect = (t: { zh: string; en: string }) => {
    if (t.en !== t.zh && HAN.test(t.en)) texts.push(t.en);
  };
  collect(d.stem);
  collect(d.explanation);
  if (d.type !== 'truefalse') for (const o of d.options) collect(o.text);
  if (d.type === 'matching') for (const o of d.targets) collect(o.text);
  if (texts.length) reasons.push(`English text that is Chinese: "${texts[0]!.slice(0, 40)}"`);

  switch (d.type) {
    case 'single': {
      const answer = d.options.find((o) => o.id === d.answer)!.text.zh;
      inQuote(answer, 'answer');
      const texts = d.options.map((o) => o.text.zh);
      if (new Set(texts.map(sameText)).size !== texts.length) reasons.push('options repeat');
      const blanks = countOf(body, BLANK);
      if (blanks !== 1) reasons.push(`stem has ${blanks} blanks, not one`);
      reasons.push(...sentenceProblems(body));
      if (blanks === 1 && core(body.replace(BLANK, answer)) !== core(quote))
        reasons.push('stem with the answer filled in is not the quote');
      const at = body.indexOf(BLANK);
      if (d.kind === 'figure-cloze') {
        if (/[0-9０-９.]/.test(body.charAt(at - 1)) || /[0-9０-９]/.test(body.charAt(at + BLANK.length)))
          reasons.push('blank is inside a number');
        const [a, ...extra] = extractFigures(answer);
        if (!a || extra.length || a.text !== answer) reasons.push(`answer "${answer}" is not one figure`);
        else if (mentionsNumber(body, a)) reasons.push(`stem shows the answer's number elsewhere`);
        else
          for (const t of texts) {
            if (t === answer) continue;
            const [f, ...more] = extractFigures(t);
            if (!f || more.length || f.text !== t) reasons.push(`option "${t}" is not one figure`);
            else if (formatClass(f) !== formatClass(a) || f.decimals !== a.decimals || f.fullWidth !== a.fullWidth)
              reasons.push(`option "${t}" is not in the unit and format of "${answer}"`);
            else if (f.value === a.value) reasons.push(`option "${t}" equals the answer`);
          }
        const set = figureOptionSet(d);
        if (set) for (const g of giveAways(set.options, set.answer)) reasons.push(`give-away: ${g}`);
      } else {
        const before = body.charAt(at - 1);
        const after = body.charAt(at + BLANK.length);
        const pairs: Record<string, string> = { '“': '”', '《': '》', '「': '」', '『': '』', '"': '"' };
        if (!(before in pairs) || pairs[before] !== after) reasons.push('blank is not a whole marked term');
        const family: TermFamily = before === '《' ? 'title' : 'quoted';
        for (const t of texts) {
          if (/[“”《》「」『』"。！？]/.test(t)) reasons.push(`option "${t}" is not a bare term`);
          else if (terms && !terms.get(t)?.has(family))
            reasons.push(`option "${t}" is not a ${family === 'title' ? '《》' : '“”'} term of the text`);
        }
      }
      break;
    }
    case 'truefalse': {
      for (const k of d.key ?? []) inQuote(k, 'key');
      if (body.includes(BLANK)) reasons.push('a statement has no blank');
      reasons.push(...sentenceProblems(body));
      const same = core(body) === core(quote);
      if (d.answer && !same) reasons.push('a true statement is not its quote');
      if (!d.answer && same) reasons.push('a false statement is its quote unchanged');
      break;
    }
    case 'matching': {
      const left = d.options.map((o) => o.text.zh);
      const right = d.targets.map((o) => o.text.zh);
      if (new Set(left.map(sameText)).size !== left.length) reasons.push('items repeat');
      if (new Set(right.map(sameText)).size !== right.length) reasons.push('targets repeat');
      for (const o of d.options) {
        inQuote(o.text.zh, 'item');
        const target = d.targets.find((t) => t.id === d.answer[o.id]);
        if (target) inQuote(target.text.zh, 'target');
      }
      break;
    }
    case 'ordering': {
      const items = d.options.map((o) => o.text.zh);
      if (new Set(items.map(sameText)).size !== items.length) reasons.push('items repeat');
      for (const t of items) inQuote(t, 'item');
      break;
    }
  }
  return reasons;
}

/**
 * A figure cloze's options as the give-away detectors see them, the answer's index with them;
 * null when an option is not one figure (reported as malformed elsewhere).
 */
export function figureOptionSet(d: Draft): { options: NumericOption[]; answer: number } | null {
  if (d.type !== 'single' || d.kind !== 'figure-cloze') return null;
  const options: NumericOption[] = [];
  for (const o of d.options) {
    const [f, ...more] = extractFigures(o.text.zh);
    // A ratio's options are its parts reordered: no number to compare.
    if (!f || more.length || f.kind === 'ratio') return null;
    options.push(numericOption(f));
  }
  return { options, answer: d.options.findIndex((o) => o.id === d.answer) };
}

/** A malformed draft and why. */
export interface Malformed {
  id: string;
  kind: DraftKind;
  heading: string;
  reasons: string[];
}

/** Summary figures of the drafts generated from one text. */
export interface Score {
  total: number;
  perKind: Record<DraftKind, number>;
  /** Every section of the text that has at least one sentence, in order, with its draft count. */
  perSection: { heading: string; drafts: number }[];
  wellFormed: number;
  /** Share well-formed, in per cent with one decimal (100 for no drafts). */
  wellFormedPct: number;
  malformed: Malformed[];
  /** Headings of sections with sentences but no draft. */
  uncovered: string[];
  meanConfidence: number;
  /** Figure clozes: share of answers at each rank of their sorted options (smallest first), and a bias if any. */
  answerRanks: { shares: number[]; bias: string | null };
  /** True/false drafts, and how many of them are false. */
  statements: { total: number; false: number };
}

/** Generates (unless given) and scores the drafts of a text. */
export function scoreText(text: string, drafts: readonly Draft[] = generateDrafts(text)): Score {
  const index = termIndex(text);
  const perKind = Object.fromEntries(DRAFT_KINDS.map((k) => [k, 0])) as Record<DraftKind, number>;
  const bySection = new Map<string, number>();
  for (const s of parseDocument(text).sections)
    if (s.paragraphs.some((p) => p.sentences.length)) bySection.set(s.heading, bySection.get(s.heading) ?? 0);
  const malformed: Malformed[] = [];
  let confidence = 0;
  for (const d of drafts) {
    perKind[d.kind]++;
    bySection.set(d.source.heading, (bySection.get(d.source.heading) ?? 0) + 1);
    confidence += d.confidence;
    const reasons = checkDraft(d, index);
    if (reasons.length) malformed.push({ id: d.id, kind: d.kind, heading: d.source.heading, reasons });
  }
  const total = drafts.length;
  const sets = drafts.map(figureOptionSet).filter((x) => x !== null);
  const tfs = drafts.filter((d) => d.type === 'truefalse');
  const wellFormed = total - malformed.length;
  const perSection = [...bySection].map(([heading, n]) => ({ heading, drafts: n }));
  return {
    total,
    perKind,
    perSection,
    wellFormed,
    wellFormedPct: total ? Math.round((wellFormed / total) * 1000) / 10 : 100,
    malformed,
    uncovered: perSection.filter((s) => s.drafts === 0).map((s) => s.heading),
    meanConfidence: total ? Math.round((confidence / total) * 100) / 100 : 0,
    answerRanks: { shares: rankShares(sets), bias: rankBias(sets) },
    statements: { total: tfs.length, false: tfs.filter((d) => !d.answer).length },
  };
}
