/**
 * Which questions a session can show in its language. A question written in one language only
 * carries the same text in both fields (a generated draft of a Chinese text, a GIFT file imported
 * as Chinese): shown in a session in English it would be Chinese under an English page. A
 * session in English leaves such questions out; one in Chinese or in both languages shows them
 * as they are (`both` shows a text once when its two sides are equal).
 */
import type { Localized, Question, SessionLang } from '../contract';

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

/** True when a text has no English of its own: its English is its Chinese, and that is Chinese. */
export const untranslated = (text: Localized): boolean => text.en === text.zh && HAN.test(text.zh);

/**
 * True when a question has no English: its stem, or any choice, item or target, is untranslated.
 * (A bank question's English may name a place in Chinese in brackets; that is not the whole text.)
 */
export function lacksEnglish(q: Question): boolean {
  if (untranslated(q.stem)) return true;
  const parts = 'options' in q ? [...q.options, ...('targets' in q ? q.targets : [])] : [];
  return parts.some((o) => untranslated(o.text));
}

/** True when a session in `lang` can show the question. */
export const playableIn = (lang: SessionLang, q: Question): boolean => lang !== 'en' || !lacksEnglish(q);
