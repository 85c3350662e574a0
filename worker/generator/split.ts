/**
 * Markdown or plain text → sections → paragraphs → sentences, the units the generator quotes.
 *
 * Sentences come from `Intl.Segmenter` (granularity "sentence"; present in workerd and Node 20),
 * which handles 。！？ and English . ! ? with decimals ("3.5 km") and grouped numbers ("3,258").
 * ICU's rules need repairs for Chinese, done here:
 * - it ends a sentence after an opening quote that follows 。 ("…起来。“" | "你好。”"): opening
 *   brackets left at the end of a segment are moved to the next one;
 * - it may end a sentence inside “…” or 《…》: segments are joined until brackets balance;
 * - it ends a sentence after a quotation that closes with 。 and goes on ("“你好。”他说。",
 *   "讲述“三千孤儿入内蒙。”故事。"): a short continuation is joined back;
 * - it does not split at ；, which in Chinese reports separates self-contained statements: we split
 *   there (outside brackets) and keep the whole sentence as `parent`, for context.
 * English abbreviations ("Mr. Li") are joined to the sentence they open.
 * Nothing inside a sentence is altered, so figures stay whole with their units and qualifiers
 * (2.9万多件, 90%以上, 1000余场次).
 */
import { BRACKETS, hasHan, unclosedBrackets } from './util';

/** One sentence (or one ；-separated clause of a sentence) of a paragraph, verbatim. */
export interface DocSentence {
  text: string;
  /** Offset of `text` in its paragraph's text. */
  start: number;
  /** The whole sentence, when `text` is one of its ；-separated clauses. */
  parent?: string;
  /** Script of the sentence: any Han character makes it Chinese. */
  lang: 'zh' | 'en';
}

/** A paragraph, list item or photo caption. */
export interface DocParagraph {
  /** 1-based position within its section (0 would be the heading). */
  index: number;
  /** The paragraph's text with Markdown markup removed and soft line breaks joined. */
  text: string;
  sentences: DocSentence[];
}

/** Text under one heading; the text before the first heading forms a section with heading "". */
export interface DocSection {
  /** 0-based position in the document. */
  index: number;
  heading: string;
  paragraphs: DocParagraph[];
}

/** A parsed input text. */
export interface Doc {
  sections: DocSection[];
}

