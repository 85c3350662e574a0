/**
 * "Practise my mistakes": once a quiz has closed, the questions a student missed, asked again one
 * after another, as often as they like. The server judges each try (POST /api/play/practice) and
 * stores nothing: practice never changes a score.
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { api, errorMessage } from '../core/api';
import { LangController, strings } from '../i18n/lang';
import { base, playStyles } from '../core/styles';
import './pg-feedback';
import './pg-question';
import type { AnswerResponse, PracticeResult, Review, SessionLang } from '../../../worker/contract';

type Item = Review['items'][number];

/** One round of practice over the missed questions; fires `practice-done` when the student leaves it. */
@customElement('pg-practice')
export class PgPractice extends LitElement {
  static override styles = [base, playStyles];

  /** The student's device token. */
  @property({ attribute: false }) token = '';
  /** The questions to practise: the review's items the student got wrong. */
  @property({ attribute: false }) items: Item[] = [];
  @property({ attribute: false }) sessionLang: SessionLang = 'both';

  private readonly i18n = new LangController(this);
  @state() private index = 0;
  /** Rounds done, so that each round shows fresh question elements. */
  @state() private round = 0;
  @state() private busy = false;
  @state() private tried: { response: AnswerResponse; result: PracticeResult } | null = null;
  @state() private error: unknown = null;
  @state() private right = 0;

  private async send(response: AnswerResponse): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      const result = await api.practise(this.token, this.items[this.index]!.question.id, response);
      this.tried = { response, result };
      if (result.correct) this.right++;
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private next(): void {
    this.tried = null;
    this.index++;
  }

  private again(): void {
    [this.tried, this.index, this.right] = [null, 0, 0];
    this.round++;
  }

  override render() {
    const s = strings();
    const total = this.items.length;
    const item = this.items[this.index];
    if (!item)
      return html`<h2 tabindex="-1">${s.practiceDone(this.right, total)}</h2>
        <p class="row">
          <button type="button" @click=${this.again}>${s.practiseAgain}</button>
          <button type="button" class="secondary" @click=${() => this.dispatchEvent(new CustomEvent('practice-done'))}>
            ${s.practiceLeave}
          </button>
        </p>`;
    const tried = this.tried;
    return html`<p class="muted">${s.practiceProgress(this.index + 1, total)}</p>
      ${tried
        ? html`<pg-feedback
              practice
              .question=${item.question}
              .verdict=${{
                correct: tried.result.correct,
                late: false,
                points: 0,
                timeMs: 0,
                reveal: tried.result.reveal,
              }}
              .response=${tried.response}
              .sessionLang=${this.sessionLang}
            ></pg-feedback>
            <p class="actions">
              <button type="button" @click=${this.next}>
                ${this.index + 1 < total ? s.nextQuestion : s.seeResults}
              </button>
            </p>`
        : keyed(
            `${this.round}:${this.index}`,
            html`<pg-question
              .question=${item.question}
              .sessionLang=${this.sessionLang}
              ?disabled=${this.busy}
              @pg-answer=${(e: CustomEvent<{ response: AnswerResponse }>) => this.send(e.detail.response)}
            ></pg-question>`,
          )}
      ${this.error ? html`<p class="error" role="alert">${errorMessage(this.error)}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-practice': PgPractice;
  }
}
