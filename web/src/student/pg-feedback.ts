/**
 * The verdict on an answer and its proof: right or wrong (icon and word, never colour alone),
 * points, what a wrong answer said and the correct answer written out for the question's type,
 * the explanation, and (when there is one) the verbatim quote with the heading of its section,
 * followed in a session in English (or both) by its English translation.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { LangController, proofHtml, qHtml, qText, strings } from '../i18n/lang';
import { base, proofStyles } from '../core/styles';
import { imageStyles, questionImage } from '../core/image';
import {
  isUngraded,
  type AnswerResponse,
  type Option,
  type SessionLang,
  type StudentQuestion,
  type Verdict,
} from '../../../worker/contract';

/** A response rewritten in the shape of the question's answer key, so both render the same way. */
function asAnswer(response: AnswerResponse): unknown {
  if ('optionId' in response) return response.optionId;
  if ('optionIds' in response) return response.optionIds;
  if ('value' in response) return response.value;
  if ('order' in response) return response.order;
  if ('pairs' in response) return response.pairs;
  return [response.text];
}

const ids = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** The verdict on an answer, with the correct answer and its proof. */
@customElement('pg-feedback')
export class PgFeedback extends LitElement {
  static override styles = [
    base,
    proofStyles,
    imageStyles,
    css`
      /* A choice's photo beside its text in the answer: small, as on its button. */
      .q-image {
        max-height: 6rem;
        width: auto;
      }
      .verdict {
        border-width: 2px;
        border-inline-start-width: 0.5rem;
      }
      .verdict.ok {
        border-color: var(--pg-ok);
        background: var(--pg-ok-tint);
      }
      .verdict.bad {
        border-color: var(--pg-accent);
        background: var(--pg-accent-tint);
      }
      .verdict h2 {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        font-size: 1.5rem;
      }
      /* In the end-of-quiz review the verdicts are sub-headings. */
      .verdict h2[aria-level='3'] {
        font-size: 1.2rem;
      }
      .ok h2 {
        color: var(--pg-ok);
      }
      .bad h2 {
        color: var(--pg-accent-dark);
      }
      .icon {
        font-size: 1.75rem;
      }
      .points {
        font-weight: 700;
        font-size: 1.15rem;
      }
      .stem {
        font-weight: 600;
      }
      ul,
      ol {
        margin: 0 0 0.75rem;
        padding-inline-start: 1.5rem;
      }
      figure {
        margin: 0 0 var(--pg-gap);
      }
      blockquote {
        margin: 0;
        padding: 0.75rem 1rem;
        border-inline-start: 4px solid var(--pg-accent);
        background: var(--pg-surface-2);
      }
      figcaption {
        margin-top: 0.4rem;
        color: var(--pg-muted);
        font-size: 0.95rem;
      }
      .translation p {
        margin: 0;
      }
    `,
  ];

  /** The question that was answered (its options name the ids of the answer). */
  @property({ attribute: false }) question!: StudentQuestion;
  /** The API's verdict. */
  @property({ attribute: false }) verdict!: Verdict;
  /** What the student sent; null when time ran out. */
  @property({ attribute: false }) response: AnswerResponse | null = null;
  /** The session's question language. */
  @property({ attribute: false }) sessionLang: SessionLang = 'both';
  /** Level of the verdict heading (2 after a question, 3 in the end-of-quiz review); sub-headings one deeper. */
  @property({ type: Number }) level = 2;
  /** Put before the verdict in its heading, e.g. "Question 3" in the review. */
  @property() label = '';
  /** A practice try: judged, but neither scored nor timed. */
  @property({ type: Boolean }) practice = false;

  private readonly i18n = new LangController(this);
  @query('h2') private heading!: HTMLElement;

