/**
 * The teacher's live view of a session, opened with the private link `/teach/<id>#key=<key>`.
 * The key is remembered on this device and removed from the address bar (the page is often
 * projected). Polls every 3 s while the tab is visible and the session open. The signed-in owner
 * needs no key (the session cookie opens it) and also gets pg-session-controls.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { ApiFailure } from '../../core/api';
import { sessionsApi } from '../../core/sessions-api';
import { teacherStrings } from '../../i18n/teacher';
import { liveStrings } from '../../i18n/live';
import { LangController, strings, t } from '../../i18n/lang';
import { navigate } from '../../core/nav';
import { saveTeacherKey, takeTeacherKey } from '../../core/store';
import { base } from '../../core/styles';
import { teacherBase } from '../styles';
import { currentTeacher, signInPath } from '../auth';
import { ActionController } from '../components/action-controller';
import '../components/pg-copy-button';
import '../../core/pg-leaderboard';
import '../../live/shared/pg-qr-code';
import './pg-live-links';
import './pg-answer-grid';
import './pg-attendance';
import './pg-seats';
import './pg-session-controls';
import './pg-seat-warnings';
import { isUngraded, type TeacherView } from '../../../../worker/contract';
import { PublicOrigin } from '../../core/public-origin';

const POLL_MS = 3000;

/** The teacher's live view of one session. */
@customElement('pg-teacher-dashboard')
export class PgTeacherDashboard extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      .top {
        display: grid;
        gap: var(--pg-gap);
        grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr));
      }
      .status {
        font-weight: 700;
      }
      .open {
        color: var(--pg-ok);
      }
      .pct {
        display: grid;
        gap: 0.2rem;
        min-width: 3.5rem;
      }
      .meter {
        height: 0.5rem;
        background: var(--pg-line);
        border-radius: 999px;
        overflow: hidden;
      }
      .meter > span {
        display: block;
        height: 100%;
        background: var(--pg-ok);
      }
      .type {
        display: block;
        color: var(--pg-muted);
        font-size: 0.85rem;
      }
      .feed {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .feed li {
        padding: 0.4rem 0;
        border-bottom: 1px solid var(--pg-line);
      }
      .danger {
        margin-top: 2rem;
      }
      @media (forced-colors: active) {
        .meter > span {
          background: CanvasText;
        }
      }
    `,
  ];

  /** The session id from the address (`/teach/<id>`). */
  @property({ attribute: 'session-id' }) sessionId = '';

  private readonly i18n = new LangController(this);
  /** Where phones reach this server (the laptop's school-network address in a classroom). */
  private readonly origin = new PublicOrigin(this);
  @state() private data: TeacherView | null = null;
  @state() private missingKey = false;
  @state() private confirming: 'close' | 'delete' | null = null;
  /** Closing or deleting, and the last failure (of those or of a poll). */
  private readonly action = new ActionController(this);
  @query('dialog') private dialog!: HTMLDialogElement;
  private key = '';
  /** Signed in as the session's owner: the cookie opens it and the owner's controls show. */
  @state() private owner = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  /** Asked to refresh while a poll was in flight. */
  private again = false;
  /** The server refused the key or the session is gone: polling stops. */
  private stopped = false;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    clearTimeout(this.timer);
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('sessionId')) return;
    this.key = takeTeacherKey(this.sessionId);
    this.missingKey = false;
    this.owner = false;
    this.data = null;
    this.action.reset();
    this.stopped = false;
    void this.connect(this.sessionId);
  }

  /**
   * Signed in, the cookie is tried first (it works for the owner's sessions and shows the owner's
   * controls); otherwise, or for another teacher's session, the key opens the view.
   */
  private async connect(id: string): Promise<void> {
    const teacher = await currentTeacher().catch(() => null);
    if (teacher) {
      try {
        const data = await sessionsApi.view(id);
        if (id !== this.sessionId) return;
        [this.data, this.owner] = [data, true];
      } catch {
        // Not this teacher's session: the key, if any, decides.
      }
    }
    if (id !== this.sessionId) return;
    if (this.owner || this.key) void this.refresh();
    else this.missingKey = true;
  }

  /** The Bearer token of this session's calls: none for the owner (their cookie works), else the key. */
  private get token(): string {
    return this.owner ? '' : this.key;
  }

  private readonly onVisibility = (): void => {
    if (document.visibilityState === 'visible') void this.refresh();
    else clearTimeout(this.timer);
  };

  /** Fetches the view, then schedules the next poll while it is useful. */
  private readonly refresh = async (): Promise<void> => {
    clearTimeout(this.timer);
    if (this.inFlight) {
      this.again = true; // a change was just made: show it as soon as this poll is done
      return;
    }
    if (this.stopped || !(this.key || this.owner)) return;
    this.inFlight = true;
    const id = this.sessionId;
    try {
      const data = await sessionsApi.view(id, this.token);
      if (id === this.sessionId) {
        this.data = data;
        this.action.fail(null);
      }
    } catch (err) {
      if (id === this.sessionId) this.action.fail(err);
      // Network trouble is retried; a wrong key or a deleted session will not get better.
      if (id === this.sessionId && err instanceof ApiFailure && err.status >= 400 && err.status < 500)
        this.stopped = true;
    } finally {
      this.inFlight = false;
    }
    if (id !== this.sessionId || this.again) {
      this.again = false;
      return this.refresh(); // another session was opened, or something changed, meanwhile
    }
    const open = this.data?.session.status !== 'closed';
    if (open && !this.stopped && document.visibilityState === 'visible') this.timer = setTimeout(this.refresh, POLL_MS);
  };

  private async ask(action: 'close' | 'delete'): Promise<void> {
    this.confirming = action;
    await this.updateComplete;
    this.dialog.showModal();
  }

  private async confirm(): Promise<void> {
    const action = this.confirming;
    this.dialog.close();
    await this.action.run(async () => {
      if (action === 'close') {
        await sessionsApi.close(this.sessionId, this.token);
        await this.refresh();
      } else if (action === 'delete') {
        await sessionsApi.remove(this.sessionId, this.token);
        saveTeacherKey(this.sessionId, null);
        navigate('/teach');
      }
    });
  }

  private overview(view: TeacherView): TemplateResult {
    const ts = teacherStrings();
    const { session } = view;
    const joinUrl = `${this.origin.value}/join/${session.code}`;
    const open = session.status !== 'closed';
    const status = { open: `● ${ts.statusOpen}`, scheduled: `◷ ${ts.statusScheduled}`, closed: `■ ${ts.statusClosed}` }[
      session.status
    ];
    return html`<div class="top">
      <section class="card" aria-labelledby="join-heading">
        <h2 id="join-heading">${ts.joinCode}</h2>
        <p class="code">${session.code}</p>
        <div class="row">
          <span class="url">${joinUrl}</span>
          <pg-copy-button .text=${joinUrl} label=${ts.copyJoinLink}></pg-copy-button>
        </div>
        ${open
          ? html`<pg-qr-code class="qr" .text=${joinUrl} label=${liveStrings().qrLabel(joinUrl)}></pg-qr-code>`
          : nothing}
      </section>
      <section class="card" aria-labelledby="status-heading">
        <h2 id="status-heading">${ts.statusLabel}</h2>
        <p class="status ${session.status}">${status}</p>
        ${session.shards > 1 ? html`<p>${ts.contest.rooms(session.shards)}</p>` : nothing}
        ${session.teams > 0 ? html`<p>${ts.teams.count(session.teams)}</p>` : nothing}
        <p>${ts.studentsJoined(view.participants.length)}</p>
        <p>${ts.createdSummary(session.questionCount, session.timeLimitSec)}</p>
        ${open ? html`<p class="muted">${ts.liveUpdates}</p>` : nothing}
      </section>
    </div>`;
  }

  private questions(view: TeacherView): TemplateResult {
    const ts = teacherStrings();
    // Focusable: on a phone the table scrolls sideways, and a keyboard must be able to scroll it.
    return html`<div class="scroll-x" role="region" tabindex="0" aria-labelledby="questions-caption">
      <table>
        <caption id="questions-caption" class="sr-only">
          ${ts.questionsHeading}
        </caption>
        <thead>
          <tr>
            <th scope="col" class="num">#</th>
            <th scope="col">${ts.colQuestion}</th>
            <th scope="col" class="num">${ts.colAnswered}</th>
            <th scope="col">${ts.colPercent}</th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            view.questions,
            (q) => q.id,
            (q) => {
              // A poll or an open question has no right answer, so no share right.
              const pct = !isUngraded(q.type) && q.answered ? Math.round((100 * q.correct) / q.answered) : null;
              return html`<tr>
                <td class="num">${q.position + 1}</td>
                <td>${t(q.stem)}<span class="type">${ts.types[q.type]}</span></td>
                <td class="num">${q.answered}</td>
                <td>
                  <div class="pct">
                    <span class="num">${pct === null ? '—' : `${pct}%`}</span>
                    <span class="meter" aria-hidden="true"
                      ><span style=${styleMap({ width: `${pct ?? 0}%` })}></span
                    ></span>
                  </div>
                </td>
              </tr>`;
            },
          )}
        </tbody>
      </table>
    </div>`;
  }

  private recent(view: TeacherView): TemplateResult {
    const s = strings();
    const ts = teacherStrings();
    if (view.recent.length === 0) return html`<p class="muted">${ts.noRecent}</p>`;
    return html`<ol class="feed">
      ${view.recent.map(
        (r) =>
          html`<li>
            <strong>${r.nickname}</strong> · ${ts.questionShort(r.position + 1)} ·
            <span class=${r.correct ? 'ok' : 'bad'}>${r.correct ? `✓ ${s.correct}` : `✗ ${s.incorrect}`}</span> ·
            ${s.points(r.points)} · ${s.secondsShort(Math.round(r.timeMs / 100) / 10)}
          </li>`,
      )}
    </ol>`;
  }

  private confirmDialog(): TemplateResult {
    const ts = teacherStrings();
    const del = this.confirming === 'delete';
    return html`<dialog aria-labelledby="confirm-title" @close=${() => (this.confirming = null)}>
      <h2 id="confirm-title">${del ? ts.confirmDeleteTitle : ts.confirmCloseTitle}</h2>
      <p>${del ? ts.confirmDeleteText : ts.confirmCloseText}</p>
      <p class="row">
        <button type="button" @click=${this.confirm}>${del ? ts.confirmDeleteButton : ts.confirmCloseButton}</button>
        <button type="button" class="secondary" @click=${() => this.dialog.close()}>${ts.cancel}</button>
      </p>
    </dialog>`;
  }

  override render() {
    const s = strings();
    const ts = teacherStrings();
    if (this.missingKey)
      return html`<h1>${s.dashboardTitle}</h1>
        <p class="error" role="alert">${ts.missingKey}</p>
        <p><a href="/teach">${ts.newSessionLink}</a></p>
        <p><a href=${signInPath()}>${ts.dash.signInToOpen}</a></p>`;
    const view = this.data;
    const error = html`<p class="error" role="alert">${this.action.message}</p>`;
    if (!view)
      return html`<h1>${s.dashboardTitle}</h1>
        ${error}
        ${this.action.error
          ? html`<p><a href="/teach">${ts.newSessionLink}</a></p>`
          : html`<p role="status">${s.loading}</p>`}`;
    const open = view.session.status !== 'closed';
    const busy = this.action.busy;
    return html`<h1>${view.session.title}</h1>
      ${view.session.mode === 'live' && open
        ? html`<pg-live-links session-id=${view.session.id} key=${this.owner ? '' : this.key}></pg-live-links>`
        : nothing}
      ${error}
      <pg-seat-warnings .view=${view}></pg-seat-warnings>
      ${this.overview(view)}
      <pg-attendance .view=${view} token=${this.token} @changed=${() => this.refresh()}></pg-attendance>
      <pg-seats .view=${view} token=${this.token} @changed=${() => this.refresh()}></pg-seats>
      ${this.owner
        ? html`<pg-session-controls .view=${view} @changed=${() => this.refresh()}></pg-session-controls>`
        : html`<p><a href="/teach/${view.session.id}/report">${ts.dash.reportLink}</a></p>`}
      <section class="card" aria-labelledby="board-heading">
        <h2 id="board-heading">${s.leaderboard}</h2>
        <pg-leaderboard .entries=${view.leaderboard}></pg-leaderboard>
      </section>
      <section class="card" aria-labelledby="questions-heading">
        <h2 id="questions-heading">${ts.questionsHeading}</h2>
        ${this.questions(view)}
      </section>
      <pg-answer-grid .view=${view}></pg-answer-grid>
      <section class="card" aria-labelledby="recent-heading">
        <h2 id="recent-heading">${ts.recentHeading}</h2>
        ${this.recent(view)}
      </section>
      <p class="row danger">
        ${this.key
          ? html`<pg-copy-button
              .text=${`${this.origin.value}/teach/${view.session.id}#key=${this.key}`}
              label=${ts.copyTeacherLink}
            ></pg-copy-button>`
          : nothing}
        ${open
          ? html`<button type="button" class="secondary" ?disabled=${busy} @click=${() => this.ask('close')}>
              ${ts.closeSession}
            </button>`
          : nothing}
        <button type="button" class="secondary" ?disabled=${busy} @click=${() => this.ask('delete')}>
          ${ts.deleteSession}
        </button>
      </p>
      ${this.confirmDialog()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-teacher-dashboard': PgTeacherDashboard;
  }
}
