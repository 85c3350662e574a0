/**
 * The question schema: one definition for the bank data, the seed, the Worker and the web
 * client's types. Every question carries both languages and (for bank questions) the verbatim
 * source quote that proves its answer.
 */
import * as z from 'zod';
import {
  IMAGE_LIMITS,
  SECTIONS,
  TOPICS,
  type BankQuestion,
  type Localized,
  type Option,
  type Question,
  type QuestionImage,
  type Same,
  type Section,
} from '../contract';

/** The source article's title and the heading of each section, as a citation shows them. */
export const ARTICLE_TITLE = '守望相助 团结奋斗 内蒙古民族团结进步创建工作呈现崭新气象';
export const SECTION_HEADINGS: Record<Section, string> = {
  intro: ARTICLE_TITLE,
  direction: '把牢政治方向 凝聚创建工作合力',
  captions: '图片说明',
  publicity: '强化宣传教育 增强创建工作影响力',
  commendation: '我区14个集体和17名个人 被中共中央、国务院表彰为全国民族团结进步模范集体和模范个人',
  demonstration: '突出示范引领作用 注入推动发展新动能',
};

/**
 * `z.record` for untrusted JSON. zod 4.1's plain-object check reads `value.constructor.prototype`,
 * so an object with its own `"constructor": null` key (valid JSON) made `z.record` throw a
 * TypeError (a 500) instead of failing validation (colinhacks/zod#5066, fixed upstream by #5098).
 * Such an object is refused here, as not a record.
 */
export const jsonRecord = <K extends z.core.$ZodRecordKey, V extends z.core.SomeType>(key: K, value: V) =>
  z
    .custom<unknown>(
      (v) => v === null || typeof v !== 'object' || (v as { constructor?: unknown }).constructor !== null,
      'Invalid input: expected record',
    )
    .pipe(z.record(key, value));

const text = z.string().trim().min(1).max(600);
/** A text in both languages. */
export const localized = z.strictObject({ zh: text, en: text });

/** An uploaded image's id: 128 random bits, base64url. */
export const imageId = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

/**
 * An image on the stem or on a choice. Its size is the stored image's: the Worker sets it when the
 * question is saved (worker/images/store.ts), whatever a client sent.
 */
const image = z.strictObject({
  id: imageId,
  alt: localized,
  width: z.number().int().min(1).max(IMAGE_LIMITS.maxSide),
  height: z.number().int().min(1).max(IMAGE_LIMITS.maxSide),
});

const optionId = z.string().regex(/^[a-z][a-z0-9]{0,7}$/, 'option ids are short lowercase words like "a" or "x1"');
/** An option; only the choices of a teacher's own single, multi or poll question may carry an image. */
export const option = z.strictObject({ id: optionId, text: localized, image: image.optional() });

/** A list of `min`–`max` options with unique ids. */
export const options = (min: number, max: number) =>
  z
    .array(option)
    .min(min)
    .max(max)
    .refine((list) => new Set(list.map((o) => o.id)).size === list.length, 'option ids must be unique');

/** Topics, difficulty and key: the same for bank questions, teachers' own and generated drafts. */
export const classification = {
  topics: z
    .array(z.enum(TOPICS))
    .min(1)
    .max(3)
    .refine((t) => new Set(t).size === t.length, 'topics must be unique'),
  difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  /**
   * The figure, name or term of the quote that proves the answer, each verbatim in the quote.
   * Optional where the answer's own text already occurs in the quote; required for true/false.
   */
  key: z.array(z.string().min(1).max(100)).min(1).max(6).optional(),
};

/** A teacher's own question (written, imported or generated): the quote is optional and marked as theirs. */
const ownSource = z.strictObject({
  own: z.literal(true),
  quote: z.string().trim().min(1).max(1000).optional(),
  heading: z.string().trim().min(1).max(200).optional(),
});

const base = {
  /** Stable id: answers refer to it, re-seeding updates in place by it. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/),
  stem: localized,
  image: image.optional(),
  explanation: localized,
  source: z.union([
    /**
     * A bank question: its section of the article, a verbatim quote (compared after collapsing
     * whitespace) and the quote's English translation, which runs longer than the Chinese.
     */
    z.strictObject({
      section: z.enum(SECTIONS),
      quote: z.string().min(4).max(1000),
      quoteEn: z.string().trim().min(1).max(5000),
    }),
    ownSource,
  ]),
  ...classification,
};

