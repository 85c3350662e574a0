/**
 * "Open a session" from a saved quiz: title, class (optional; with a roster, whether students not
 * on it may join with a nickname), self-paced or live, an optional schedule, and the quiz's
 * settings to override for this session. Creates the session and opens
 * its teacher view.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LangController, strings } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { navigate } from '../../core/nav';
import { saveTeacherKey } from '../../core/store';
import { base } from '../../core/styles';
import { sessionsApi } from '../../core/sessions-api';
import { teacherApi } from '../api';
import { teacherBase } from '../styles';
import type { ClassSummary } from '../types';
import { checkedOf, field, fromLocalInput, scheduleFields, valueOf } from '../ui';
import { ActionController } from '../components/action-controller';
import '../quizzes/pg-quiz-settings';
import { DEFAULT_SETTINGS, HOMEWORK_FEEDBACK, isHomework, type QuizSettings } from '../../../../worker/contract';

/** The form that opens a session of a quiz. */
@customElement('pg-session-open')
export class PgSessionOpen extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      legend {
        font-weight: 600;
      }
      details {
        margin-bottom: var(--pg-gap);
      }
    `,
  ];

  /** The quiz to play. */
  @property({ attribute: 'quiz-id' }) quizId = '';
  /** The session's title to start from (the quiz's). */
  @property({ attribute: 'quiz-title' }) quizTitle = '';
  /** The quiz's settings, which the session starts from. */
  @property({ attribute: false }) settings: QuizSettings = DEFAULT_SETTINGS;

  private readonly i18n = new LangController(this);
  @state() private sessionTitle = '';
  @state() private classId = '';
  /** Students not on the class roster may join with a nickname. */
  @state() private allowGuests = false;
  @state() private mode: 'self' | 'live' = 'self';
  @state() private opensAt = '';
  @state() private closesAt = '';
  @state() private overrides: QuizSettings = DEFAULT_SETTINGS;
  /** Once the teacher picks the feedback, homework no longer picks it for them. */
  private feedbackChosen = false;
  @state() private classes: ClassSummary[] | null = null;
  private readonly action = new ActionController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    teacherApi.classes().then(
      (r) => (this.classes = r.classes),
      (err: unknown) => this.action.fail(err),
    );
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('quizTitle') && !this.sessionTitle) this.sessionTitle = this.quizTitle;
    if (changed.has('settings')) this.overrides = this.settings;
    if (!this.feedbackChosen && ['settings', 'mode', 'closesAt'].some((k) => changed.has(k)))
      this.overrides = { ...this.overrides, feedback: this.homework() ? HOMEWORK_FEEDBACK : this.settings.feedback };
  }

  private homework(): boolean {
    return isHomework(this.mode, fromLocalInput(this.closesAt));
  }

  private changeSettings(next: QuizSettings): void {
    if (next.feedback !== this.overrides.feedback) this.feedbackChosen = true;
    this.overrides = next;
  }

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    void this.action.run(async () => {
      const created = await sessionsApi.open({
        title: this.sessionTitle.trim(),
        quizId: this.quizId,
        ...(this.classId ? { classId: this.classId, allowGuests: this.allowGuests } : {}),
        mode: this.mode,
        opensAt: fromLocalInput(this.opensAt),
        closesAt: fromLocalInput(this.closesAt),
        ...this.overrides,
      });
      // Kept on this device too, like a quick session: the dashboard also opens by its link.
      saveTeacherKey(created.id, created.teacherKey);
      // The dashboard; for a live game it leads on to the projector screen.
      navigate(`/teach/${created.id}`);
    });
  }

  override render() {
    const s = strings();
    const ts = teacherStrings();
    const o = ts.open;
    return html`<form novalidate @submit=${this.submit}>
      ${field(
        'session-title',
        o.sessionTitle,
        html`<input
          id="session-title"
          type="text"
          maxlength="80"
          .value=${this.sessionTitle}
          @input=${(e: Event) => (this.sessionTitle = valueOf(e))}
        />`,
      )}
      <div class="field">
        <label for="class">${o.klass}</label>
        <select id="class" ?disabled=${!this.classes} @change=${(e: Event) => (this.classId = valueOf(e))}>
          <option value="">${this.classes ? o.noClass : s.loading}</option>
          ${(this.classes ?? []).map(
            (c) => html`<option value=${c.id} ?selected=${this.classId === c.id}>${c.name}</option>`,
          )}
        </select>
      </div>
      ${this.classes?.find((c) => c.id === this.classId)?.roster
        ? html`<div class="field">
            <label class="check">
              <input
                type="checkbox"
                aria-describedby="guests-hint"
                .checked=${this.allowGuests}
                @change=${(e: Event) => (this.allowGuests = checkedOf(e))}
              />
              <span>${o.allowGuests}</span>
            </label>
            <span id="guests-hint" class="hint">${o.allowGuestsHint}</span>
          </div>`
        : nothing}
      <fieldset>
        <legend>${o.mode}</legend>
        ${(['self', 'live'] as const).map(
          (m) =>
            html`<label class="check">
              <input type="radio" name="mode" .checked=${this.mode === m} @change=${() => (this.mode = m)} />
              <span
                >${m === 'self' ? o.modeSelf : o.modeLive}<span class="hint">
                  — ${m === 'self' ? o.modeSelfHint : o.modeLiveHint}</span
                ></span
              >
            </label>`,
        )}
      </fieldset>
      <fieldset>
        <legend>${o.schedule}</legend>
        <p class="hint">${o.scheduleHint}</p>
        ${scheduleFields({ opensAt: this.opensAt, closesAt: this.closesAt }, (change) => Object.assign(this, change))}
        ${this.homework() && this.overrides.feedback === HOMEWORK_FEEDBACK
          ? html`<p class="hint" role="status">${o.homeworkFeedback}</p>`
          : nothing}
      </fieldset>
      <details>
        <summary>${o.overrides}</summary>
        <pg-quiz-settings
          .settings=${this.overrides}
          @change-settings=${(e: CustomEvent<QuizSettings>) => this.changeSettings(e.detail)}
        ></pg-quiz-settings>
      </details>
      <p class="error" role="alert">${this.action.message}</p>
      <button type="submit" ?disabled=${this.action.busy}>${o.button}</button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-session-open': PgSessionOpen;
  }
}
