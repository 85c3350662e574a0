/**
 * The settings of a quiz (and, as overrides, of a session opened from it): time per question
 * (or untimed), shuffling, when students see right and wrong, leaderboard, language, partial credit.
 * Fires `change-settings` with the whole new settings object.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LangController } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { teacherBase } from '../styles';
import { checkedOf, emit, valueOf } from '../ui';
import { DEFAULT_SETTINGS, FEEDBACKS, type QuizSettings, type SessionLang } from '../../../../worker/contract';

/** Choices of time per question, in seconds (0 = untimed); a quiz's own other value is added. */
const TIME_CHOICES = [0, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600];

/** The settings form. */
@customElement('pg-quiz-settings')
export class PgQuizSettings extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      select {
        max-width: 20rem;
      }
      legend {
        font-weight: 600;
      }
    `,
  ];

  /** The settings shown. */
  @property({ attribute: false }) settings: QuizSettings = DEFAULT_SETTINGS;

  private readonly i18n = new LangController(this);

  private set<K extends keyof QuizSettings>(key: K, value: QuizSettings[K]): void {
    emit<QuizSettings>(this, 'change-settings', { ...this.settings, [key]: value });
  }

  private check(
    key: 'shuffleQuestions' | 'shuffleOptions' | 'autoAdvance' | 'showLeaderboard' | 'partialCredit',
    label: string,
    hint = '',
  ) {
    return html`<label class="check">
      <input type="checkbox" .checked=${this.settings[key]} @change=${(e: Event) => this.set(key, checkedOf(e))} />
      <span>${label}${hint ? html`<span class="hint"> — ${hint}</span>` : ''}</span>
    </label>`;
  }

  override render() {
    const ts = teacherStrings();
    const st = this.settings;
    const times = TIME_CHOICES.includes(st.timeLimitSec)
      ? TIME_CHOICES
      : [...TIME_CHOICES, st.timeLimitSec].sort((a, b) => a - b);
    return html`<div class="field">
        <label for="time">${ts.timeLabel}</label>
        <select id="time" @change=${(e: Event) => this.set('timeLimitSec', Number(valueOf(e)))}>
          ${times.map(
            (n) =>
              html`<option value=${n} ?selected=${st.timeLimitSec === n}>
                ${n === 0 ? ts.settings.untimed : ts.seconds(n)}
              </option>`,
          )}
        </select>
      </div>
      ${this.check('shuffleQuestions', ts.settings.shuffleQuestions)}
      ${this.check('shuffleOptions', ts.settings.shuffleOptions)}
      <fieldset>
        <legend>${ts.settings.feedback}</legend>
        ${FEEDBACKS.map(
          (v) =>
            html`<label class="check">
              <input
                type="radio"
                name="feedback"
                .checked=${st.feedback === v}
                @change=${() => this.set('feedback', v)}
              />
              ${ts.settings.feedbacks[v]}
            </label>`,
        )}
      </fieldset>
      ${this.check('autoAdvance', ts.settings.autoAdvance, ts.settings.autoAdvanceHint)}
      ${this.check('showLeaderboard', ts.settings.showLeaderboard)}
      ${this.check('partialCredit', ts.settings.partialCredit, ts.settings.partialCreditHint)}
      <div class="field">
        <label for="lang">${ts.settings.lang}</label>
        <select id="lang" @change=${(e: Event) => this.set('lang', valueOf(e) as SessionLang)}>
          ${(['both', 'zh', 'en'] as const).map(
            (l) => html`<option value=${l} ?selected=${st.lang === l}>${ts.settings.langs[l]}</option>`,
          )}
        </select>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-quiz-settings': PgQuizSettings;
  }
}
