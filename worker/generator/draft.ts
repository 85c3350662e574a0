/**
 * The draft: a generated question before a teacher has reviewed it. Same shape as a bank
 * question (worker/questions/schema.ts) except where a generated text differs from the bank's
 * article: the source names a heading and a paragraph of the teacher's text instead of one of the
 * article's fixed sections, and every draft says what made it (`kind`) and how much to trust it
 * (`confidence`).
 *
 * The schema reuses the question schema's pieces (`localized`, `option`, `classification`) and, through
 * {@link asQuestion}, its cross-field rules (answer among the options, ordering not shown in answer
 * order, matching maps every item to a distinct target), so a draft that passes here becomes a
 * valid teacher's question once its source is placed.
 */
import * as z from 'zod';
import type { Draft, DraftSource, Question, Same } from '../contract';
import { classification, jsonRecord, localized, option, options, question } from '../questions/schema';

/** Where a draft comes from in the teacher's text. */
export const draftSource = z.strictObject({
  /** The heading of the section the quote is in ("" before the first heading). */
  heading: z.string().max(300),
  /**
   * The sentence (or clause) the draft is built from, verbatim from the text once Markdown markup
   * and soft line breaks are removed. Orderings quote several excerpts joined by " … ".
   */
  quote: z.string().min(4).max(1000),
  /** 1-based paragraph (or list item) within the section. */
  paragraph: z.number().int().min(1),
});

const optionId = option.shape.id;

const base = {
  /** `gen-` and a hash of the draft's content: the same text gives the same ids. */
  id: z.string().regex(/^gen-[a-z0-9-]{2,59}$/),
  stem: localized,
  explanation: localized,
  source: draftSource,
  ...classification,
  /** 0..1: lower when distractors were synthesised, the sentence is long or a term's kind is a guess. */
  confidence: z.number().min(0).max(1),
};

const single = z.strictObject({
  ...base,
  kind: z.enum(['figure-cloze', 'term-cloze']),
  type: z.literal('single'),
  options: options(2, 6),
  answer: optionId,
});
const truefalse = z.strictObject({
  ...base,
  kind: z.literal('truefalse'),
  type: z.literal('truefalse'),
  answer: z.boolean(),
});
const ordering = z.strictObject({
  ...base,
  kind: z.literal('ordering'),
  type: z.literal('ordering'),
  options: options(3, 6),
  answer: z.array(optionId),
});
const matching = z.strictObject({
  ...base,
  kind: z.literal('matching'),
  type: z.literal('matching'),
  options: options(2, 6),
  targets: options(2, 8),
  answer: jsonRecord(optionId, optionId),
});

const draftUnion = z.discriminatedUnion('type', [single, truefalse, ordering, matching]);
// The schemas accept exactly the contract's drafts.
true satisfies Same<z.infer<typeof draftSource>, DraftSource>;
true satisfies Same<z.infer<typeof draftUnion>, Draft>;

/** Validates a draft: its own shape plus the question schema's cross-field rules. */
export const draft = draftUnion.superRefine((d, ctx) => {
  // The question schema's own cross-field rules, applied to the draft seen as a question.
  const parsed = question.safeParse(asQuestion(d));
  if (!parsed.success)
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});

/**
 * The draft as a teacher's own question, which is what a published draft becomes: drops `kind`
 * and `confidence` and keeps the quote. Used to run the question schema's rules on drafts.
 */
export function asQuestion(d: Draft): Question {
  const { kind: _kind, confidence: _confidence, source, ...rest } = d;
  return { ...rest, id: d.id.slice(0, 64), source: { own: true, quote: source.quote } } as Question;
}