const single = z.strictObject({ ...base, type: z.literal('single'), options: options(2, 6), answer: optionId });
const multi = z.strictObject({
  ...base,
  type: z.literal('multi'),
  options: options(3, 8),
  answer: z.array(optionId).min(2),
});
const truefalse = z.strictObject({ ...base, type: z.literal('truefalse'), answer: z.boolean() });
const numeric = z.strictObject({
  ...base,
  type: z.literal('numeric'),
  answer: z.number().finite(),
  /** Accepted absolute difference; 0 means exact. */
  tolerance: z.number().finite().min(0),
  unit: localized.optional(),
});
const ordering = z.strictObject({
  ...base,
  type: z.literal('ordering'),
  /** The items, in the order they are shown; must differ from the answer. */
  options: options(3, 6),
  /** Item ids in the correct order. */
  answer: z.array(optionId),
});
const matching = z.strictObject({
  ...base,
  type: z.literal('matching'),
  /** Left-hand items, each to be matched with one target. */
  options: options(2, 6),
  targets: options(2, 8),
  /** left option id → target id */
  answer: jsonRecord(optionId, optionId),
});
const textEntry = z.strictObject({
  ...base,
  type: z.literal('text'),
  /** Accepted answers, compared after normalising width, punctuation, spaces and case. */
  answer: z.array(z.string().trim().min(1).max(100)).min(1),
});

/** A poll has no answer, and only a teacher's own source: a bank quote would prove an answer. */
const poll = z.strictObject({
  ...base,
  // Nobody is right or wrong: a note after voting is the teacher's choice.
  explanation: localized.optional(),
  type: z.literal('poll'),
  source: ownSource,
  options: options(2, 6),
});
/** An open answer has neither options nor answer, and, like the poll, only a teacher's own source. */
const open = z.strictObject({ ...base, explanation: localized.optional(), type: z.literal('open'), source: ownSource });

/** A question with its answer key (a poll and an open answer have none): a bank question or a teacher's own. */
export const question = z
  .discriminatedUnion('type', [single, multi, truefalse, numeric, ordering, matching, textEntry, poll, open])
  .superRefine((q, ctx) => {
    if (q.image && 'section' in q.source)
      ctx.addIssue({ code: 'custom', message: 'only a teacher’s own question may carry an image', path: ['image'] });
    // Items to order and matching pairs stay words: the projector's reveal and the report list them as text.
    const optionImage =
      'section' in q.source
        ? 'only a teacher’s own question may carry an image'
        : q.type === 'single' || q.type === 'multi' || q.type === 'poll'
          ? null
          : 'only the options of a single-choice, multiple-choice or poll question may carry an image';
    const lists = { options: 'options' in q ? q.options : [], targets: q.type === 'matching' ? q.targets : [] };
    if (optionImage)
      for (const [key, list] of Object.entries(lists))
        list.forEach((o, i) => {
          if (o.image) ctx.addIssue({ code: 'custom', message: optionImage, path: [key, i, 'image'] });
        });
    const ids = 'options' in q ? new Set(q.options.map((o) => o.id)) : new Set<string>();
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message, path: ['answer'] });
    switch (q.type) {
      case 'single':
        if (!ids.has(q.answer)) problem(`answer "${q.answer}" is not an option`);
        break;
      case 'multi':
        if (new Set(q.answer).size !== q.answer.length) problem('answer ids repeat');
        for (const id of q.answer) if (!ids.has(id)) problem(`answer "${id}" is not an option`);
        if (q.answer.length >= q.options.length) problem('at least one option must be wrong');
        break;
      case 'ordering':
        if (q.answer.length !== ids.size || !q.answer.every((id) => ids.has(id)) || new Set(q.answer).size !== ids.size)
          problem('answer must list every item exactly once');
        else if (q.answer.every((id, i) => q.options[i]!.id === id))
          problem('items must not be shown in the answer order');
        break;
      case 'matching': {
        const targets = new Set(q.targets.map((t) => t.id));
        const keys = Object.keys(q.answer);
        if (keys.length !== ids.size || !keys.every((k) => ids.has(k))) problem('answer must map every left item');
        const values = Object.values(q.answer);
        if (!values.every((v) => targets.has(v))) problem('answer maps to an unknown target');
        if (new Set(values).size !== values.length) problem('two items map to the same target');
        break;
      }
      default:
        break;
    }
  });

// The schemas accept exactly the contract's types.
true satisfies Same<z.infer<typeof localized>, Localized>;
true satisfies Same<z.infer<typeof option>, Option>;
true satisfies Same<z.infer<typeof image>, QuestionImage>;
true satisfies Same<z.infer<typeof question>, Question>;

/** True for a bank question (its source is a section of the article). */
export const isBankQuestion = (q: Question): q is BankQuestion => 'section' in q.source;
