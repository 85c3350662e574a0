/**
 * A student's stored answer in words, as the teacher's report and CSV show it: the texts of the
 * options the student saw instead of their ids. Pure, so it runs in the Worker and in Node.
 */
import type { Localized, Option, Question } from '../contract';

/** True and false as the student saw them. */
export const TRUE_FALSE: Record<'true' | 'false', Localized> = {
  true: { zh: '对', en: 'True' },
  false: { zh: '错', en: 'False' },
};

/** Separator of a list inside one line, per language. */
const LIST_SEP: Localized = { zh: '、', en: ', ' };

/** The same text in both languages (a number, a typed answer, an id the question no longer has). */
const same = (s: string): Localized => ({ zh: s, en: s });

/** Texts of `ids` looked up in `list`; an id the list does not have (the question was edited since) stays as it is. */
function texts(list: readonly Option[] | undefined, ids: readonly unknown[]): Localized[] {
  return ids.map((id) => list?.find((o) => o.id === String(id))?.text ?? same(String(id)));
}

/** Builds each language's line from the items' texts. */
const each = (items: readonly Localized[], line: (parts: string[], lang: keyof Localized) => string): Localized => ({
  zh: line(
    items.map((x) => x.zh),
    'zh',
  ),
  en: line(
    items.map((x) => x.en),
    'en',
  ),
});

/**
 * `response` in words for `q`, in both languages; null when there is no answer (time ran out).
 * Single and multiple choice: the chosen options' texts; true/false: 对 / 错 (True / False);
 * ordering: the items' texts in the student's order, numbered ("1. … 2. …"); matching: "left → right"
 * pairs in the question's order of the left items; numeric and text: as given. A response of a
 * shape the question does not expect (or with no question) falls back to its JSON.
 */
export function describeResponse(q: Question | undefined, response: unknown): Localized | null {
  if (response === null || response === undefined) return null;
  const r = response as Record<string, unknown>;
  const options = q && 'options' in q ? q.options : undefined;
  if (typeof r.optionId === 'string') return texts(options, [r.optionId])[0]!;
  if (Array.isArray(r.optionIds)) return each(texts(options, r.optionIds), (parts, lang) => parts.join(LIST_SEP[lang]));
  if (typeof r.value === 'boolean') return TRUE_FALSE[r.value ? 'true' : 'false'];
  if (typeof r.value === 'number') return same(String(r.value));
  if (typeof r.text === 'string') return same(r.text);
  if (Array.isArray(r.order))
    return each(texts(options, r.order), (parts) => parts.map((p, i) => `${i + 1}. ${p}`).join(' '));
  if (r.pairs && typeof r.pairs === 'object' && !Array.isArray(r.pairs)) {
    const targets = q?.type === 'matching' ? q.targets : undefined;
    const rank = (id: string) => {
      const i = options?.findIndex((o) => o.id === id) ?? -1;
      return i < 0 ? Infinity : i;
    };
    const pairs = Object.entries(r.pairs as Record<string, unknown>).sort(([a], [b]) => rank(a) - rank(b));
    const left = texts(
      options,
      pairs.map(([a]) => a),
    );
    const right = texts(
      targets,
      pairs.map(([, b]) => b),
    );
    return each(
      left.map((l, i) => ({ zh: `${l.zh} → ${right[i]!.zh}`, en: `${l.en} → ${right[i]!.en}` })),
      (parts, lang) => parts.join(LIST_SEP[lang]),
    );
  }
  return same(JSON.stringify(response));
}