const TERMINAL = /[。！？!?…」』”’"'）)\].]$/;
const OPENERS_AT_END = /[“《「『（(【〈]+\s*$/;
const ABBREVIATION =
  /(?:^|\s)(?:Mr|Mrs|Ms|Dr|Prof|St|No|vs|etc|e\.g|i\.e|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.\s*$/;

const segmenters = new Map<string, Intl.Segmenter>();
/** One segmenter per locale, created on first use (construction is the costly part). */
function segmenter(locale: 'zh' | 'en'): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (!s) segmenters.set(locale, (s = new Intl.Segmenter(locale, { granularity: 'sentence' })));
  return s;
}

interface Span {
  text: string;
  start: number;
}

/**
 * Splits one paragraph into sentences, then Chinese sentences into their ；-clauses. Offsets
 * refer to the paragraph; leading and trailing spaces are trimmed from each sentence.
 */
export function splitSentences(paragraph: string): DocSentence[] {
  const locale = hasHan(paragraph) ? 'zh' : 'en';
  const parts: Span[] = [];
  for (const s of segmenter(locale).segment(paragraph)) parts.push({ text: s.segment, start: s.index });

  // Repair 1: an opening bracket stranded at the end of a segment belongs to the next one.
  for (let i = 0; i + 1 < parts.length; i++) {
    const part = parts[i]!;
    const m = OPENERS_AT_END.exec(part.text);
    if (m && m.index > 0) {
      const next = parts[i + 1]!;
      parts[i] = { text: part.text.slice(0, m.index), start: part.start };
      parts[i + 1] = { text: m[0] + next.text, start: next.start - m[0].length };
    }
  }

  // Repair 2: join segments while a bracket is open (bounded, so one stray “ cannot swallow a
  // whole paragraph), after an English abbreviation, and a Chinese quotation with its short
  // attribution (“你好。”他说。 is one sentence).
  const merged: Span[] = [];
  for (const part of parts) {
    const prev = merged[merged.length - 1];
    if (prev && shouldJoin(prev.text, part.text)) prev.text += part.text;
    else merged.push({ ...part });
  }

  const out: DocSentence[] = [];
  for (const span of merged) {
    const lead = span.text.length - span.text.trimStart().length;
    const text = span.text.trim();
    if (!text) continue;
    const start = span.start + lead;
    const lang = hasHan(text) ? 'zh' : 'en';
    const clauses = lang === 'zh' ? splitClauses(text) : [{ text, start: 0 }];
    if (clauses.length < 2) out.push({ text, start, lang });
    else
      for (const c of clauses)
        out.push({ text: c.text, start: start + c.start, parent: text, lang: hasHan(c.text) ? 'zh' : 'en' });
  }
  return out;
}

function shouldJoin(prev: string, next: string): boolean {
  if (!next.trim()) return true;
  if (unclosedBrackets(prev) > 0 && prev.length < 800) return true;
  if (ABBREVIATION.test(prev) && /^\s*[A-Za-z0-9]/.test(next)) return true;
  // A sentence that ends inside a quotation and goes on briefly: “三千孤儿入内蒙。”故事。
  const t = next.trim();
  return /[。！？!?][”」』]\s*$/.test(prev) && hasHan(t.charAt(0)) && t.length <= 12 && !/[“《「『]/.test(t);
}

/** Splits a Chinese sentence after each ； that is outside brackets; clauses keep their ；. */
function splitClauses(sentence: string): Span[] {
  if (!sentence.includes('；')) return [{ text: sentence, start: 0 }];
  const out: Span[] = [];
  const stack: string[] = [];
  let from = 0;
  for (let i = 0; i < sentence.length; i++) {
    const c = sentence.charAt(i);
    if (c in BRACKETS) stack.push(BRACKETS[c]!);
    else if (stack.length && c === stack[stack.length - 1]) stack.pop();
    else if (c === '；' && !stack.length) {
      const piece = sentence.slice(from, i + 1);
      if (piece.trim()) out.push({ text: piece.trim(), start: from + (piece.length - piece.trimStart().length) });
      from = i + 1;
    }
  }
  const rest = sentence.slice(from);
  if (rest.trim()) out.push({ text: rest.trim(), start: from + (rest.length - rest.trimStart().length) });
  return out;
}

/** Removes inline Markdown (links, images, emphasis, code, HTML tags), keeping the words. */
export function stripInline(s: string): string {
  return s
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/g, '')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])/g, '$1')
    .replace(/`([^`]+)`/g, '$1');
}

/**
 * Joins two physical lines of one paragraph: no space between two Chinese characters (a line
 * break there is an artefact of copying from a page), one space otherwise.
 */
function joinLines(a: string, b: string): string {
  if (!a) return b;
  const left = a.charAt(a.length - 1);
  const right = b.charAt(0);
  const cjk = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”《》]/;
  return cjk.test(left) && cjk.test(right) ? a + b : `${a} ${b}`;
}

interface Block {
  text: string;
  heading: boolean;
  /** Marked up (Markdown heading) rather than guessed. */
  marked: boolean;
  list: boolean;
  /** Physical lines joined into the block. */
  lines: number;
}

/**
 * Parses Markdown or plain text. Headings are `#` lines (any level), setext underlines, or, in
 * plain text, a short standalone line without sentence punctuation (e.g. "一、把牢政治方向").
 * Paragraphs are separated by blank lines; within a block a line that ends a sentence also ends
 * the paragraph, so plain text with one paragraph per line works, while a line broken in the
 * middle of a sentence is joined to the next one. Code blocks and tables are skipped.
 */
