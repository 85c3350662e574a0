import type { QuestionImage } from './images';

/**
 * Questions as both sides see them: the fixed lists the pickers render, a question with its
 * answer key, and what a student's device may see of one. Plain types and constant arrays only:
 * the Worker's zod schemas (worker/questions/schema.ts) are checked against these types.
 */

/** Fixed topic list; a question has one to three of them. */
export const TOPICS = [
  'history',
  'law-policy',
  'models',
  'governance',
  'publicity',
  'culture',
  'livelihood',
  'rural',
  'border',
  'exchange',
  'economy',
] as const;
export type Topic = (typeof TOPICS)[number];

/** The kinds of question the product renders; all but the poll and the open answer are scored. */
export const QUESTION_TYPES = [
  'single',
  'multi',
  'truefalse',
  'numeric',
  'ordering',
  'matching',
  'text',
  'poll',
  'open',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
/** The types that are neither right nor wrong and earn nothing: a vote, an open answer. */
export const UNGRADED_TYPES = ['poll', 'open'] as const satisfies readonly QuestionType[];
export const isUngraded = (type: QuestionType): type is (typeof UNGRADED_TYPES)[number] =>
  (UNGRADED_TYPES as readonly QuestionType[]).includes(type);
/** The types a bank question has: all but the ungraded ones, which have no answer for the article to prove. */
export const BANK_QUESTION_TYPES: readonly QuestionType[] = QUESTION_TYPES.filter((t) => !isUngraded(t));

/** Languages a question is written in; Chinese first. */
export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** Sections of the source article, in reading order. */
export const SECTIONS = ['intro', 'direction', 'captions', 'publicity', 'commendation', 'demonstration'] as const;
export type Section = (typeof SECTIONS)[number];

/** A text in both languages. */
export interface Localized {
  zh: string;
  en: string;
}

/** A choice, an item to order, or one side of a matching pair. */
export interface Option {
  id: string;
  text: Localized;
  /** A choice's image (single, multi, poll of a teacher's own question only), shown with its text. */
  image?: QuestionImage;
}

/** A bank question's source: its section of the article, a verbatim quote and its English translation. */
export interface BankSource {
  section: Section;
  quote: string;
  /** The quote in English, for sessions in English; Chinese only for names given in brackets. */
  quoteEn: string;
}

/** A teacher's own question's source: the quote is optional and marked as theirs. */
export interface OwnSource {
  own: true;
  quote?: string;
  heading?: string;
}

interface QuestionBase {
  /** Stable id: answers refer to it, re-seeding updates in place by it. */
  id: string;
  stem: Localized;
  /** An image shown with the stem: a teacher's own question only (the bank cites the article). */
  image?: QuestionImage;
  explanation: Localized;
  source: BankSource | OwnSource;
  topics: Topic[];
  difficulty: 1 | 2 | 3;
  /** The figure, name or term of the quote that proves the answer, each verbatim in the quote. */
  key?: string[];
}

export interface SingleQuestion extends QuestionBase {
  type: 'single';
  options: Option[];
  answer: string;
}
export interface MultiQuestion extends QuestionBase {
  type: 'multi';
  options: Option[];
  answer: string[];
}
export interface TrueFalseQuestion extends QuestionBase {
  type: 'truefalse';
  answer: boolean;
}
export interface NumericQuestion extends QuestionBase {
  type: 'numeric';
  answer: number;
  /** Accepted absolute difference; 0 means exact. */
  tolerance: number;
  unit?: Localized;
}
export interface OrderingQuestion extends QuestionBase {
  type: 'ordering';
  /** The items, in the order they are shown; never the answer's order. */
  options: Option[];
  /** Item ids in the correct order. */
  answer: string[];
}
export interface MatchingQuestion extends QuestionBase {
  type: 'matching';
  /** Left-hand items, each to be matched with one target. */
  options: Option[];
  targets: Option[];
  /** Left option id → target id. */
  answer: Record<string, string>;
}
export interface TextQuestion extends QuestionBase {
  type: 'text';
  /** Accepted answers, compared after normalising width, punctuation, spaces and case. */
  answer: string[];
}

/** A question nobody answers right or wrong: a note after answering is the teacher's choice. */
interface UngradedBase extends Omit<QuestionBase, 'explanation'> {
  explanation?: Localized;
}

/**
 * A poll: the class picks an option and nobody is right or wrong, so it has no answer and earns no
 * points. Only a teacher's own question can be a poll: the bank cites the article to prove answers.
 */
export interface PollQuestion extends UngradedBase {
  type: 'poll';
  source: OwnSource;
  options: Option[];
}

/**
 * An open answer: each student types a few words, the projector shows them as a word cloud. Nobody
 * is right or wrong and it earns no points; a teacher's own question only, like the poll.
 */
export interface OpenQuestion extends UngradedBase {
  type: 'open';
  source: OwnSource;
}

/** Longest open answer, in characters (after trimming): a few words, not an essay. */
export const OPEN_ANSWER_MAX = 80;

/** A question with its answer key (a poll and an open answer have none): a bank question or a teacher's own. */
export type Question =
  | SingleQuestion
  | MultiQuestion
  | TrueFalseQuestion
  | NumericQuestion
  | OrderingQuestion
  | MatchingQuestion
  | TextQuestion
  | PollQuestion
  | OpenQuestion;
/** A question that has a right answer. */
export type GradedQuestion = Exclude<Question, PollQuestion | OpenQuestion>;
/** A question of the bank, cited from the article. */
export type BankQuestion = GradedQuestion & { source: BankSource };

/**
 * A question as sent to a student before they answer: never the answer, key, explanation or source.
 * Its id and its options' and targets' ids are the session's own, never the bank's.
 */
export interface StudentQuestion {
  id: string;
  type: QuestionType;
  stem: Localized;
  image?: QuestionImage;
  /** Choices (single, multi, poll), items to order (ordering) or left-hand items (matching). */
  options?: Option[];
  /** Right-hand choices of a matching question. */
  targets?: Option[];
  unit?: Localized;
}

/** The correct answer with its explanation and source, sent once the student has answered. */
export interface Reveal {
  /** Null for a poll or an open answer, which have no right answer. */
  answer: GradedQuestion['answer'] | null;
  tolerance?: number;
  /** Absent for a poll or an open answer without one. */
  explanation?: Localized;
  /**
   * The sentence that proves the answer, and where it stands; absent for a teacher's own question
   * without one. Bank quotes also come in English (`quoteEn`); a teacher's own quote does not.
   */
  source: { quote: string; quoteEn?: string; heading: string } | null;
}

/** What a student submits, by question type. */
export interface ResponseByType {
  single: { optionId: string };
  multi: { optionIds: string[] };
  truefalse: { value: boolean };
  numeric: { value: number };
  ordering: { order: string[] };
  matching: { pairs: Record<string, string> };
  text: { text: string };
  poll: { optionId: string };
  open: { text: string };
}
/** A submitted answer of any type. */
export type AnswerResponse = ResponseByType[QuestionType];

/** True when two types accept exactly the same values: zod schemas are checked against this contract with it. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
