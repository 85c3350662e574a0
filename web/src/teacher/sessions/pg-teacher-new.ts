/**
 * A teacher opens a session: title, topics (with how many questions each has), number of
 * questions and time per question, self-paced or live; a live game may be played in teams, or be
 * a contest of several classes (the server spreads it over rooms for the number of students
 * expected; a contest has no teams). The
 * result shows the join code for the class and the private teacher link, which is the only key
 * to the session.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { Problem } from '../../core/api';
import { sessionsApi } from '../../core/sessions-api';
import { teacherApi } from '../api';
import { liveStrings } from '../../i18n/live';
import { teacherStrings } from '../../i18n/teacher';
import { LangController, lang, strings } from '../../i18n/lang';
import { navigate } from '../../core/nav';
import { saveTeacherKey } from '../../core/store';
import { base } from '../../core/styles';
import { teacherBase } from '../styles';
import { ActionController } from '../components/action-controller';
import '../components/pg-copy-button';
import '../../live/shared/pg-qr-code';
import './pg-live-links';
import { checkedOf, field, valueOf } from '../ui';
import {
  MAX_CONTEST_PLAYERS,
  MAX_TEAMS,
  MIN_CONTEST_PLAYERS,
  MIN_TEAMS,
  PLAYERS_PER_SHARD,
  type BankSummary,
  type CreatedSession,
  type SessionLang,
  type Topic,
} from '../../../../worker/contract';
import { PublicOrigin } from '../../core/public-origin';

const COUNTS = [5, 10, 15, 20, 30, 50] as const;
const TIME_LIMITS = [10, 20, 30, 45, 60, 90, 120] as const;
/** The number of students a contest's form starts from. */
const CONTEST_PLAYERS = 1000;
/** The team counts offered: none, or {@link MIN_TEAMS} to {@link MAX_TEAMS}. */
const TEAM_COUNTS = [0, ...Array.from({ length: MAX_TEAMS - MIN_TEAMS + 1 }, (_, i) => MIN_TEAMS + i)];

