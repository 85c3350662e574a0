/**
 * Small helpers shared by the teacher elements: reading form events, times for
 * `<input type="datetime-local">`, percentages, error texts, the "please sign in" block, a
 * labelled field and the table of sessions.
 */
import { html, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ApiFailure, errorMessage } from '../core/api';
import { formatTime, lang, strings } from '../i18n/lang';
import { teacherStrings } from '../i18n/teacher';
import { authProblem, currentTeacher, signInPath } from './auth';
import type { QuestionType, Topic } from '../../../worker/contract';

/** The value of the input, select or textarea that fired `e`. */
export const valueOf = (e: Event): string => (e.target as HTMLInputElement).value;

/** Whether the checkbox or radio that fired `e` is checked. */
export const checkedOf = (e: Event): boolean => (e.target as HTMLInputElement).checked;

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment as `<input type="datetime-local">` shows it, in the device's time zone; "" for none. */
export function toLocalInput(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The moment typed into a datetime-local input (read in the device's time zone), or null when empty or invalid. */
export function fromLocalInput(value: string): number | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/** A percentage for people: "74 %"-style text, or "—" when there is nothing to show. */
export const percent = (value: number | null, digits = 0): string =>
  value === null ? '—' : `${value.toFixed(digits)}${lang() === 'zh' ? '%' : ' %'}`;

/** A figure rounded to `digits` decimals, or "—". */
export const figure = (value: number | null, digits = 2): string => (value === null ? '—' : value.toFixed(digits));

/** True when the failure means "not signed in" (the page then offers the sign-in link). */
export const isSignedOut = (err: unknown): boolean => err instanceof ApiFailure && err.status === 401;

/** "Sign in to see this page", with a link back here after signing in. */
export function signInPrompt(): TemplateResult {
  const ts = teacherStrings();
  return html`<p class="callout">${ts.signInNeeded} <a href=${signInPath()}>${ts.nav.signIn}</a></p>`;
}

/** While nobody knows yet who is signed in: "Loading…", or why asking failed with a retry button. */
export function authPending(): TemplateResult {
  const s = strings();
  const problem = authProblem();
  if (!problem) return html`<p role="status">${s.loading}</p>`;
  return html`<p class="error" role="alert">${errorMessage(problem)}</p>
    <p>
      <button type="button" class="secondary" @click=${() => currentTeacher().catch(() => undefined)}>
        ${s.retry}
      </button>
    </p>`;
}

/** The status of a session in words with a symbol (never colour alone). */
export function statusText(status: 'open' | 'closed' | 'scheduled'): string {
  const ts = teacherStrings();
  return { open: `● ${ts.statusOpen}`, scheduled: `◷ ${ts.statusScheduled}`, closed: `■ ${ts.statusClosed}` }[status];
}

/**
 * A labelled form control with its hint between the two; the hint's id is `<id>-hint`, for the
 * control's `aria-describedby`.
 */
export function field(id: string, label: string, control: TemplateResult, hint = ''): TemplateResult {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    ${hint ? html`<span id="${id}-hint" class="hint">${hint}</span>` : ''} ${control}
  </div>`;
}

/** A session's opening and closing times, side by side (`.when` in ./styles), as `datetime-local` inputs. */
export function scheduleFields(
  times: { opensAt: string; closesAt: string },
  set: (change: { opensAt: string } | { closesAt: string }) => void,
): TemplateResult {
  const d = teacherStrings().dash;
  const input = (id: string, value: string, change: (v: string) => { opensAt: string } | { closesAt: string }) =>
    html`<input id=${id} type="datetime-local" .value=${value} @input=${(e: Event) => set(change(valueOf(e)))} />`;
  return html`<div class="when">
    ${field(
      'opens',
      d.opensAt,
      input('opens', times.opensAt, (opensAt) => ({ opensAt })),
    )}
    ${field(
      'closes',
      d.closesAt,
      input('closes', times.closesAt, (closesAt) => ({ closesAt })),
    )}
  </div>`;
}

/** A session as the workspace and the class page list it. */
export interface ListedSession {
  id: string;
  title: string;
  code: string;
  createdAt: number;
  status: 'open' | 'closed' | 'scheduled';
  participants: number;
  mode?: 'self' | 'live';
  /** The class column, where sessions of several classes are listed. */
  classId?: string | null;
  className?: string | null;
}

/**
 * A table of sessions: title (with join code, date and "live"), status, class (with `classes`),
 * students, report link. Wide tables scroll sideways on a phone.
 */
export function sessionTable(caption: string, sessions: readonly ListedSession[], { classes = false } = {}) {
  const ts = teacherStrings();
  const klass = (x: ListedSession) =>
    html`<td>${x.classId ? html`<a href="/teach/classes/${x.classId}">${x.className}</a>` : '—'}</td>`;
  const live = (x: ListedSession) => (x.mode === 'live' ? ` · ${ts.open.modeLive}` : '');
  return html`<div class="scroll-x">
    <table>
      <caption class="sr-only">
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${ts.titleLabel}</th>
          <th scope="col">${ts.statusLabel}</th>
          ${classes ? html`<th scope="col">${ts.home.colClass}</th>` : ''}
          <th scope="col" class="num">${ts.home.colStudents}</th>
          <th scope="col">${ts.report.title}</th>
        </tr>
      </thead>
      <tbody>
        ${repeat(
          sessions,
          (x) => x.id,
          (x) =>
            html`<tr>
              <th scope="row">
                <a href="/teach/${x.id}">${x.title}</a>
                <span class="sub">${x.code} · ${formatTime(x.createdAt)}${live(x)}</span>
              </th>
              <td>${statusText(x.status)}</td>
              ${classes ? klass(x) : ''}
              <td class="num">${x.participants}</td>
              <td><a href="/teach/${x.id}/report" aria-label=${ts.home.reportOf(x.title)}>${ts.home.reportLink}</a></td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** Dispatches a custom event from `el`, for the element's parent to listen to. */
export function emit<T>(el: HTMLElement, name: string, detail: T): void {
  el.dispatchEvent(new CustomEvent<T>(name, { detail }));
}

/** Moves `list[index]` by `delta` places (−1 up, +1 down); returns a new array, or the same when it cannot move. */
export function moved<T>(list: readonly T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (to < 0 || to >= list.length) return [...list];
  const out = [...list];
  [out[index], out[to]] = [out[to]!, out[index]!];
  return out;
}

/** "Single choice · History, Culture · Medium": a question's type, topics and difficulty in words. */
export function questionMeta(q: { type: QuestionType; topics: readonly string[]; difficulty?: 1 | 2 | 3 }): string {
  const ts = teacherStrings();
  const topics = q.topics.map((t) => ts.topics[t as Topic] ?? t).join(ts.listSep);
  return [ts.types[q.type], topics, q.difficulty ? ts.difficulty[q.difficulty] : ''].filter(Boolean).join(' · ');
}
