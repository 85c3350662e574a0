/**
 * Moodle GIFT export of our questions, and import of a teacher's own GIFT file into our schema.
 *
 * GIFT is the plain-text format Moodle (and many other LMSs) import: one question per block,
 * blocks separated by blank lines, `//` comment lines, `::title::` then the stem then the answers
 * in braces. Reference: https://docs.moodle.org/en/GIFT_format and Moodle's own parser,
 * question/format/gift/format.php, whose behaviour both directions follow where the docs are
 * silent (e.g. which characters to escape, how a question's type is recognised).
 *
 * ## Export (see {@link exportGift})
 * Each question is written as
 *
 *     // [id:dir-004] [tag:governance] [tag:difficulty-2]
 *     ::dir-004::stem{
 *     	=right
 *     	~wrong
 *     	####explanation
 *     }
 *
 * - The comment line carries the id as Moodle's `[id:…]` (the question's ID number) and the
 *   topics and the difficulty as `[tag:…]`s, which Moodle and gift-pegjs read and our import
 *   reads back. The title is the id too, so that the question is recognisable in Moodle's bank.
 * - Answer blocks: single `{=right ~wrong}`; multi `{~%50%a ~%50%c ~%-100%b}` (Moodle's multiple
 *   answer syntax: no `=`, the right options share +100 % and, by default, each wrong one weighs
 *   −100 %, so that ticking a wrong option loses the credit (see {@link GiftExportOptions.multiPenalty});
 *   truefalse `{T}` / `{F}`; numeric `{#answer:tolerance}`; matching `{=left -> right}` with
 *   unmatched targets as distractors `{= -> target}`; text `{=accepted =accepted}`.
 * - Ordering: GIFT has no ordering type, so an ordering question is exported as a matching
 *   question of each item to its position ("1" = first), items in the order they are shown. That
 *   keeps the question usable and automatically graded in Moodle (a student picks a position for
 *   each item). A comment line `// pomegranate:ordering` before it lets our own import restore the
 *   ordering question.
 * - Poll: GIFT has no poll either. A poll is exported as a multiple answer question with every
 *   option weighted 0 % (`{~%0%a ~%0%b}`), after a comment line `// pomegranate:poll`: Moodle keeps
 *   the question and its options, and, as in our sessions, no choice earns or loses anything. (Moodle
 *   warns on saving such a question that the grades do not add up to 100 %; that is the point.)
 *   Skipping polls would lose the teacher's question; this way it stays usable as a survey item,
 *   and our import reads a multiple choice whose every option is weighted `%0%` back as a poll.
 * - Open answer (word cloud): exported as what it is in Moodle, an essay question (`{}`, with only the
 *   general feedback inside), after a comment line `// pomegranate:open`; our import reads an essay
 *   under that line back as an open answer (other essays are skipped, as before).
 * - The explanation is the general feedback `####…`, the last thing in the braces.
 * - Escaping: `\ ~ = # { } :` are backslash-escaped in every text and a line break is written as
 *   `\n`, exactly as Moodle's exporter does (the backslash must be escaped too, or `\=` written by a
 *   teacher would come back as `=`).
 * - What GIFT cannot carry: the source quote and `key` (teacher-facing evidence; dropped), a
 *   numeric unit (our stems state the unit, so it is dropped), and the character sequences that
 *   have no escape: `->` in any answer text (option, matching item or target, accepted answer),
 *   where Moodle would split a matching item there or read a short answer holding it as a
 *   matching question, is written `→`; a text starting with `%` or with a format marker such as
 *   `[html]` gets a `[moodle]` prefix so that it is not read as a weight or a format.
 * - Numbers are written in plain decimal notation (`0.0000001`, never `1e-7`), which is all the
 *   GIFT grammar accepts.
 *
 * ## Import (see {@link importGift})
 * For a teacher's own bank: multiple choice, multiple answer, true/false, numerical (`{#3.14:0.01}`,
 * ranges `{#1..5}` → answer 3 ± 2, several answers → the first full-credit one), matching, short
 * answer, and our exported ordering questions, polls and open answers. Descriptions, other essays and
 * `$CATEGORY:` lines are skipped with a note. A teacher's question has no source quote, so each result satisfies the
 * question schema except that `source` is absent (that absence is what marks it as teacher-written)
 * and `id` is optional (taken from `[id:…]` or the title when it is a valid id). Malformed input
 * yields errors with line numbers instead of throwing; the rest of the file is still read.
 *
 * Pure string code, no Node APIs and no runtime dependency: it runs inside the Worker.
 */
