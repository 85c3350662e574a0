/**
 * A question as the teacher checks it: stem in both languages and its image, the choices with the right ones
 * marked by ✓ and the word "correct" (never colour alone), the explanation and the source quote.
 * Used by the bank browser, the quiz's own list and the create-from-text drafts. All texts are
 * user or bank text and reach the page through lit bindings only.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LangController, qHtml, qText, strings } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { imageStyles, questionImage } from '../../core/image';
import { base } from '../../core/styles';
import { teacherBase } from '../styles';
import type { Localized, Option, Question } from '../../../../worker/contract';

/** What a preview needs: any question or draft, without its id and source. */
export type Previewable = Question extends infer Q ? (Q extends Question ? Omit<Q, 'id' | 'source'> : never) : never;

const both = (text: Localized) => qHtml(text, 'both');
/** A choice's text, then its image, small. */
const choice = (o: Option) => html`${both(o.text)}${questionImage(o.image, (alt) => qText(alt, 'both'), '8rem')}`;

/** A read-only view of a question and its answer key. */
@customElement('pg-question-preview')
export class PgQuestionPreview extends LitElement {
  static override styles = [
    base,
    teacherBase,
    imageStyles,
    css`
      .q-image {
        max-width: min(100%, 24rem);
      }
      .answers .q-image {
        width: auto;
        max-height: 6rem;
        margin: 0.25rem 0;
      }
      .stem {
        font-weight: 600;
        margin-bottom: 0.5rem;
      }
      .answers {
        margin: 0 0 0.5rem;
        padding-inline-start: 1.5rem;
      }
      .answers li {
        margin: 0.15rem 0;
      }
      .answers li.right {
        list-style: none;
        margin-inline-start: -1.5rem;
      }
      .mark {
        margin-inline-end: 0.4rem;
      }
      figure {
        margin: 0;
      }
      figcaption {
        font-size: 0.85rem;
        color: var(--pg-muted);
      }
    `,
  ];

  /** The question (or draft) to show. */
  @property({ attribute: false }) question: Previewable | null = null;
  /** Its source quote, if any. */
  @property() quote = '';
  /** Where the quote stands (a heading), if known. */
  @property() heading = '';
  /** Show the stem (off where the stem is already shown beside the preview). */
  @property({ type: Boolean, attribute: 'hide-stem' }) hideStem = false;

  private readonly i18n = new LangController(this);

  /** A right answer: the ✓ and the word, so that neither colour nor the symbol alone carries it. */
  private right(content: TemplateResult | string): TemplateResult {
    const ts = teacherStrings();
    return html`<li class="right"><span class="badge ok mark">✓ ${ts.preview.correct}</span>${content}</li>`;
  }

  private answer(q: Previewable): TemplateResult {
    const s = strings();
    const ts = teacherStrings();
    switch (q.type) {
      case 'single':
      case 'multi': {
        const right = new Set(q.type === 'single' ? [q.answer] : q.answer);
        return html`<ul class="answers">
          ${q.options.map((o) => (right.has(o.id) ? this.right(choice(o)) : html`<li>${choice(o)}</li>`))}
        </ul>`;
      }
      case 'open':
        return html`<p>${ts.editor.openHint}</p>`;
      case 'poll':
        // No option is marked: a poll has no right answer.
        return html`<ul class="answers">
          ${q.options.map((o) => html`<li>${choice(o)}</li>`)}
        </ul>`;
      case 'truefalse':
        return html`<ul class="answers">
          ${this.right(q.answer ? s.trueLabel : s.falseLabel)}
        </ul>`;
      case 'numeric':
        return html`<ul class="answers">
          ${this.right(
            html`${q.answer}${q.tolerance ? ` ± ${q.tolerance}` : ''}${q.unit ? html` ${both(q.unit)}` : nothing}`,
          )}
        </ul>`;
      case 'text':
        return html`<p>${ts.preview.accepted}</p>
          <ul class="answers">
            ${q.answer.map((a) => this.right(a))}
          </ul>`;
      case 'ordering':
        return html`<p>${ts.preview.order}</p>
          <ol class="answers">
            ${q.answer.map((id) => {
              const item = q.options.find((o) => o.id === id);
              return html`<li>${item ? both(item.text) : id}</li>`;
            })}
          </ol>`;
      case 'matching':
        return html`<p>${ts.preview.pairs}</p>
          <ul class="answers">
            ${q.options.map((o) => {
              const target = q.targets.find((t) => t.id === q.answer[o.id]);
              return html`<li>
                ${both(o.text)} <span aria-hidden="true">→</span><span class="sr-only">${ts.preview.matches}</span>
                <strong>${target ? both(target.text) : '—'}</strong>
              </li>`;
            })}
          </ul>`;
    }
  }

  override render() {
    const q = this.question;
    if (!q) return nothing;
    const s = strings();
    return html`${this.hideStem ? nothing : html`<div class="stem">${both(q.stem)}</div>`}
    ${questionImage(q.image, (alt) => qText(alt, 'both'), '(max-width: 40rem) 100vw, 24rem')} ${this.answer(q)}
    ${q.explanation ? html`<p><strong>${s.explanation}:</strong> ${both(q.explanation)}</p>` : nothing}
    ${this.quote
      ? html`<figure>
          <blockquote>${this.quote}</blockquote>
          ${this.heading ? html`<figcaption>${s.source} · ${this.heading}</figcaption>` : nothing}
        </figure>`
      : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-question-preview': PgQuestionPreview;
  }
}
