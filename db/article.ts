/**
 * The source article as data: its sections and paragraphs, parsed from Markdown so that the bank
 * check can place every quote and every figure. Pure functions only; callers load the text.
 */
import { SECTION_HEADINGS } from '../worker/questions/schema';
import { type Section, SECTIONS } from '../worker/contract';

/** One paragraph (or photo caption) of the article. */
export interface Paragraph {
  section: Section;
  /** 1-based position within its section. */
  index: number;
  text: string;
}

/** Parsed article: the title, each section's heading and its paragraphs in reading order. */
export interface Article {
  title: string;
  headings: Record<Section, string>;
  paragraphs: Paragraph[];
}

/** Collapses runs of whitespace to one space, the form in which quotes are compared. */
export const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Parses the article's Markdown; throws if its headings are not the ones the bank is keyed by. */
export function parseArticle(markdown: string): Article {
  let title = '';
  let section: Section = 'intro';
  const headings = { ...SECTION_HEADINGS };
  const paragraphs: Paragraph[] = [];
  const counts = new Map<Section, number>();
  for (const raw of markdown.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('## ')) {
      const heading = collapse(line.slice(3));
      const next = SECTIONS.find((s) => s !== 'intro' && SECTION_HEADINGS[s] === heading);
      if (!next) throw new Error(`unknown article heading: ${heading}`);
      section = next;
      // The heading itself states figures (14 collectives, 17 people) that questions may quote.
      continue;
    }
    if (line.startsWith('# ')) {
      title = collapse(line.slice(2));
      if (title !== SECTION_HEADINGS.intro) throw new Error(`unexpected article title: ${title}`);
      continue;
    }
    const index = (counts.get(section) ?? 0) + 1;
    counts.set(section, index);
    paragraphs.push({ section, index, text: collapse(line.replace(/^- /, '')) });
  }
  return { title, headings, paragraphs };
}

/**
 * Figures the article states: dates like 9月27日 and every Arabic number (with its decimal part),
 * each once, in order of first appearance.
 */
export function articleFigures(markdown: string): string[] {
  return [...new Set(collapse(markdown).match(/\d+月\d+日|\d+(?:\.\d+)?/g) ?? [])];
}