import { question as questionSchema } from '../questions/schema';
import { isUngraded, type Localized, type Question, type Topic, TOPICS } from '../contract';

/** Which language(s) the GIFT text holds: with `both`, each text is `"中文 / English"`. */
export type GiftLang = 'zh' | 'en' | 'both';

/** The separator between the Chinese and the English text with `lang: 'both'`. */
export const LANG_SEPARATOR = ' / ';

/** Marker comment that tells our import an exported matching question was an ordering question. */
export const ORDERING_MARKER = 'pomegranate:ordering';
/** Marker comment before an exported poll (a multiple answer question with every option at 0 %). */
export const POLL_MARKER = 'pomegranate:poll';
/** Marker comment before an exported open answer (an essay question). */
export const OPEN_MARKER = 'pomegranate:open';

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/** Options of {@link exportGift}. */
export interface GiftExportOptions {
  /** Language of the texts; default `both` ("中文 / English"). */
  lang?: GiftLang;
  /**
   * Weight of each wrong option of a multiple-answer question. `full` (default, the Moodle docs'
   * convention): −100 %, any wrong tick loses all the credit, so ticking everything earns nothing.
   * `share`: −100 %/k for k right options, the same partial credit our grading gives with partial
   * credit on (each wrong tick cancels one right one).
   */
  multiPenalty?: 'full' | 'share';
  /** When given, a `$CATEGORY: …` line first, so that Moodle files the questions under it. */
  category?: string;
  /**
   * The absolute address of an image by its id. When given, a stem with an image is written as
   * `[html]` with the image after the text (GIFT carries images only in HTML texts; options stay
   * text); without it, the image is left out.
   */
  imageUrl?: (id: string) => string;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
const unescapeHtml = (text: string) =>
  text.replace(/&(amp|lt|gt|quot);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"' })[name]!);

/**
 * Escapes GIFT's special characters in one text: `\ ~ = # { } :` get a backslash, a line break
 * becomes `\n` and carriage returns are dropped (Moodle's `repchar`).
 */
export function escapeGift(text: string): string {
  return text.replace(/[\\~=#{}:]/g, (c) => `\\${c}`).replace(/\r\n?|\n/g, '\\n');
}

/** A text in a slot GIFT may read a weight (`%50%`) or a format (`[html]`) from the start of. */
function rich(text: string): string {
  const escaped = escapeGift(text);
  return /^(%|\[(moodle|html|plain|markdown)\])/.test(escaped) ? `[moodle]${escaped}` : escaped;
}

/**
 * `->` has no escape in GIFT: in an answer it would split a matching item, make Moodle read a short
 * answer as a matching question, or (gift-pegjs) a right option `=a->b` as a matching pair. So in
 * answer texts it becomes an arrow.
 */
const noArrow = (text: string) => text.replaceAll('->', '→');

function pick(l: Localized, lang: GiftLang): string {
  if (lang === 'zh') return l.zh;
  if (lang === 'en') return l.en;
  // Identical texts (a name, a number) are written once; the import copies them to both.
  return l.zh === l.en ? l.zh : `${l.zh}${LANG_SEPARATOR}${l.en}`;
}

/** A number in the plain decimal notation the GIFT grammar accepts (String() may give `1e-7`). */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  const s = String(Object.is(n, -0) ? 0 : n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', exp] = m;
  const digits = int! + frac;
  const point = int!.length + Number(exp);
  const body =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + body;
}

/** A weight in % with at most 5 decimals: 7 significant places of a fraction, as Moodle matches grades. */
const weight = (percent: number) => plainNumber(Number(percent.toFixed(5)));

/**
 * One question as a GIFT block (comment line, title, stem, answers), without the blank line that
 * separates it from the next.
 */
export function questionToGift(q: Question, options: GiftExportOptions = {}): string {
  const lang = options.lang ?? 'both';
  const text = (l: Localized) => rich(pick(l, lang));
  const answerText = (l: Localized | string) => rich(noArrow(typeof l === 'string' ? l : pick(l, lang)));
  const tags = [...q.topics, `difficulty-${q.difficulty}`].map((t) => `[tag:${t}]`).join(' ');
  const lines = [`// [id:${q.id}] ${tags}`];
  // Only the stem's image is exported. A choice's image is left out and its text kept: an answer's
  // text in GIFT is not read as HTML by every importer, so an image there would not travel.
  const stem =
    q.image && options.imageUrl
      ? escapeGift(
          `[html]${escapeHtml(pick(q.stem, lang))}<br><img src="${escapeHtml(options.imageUrl(q.image.id))}" alt="${escapeHtml(pick(q.image.alt, lang))}" width="${q.image.width}" height="${q.image.height}">`,
        )
      : text(q.stem);
  const head = `::${escapeGift(q.id)}::${stem}`;
  const feedback = q.explanation ? `####${text(q.explanation)}` : '';
  const block = (answers: string[]) =>
    `${head}{\n${[...answers, ...(feedback ? [feedback] : [])].map((a) => `\t${a}`).join('\n')}\n}`;
  switch (q.type) {
    case 'single':
      lines.push(block(q.options.map((o) => `${o.id === q.answer ? '=' : '~'}${answerText(o.text)}`)));
      break;
    case 'multi': {
      const k = q.answer.length;
      const right = weight(100 / k);
      const wrong = options.multiPenalty === 'share' ? weight(-100 / k) : '-100';
      lines.push(block(q.options.map((o) => `~%${q.answer.includes(o.id) ? right : wrong}%${answerText(o.text)}`)));
      break;
    }
    case 'truefalse':
      lines.push(`${head}{${q.answer ? 'T' : 'F'}${feedback}}`);
      break;
    case 'numeric':
      lines.push(`${head}{#${plainNumber(q.answer)}:${plainNumber(q.tolerance)}${feedback}}`);
      break;
    case 'matching': {
      const targetText = new Map(q.targets.map((t) => [t.id, t.text]));
      const used = new Set(Object.values(q.answer));
      const target = (l: Localized) => escapeGift(noArrow(pick(l, lang)));
      const pairs = q.options.map((o) => `=${answerText(o.text)} -> ${target(targetText.get(q.answer[o.id]!)!)}`);
      const distractors = q.targets.filter((t) => !used.has(t.id)).map((t) => `= -> ${target(t.text)}`);
      lines.push(block([...pairs, ...distractors]));
      break;
    }
    case 'ordering':
      lines.push(
        `// ${ORDERING_MARKER} (GIFT has no ordering type: exported as matching, each item -> its position, 1 = first)`,
      );
      lines.push(block(q.options.map((o) => `=${answerText(o.text)} -> ${q.answer.indexOf(o.id) + 1}`)));
      break;
    case 'text':
      lines.push(block(q.answer.map((a) => `=${answerText(a)}`)));
      break;
    case 'poll':
      lines.push(`// ${POLL_MARKER} (GIFT has no poll type: exported as multiple answer, every option 0 %)`);
      lines.push(block(q.options.map((o) => `~%0%${answerText(o.text)}`)));
      break;
    case 'open':
      lines.push(`// ${OPEN_MARKER} (an open answer for a word cloud: exported as an essay)`);
      lines.push(`${head}{${feedback}}`);
      break;
  }
  return lines.join('\n');
}

/**
 * A whole GIFT file: an optional `$CATEGORY:` line, then each question, blank-line separated,
 * with a final newline. Save it as UTF-8 (Moodle reads GIFT files as UTF-8).
 */
export function exportGift(questions: readonly Question[], options: GiftExportOptions = {}): string {
  const blocks = questions.map((q) => questionToGift(q, options));
  if (options.category !== undefined) blocks.unshift(`$CATEGORY: ${options.category.replace(/\s+/g, ' ').trim()}`);
  return `${blocks.join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

/** `Omit` applied to each member of a union, so that the result stays a discriminated union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A teacher-written question: every field of {@link Question} except `source` (a teacher's
 * question quotes no article, and the missing source is what marks it as teacher-written) and
 * with an optional `id`. The plain `Omit<Question, …>` would collapse the union of types to its
 * common fields, hence the distributive form.
 */
export type TeacherQuestion = DistributiveOmit<Question, 'id' | 'source'> & { id?: string };

/** Options of {@link importGift}. */
export interface GiftImportOptions {
  /**
   * Language of the texts. `both` (default): each text is split at the first `" / "` into
   * Chinese and English, and a text without the separator is used for both. `zh` / `en`: the text
   * is that language and is copied to the other one too, because the schema requires both: have
   * it translated before students see it.
   */
  lang?: GiftLang;
  /** Used when a question has no `[tag:<topic>]` / `[tag:difficulty-N]`. Default `['governance']`, 2. */
  defaults?: { topics?: Topic[]; difficulty?: 1 | 2 | 3 };
}

/** A question read from the file, with what was lost or guessed on the way. */
export interface GiftImported {
  question: TeacherQuestion;
  /** Things dropped (per-answer feedback, partial weights…) or assumed (topics, one language). */
  warnings: string[];
  /** 1-based line of the question's first line. */
  line: number;
}

/** A problem tied to a line of the input (1-based). */
export interface GiftProblem {
  line: number;
  message: string;
}

/** Result of {@link importGift}. */
export interface GiftImportResult {
  questions: GiftImported[];
  /** Malformed questions, not imported. An import should be refused, or confirmed, when non-empty. */
  errors: GiftProblem[];
  /** Blocks that are valid GIFT but not questions we can hold (descriptions, essays, categories). */
  skipped: GiftProblem[];
}

/** A character of the input: `esc` when it was backslash-escaped, so never a control character. */
interface Tok {
  c: string;
  esc: boolean;
  line: number;
}
type Toks = readonly Tok[];

class GiftSyntax extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}
class Skip extends GiftSyntax {}

const ESCAPABLE = new Set(['\\', ':', '#', '=', '{', '}', '~', 'n']);

function tokenize(lines: readonly { text: string; line: number }[]): Tok[] {
  const out: Tok[] = [];
  lines.forEach(({ text, line }, k) => {
    if (k > 0) out.push({ c: '\n', esc: false, line });
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      const next = text[i + 1];
      if (c === '\\' && next !== undefined && ESCAPABLE.has(next)) {
        out.push({ c: next === 'n' ? '\n' : next, esc: true, line });
        i++;
      } else out.push({ c, esc: false, line });
    }
  });
  return out;
}

/** Whether the unescaped sequence `s` starts at `i`. */
function at(t: Toks, i: number, s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const x = t[i + k];
    if (!x || x.esc || x.c !== s[k]) return false;
  }
  return true;
}
function find(t: Toks, s: string, from = 0): number {
  for (let i = from; i + s.length <= t.length; i++) if (at(t, i, s)) return i;
  return -1;
}
function findLast(t: Toks, s: string): number {
  for (let i = t.length - s.length; i >= 0; i--) if (at(t, i, s)) return i;
  return -1;
}
const isBlank = (x: Tok) => !x.esc && /\s/.test(x.c);
function trim(t: Toks): Toks {
  let a = 0;
  let b = t.length;
  while (a < b && isBlank(t[a]!)) a++;
  while (b > a && isBlank(t[b - 1]!)) b--;
  return t.slice(a, b);
}
/** The text of `t`: escapes resolved, source line breaks (not `\n` escapes) folded into spaces. */
function textOf(t: Toks): string {
  return t
    .map((x) => (!x.esc && (x.c === '\n' || x.c === '\r') ? ' ' : x.c))
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim();
}
const lineOf = (t: Toks, fallback: number) => t.find((x) => !isBlank(x))?.line ?? fallback;

interface Item {
  marker: string;
  toks: Toks;
  line: number;
}
/** Splits answer tokens at every unescaped marker character; `lead` is what comes before the first. */
function splitItems(t: Toks, markers: string): { lead: Toks; items: Item[] } {
  const lead: Tok[] = [];
  const items: { marker: string; toks: Tok[]; line: number }[] = [];
  for (const x of t) {
    if (!x.esc && markers.includes(x.c)) items.push({ marker: x.c, toks: [], line: x.line });
    else (items.at(-1)?.toks ?? lead).push(x);
  }
  return { lead, items };
}

interface Choice {
  weight: number | null;
  text: string;
  feedback: string | null;
  line: number;
}

/** Per-question state: warnings (deduplicated) and the language split. */
class Context {
  readonly warnings: string[] = [];
  constructor(readonly lang: GiftLang) {}
  warn(message: string) {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }
  /**
   * Strips a leading `[format]` marker; formatting itself is not interpreted. HTML keeps its text
   * only: tags (images among them) are dropped.
   */
  format(text: string): string {
    const m = /^\[(moodle|html|plain|markdown)\]\s*/.exec(text);
    if (!m) return text;
    if (m[1] === 'html' || m[1] === 'markdown') this.warn(`[${m[1]}] formatting is kept as plain text.`);
    const rest = text.slice(m[0].length);
    return m[1] === 'html'
      ? unescapeHtml(rest.replace(/<[^>]*>/g, ' '))
          .replace(/\s+/g, ' ')
          .trim()
      : rest;
  }
  localize(text: string, line: number): Localized {
    if (this.lang !== 'both') return { zh: text, en: text };
    const i = text.indexOf(LANG_SEPARATOR);
    if (i < 0) {
      this.warn(
        `Line ${line}: a text has no "${LANG_SEPARATOR.trim()}" between Chinese and English; it is used for both languages.`,
      );
      return { zh: text, en: text };
    }
    return { zh: text.slice(0, i).trim(), en: text.slice(i + LANG_SEPARATOR.length).trim() };
  }
}

/** A choice: optional `%weight%`, the text, optional `#feedback`. */
function parseChoice(item: Item, ctx: Context): Choice {
  const hash = find(item.toks, '#');
  const body = hash < 0 ? item.toks : item.toks.slice(0, hash);
  let text = textOf(body);
  let weight: number | null = null;
  const m = /^%\s*([+-]?\d+(?:\.\d*)?)\s*%/.exec(text);
  if (m) {
    weight = Number(m[1]);
    if (weight < -100 || weight > 100) throw new GiftSyntax(item.line, `weight ${m[1]}% is outside -100..100`);
    text = text.slice(m[0].length).trim();
  } else if (text.startsWith('%'))
    throw new GiftSyntax(item.line, `malformed weight in "${text.slice(0, 20)}": write it as %50%`);
  text = ctx.format(text);
  return { weight, text, feedback: hash < 0 ? null : textOf(item.toks.slice(hash + 1)), line: item.line };
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Rounds away the binary dust of a midpoint such as (0.1 + 0.3) / 2. */
const tidy = (x: number) => Number(x.toPrecision(15));

function parseNumber(s: string, line: number, what: string): number {
  const t = s.trim();
  if (!NUMBER.test(t)) throw new GiftSyntax(line, `${what} "${t}" is not a number`);
  return Number(t);
}

/** `a:t`, `lo..hi` or `a`. */
function parseNumericSpec(spec: string, line: number): { answer: number; tolerance: number } {
  const range = spec.indexOf('..');
  if (range > 0) {
    const lo = parseNumber(spec.slice(0, range), line, 'range start');
    const hi = parseNumber(spec.slice(range + 2), line, 'range end');
    if (lo > hi) throw new GiftSyntax(line, `range ${spec.trim()} runs backwards`);
    return { answer: tidy((lo + hi) / 2), tolerance: tidy((hi - lo) / 2) };
  }
  const colon = spec.indexOf(':');
  if (colon > 0) {
    const tolerance = parseNumber(spec.slice(colon + 1), line, 'tolerance');
    if (tolerance < 0) throw new GiftSyntax(line, `tolerance ${tolerance} is negative`);
    return { answer: parseNumber(spec.slice(0, colon), line, 'answer'), tolerance };
  }
  return { answer: parseNumber(spec, line, 'answer'), tolerance: 0 };
}

const ID = /^[a-z0-9][a-z0-9-]{2,63}$/;
const optionIdAt = (i: number) => (i < 26 ? String.fromCharCode(97 + i) : `o${i}`);
const targetIdAt = (i: number) => `t${i + 1}`;
const isTopic = (t: string): t is Topic => (TOPICS as readonly string[]).includes(t);

type Candidate = Record<string, unknown> & { type: Question['type'] };

/** Parses the answer block of one question into the type-specific fields. */
function parseAnswers(answer: Toks, line: number, ordering: boolean, ctx: Context): Candidate {
  const trimmed = trim(answer);
  const raw = textOf(trimmed);
  if (raw === '') throw new Skip(line, 'essay question (empty answer block): not supported, skipped');

  const droppedFeedback = (choices: readonly Choice[]) => {
    if (choices.some((c) => c.feedback))
      ctx.warn('Per-answer feedback (#…) is not kept: only the general feedback (####…) becomes the explanation.');
  };
  const loc = (c: Choice) => ctx.localize(c.text, c.line);

  // Numerical: the block starts with '#'.
  if (at(trimmed, 0, '#')) {
    const rest = trimmed.slice(1);
    if (find(rest, '=') < 0) {
      const hash = find(rest, '#');
      if (hash >= 0)
        ctx.warn('Per-answer feedback (#…) is not kept: only the general feedback (####…) becomes the explanation.');
      const spec = textOf(hash < 0 ? rest : rest.slice(0, hash));
      if (spec === '') throw new GiftSyntax(line, 'numerical question without a number');
      return { type: 'numeric', ...parseNumericSpec(spec, lineOf(rest, line)) };
    }
    const { lead, items } = splitItems(rest, '=~');
    if (textOf(lead) !== '')
      throw new GiftSyntax(lineOf(lead, line), `text "${textOf(lead)}" before the first = of a numerical question`);
    const choices = items.filter((i) => i.marker === '=').map((i) => parseChoice(i, ctx));
    droppedFeedback(choices);
    const full = choices.find((c) => c.weight === null || c.weight === 100);
    if (!full) throw new GiftSyntax(line, 'numerical question without a full-credit (=) answer');
    if (choices.length > 1 || items.length > choices.length)
      ctx.warn(
        'Only the first full-credit numerical answer is kept; other answers and their partial credit are dropped.',
      );
    return { type: 'numeric', ...parseNumericSpec(full.text, full.line) };
  }

  // Multiple choice: contains '~' (Moodle's rule).
  if (find(trimmed, '~') >= 0) {
    const { lead, items } = splitItems(trimmed, '=~');
    if (textOf(lead) !== '')
      throw new GiftSyntax(
        lineOf(lead, line),
        `text "${textOf(lead)}" before the first = or ~ of a multiple-choice question`,
      );
    const choices = items.map((i) => parseChoice(i, ctx));
    droppedFeedback(choices);
    for (const c of choices) if (c.text === '') throw new GiftSyntax(c.line, 'empty option');
    const options = choices.map((c, i) => ({ id: optionIdAt(i), text: loc(c) }));
    const rightMarked = items.flatMap((it, i) => (it.marker === '=' ? [i] : []));
    if (rightMarked.length > 1)
      throw new GiftSyntax(
        items[rightMarked[1]!]!.line,
        'more than one option marked = (right); for a multiple-answer question mark the right options ~%50% and the wrong ones ~%-100%',
      );
    if (rightMarked.length === 1) {
      if (choices.some((c, i) => i !== rightMarked[0] && (c.weight ?? 0) > 0))
        ctx.warn('Partial credit on wrong options is dropped: only the = option counts as right.');
      return { type: 'single', options, answer: optionIdAt(rightMarked[0]!) };
    }
    // Every option weighted 0 % on purpose (`~%0%`): nothing to get right, so a poll, as we export one.
    // Options without a weight are not taken for that: a forgotten `=` would pass silently.
    if (choices.every((c) => c.weight === 0)) return { type: 'poll', options };
    // No '=': Moodle's multiple-answer question; options with a positive weight are right.
    const right = choices.flatMap((c, i) => ((c.weight ?? 0) > 0 ? [optionIdAt(i)] : []));
    if (right.length === 0)
      throw new GiftSyntax(
        line,
        'no option is right: mark one with = or give the right ones a positive weight such as ~%50%',
      );
    if (right.length === 1) {
      ctx.warn('Only one option has a positive weight: imported as a single-choice question.');
      return { type: 'single', options, answer: right[0] };
    }
    const positive = choices.filter((c) => (c.weight ?? 0) > 0).map((c) => c.weight!);
    if (
      positive.some((w) => Math.abs(w - positive[0]!) > 0.01) ||
      Math.abs(positive.reduce((a, b) => a + b, 0) - 100) > 0.01
    )
      ctx.warn(
        'Unequal or not-summing-to-100 % weights: the options are imported as right (weight > 0) or wrong only.',
      );
    return { type: 'multi', options, answer: right };
  }

  // Matching: '=' and '->' (Moodle's rule).
  if (find(trimmed, '=') >= 0 && find(trimmed, '->') >= 0) {
    const { lead, items } = splitItems(trimmed, '=');
    if (textOf(lead) !== '')
      throw new GiftSyntax(lineOf(lead, line), `text "${textOf(lead)}" before the first = of a matching question`);
    const lefts: { text: string; line: number }[] = [];
    const rights: string[] = [];
    const distractors: string[] = [];
    for (const it of items) {
      const arrow = find(it.toks, '->');
      if (arrow < 0) throw new GiftSyntax(it.line, 'matching item without "->" (write =item -> match)');
      const left = ctx.format(textOf(it.toks.slice(0, arrow)));
      const right = textOf(it.toks.slice(arrow + 2));
      if (right === '') throw new GiftSyntax(it.line, 'matching item with nothing after "->"');
      if (left === '') distractors.push(right);
      else {
        lefts.push({ text: left, line: it.line });
        rights.push(right);
      }
    }
    const positions = rights.map(Number);
    const isOrder =
      ordering &&
      distractors.length === 0 &&
      rights.every((r) => /^\d+$/.test(r)) &&
      [...positions].sort((a, b) => a - b).every((p, i) => p === i + 1);
    const options = lefts.map((l, i) => ({ id: optionIdAt(i), text: ctx.localize(l.text, l.line) }));
    if (isOrder) {
      const answer = options
        .map((o, i) => ({ id: o.id, at: positions[i]! }))
        .sort((a, b) => a.at - b.at)
        .map((o) => o.id);
      return { type: 'ordering', options, answer };
    }
    if (ordering) ctx.warn(`"${ORDERING_MARKER}" ignored: the matches are not the positions 1..n.`);
    const targetTexts = [...new Set([...rights, ...distractors])];
    const targets = targetTexts.map((t, i) => ({ id: targetIdAt(i), text: ctx.localize(t, line) }));
    const answer = Object.fromEntries(options.map((o, i) => [o.id, targetIdAt(targetTexts.indexOf(rights[i]!))]));
    return { type: 'matching', options, targets, answer };
  }

  // True/false: T, TRUE, F or FALSE, optionally followed by feedback.
  const hash = find(trimmed, '#');
  const tf = textOf(hash < 0 ? trimmed : trimmed.slice(0, hash));
  if (['T', 'TRUE', 'F', 'FALSE'].includes(tf)) {
    if (hash >= 0)
      ctx.warn('True/false feedback (#…) is not kept: only the general feedback (####…) becomes the explanation.');
    return { type: 'truefalse', answer: tf.startsWith('T') };
  }

  // Short answer: =a =b, or a single bare answer.
  const { lead, items } = splitItems(trimmed, '=');
  const bare = textOf(lead);
  const choices = [
    ...(bare ? [{ weight: null, text: ctx.format(bare), feedback: null, line: lineOf(lead, line) }] : []),
    ...items.map((i) => parseChoice(i, ctx)),
  ];
  droppedFeedback(choices);
  const accepted = choices.filter((c) => c.weight === null || c.weight === 100);
  if (accepted.length < choices.length)
    ctx.warn('Short answers with partial credit (=%50%…) are dropped: only full-credit answers are accepted.');
  if (accepted.length === 0) throw new GiftSyntax(line, 'short-answer question without a full-credit answer');
  for (const c of accepted) if (c.text === '') throw new GiftSyntax(c.line, 'empty short answer');
  return { type: 'text', answer: accepted.map((c) => c.text) };
}

/** Reads one blank-line-separated block (comment lines already set apart). */
function parseBlock(
  lines: readonly { text: string; line: number }[],
  comments: readonly string[],
  options: GiftImportOptions,
): GiftImported {
  const first = lines[0]!.line;
  const body = tokenize(lines);
  const ctx = new Context(options.lang ?? 'both');
  if (/^\s*\$CATEGORY:/.test(lines[0]!.text))
    throw new Skip(
      first,
      `category "${textOf(body).replace(/^\$CATEGORY:\s*/, '')}": questions are not filed in categories here, skipped`,
    );

  let i = 0;
  while (i < body.length && isBlank(body[i]!)) i++;
  let title: string | null = null;
  if (at(body, i, '::')) {
    const end = find(body, '::', i + 2);
    if (end < 0) throw new GiftSyntax(body[i]!.line, 'title opened with "::" is not closed with "::"');
    title = textOf(body.slice(i + 2, end));
    i = end + 2;
  }
  const open = find(body, '{', i);
  const close = find(body, '}', i);
  if (open < 0 && close < 0) throw new Skip(first, 'description (no answer block): skipped');
  if (open < 0 || (close >= 0 && close < open))
    throw new GiftSyntax(body[close]!.line, '"}" without a "{" before it (escape a literal brace as \\})');
  if (close < 0)
    throw new GiftSyntax(body[open]!.line, '"{" is not closed with "}" before the blank line that ends the question');
  const nested = find(body, '{', open + 1);
  if (nested >= 0 && nested < close)
    throw new GiftSyntax(body[nested]!.line, 'a second "{" inside the answer block (escape a literal brace as \\{)');
  const afterToks = body.slice(close + 1);
  for (const c of ['{', '}']) {
    const k = find(afterToks, c);
    if (k >= 0)
      throw new GiftSyntax(
        afterToks[k]!.line,
        `a second "${c}": one answer block per question (escape a literal brace as \\${c})`,
      );
  }

  // Missing-word format: text after the braces means the answer goes in a blank, as in Moodle.
  const before = ctx.format(textOf(body.slice(i, open)));
  const after = textOf(afterToks);
  const stemText = after ? `${before} _____ ${after}`.trim() : before;
  if (stemText === '') throw new GiftSyntax(first, 'question without a stem');

  let answer: Toks = body.slice(open + 1, close);
  let feedback: Localized | null = null;
  const gf = findLast(answer, '####');
  if (gf >= 0) {
    const text = ctx.format(textOf(answer.slice(gf + 4)));
    answer = answer.slice(0, gf);
    feedback = ctx.localize(text, lineOf(body.slice(open + 1 + gf), first));
  }

  // An essay is skipped, unless it is an open answer we exported.
  const fields: Candidate =
    textOf(trim(answer)) === '' && comments.some((c) => c.includes(OPEN_MARKER))
      ? { type: 'open' }
      : parseAnswers(
          answer,
          body[open]!.line,
          comments.some((c) => c.includes(ORDERING_MARKER)),
          ctx,
        );

  // Id, topics and difficulty from Moodle's [id:…] and [tag:…] comment fields.
  const comment = comments.join(' ');
  const idField = /\[id:([^\]\x00-\x1f\x7f]+)\]/.exec(comment)?.[1]?.trim();
  const id = [idField, title].find((x): x is string => !!x && ID.test(x));
  if (!id && (idField || title))
    ctx.warn(
      `"${idField ?? title}" is not a valid question id (lower-case letters, digits and -, 3 to 64 long): the question has no id.`,
    );
  const tags = [...comment.matchAll(/\[tag:([^\]\x00-\x1f\x7f]+)\]/g)].map((m) => m[1]!.trim());
  let topics = [...new Set(tags.filter(isTopic))];
  const level = tags.map((t) => /^difficulty-([123])$/.exec(t)?.[1]).find(Boolean);
  const ignored = tags.filter((t) => !isTopic(t) && !/^difficulty-[123]$/.test(t));
  if (ignored.length) ctx.warn(`Tags ignored (not a topic or difficulty-1..3): ${ignored.join(', ')}.`);
  if (topics.length > 3) {
    ctx.warn(`More than three topics: only ${topics.slice(0, 3).join(', ')} are kept.`);
    topics = topics.slice(0, 3);
  }
  if (topics.length === 0) {
    topics = options.defaults?.topics?.length ? [...options.defaults.topics] : ['governance'];
    ctx.warn(`No topic tag: topics set to ${topics.join(', ')}.`);
  }
  const difficulty = level ? (Number(level) as 1 | 2 | 3) : (options.defaults?.difficulty ?? 2);

  // A poll or an open answer may go without an explanation; a question with a right answer needs one.
  let explanation = feedback?.zh || feedback?.en ? feedback : null;
  if (!isUngraded(fields.type) && (!explanation?.zh || !explanation.en)) {
    ctx.warn(
      'No general feedback (####…): a placeholder explanation is used; write one before students see the question.',
    );
    explanation = { zh: explanation?.zh || '（暂无解析）', en: explanation?.en || '(No explanation yet.)' };
  }

  const candidate = {
    ...fields,
    id: id ?? 'teacher-question',
    stem: ctx.localize(stemText, first),
    ...(explanation ? { explanation } : {}),
    topics,
    difficulty,
  };
  // Validate with the real schema; an empty own source stands in for the one a teacher's question lacks.
  const parsed = questionSchema.safeParse({ ...candidate, source: { own: true } });
  if (!parsed.success)
    throw new GiftSyntax(
      first,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'question'}: ${issue.message}`).join('; '),
    );
  const { source: _source, id: _id, ...rest } = parsed.data;
  const question = (id ? { ...rest, id } : rest) as TeacherQuestion;
  return { question, warnings: ctx.warnings, line: first };
}

/**
 * Reads a GIFT file (UTF-8 text; a BOM and CRLF line ends are fine) into teacher questions.
 * Never throws on malformed input: every question that can be read is returned, and each
 * malformed one is reported in `errors` with its line number (1-based).
 */
export function importGift(text: string, options: GiftImportOptions = {}): GiftImportResult {
  const result: GiftImportResult = { questions: [], errors: [], skipped: [] };
  const all = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let lines: { text: string; line: number }[] = [];
  let comments: string[] = [];
  const flush = () => {
    if (lines.length) {
      try {
        result.questions.push(parseBlock(lines, comments, options));
      } catch (e) {
        if (e instanceof Skip) result.skipped.push({ line: e.line, message: e.message });
        else if (e instanceof GiftSyntax) result.errors.push({ line: e.line, message: e.message });
        else throw e;
      }
    }
    lines = [];
    comments = [];
  };
  all.forEach((raw, k) => {
    if (raw.trim() === '') flush();
    // Moodle drops every line that starts with // (after spaces) wherever it is in a question.
    else if (raw.trim().startsWith('//')) comments.push(raw.trim().slice(2));
    else lines.push({ text: raw, line: k + 1 });
  });
  flush();
  return result;
}
