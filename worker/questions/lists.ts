/**
 * The question schema's fixed lists, with no imports: ./schema builds its zod schemas from them,
 * and the web client (which must not load zod) renders its pickers from the same arrays.
 */

/** Fixed topic list; a question has one to three of them. */
export const TOPICS = ['history', 'law-policy', 'models', 'governance', 'publicity', 'culture', 'livelihood', 'rural', 'border', 'exchange'] as const;
export type Topic = (typeof TOPICS)[number];

/** The seven kinds of question the product renders and scores. */
export const QUESTION_TYPES = ['single', 'multi', 'truefalse', 'numeric', 'ordering', 'matching', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
