/**
 * A revealed answer as short lines of plain text, for the teacher's remote: the phone has room for
 * the answer in words, not for the projector's chart (pg-live-reveal draws that).
 */
import { qText, strings } from '../../i18n/lang';
import { letter } from './pg-live-stage';
import type { Option, Reveal, SessionLang, StudentQuestion } from '../../../../worker/contract';

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value)]);

/** The right answer of `q`, one line per item (choices with their letter, ordered items, pairs). */
export function answerLines(q: StudentQuestion, reveal: Reveal, lang: SessionLang): string[] {
  const t = strings();
  const named = (id: string, list: Option[] | undefined): string => {
    const i = list?.findIndex((o) => o.id === id) ?? -1;
    return i < 0 ? id : `${q.type === 'matching' ? '' : `${letter(i)}. `}${qText(list![i]!.text, lang)}`;
  };
  const { answer, tolerance } = reveal;
  switch (q.type) {
    case 'truefalse':
      return [answer ? t.trueLabel : t.falseLabel];
    case 'numeric':
      return [
        [String(answer), q.unit ? qText(q.unit, lang) : '', tolerance ? t.tolerance(tolerance) : ''].join(' ').trim(),
      ];
    case 'text':
      return [asList(answer).join(' / ')];
    case 'ordering':
      return asList(answer).map(
        (id, n) => `${n + 1}. ${qText(q.options?.find((o) => o.id === id)?.text ?? { zh: id, en: id }, lang)}`,
      );
    case 'matching':
      return Object.entries((answer ?? {}) as Record<string, string>).map(
        ([left, right]) => `${named(left, q.options)} → ${named(right, q.targets)}`,
      );
    case 'poll':
      // Nobody is right or wrong: the projector shows the votes, the remote has no answer to show.
      return [];
    default:
      return asList(answer).map((id) => named(id, q.options));
  }
}
