/**
 * Server-side grading and points. Pure functions: the routes and the live game call them with
 * server times only, so a client can neither claim a faster time nor see how an answer is judged.
 */
import * as z from 'zod';
import { jsonRecord } from './schema';
import {
  OPEN_ANSWER_MAX,
  type AnswerResponse,
  type Question,
  type QuestionType,
  type ResponseByType,
  type Same,
} from '../contract';

const id = z.string().min(1).max(16);

/** What a student may submit for each type of question. */
export const responseSchemas = {
  single: z.strictObject({ optionId: id }),
  multi: z.strictObject({ optionIds: z.array(id).max(8) }),
  truefalse: z.strictObject({ value: z.boolean() }),
  numeric: z.strictObject({ value: z.number().finite() }),
  ordering: z.strictObject({ order: z.array(id).max(8) }),
  matching: z.strictObject({ pairs: jsonRecord(id, id) }),
  text: z.strictObject({ text: z.string().max(200) }),
  poll: z.strictObject({ optionId: id }),
  // Trimmed here, so that what is stored, counted and shown is what the student meant.
  open: z.strictObject({ text: z.string().trim().min(1).max(OPEN_ANSWER_MAX) }),
} satisfies Record<QuestionType, z.ZodType>;

const anyResponse = z.union(Object.values(responseSchemas));

/**
 * True when `response` has the shape of an answer to some type of question. Checked where a request
 * arrives, before any room sees it, so that no other value (deeply nested JSON, say) travels on.
 */
export const isResponseShape = (response: unknown): boolean => anyResponse.safeParse(response).success;

/** A submitted answer of the given question type. */
export type ResponseOf<T extends QuestionType> = ResponseByType[T];
// The schemas accept exactly the contract's responses.
true satisfies Same<{ [T in QuestionType]: z.infer<(typeof responseSchemas)[T]> }, ResponseByType>;

/**
 * Result of grading: either a verdict (`credit` is the share of the points earned: 1 when right,
 * 0 when wrong, in between only for a partly right multiple select with partial credit on), or
 * why the response does not fit the question.
 */
export type Grade = { ok: true; correct: boolean; credit: number } | { ok: false; message: string };

/** Grading options a session sets. */
export interface GradeOptions {
  /** Multiple select: each right choice earns its share, each wrong one takes a share away (floor 0). */
  partialCredit?: boolean;
}

const verdict = (correct: boolean): Grade => ({ ok: true, correct, credit: correct ? 1 : 0 });

/** Folds full/half width, case, spaces and punctuation, so that “包钢” and 包钢 compare equal. */
export const normalizeText = (s: string): string =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]/gu, '');

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Grades `response` against `q`. A response naming options the question does not have, or of the
 * wrong shape for its type, is not wrong but malformed (`ok: false`), so the caller can answer 400.
 */
export function grade(q: Question, response: unknown, options: GradeOptions = {}): Grade {
  const parsed = responseSchemas[q.type].safeParse(response);
  if (!parsed.success) return { ok: false, message: `This answer does not fit a ${q.type} question.` };
  const r = parsed.data as AnswerResponse;
  const optionIds = 'options' in q ? q.options.map((o) => o.id) : [];
  const unknown = (ids: readonly string[]) => ids.some((x) => !optionIds.includes(x));
  switch (q.type) {
    case 'single': {
      const { optionId } = r as ResponseOf<'single'>;
      if (unknown([optionId])) return { ok: false, message: 'That option is not part of this question.' };
      return verdict(optionId === q.answer);
    }
    case 'multi': {
      const { optionIds: chosen } = r as ResponseOf<'multi'>;
      if (unknown(chosen) || new Set(chosen).size !== chosen.length)
        return { ok: false, message: 'Choose each option at most once, from this question.' };
      if (sameSet(chosen, q.answer) || !options.partialCredit) return verdict(sameSet(chosen, q.answer));
      const hits = chosen.filter((x) => q.answer.includes(x)).length;
      return { ok: true, correct: false, credit: Math.max(0, (hits - (chosen.length - hits)) / q.answer.length) };
    }
    case 'truefalse':
      return verdict((r as ResponseOf<'truefalse'>).value === q.answer);
    case 'numeric':
      // The epsilon absorbs binary rounding of decimals such as 31.09.
      return verdict(Math.abs((r as ResponseOf<'numeric'>).value - q.answer) <= q.tolerance + 1e-9);
    case 'ordering': {
      const { order } = r as ResponseOf<'ordering'>;
      if (!sameSet(order, optionIds) || new Set(order).size !== order.length)
        return { ok: false, message: 'Put every item of this question in order, each once.' };
      return verdict(order.every((x, i) => x === q.answer[i]));
    }
    case 'matching': {
      const { pairs } = r as ResponseOf<'matching'>;
      const targetIds = q.targets.map((t) => t.id);
      const left = Object.keys(pairs);
      if (!sameSet(left, optionIds) || Object.values(pairs).some((t) => !targetIds.includes(t)))
        return { ok: false, message: 'Match every item of this question with one of its choices.' };
      return verdict(left.every((k) => pairs[k] === q.answer[k]));
    }
    case 'text': {
      const given = normalizeText((r as ResponseOf<'text'>).text);
      return verdict(given.length > 0 && q.answer.some((a) => normalizeText(a) === given));
    }
    case 'poll':
      // Any option is a valid vote; it is neither right nor wrong and earns nothing.
      if (unknown([(r as ResponseOf<'poll'>).optionId]))
        return { ok: false, message: 'That option is not part of this question.' };
      return { ok: true, correct: false, credit: 0 };
    case 'open':
      // Any few words are an answer; neither right nor wrong, earning nothing.
      return { ok: true, correct: false, credit: 0 };
  }
}

/** The response as stored once graded: an open answer trimmed, as it was checked; any other as given. */
export const storedResponse = (q: Question, response: unknown): unknown =>
  q.type === 'open' ? responseSchemas.open.parse(response) : response;

/**
 * Points for an answer: round(1000 × (1 − t / 2T) × credit) within the limit T, else 0. A right
 * answer (credit 1) in time therefore earns 500 to 1000. Untimed (T = 0): 1000 × credit, since
 * speed must not count where the teacher removed the clock.
 */
export function pointsFor(credit: number, elapsedMs: number, limitMs: number): number {
  if (credit <= 0) return 0;
  if (limitMs === 0) return Math.round(1000 * Math.min(1, credit));
  if (elapsedMs > limitMs) return 0;
  return Math.round(1000 * (1 - Math.max(0, elapsedMs) / (2 * limitMs)) * Math.min(1, credit));
}