/** The form that opens a new session, then its code and links. */
@customElement('pg-teacher-new')
export class PgTeacherNew extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      .topics {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
        gap: 0.25rem 1rem;
      }
      select {
        max-width: 16rem;
      }
      #contest-players {
        max-width: 10rem;
      }
      .warning {
        border-inline-start: 4px solid var(--pg-warn);
        background: var(--pg-warn-tint);
        padding: 0.5rem 0.75rem;
      }
      .link-row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        margin-bottom: var(--pg-gap);
      }
    `,
  ];

  private readonly i18n = new LangController(this);
  /** Where phones reach this server (the laptop's school-network address in a classroom). */
  private readonly origin = new PublicOrigin(this);
  @state() private bank: BankSummary | null = null;
  @state() private sessionTitle = '';
  @state() private topics = new Set<Topic>();
  @state() private count: number | null = 10;
  @state() private timeLimitSec = 30;
  /** The question language, until the teacher picks one: the language the teacher works in. */
  @state() private questionLang: SessionLang | null = null;
  /** Self-paced, or live (run by the teacher on the projector). */
  @state() private mode: 'self' | 'live' = 'self';
  /** A live game for several classes at once, and how many students it expects (as typed). */
  @state() private contest = false;
  @state() private contestPlayers = String(CONTEST_PLAYERS);
  /** Team mode for a live game that is not a contest: how many teams (0: none). */
  @state() private teams = 0;
  private readonly action = new ActionController(this);
  @state() private created: CreatedSession | null = null;
  @query('#title') private titleInput!: HTMLInputElement;
  @query('h2') private resultHeading!: HTMLElement | null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadBank();
  }

  private async loadBank(): Promise<void> {
    try {
      this.bank = await teacherApi.bank();
    } catch (err) {
      this.action.fail(err);
    }
  }

  private toggleTopic(topic: Topic, on: boolean): void {
    const topics = new Set(this.topics);
    if (on) topics.add(topic);
    else topics.delete(topic);
    this.topics = topics;
  }

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    if (this.action.busy) return;
    const title = this.sessionTitle.trim();
    if (!title) {
      this.action.fail(new Problem('titleMissing'));
      this.titleInput.focus();
      return;
    }
    void this.action.run(async () => {
      const created = await sessionsApi.open({
        title,
        topics: [...this.topics],
        types: [],
        count: this.count,
        timeLimitSec: this.timeLimitSec,
        lang: this.questionLang ?? lang(),
        mode: this.mode,
        // Sent as typed: the server refuses a number out of range, naming the field.
        ...(this.mode === 'live' && this.contest ? { contestPlayers: Number(this.contestPlayers) } : {}),
        ...(this.mode === 'live' && !this.contest && this.teams > 0 ? { teams: this.teams } : {}),
      });
      // Kept on this device too, so the dashboard opens even if the link loses its fragment.
      saveTeacherKey(created.id, created.teacherKey);
      this.created = created;
      await this.updateComplete;
      this.resultHeading?.focus();
    });
  }

  private form(): TemplateResult {
    const s = strings();
    const ts = teacherStrings();
    return html`<form class="card" novalidate @submit=${this.submit}>
      <div class="field">
        <label for="title">${ts.titleLabel}</label>
        <input
          id="title"
          type="text"
          maxlength="80"
          autocomplete="off"
          aria-describedby="new-error"
          .value=${this.sessionTitle}
          @input=${(e: Event) => (this.sessionTitle = (e.target as HTMLInputElement).value)}
        />
      </div>
      <fieldset aria-describedby="topics-hint">
        <legend><strong>${ts.topicsLegend}</strong></legend>
        <p id="topics-hint" class="hint">${ts.topicsHint}</p>
        ${this.bank
          ? html`<div class="topics">
              ${this.bank.topics.map(
                ({ topic, count }) =>
                  html`<label class="check">
                    <input
                      type="checkbox"
                      .checked=${this.topics.has(topic)}
                      ?disabled=${count === 0}
                      @change=${(e: Event) => this.toggleTopic(topic, (e.target as HTMLInputElement).checked)}
                    />
                    <span>${ts.topics[topic]} (${count})</span>
                  </label>`,
              )}
            </div>`
          : html`<p role="status">${s.loading}</p>`}
      </fieldset>
      <div class="field">
        <label for="count">${ts.countLabel}</label>
        <select
          id="count"
          @change=${(e: Event) => (this.count = Number((e.target as HTMLSelectElement).value) || null)}
        >
          ${COUNTS.map((n) => html`<option value=${n} ?selected=${this.count === n}>${n}</option>`)}
          <option value="" ?selected=${this.count === null}>
            ${ts.countAll}${this.bank ? ` (${this.bank.total})` : ''}
          </option>
        </select>
      </div>
      <div class="field">
        <label for="time">${ts.timeLabel}</label>
        <select id="time" @change=${(e: Event) => (this.timeLimitSec = Number((e.target as HTMLSelectElement).value))}>
          ${TIME_LIMITS.map(
            (n) => html`<option value=${n} ?selected=${this.timeLimitSec === n}>${ts.seconds(n)}</option>`,
          )}
        </select>
      </div>
      <div class="field">
        <label for="question-lang">${ts.settings.lang}</label>
        <select id="question-lang" @change=${(e: Event) => (this.questionLang = valueOf(e) as SessionLang)}>
          ${(['zh', 'en', 'both'] as const).map(
            (l) =>
              html`<option value=${l} ?selected=${(this.questionLang ?? lang()) === l}>
                ${ts.settings.langs[l]}
              </option>`,
          )}
        </select>
      </div>
      <fieldset>
        <legend><strong>${liveStrings().modeLegend}</strong></legend>
        ${(['self', 'live'] as const).map(
          (mode) =>
            html`<label class="check">
              <input type="radio" name="mode" .checked=${this.mode === mode} @change=${() => (this.mode = mode)} />
              <span>${mode === 'live' ? liveStrings().modeLive : liveStrings().modeSelf}</span>
            </label>`,
        )}
      </fieldset>
      ${this.mode === 'live' ? html`${this.teamFields()} ${this.contestFields()}` : nothing}
      <p id="new-error" class="error" role="alert">${this.action.message}</p>
      <button type="submit" ?disabled=${this.action.busy}>${ts.createSession}</button>
    </form>`;
  }

  /** A live game only: how many teams; none in a contest, which ranks every student alone. */
  private teamFields(): TemplateResult {
    const t = teacherStrings().teams;
    return field(
      'teams',
      t.label,
      html`<select
        id="teams"
        aria-describedby="teams-hint"
        ?disabled=${this.contest}
        @change=${(e: Event) => (this.teams = Number(valueOf(e)))}
      >
        ${TEAM_COUNTS.map(
          (n) =>
            html`<option value=${n} ?selected=${!this.contest && this.teams === n}>
              ${n === 0 ? t.none : t.count(n)}
            </option>`,
        )}
      </select>`,
      this.contest ? t.notInContest : t.hint,
    );
  }

  /** A live game only: the contest option and, once chosen, the number of students expected. */
  private contestFields(): TemplateResult {
    const c = teacherStrings().contest;
    return html`<div class="field">
        <label class="check">
          <input
            type="checkbox"
            aria-describedby="contest-hint"
            .checked=${this.contest}
            @change=${(e: Event) => (this.contest = checkedOf(e))}
          />
          <span>${c.option}</span>
        </label>
        <p id="contest-hint" class="hint">${c.hint(PLAYERS_PER_SHARD)}</p>
      </div>
      ${this.contest
        ? field(
            'contest-players',
            c.players,
            html`<input
              id="contest-players"
              type="number"
              inputmode="numeric"
              min=${MIN_CONTEST_PLAYERS}
              max=${MAX_CONTEST_PLAYERS}
              step="1"
              aria-describedby="contest-players-hint new-error"
              .value=${this.contestPlayers}
              @input=${(e: Event) => (this.contestPlayers = valueOf(e))}
            />`,
            c.playersHint(MIN_CONTEST_PLAYERS, MAX_CONTEST_PLAYERS),
          )
        : nothing}`;
  }

  private result(created: CreatedSession): TemplateResult {
    const ts = teacherStrings();
    const joinUrl = this.origin.value + created.joinPath;
    const teacherUrl = this.origin.value + created.teacherPath;
    return html`<section class="card" aria-labelledby="created">
        <h2 id="created" tabindex="-1">${ts.createdTitle}</h2>
        <p>${created.title} · ${ts.createdSummary(created.questionCount, created.timeLimitSec)}</p>
        <h3>${ts.joinCode}</h3>
        <p class="code">${created.code}</p>
        <h3>${ts.joinUrl}</h3>
        <div class="link-row">
          <span class="url">${joinUrl}</span>
          <pg-copy-button .text=${joinUrl} label=${ts.copyJoinLink}></pg-copy-button>
        </div>
        <pg-qr-code class="qr" .text=${joinUrl} label=${liveStrings().qrLabel(joinUrl)}></pg-qr-code>
      </section>
      <section class="card" aria-labelledby="private">
        <h2 id="private">${ts.teacherLinkTitle}</h2>
        ${created.mode === 'live'
          ? html`<pg-live-links session-id=${created.id} key=${created.teacherKey}></pg-live-links>`
          : ''}
        <p class="row">
          <button
            type="button"
            class=${created.mode === 'live' ? 'secondary' : ''}
            @click=${() => navigate(created.teacherPath)}
          >
            ${ts.openDashboard}
          </button>
          <button type="button" class="secondary" @click=${() => (this.created = null)}>${ts.createAnother}</button>
        </p>
        <!-- Folded away: the page under it is often projected, and whoever holds the link controls the session. -->
        <details>
          <summary>${ts.showTeacherLink}</summary>
          <p class="warning">⚠ ${ts.teacherLinkWarning}</p>
          <div class="link-row">
            <span class="url">${teacherUrl}</span>
            <pg-copy-button .text=${teacherUrl} label=${ts.copyTeacherLink}></pg-copy-button>
          </div>
        </details>
      </section>`;
  }

  override render() {
    const s = strings();
    const ts = teacherStrings();
    return html`<h1>${s.newTitle}</h1>
      ${this.created
        ? this.result(this.created)
        : html`<p>${ts.newIntro}</p>
            ${this.form()}`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-teacher-new': PgTeacherNew;
  }
}
