/**
 * The schema's fixed lists as plain arrays: `worker/questions/schema.ts` builds zod schemas at
 * load time, so the web client imports only its types and repeats the lists here. The checks at
 * the bottom fail to compile when a list and the schema's type drift apart.
 */
import type { QuestionType, Topic } from '../../worker/questions/schema';

/** Every topic, in the schema's order. */
export const TOPICS_LIST = [
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
] as const satisfies readonly Topic[];

/** Every question type, in the schema's order. */
export const QUESTION_TYPES_LIST = ['single', 'multi', 'truefalse', 'numeric', 'ordering', 'matching', 'text'] as const satisfies readonly QuestionType[];

type Missing<All, Listed> = Exclude<All, Listed> extends never ? true : false;
const topicsComplete: Missing<Topic, (typeof TOPICS_LIST)[number]> = true;
const typesComplete: Missing<QuestionType, (typeof QUESTION_TYPES_LIST)[number]> = true;
void topicsComplete;
void typesComplete;
