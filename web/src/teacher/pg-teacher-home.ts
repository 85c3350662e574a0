/**
 * `/teach`. Signed in: the teacher's workspace (sessions, quizzes, classes and the buttons that
 * make new ones). Signed out: the quick secret-link form, which needs no account, with a
 * prominent link to sign in.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { LangController, formatTime, strings } from '../i18n/lang';
import { teacherStrings } from '../i18n/teacher';
import { base } from '../core/styles';
import { teacherApi } from './api';
import { AuthController, currentTeacher, knownTeacher } from './auth';
import { teacherBase } from './styles';
import type { ClassSummary, QuizSummary } from './types';
import { sessionTable, type ListedSession } from './ui';
import { ApiFailure } from '../core/api';
import { sessionsApi } from '../core/sessions-api';
import { saveTeacherKey, teacherKeys } from '../core/store';
import { ActionController } from './components/action-controller';
import './sessions/pg-teacher-new';
import type { SessionList } from '../../../worker/contract';

/** A link in one of the workspace's lists, with a line about what it leads to. */
interface Link {
  id: string;
  href: string;
  text: string;
  sub: string;
}

const links = (items: Link[]): TemplateResult =>
  html`<ul class="plain items">
    ${repeat(
      items,
      (x) => x.id,
      (x) =>
        html`<li>
          <a href=${x.href}>${x.text}</a>
          <span class="sub">${x.sub}</span>
        </li>`,
    )}
  </ul>`;

/** The teacher's start page. */
@customElement('pg-teacher-home')
export class PgTeacherHome extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      .make {
        margin-bottom: 1.5rem;
      }
      .lists {
        display: grid;
        gap: var(--pg-gap);
        grid-template-columns: minmax(0, 1fr);
      }
      @media (min-width: 52rem) {
        .lists {
          grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        }
        .lists > .sessions {
          grid-column: 1 / -1;
        }
      }
    `,
  ];

  private readonly i18n = new LangController(this);
  private readonly auth = new AuthController(this);
  @state() private sessions: SessionList['sessions'] | null = null;
  @state() private quizzes: QuizSummary[] | null = null;
  @state() private classes: ClassSummary[] | null = null;
  /** Signed out: the sessions opened on this device with their secret links (null until asked). */
  @state() private deviceSessions: ListedSession[] | null = null;
  private readonly action = new ActionController(this);
  /** The workspace was loaded for this teacher id (it reloads after another sign-in). */
  private loadedFor: string | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    currentTeacher().catch((err: unknown) => this.action.fail(err));
  }

  protected override willUpdate(): void {
    const teacher = knownTeacher();
    if (teacher && this.loadedFor !== teacher.id) {
      this.loadedFor = teacher.id;
      void this.load();
    }
    // Signed out: the sessions opened on this device, asked for once (not from render, which must not change state).
    if (teacher === null && !this.deviceSessions) void this.loadDeviceSessions();
  }

  private async load(): Promise<void> {
    const lists = await this.action.run(
      () => Promise.all([teacherApi.sessions(), teacherApi.quizzes(), teacherApi.classes()]),
      { latest: true },
    );
    if (!lists) return;
    const [sessions, quizzes, classes] = lists;
    [this.sessions, this.quizzes, this.classes] = [sessions.sessions, quizzes.quizzes, classes.classes];
  }

  private signedOut(): TemplateResult {
    const ts = teacherStrings();
    const h = ts.home;
    return html`<p class="callout"><a href="/teach/signin">${h.signInPitch}</a></p>
      ${this.deviceSessions?.length
        ? html`<section class="card" aria-labelledby="device-sessions">
            <h2 id="device-sessions">${h.deviceSessionsHeading}</h2>
            <p class="hint">${h.deviceSessionsHint}</p>
            ${sessionTable(h.deviceSessionsHeading, this.deviceSessions)}
          </section>`
        : nothing}
      <pg-teacher-new></pg-teacher-new>`;
  }

  /**
   * The sessions this device holds a key for, newest first, as their dashboards see them now. A
   * session that no longer exists is forgotten; one that cannot be read just now is left out.
   */
  private async loadDeviceSessions(): Promise<void> {
    this.deviceSessions = [];
    const found = await Promise.all(
      teacherKeys().map(async ({ id, key }): Promise<ListedSession | null> => {
        try {
          const { session, participants } = await sessionsApi.view(id, key);
          return { ...session, participants: participants.length };
        } catch (err) {
          if (err instanceof ApiFailure && err.status === 404) saveTeacherKey(id, null);
          return null;
        }
      }),
    );
    this.deviceSessions = found.filter((x) => x !== null).sort((a, b) => b.createdAt - a.createdAt);
  }

  /** "Loading…" until `list` is there, `empty` when there is nothing in it, else the list as `show` shows it. */
  private listed<T>(list: T[] | null, empty: string, show: (list: T[]) => TemplateResult): TemplateResult {
    if (!list) return html`<p role="status">${strings().loading}</p>`;
    if (list.length === 0) return html`<p class="muted">${empty}</p>`;
    return show(list);
  }

  private sessionList(): TemplateResult {
    const h = teacherStrings().home;
    return this.listed(this.sessions, h.noSessions, (list) => sessionTable(h.sessionsHeading, list, { classes: true }));
  }

  private quizList(): TemplateResult {
    const h = teacherStrings().home;
    const link = (q: QuizSummary): Link => ({
      id: q.id,
      href: `/teach/quizzes/${q.id}`,
      text: q.title,
      sub: `${h.questionCount(q.questionCount)} · ${h.updated(formatTime(q.updatedAt))}`,
    });
    return this.listed(this.quizzes, h.noQuizzes, (list) => links(list.map(link)));
  }

  private classesList(): TemplateResult {
    const h = teacherStrings().home;
    const link = (c: ClassSummary): Link => ({
      id: c.id,
      href: `/teach/classes/${c.id}`,
      text: c.name,
      sub: h.classFacts(c.roster, c.sessions),
    });
    return this.listed(this.classes, h.noClasses, (list) => links(list.map(link)));
  }

  override render() {
    const s = strings();
    const ts = teacherStrings();
    const teacher = knownTeacher();
    if (teacher === undefined)
      return this.action.error
        ? html`<p class="error" role="alert">${this.action.message}</p>
            ${this.signedOut()}`
        : html`<p role="status">${s.loading}</p>`;
    if (!teacher) return this.signedOut();
    return html`<h1>${ts.home.title}</h1>
      <p class="muted">${ts.home.signedInAs(teacher.name)}</p>
      <p class="row make">
        <a class="button" href="/teach/quizzes/new">${ts.home.newQuiz}</a>
        <a class="button secondary" href="/teach/generate">${ts.home.fromText}</a>
        <a class="button secondary" href="/teach/classes/new">${ts.home.newClass}</a>
        <a class="button secondary" href="/teach/quick">${ts.home.quickSession}</a>
      </p>
      <p class="error" role="alert">${this.action.message}</p>
      <div class="lists">
        <section class="card sessions" aria-labelledby="sessions-heading">
          <h2 id="sessions-heading">${ts.home.sessionsHeading}</h2>
          ${this.sessionList()}
        </section>
        <section class="card" aria-labelledby="quizzes-heading">
          <h2 id="quizzes-heading">${ts.home.quizzesHeading}</h2>
          ${this.quizList()}
        </section>
        <section class="card" aria-labelledby="classes-heading">
          <h2 id="classes-heading">${ts.home.classesHeading}</h2>
          ${this.classesList()}
        </section>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-teacher-home': PgTeacherHome;
  }
}
