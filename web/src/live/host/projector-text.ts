/**
 * Text on the projector: the type scale of the whole game screen, and question texts in the
 * session's language(s). On the projector a bilingual session shows Chinese first and English
 * beneath, whatever the teacher's interface language: the class reads the screen, not the teacher.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { Localized, SessionLang } from '../../../../worker/contract';

/**
 * The projector's type scale, on the viewport rather than the page: a floor in px for a 1024×768
 * projector, growing with the smaller side of the screen. (Each size's floor is its minimum at
 * 1024×768; at 1920×1080 the `vmin` term takes over.) Custom properties inherit into every shadow
 * root of the projector's parts.
 */
export const projectorStyles = css`
  :host {
    /* Labels, hints, the control strip: ≥ 18 px at 768 px high, ≥ 24 px at 1080. */
    --pj-small: max(18px, 2.3vmin);
    /* Running text (explanations, quotes). */
    --pj-body: max(20px, 3vmin);
    --pj-title: max(28px, 4.6vmin);
    --pj-timer: max(44px, 7.4vmin);
  }
`;

/** How long a text reads on the projector: a Chinese character counts 1, anything else ½. */
export function textLength(text: string): number {
  let n = 0;
  for (const ch of text) n += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 1 : 0.5;
  return n;
}

/** The length of a question text as the projector shows it (both lines when bilingual). */
export function shownLength(text: Localized, lang: SessionLang): number {
  if (lang !== 'both') return textLength(text[lang]);
  return textLength(text.zh) + (text.en !== text.zh ? textLength(text.en) : 0);
}

/** A question text: the session's language, or Chinese then English (a `.alt` line) when both. */
export function projectorText(text: Localized, lang: SessionLang): TemplateResult {
  const first = lang === 'both' ? 'zh' : lang;
  const second = lang === 'both' && text.en !== text.zh ? 'en' : null;
  return html`<span lang=${first === 'zh' ? 'zh-CN' : 'en'}>${text[first]}</span>${second
      ? html`<span class="alt" lang="en">${text.en}</span>`
      : nothing}`;
}
