/**
 * One generated draft under review: what made it and how much to trust it (in words and a
 * number), its question and answer key, its source sentence, accept / reject, "show in the text",
 * and an edit form (the question editor in local mode). Fires `decide` ('accept' | 'reject'),
 * `change-draft` (the edited {@link Draft}) and `show-source`.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LangController } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { teacherBase } from '../styles';
import type { QuestionBody } from '../types';
import { emit, percent } from '../ui';
import type { PgQuestionEditor } from '../questions/pg-question-editor';
import '../questions/pg-question-editor';
import '../questions/pg-question-preview';
import type { Draft, Question } from '../../../../worker/contract';

/** A teacher's decision on a draft; null while undecided. */
export type Decision = 'accept' | 'reject' | null;

/** The draft seen as a question, so that the editor's form can load it. */
function asQuestion(d: Draft): { id: string; question: Question } {
  const { kind: _kind, confidence: _confidence, source, ...rest } = d;
  return { id: d.id, question: { ...rest, source: { own: true, quote: source.quote } } as Question };
}

/** The edited body put back into the draft, which keeps its id, kind, confidence and source. */
function fromBody(d: Draft, body: QuestionBody): Draft {
  const { source: _source, ...rest } = body;
  return { ...rest, id: d.id, kind: d.kind, confidence: d.confidence, source: d.source } as Draft;
}

/** A draft card. */
@customElement('pg-draft-card')
export class PgDraftCard extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      :host {
        margin-bottom: var(--pg-gap);
      }
      .card {
        margin: 0;
        border-width: 2px;
      }
      .card.accept {
        border-color: var(--pg-ok);
      }
      .card.reject {
        border-style: dashed;
        opacity: 0.85;
      }
      .card.active {
        outline: 3px solid var(--pg-accent);
      }
      h3 {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      fieldset {
        margin: 0.5rem 0;
      }
      .decision {
        gap: 0 1.25rem;
      }
    `,
  ];

  /** The draft as it stands (with the teacher's edits). */
  @property({ attribute: false }) draft: Draft | null = null;
  /** 0-based position in the list. */
  @property({ type: Number }) index = 0;
  /** The teacher's decision so far. */
  @property({ attribute: false }) decision: Decision = null;
  /** This draft's sentence is the one outlined in the text. */
  @property({ type: Boolean }) active = false;

  private readonly i18n = new LangController(this);
  /** The draft as the editor loads it, made once per opening so that re-renders keep what is typed. */
  @state() private editing: { id: string; question: Question } | null = null;

  private async toggleEdit(): Promise<void> {
    this.editing = this.editing || !this.draft ? null : asQuestion(this.draft);
    await this.updateComplete;
    if (this.editing) this.renderRoot.querySelector<PgQuestionEditor>('pg-question-editor')?.focus();
    else this.renderRoot.querySelector<HTMLButtonElement>('.edit')?.focus();
  }

  private onEdited(e: CustomEvent<QuestionBody>): void {
    emit(this, 'change-draft', fromBody(this.draft!, e.detail));
    this.editing = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('.edit')?.focus());
  }

  override render() {
    const d = this.draft;
    if (!d) return nothing;
    const ts = teacherStrings();
    const g = ts.gen;
    const n = this.index + 1;
    const decided =
      this.decision === 'accept' ? `✓ ${g.accepted}` : this.decision === 'reject' ? `✗ ${g.rejected}` : g.undecided;
    return html`<article class="card ${this.decision ?? ''} ${this.active ? 'active' : ''}" aria-labelledby="title">
      <h3 id="title">${g.draftN(n)} <span class="badge">${g.kinds[d.kind]}</span></h3>
      <p class="muted">
        ${g.confidence(percent(Math.round(100 * d.confidence)))} · ${ts.types[d.type]}
        ${d.source.heading ? html` · ${d.source.heading}` : nothing} · ${g.paragraph(d.source.paragraph)} ·
        <strong>${decided}</strong>
      </p>
      <pg-question-preview .question=${d} quote=${d.source.quote}></pg-question-preview>
      <fieldset>
        <legend class="sr-only">${g.decisionLegend(n)}</legend>
        <div class="row decision">
          ${(['accept', 'reject'] as const).map(
            (v) =>
              html`<label class="check">
                <input
                  type="radio"
                  name="decision"
                  .checked=${this.decision === v}
                  @change=${() => emit(this, 'decide', v)}
                />
                ${v === 'accept' ? g.accept : g.reject}<span class="sr-only"> ${g.draftN(n)}</span>
              </label>`,
          )}
        </div>
      </fieldset>
      <p class="row">
        <button type="button" class="secondary small" @click=${() => emit(this, 'show-source', null)}>
          ${g.showInText}<span class="sr-only"> (${g.draftN(n)})</span>
        </button>
        <button
          type="button"
          class="secondary small edit"
          aria-expanded=${this.editing ? 'true' : 'false'}
          @click=${this.toggleEdit}
        >
          ${g.edit}<span class="sr-only"> ${g.draftN(n)}</span>
        </button>
      </p>
      ${this.editing
        ? html`<pg-question-editor
            local
            heading=${g.editHeading(n)}
            .question=${this.editing}
            @saved-form=${this.onEdited}
            @cancel=${this.toggleEdit}
          ></pg-question-editor>`
        : nothing}
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-draft-card': PgDraftCard;
  }
}
