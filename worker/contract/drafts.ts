/**
 * A draft: a question generated from a teacher's text before the teacher has reviewed it. Same
 * shape as a bank question except its source (a heading and paragraph of the teacher's text) and
 * what made it (`kind`) and how much to trust it (`confidence`). Checked against the Worker's zod
 * schema in worker/generator/draft.ts.
 */
import type { Localized, Option, Topic } from './questions';

/** The longest text the generator reads, in characters. */
export const MAX_GENERATE_CHARS = 50_000;

/** What produced a draft; several kinds map onto one question type. */
export const DRAFT_KINDS = ['figure-cloze', 'term-cloze', 'truefalse', 'matching', 'ordering'] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

/** Where a draft comes from in the teacher's text. */
export interface DraftSource {
  /** The heading of the section the quote is in ("" before the first heading). */
  heading: string;
  /** The sentence (or clause) the draft is built from, verbatim once Markdown markup is removed. */
  quote: string;
  /** 1-based paragraph (or list item) within the section. */
  paragraph: number;
}

interface DraftBase {
  /** `gen-` and a hash of the draft's content: the same text gives the same ids. */
  id: string;
  stem: Localized;
  explanation: Localized;
  source: DraftSource;
  topics: Topic[];
  difficulty: 1 | 2 | 3;
  key?: string[];
  /** 0..1: lower when distractors were synthesised, the sentence is long or a term's kind is a guess. */
  confidence: number;
}

/**
 * A generated draft question, in the language of the sentence it comes from only: the generator
 * does not translate, so every text's `en` equals its `zh` (a Chinese draft is Chinese in both).
 * A teacher may write the English in review; until then a session in English leaves the question
 * out (worker/questions/language.ts).
 */
export type Draft =
  | (DraftBase & { kind: 'figure-cloze' | 'term-cloze'; type: 'single'; options: Option[]; answer: string })
  | (DraftBase & { kind: 'truefalse'; type: 'truefalse'; answer: boolean })
  | (DraftBase & { kind: 'ordering'; type: 'ordering'; options: Option[]; answer: string[] })
  | (DraftBase & {
      kind: 'matching';
      type: 'matching';
      options: Option[];
      targets: Option[];
      answer: Record<string, string>;
    });
