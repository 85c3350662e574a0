/**
 * The "write a question" form as plain data, and its conversion to and from the API's question
 * shape (worker/questions/schema.ts). The server validates; this only shapes what was typed. A
 * text left empty in one language takes the other language's text, since every question carries
 * both and many teachers write in one.
 */
import type { QuestionBody } from '../types';
import type { Localized, Question, QuestionImage, QuestionType, Topic } from '../../../../worker/contract';

/** A choice, or an item to order (in the correct order). */
export interface OptionRow {
  zh: string;
  en: string;
  correct: boolean;
  /** A choice's image, its alt text as typed (kept, unsent, while the type has no images on options). */
  image?: QuestionImage | null;
}

/** A matching pair: a left item and its match. */
export interface PairRow {
  zh: string;
  en: string;
  matchZh: string;
  matchEn: string;
}

/** Everything the form holds, for every type at once (switching type keeps what was typed). */
export interface QuestionForm {
  type: QuestionType;
  stem: Localized;
  /** The stem's image, its alt text as typed. */
  image: QuestionImage | null;
  explanation: Localized;
  topics: Topic[];
  difficulty: 1 | 2 | 3;
  quote: string;
  heading: string;
  /** Single and multiple choice: the choices; ordering: the items in the correct order. */
  options: OptionRow[];
  pairs: PairRow[];
  /** Extra matching choices that match nothing, kept as they were (not edited here). */
  extraTargets: Localized[];
  truth: boolean;
  number: string;
  tolerance: string;
  unit: Localized;
  /** Accepted answers of a fill-in question, one per line. */
  accepted: string;
  /** The answer's proof terms, kept as they were when editing. */
  key?: string[] | undefined;
}

/** How many rows each type allows (mirrors the schema's limits). */
export const ROW_LIMITS: Record<'single' | 'multi' | 'ordering' | 'matching' | 'poll', { min: number; max: number }> = {
  single: { min: 2, max: 6 },
  poll: { min: 2, max: 6 },
  multi: { min: 3, max: 8 },
  ordering: { min: 3, max: 6 },
  matching: { min: 2, max: 6 },
};

const blankOption = (): OptionRow => ({ zh: '', en: '', correct: false });
const blankPair = (): PairRow => ({ zh: '', en: '', matchZh: '', matchEn: '' });

/** An empty form. */
export function emptyForm(type: QuestionType = 'single'): QuestionForm {
  return fitRows({
    type,
    stem: { zh: '', en: '' },
    image: null,
    explanation: { zh: '', en: '' },
    topics: [],
    difficulty: 2,
    quote: '',
    heading: '',
    options: [],
    pairs: [],
    extraTargets: [],
    truth: true,
    number: '',
    tolerance: '0',
    unit: { zh: '', en: '' },
    accepted: '',
  });
}

/** The form with at least the minimum number of rows its type needs. */
export function fitRows(form: QuestionForm): QuestionForm {
  const limits = form.type in ROW_LIMITS ? ROW_LIMITS[form.type as keyof typeof ROW_LIMITS] : null;
  if (!limits) return form;
  const options = [...form.options];
  const pairs = [...form.pairs];
  if (form.type === 'matching') while (pairs.length < limits.min) pairs.push(blankPair());
  else while (options.length < limits.min) options.push(blankOption());
  return { ...form, options, pairs };
}

/** A new empty row for the form's type. */
export const addRow = (form: QuestionForm): QuestionForm =>
  form.type === 'matching'
    ? { ...form, pairs: [...form.pairs, blankPair()] }
    : { ...form, options: [...form.options, blankOption()] };

/** The form of an existing question, for editing. */
export function formFromQuestion(q: Question): QuestionForm {
  const form = emptyForm(q.type);
  Object.assign(form, {
    stem: { ...q.stem },
    image: q.image ?? null,
    explanation: { zh: q.explanation?.zh ?? '', en: q.explanation?.en ?? '' },
    topics: [...q.topics],
    difficulty: q.difficulty,
    quote: q.source.quote ?? '',
    heading: 'heading' in q.source ? (q.source.heading ?? '') : '',
    key: q.key,
  });
  switch (q.type) {
    case 'single':
    case 'multi': {
      const right = new Set(q.type === 'single' ? [q.answer] : q.answer);
      form.options = q.options.map((o) => ({ ...o.text, correct: right.has(o.id), image: o.image ?? null }));
      break;
    }
    case 'ordering':
      form.options = q.answer
        .flatMap((id) => q.options.filter((o) => o.id === id))
        .map((o) => ({ ...o.text, correct: false }));
      break;
    case 'matching': {
      const matched = new Set(Object.values(q.answer));
      form.pairs = q.options.map((o) => {
        const target = q.targets.find((t) => t.id === q.answer[o.id]);
        return { ...o.text, matchZh: target?.text.zh ?? '', matchEn: target?.text.en ?? '' };
      });
      form.extraTargets = q.targets.filter((t) => !matched.has(t.id)).map((t) => t.text);
      break;
    }
    case 'poll':
      form.options = q.options.map((o) => ({ ...o.text, correct: false, image: o.image ?? null }));
      break;
    case 'truefalse':
      form.truth = q.answer;
      break;
    case 'numeric':
      form.number = String(q.answer);
      form.tolerance = String(q.tolerance);
      form.unit = q.unit ? { ...q.unit } : { zh: '', en: '' };
      break;
    case 'text':
      form.accepted = q.answer.join('\n');
      break;
  }
  return fitRows(form);
}