export function parseDocument(input: string): Doc {
  const blocks: Block[] = [];
  let current: Block | null = null;
  let inCode = false;
  const flush = () => {
    if (current && current.text.trim()) blocks.push({ ...current, text: current.text.trim() });
    current = null;
  };
  for (const raw of input.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.replace(/\u00a0/g, ' ').trim();
    if (/^(```|~~~)/.test(line)) {
      flush();
      inCode = !inCode;
      continue;
    }
    if (inCode) continue;
    if (!line || /^\|/.test(line)) {
      flush();
      continue;
    }
    const atx = /^#{1,6}\s+(.*?)(?:\s+#+)?$/.exec(line);
    if (atx) {
      flush();
      blocks.push({ text: stripInline(atx[1]!).trim(), heading: true, marked: true, list: false, lines: 1 });
      continue;
    }
    if (/^(=+|-+)$/.test(line) && current && !current.list && !/\n/.test(current.text) && current.text.length <= 80) {
      // Setext heading: the line above, underlined.
      const c: Block = current;
      current = null;
      blocks.push({ text: c.text, heading: true, marked: true, list: false, lines: 1 });
      continue;
    }
    if (/^([-*_])(\s*\1){2,}$/.test(line)) {
      flush();
      continue;
    }
    const body = line.replace(/^(>\s?)+/, '');
    const item = /^(?:[-*+•]|\d{1,3}[.)])\s+(.*)$/.exec(body);
    if (item) {
      flush();
      current = { text: stripInline(item[1]!), heading: false, marked: false, list: true, lines: 1 };
      continue;
    }
    // A run-in sub-heading ("**坚持自愿参加。** 课后服务由…", "**Costs** The project…") names
    // the paragraph; it is no part of any sentence a draft should quote, so it is left out.
    // It ends in a stop or colon, or a space follows it; "**阳光中学**今年…" is emphasis in a sentence.
    const bold = current ? null : /^(\*\*|__)([^*_]{1,30}?)\1(\s*)(?=\S)/.exec(body);
    const runIn = bold && (/[。．.：:！!]$/.test(bold[2]!) || bold[3]) ? bold : null;
    const text = stripInline(runIn ? body.slice(runIn[0].length) : body);
    // A heading-like first line stays apart from the line after it ("一、赛事概况" then its text).
    if (current && !current.list && current.lines === 1 && headingLike(current.text)) flush();
    if (current) {
      const joined: Block = current;
      joined.text = joinLines(joined.text, text);
      joined.lines++;
    } else current = { text, heading: false, marked: false, list: false, lines: 1 };
    if (TERMINAL.test(text)) flush();
  }
  flush();

  const sections: DocSection[] = [];
  let section: DocSection | null = null;
  for (const b of blocks) {
    if (b.heading || looksLikeHeading(b)) {
      section = { index: sections.length, heading: b.text.replace(/\s+/g, ' '), paragraphs: [] };
      sections.push(section);
      continue;
    }
    if (!section) {
      section = { index: 0, heading: '', paragraphs: [] };
      sections.push(section);
    }
    const text = b.text.replace(/[ \t]+/g, ' ');
    section.paragraphs.push({ index: section.paragraphs.length + 1, text, sentences: splitSentences(text) });
  }
  return { sections };
}

/**
 * A line that reads as a heading when it stands first in a block: no punctuation, and numbered
 * ("一、", "（二）", "第三章") or short. A line broken by a page is usually a full line, longer.
 */
function headingLike(line: string): boolean {
  if (/[。！？!?；;，,：:]/.test(line) || line.length > 30) return false;
  return (
    /^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、]\s*|第[一二三四五六七八九十\d]+[章节部分])/.test(
      line,
    ) || line.length <= 16
  );
}

/** A plain-text heading: short, one line, no sentence or clause punctuation. */
function looksLikeHeading(b: Block): boolean {
  if (b.list || b.marked) return false;
  const t = b.text;
  if (t.length > 50 || /[。！？!?；;，,：:]/.test(t) || /[.…]$/.test(t)) return false;
  // A lone English fragment ending without a full stop is usually a title ("Sports Day 2024");
  // a Chinese line needs at least two characters to be one.
  return t.replace(/\s/g, '').length >= 2;
}
