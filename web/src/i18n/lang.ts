/**
 * The interface language: which one is current (remembered on the device and reflected in
 * `<html lang>` for screen readers), a controller that re-renders its host when it changes, and
 * the student entry's dictionary ({@link strings}). Each chunk's texts are one file per language
 * (`student.en.ts`, `student.zh.ts`, `teacher.*`, `live.*`), the Chinese typed by the English.
 * Also {@link t} to pick one side of a `Localized`, and the question-text and proof helpers.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import * as enErrors from './errors.en';
import * as zhErrors from './errors.zh';
import { en, type Strings } from './student.en';
import { zh } from './student.zh';
import type { ErrorCode, Localized, Reveal, SessionLang } from '../../../worker/contract';

export type { Strings } from './student.en';

/** An interface language; `Localized` texts have the same two keys. */
export type Lang = keyof Localized;

const dictionaries: Record<Lang, Strings> = { zh, en };
const STORAGE_KEY = 'pomegranate:lang';

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh'; // storage can be disabled (private mode, school policy)
  }
}

let current: Lang = storedLang();
const hosts = new Set<ReactiveControllerHost>();
document.documentElement.lang = dictionaries[current].htmlLang;

/** Re-renders its host whenever the interface language changes. */
export class LangController implements ReactiveController {
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  hostConnected(): void {
    hosts.add(this.host);
  }
  hostDisconnected(): void {
    hosts.delete(this.host);
  }
}

/** The current interface language. */
export const lang = (): Lang => current;

/** The dictionary of the current language; call it in `render()` so a change shows at once. */
export const strings = (): Strings => dictionaries[current];

/** Switches the interface language, remembers it and re-renders every connected element. */
export function setLang(next: Lang): void {
  current = next;
  document.documentElement.lang = dictionaries[next].htmlLang;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, but the switch still applies to this page.
  }
  for (const host of hosts) host.requestUpdate();
}

/** The current language's side of a bilingual text. */
export const t = (text: Localized): string => text[current];

const htmlLang = (l: Lang): string => dictionaries[l].htmlLang;

/** A moment as the reader's language writes it, e.g. "2026年11月29日 08:00". */
export const formatTime = (ms: number): string =>
  new Date(ms).toLocaleString(htmlLang(current), { dateStyle: 'medium', timeStyle: 'short' });

/** The language a session's questions are shown in first: the session's own, or with `both` the reader's. */
export const firstLang = (session: SessionLang): Lang => (session === 'both' ? current : session);

/** The other language, shown beneath when the session is in both and the texts differ. */
function secondLang(text: Localized, session: SessionLang): Lang | null {
  const other: Lang = firstLang(session) === 'zh' ? 'en' : 'zh';
  return session === 'both' && text[other] !== text[current] ? other : null;
}

/** A question text in its first language only (for accessible names that repeat it). */
export const qFirst = (text: Localized, session: SessionLang): string => text[firstLang(session)];

/** A question text as plain text (for `<option>`s): "first / second" when the session is in both languages. */
export function qText(text: Localized, session: SessionLang): string {
  const second = secondLang(text, session);
  return second ? `${text[firstLang(session)]} / ${text[second]}` : text[firstLang(session)];
}

/**
 * A question text in the session's language(s), each part marked with its language so that a
 * screen reader pronounces it right; the second language is a `.alt` line (styled in core/styles).
 */
export function qHtml(text: Localized, session: SessionLang): TemplateResult {
  const first = firstLang(session);
  const second = secondLang(text, session);
  return html`<span lang=${htmlLang(first)}>${text[first]}</span>${second
      ? html`<span class="alt" lang=${htmlLang(second)}>${text[second]}</span>`
      : nothing}`;
}

/**
 * The sentence that proves an answer: the quote as the article has it (Chinese), then, in a session
 * in English or both languages, its English translation under a label saying so, and last the
 * heading it stands under. The host styles the blockquote, `.translation` and the figcaption.
 */
export function proofHtml(source: NonNullable<Reveal['source']>, session: SessionLang): TemplateResult {
  const english = session === 'zh' ? undefined : source.quoteEn;
  return html`<figure>
    <blockquote lang="zh-CN">${source.quote}</blockquote>
    ${english
      ? html`<div class="translation">
          <span class="label">${strings().translation}</span>
          <p lang="en">${english}</p>
        </div>`
      : nothing}
    ${source.heading ? html`<figcaption>— <cite lang="zh-CN">${source.heading}</cite></figcaption>` : nothing}
  </figure>`;
}

/** Texts for error codes and field names that a chunk adds when it loads (the teacher chunk's own codes). */
type MoreErrorTexts = Record<
  Lang,
  { codes: Partial<Record<ErrorCode, string>>; fieldNames: Readonly<Record<string, string>> }
>;
let more: MoreErrorTexts | null = null;

/** Adds a chunk's error texts; the codes are typed complete where the chunk declares them. */
export function addErrorTexts(texts: MoreErrorTexts): void {
  more = texts;
}

const errorDictionaries = { zh: zhErrors, en: enErrors };

/**
 * The error texts of the current language: one per API error code and per kind of refused field,
 * and how long to wait when the server says so.
 */
export function errorTexts() {
  const { apiErrors, waitTexts, fieldProblems, fieldNames, punctuation } = errorDictionaries[current];
  const extra = more?.[current];
  const codes: Partial<Record<ErrorCode, string>> = { ...apiErrors, ...extra?.codes };
  return { codes, waitTexts, fieldProblems, fieldNames: { ...fieldNames, ...extra?.fieldNames }, ...punctuation };
}