/** Both languages, each falling back to the other when left empty. */
export function both(zh: string, en: string): Localized {
  const z = zh.trim();
  const e = en.trim();
  return { zh: z || e, en: e || z };
}

/** Option ids the schema accepts: a, b, c… */
const letter = (i: number) => String.fromCharCode(97 + i);

/** An image with its alt text in both languages, each falling back to the other. */
const withAlt = (image: QuestionImage): QuestionImage => ({ ...image, alt: both(image.alt.zh, image.alt.en) });

/** A number as typed, with a comma for the decimal point allowed; NaN when not a number. */
const parseNumber = (raw: string): number => (raw.trim() === '' ? Number.NaN : Number(raw.trim().replace(',', '.')));

/** The question the form describes, as the API takes it (the server checks it). */
export function bodyFromForm(f: QuestionForm): QuestionBody {
  const quote = f.quote.trim();
  const heading = f.heading.trim();
  const explanation = both(f.explanation.zh, f.explanation.en);
  const common = {
    stem: both(f.stem.zh, f.stem.en),
    ...(f.image ? { image: withAlt(f.image) } : {}),
    explanation,
    topics: f.topics,
    difficulty: f.difficulty,
    source: { ...(quote ? { quote } : {}), ...(heading ? { heading } : {}) },
    ...(f.key ? { key: f.key } : {}),
  };
  const ungraded = () => {
    const { explanation: _none, ...rest } = common;
    return explanation.zh ? common : rest;
  };
  const options = f.options.map((o, i) => ({ id: letter(i), text: both(o.zh, o.en) }));
  // Only choices carry images; items to order are sent without theirs.
  const choices = options.map((o, i) => {
    const image = f.options[i]!.image;
    return image ? { ...o, image: withAlt(image) } : o;
  });
  switch (f.type) {
    case 'single':
      return {
        ...common,
        type: 'single',
        options: choices,
        answer: options[f.options.findIndex((o) => o.correct)]?.id ?? '',
      };
    case 'multi':
      return {
        ...common,
        type: 'multi',
        options: choices,
        answer: options.filter((_, i) => f.options[i]!.correct).map((o) => o.id),
      };
    // Nobody is right or wrong here: without an explanation typed, none is sent.
    case 'poll':
      return { ...ungraded(), type: 'poll', options: choices };
    case 'open':
      return { ...ungraded(), type: 'open' };
    case 'truefalse':
      return { ...common, type: 'truefalse', answer: f.truth };
    case 'numeric': {
      const unit = both(f.unit.zh, f.unit.en);
      return {
        ...common,
        type: 'numeric',
        answer: parseNumber(f.number),
        tolerance: parseNumber(f.tolerance || '0'),
        ...(unit.zh ? { unit } : {}),
      };
    }
    case 'ordering':
      // Students always get the items shuffled; stored, they must not stand in the answer order.
      return {
        ...common,
        type: 'ordering',
        options: [...options.slice(1), ...options.slice(0, 1)],
        answer: options.map((o) => o.id),
      };
    case 'matching': {
      const left = f.pairs.map((p, i) => ({ id: letter(i), text: both(p.zh, p.en) }));
      const targets = [
        ...f.pairs.map((p, i) => ({ id: `x${i + 1}`, text: both(p.matchZh, p.matchEn) })),
        ...f.extraTargets.map((text, i) => ({ id: `x${f.pairs.length + i + 1}`, text })),
      ];
      return {
        ...common,
        type: 'matching',
        options: left,
        targets,
        answer: Object.fromEntries(left.map((o, i) => [o.id, `x${i + 1}`])),
      };
    }
    case 'text':
      return {
        ...common,
        type: 'text',
        answer: f.accepted
          .split('\n')
          .map((a) => a.trim())
          .filter(Boolean),
      };
  }
}