  /** Moves keyboard focus to the verdict, which replaces the question the student was on. */
  async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.heading.focus();
  }

  /** A choice as the student saw it: its text, and its photo when it has one. */
  private text(id: string, list: Option[] | undefined): unknown {
    const option = list?.find((o) => o.id === id);
    if (!option) return id;
    const photo = questionImage(option.image, (alt) => qText(alt, this.sessionLang), '8rem');
    return html`${qHtml(option.text, this.sessionLang)}${photo}`;
  }

  /** An answer (the key, or a response rewritten by {@link asAnswer}) in words. */
  private answer(value: unknown, tolerance?: number): TemplateResult {
    const s = strings();
    const q = this.question;
    switch (q.type) {
      case 'single':
      case 'poll':
        return html`<p>${this.text(String(value), q.options)}</p>`;
      case 'multi':
        return html`<ul>
          ${ids(value).map((id) => html`<li>${this.text(id, q.options)}</li>`)}
        </ul>`;
      case 'ordering':
        return html`<ol>
          ${ids(value).map((id) => html`<li>${this.text(id, q.options)}</li>`)}
        </ol>`;
      case 'truefalse':
        return html`<p>${value ? s.trueLabel : s.falseLabel}</p>`;
      case 'numeric':
        return html`<p>
          ${String(value)} ${q.unit ? qText(q.unit, this.sessionLang) : ''} ${tolerance ? s.tolerance(tolerance) : ''}
        </p>`;
      case 'matching': {
        const pairs = (value ?? {}) as Record<string, string>;
        return html`<ul>
          ${(q.options ?? []).map(
            (o) =>
              html`<li>
                ${qText(o.text, this.sessionLang)} → ${pairs[o.id] ? this.text(pairs[o.id]!, q.targets) : s.nothing}
              </li>`,
          )}
        </ul>`;
      }
      case 'text':
      case 'open':
        return html`<p>${ids(value).join(' / ')}</p>`;
    }
  }

  /**
   * The proof. Bank quotes are Chinese, so they are marked as such for screen readers in English;
   * a session in English (or both) adds their translation.
   */
  private source(source: NonNullable<Verdict['reveal']['source']>): TemplateResult {
    const s = strings();
    return html`<h3 aria-level=${this.level + 1}>${s.source}</h3>
      ${proofHtml(source, this.sessionLang)}`;
  }

  override render() {
    const s = strings();
    const { verdict, response, level } = this;
    const { reveal } = verdict;
    // A poll or an open answer has no right answer: the student's is recorded, neither right nor wrong.
    const poll = isUngraded(this.question.type);
    const shown =
      poll && response !== null
        ? { cls: 'ok', icon: '✓', word: this.question.type === 'open' ? s.answerRecorded : s.recorded }
        : response === null && !verdict.correct
          ? { cls: 'bad', icon: '✗', word: s.noAnswer }
          : verdict.correct
            ? { cls: 'ok', icon: '✓', word: s.correct }
            : { cls: 'bad', icon: '✗', word: s.incorrect };
    return html`
      <section class="card verdict ${shown.cls}" aria-labelledby="verdict">
        <h2 id="verdict" tabindex="-1" aria-level=${level}>
          ${this.label ? html`<span>${this.label} ·</span>` : nothing}
          <span class="icon" aria-hidden="true">${shown.icon}</span> ${shown.word}
        </h2>
        ${this.practice
          ? html`<p>${s.practiceNotScored}</p>`
          : html`<p class="points">${s.points(verdict.points)}</p>
              ${response !== null ? html`<p>${s.answeredIn((verdict.timeMs / 1000).toFixed(1))}</p>` : nothing}`}
        ${verdict.late && response !== null ? html`<p><strong>${s.late}</strong></p>` : nothing}
      </section>
      <div class="card">
        <p class="stem">${qHtml(this.question.stem, this.sessionLang)}</p>
        ${response !== null && (poll || !verdict.correct)
          ? html`<h3 aria-level=${level + 1}>${s.youAnswered}</h3>
              ${this.answer(asAnswer(response))}`
          : nothing}
        ${reveal.answer === null
          ? nothing
          : html`<h3 aria-level=${level + 1}>${s.correctAnswer}</h3>
              ${this.answer(reveal.answer, reveal.tolerance)}`}
        ${reveal.explanation
          ? html`<h3 aria-level=${level + 1}>${s.explanation}</h3>
              <p>${qHtml(reveal.explanation, this.sessionLang)}</p>`
          : nothing}
        ${reveal.source ? this.source(reveal.source) : nothing}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-feedback': PgFeedback;
  }
}
