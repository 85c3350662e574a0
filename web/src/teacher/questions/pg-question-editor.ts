/**
 * "Write a question" (or edit one of the teacher's own): every one of the seven types, Chinese and
 * English fields, an optional image with its description, topics, difficulty and an optional source quote. The server validates with the
 * bank's own schema and its message is shown as is. Fires `saved` ({ id, question, created }) and
 * `cancel`. In `local` mode (a generated draft) nothing is sent: it fires `saved-form` with the
 * edited question body, and the type and source stay as they are.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { LangController, strings } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import {
  ROW_LIMITS,
  addRow,
  bodyFromForm,
  emptyForm,
  fitRows,
  formFromQuestion,
  type OptionRow,
  type PairRow,
  type QuestionForm,
} from './question-form';
import { base } from '../../core/styles';
import { teacherApi } from '../api';
import { teacherBase } from '../styles';
import type { QuestionBody } from '../types';
import { checkedOf, emit, field, moved, valueOf } from '../ui';
import { ActionController } from '../components/action-controller';
import './pg-image-field';
import type { PgImageField } from './pg-image-field';
import {
  isUngraded,
  type Question,
  type QuestionImage,
  QUESTION_TYPES,
  type QuestionType,
  type Topic,
  TOPICS,
} from '../../../../worker/contract';

/** Detail of the `saved` event. */
export interface SavedQuestion {
  id: string;
  question: Question;
  /** True for a new question, false for an edit. */
  created: boolean;
}

/** The question editor. */
@customElement('pg-question-editor')
export class PgQuestionEditor extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      .pair,
      .row-item {
        display: grid;
        gap: 0.5rem;
        grid-template-columns: minmax(0, 1fr);
        border-top: 1px solid var(--pg-line);
        padding: 0.75rem 0;
      }
      @media (min-width: 40rem) {
        .langs {
          display: grid;
          gap: 0 0.75rem;
          grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        }
      }
      .langs .field {
        margin-bottom: 0.5rem;
      }
      legend {
        font-weight: 700;
      }
      textarea {
        min-height: 4.5rem;
      }
    `,
  ];

  /** The teacher's own question to edit; null writes a new one. */
  @property({ attribute: false }) question: { id: string; question: Question } | null = null;
  /** Edit without saving (a draft): fires `saved-form`, keeps the type, hides the source fields. */
  @property({ type: Boolean }) local = false;
  /** The form's heading; empty for "Write a question" / "Edit question". */
  @property() heading = '';

  private readonly i18n = new LangController(this);
  @state() private form: QuestionForm = emptyForm();
  @state() private announcement = '';
  /** True after a save was stopped because the image has no description. */
  @state() private altMissing = false;
  private readonly action = new ActionController(this);
  @query('h3') private headingEl!: HTMLElement;

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('question')) {
      this.form = this.question ? formFromQuestion(this.question.question) : emptyForm();
      this.action.reset();
    }
  }

  /** Moves focus to the editor's heading (after it opens). */
  override focus(): void {
    void this.updateComplete.then(() => this.headingEl.focus());
  }

  private set(patch: Partial<QuestionForm>): void {
    this.form = { ...this.form, ...patch };
  }

  private setOption(i: number, patch: Partial<OptionRow>): void {
    const options = this.form.options.map((o, j) =>
      j === i ? { ...o, ...patch } : patch.correct && this.form.type === 'single' ? { ...o, correct: false } : o,
    );
    this.set({ options });
  }

  private setPair(i: number, patch: Partial<PairRow>): void {
    this.set({ pairs: this.form.pairs.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  }

  private removeRow(i: number): void {
    if (this.form.type === 'matching') this.set({ pairs: this.form.pairs.filter((_, j) => j !== i) });
    else this.set({ options: this.form.options.filter((_, j) => j !== i) });
    this.announcement = teacherStrings().editor.rowRemoved(i + 1);
  }

  private moveItem(i: number, delta: number): void {
    this.set({ options: moved(this.form.options, i, delta) });
    this.announcement = teacherStrings().editor.itemMoved(i + 1, i + 1 + delta);
  }

  private toggleTopic(topic: Topic, on: boolean): void {
    const topics = on ? [...this.form.topics, topic] : this.form.topics.filter((t) => t !== topic);
    this.set({ topics });
  }

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    // The server refuses an image without a description too; saying so here points at the first such field.
    const f = this.form;
    const withImages = f.type === 'single' || f.type === 'multi' || f.type === 'poll';
    const images = [f.image, ...(withImages ? f.options.map((o) => o.image) : [])];
    const missing = images.findIndex((image) => image && !image.alt.zh.trim() && !image.alt.en.trim());
    this.altMissing = missing >= 0;
    if (this.altMissing) {
      this.action.reset();
      // The fields come in the same order: the stem's, then one per choice.
      this.renderRoot.querySelectorAll<PgImageField>('pg-image-field')[missing]?.focusAlt();
      return;
    }
    void this.action.run(async () => {
      const body = bodyFromForm(this.form);
      if (this.local) {
        emit<QuestionBody>(this, 'saved-form', body);
        return;
      }
      const editing = this.question;
      const saved = editing ? await teacherApi.updateQuestion(editing.id, body) : await teacherApi.createQuestion(body);
      emit<SavedQuestion>(this, 'saved', { ...saved, created: !editing });
      if (!editing) this.form = emptyForm(this.form.type);
    });
  }

  /** Chinese and English inputs side by side, for one text. */
  private langs(
    id: string,
    label: (lang: string) => string,
    zh: string,
    en: string,
    set: (zh: string, en: string) => void,
    area = false,
  ) {
    const ts = teacherStrings();
    const input = (lang: 'zh' | 'en', value: string) => {
      const onInput = (e: Event) => (lang === 'zh' ? set(valueOf(e), en) : set(zh, valueOf(e)));
      const inputId = `${id}-${lang}`;
      const hl = lang === 'zh' ? 'zh-CN' : 'en';
      return html`<div class="field">
        <label for=${inputId}>${label(lang === 'zh' ? ts.editor.chinese : ts.editor.english)}</label>
        ${area
          ? html`<textarea id=${inputId} lang=${hl} maxlength="600" .value=${value} @input=${onInput}></textarea>`
          : html`<input id=${inputId} type="text" lang=${hl} maxlength="600" .value=${value} @input=${onInput} />`}
      </div>`;
    };
    return html`<div class="langs">${input('zh', zh)}${input('en', en)}</div>`;
  }

  private choices(): TemplateResult {
    const ts = teacherStrings();
    const f = this.form;
    const limits = ROW_LIMITS[f.type as 'single' | 'multi' | 'poll'];
    const multi = f.type === 'multi';
    // A poll's options are all equal: there is none to mark right.
    const poll = f.type === 'poll';
    return html`<fieldset>
      <legend>${ts.editor.options}</legend>
      <p class="hint">${poll ? ts.editor.pollHint : multi ? ts.editor.multiHint : ts.editor.singleHint}</p>
      ${f.options.map((o, i) => {
        const n = String.fromCharCode(65 + i);
        return html`<div class="row-item">
          ${this.langs(
            `opt${i}`,
            (l) => ts.editor.optionN(n, l),
            o.zh,
            o.en,
            (zh, en) => this.setOption(i, { zh, en }),
          )}
          ${this.local
            ? nothing
            : html`<pg-image-field
                compact
                .legend=${ts.editor.optionImage(n)}
                .image=${o.image ?? null}
                @image-change=${(e: CustomEvent<QuestionImage | null>) => {
                  this.setOption(i, { image: e.detail });
                  this.altMissing = false;
                }}
              ></pg-image-field>`}
          <div class="row">
            ${poll
              ? nothing
              : html`<label class="check">
                  <input
                    type=${multi ? 'checkbox' : 'radio'}
                    name="correct"
                    .checked=${o.correct}
                    @change=${(e: Event) => this.setOption(i, { correct: checkedOf(e) })}
                  />
                  ${ts.editor.isCorrect(n)}
                </label>`}
            <button
              type="button"
              class="secondary small"
              ?disabled=${f.options.length <= limits.min}
              @click=${() => this.removeRow(i)}
            >
              ${ts.editor.removeOption(n)}
            </button>
          </div>
        </div>`;
      })}
      <button
        type="button"
        class="secondary small"
        ?disabled=${f.options.length >= limits.max}
        @click=${() => this.set(addRow(f))}
      >
        ${ts.editor.addOption}
      </button>
    </fieldset>`;
  }

  private ordering(): TemplateResult {
    const ts = teacherStrings();
    const f = this.form;
    const limits = ROW_LIMITS.ordering;
    return html`<fieldset>
      <legend>${ts.editor.itemsInOrder}</legend>
      <p class="hint">${ts.editor.orderingHint}</p>
      ${f.options.map(
        (o, i) =>
          html`<div class="row-item">
            ${this.langs(
              `item${i}`,
              (l) => ts.editor.itemN(i + 1, l),
              o.zh,
              o.en,
              (zh, en) => this.setOption(i, { zh, en }),
            )}
            <div class="row">
              <button type="button" class="secondary small" ?disabled=${i === 0} @click=${() => this.moveItem(i, -1)}>
                ${ts.editor.moveItemUp(i + 1)}
              </button>
              <button
                type="button"
                class="secondary small"
                ?disabled=${i === f.options.length - 1}
                @click=${() => this.moveItem(i, 1)}
              >
                ${ts.editor.moveItemDown(i + 1)}
              </button>
              <button
                type="button"
                class="secondary small"
                ?disabled=${f.options.length <= limits.min}
                @click=${() => this.removeRow(i)}
              >
                ${ts.editor.removeItem(i + 1)}
              </button>
            </div>
          </div>`,
      )}
      <button
        type="button"
        class="secondary small"
        ?disabled=${f.options.length >= limits.max}
        @click=${() => this.set(addRow(f))}
      >
        ${ts.editor.addItem}
      </button>
    </fieldset>`;
  }

  private matching(): TemplateResult {
    const ts = teacherStrings();
    const f = this.form;
    const limits = ROW_LIMITS.matching;
    return html`<fieldset>
      <legend>${ts.editor.pairs}</legend>
      <p class="hint">${ts.editor.matchingHint}</p>
      ${f.pairs.map(
        (p, i) =>
          html`<div class="pair">
            ${this.langs(
              `left${i}`,
              (l) => ts.editor.itemN(i + 1, l),
              p.zh,
              p.en,
              (zh, en) => this.setPair(i, { zh, en }),
            )}
            ${this.langs(
              `right${i}`,
              (l) => ts.editor.matchN(i + 1, l),
              p.matchZh,
              p.matchEn,
              (matchZh, matchEn) => this.setPair(i, { matchZh, matchEn }),
            )}
            <div>
              <button
                type="button"
                class="secondary small"
                ?disabled=${f.pairs.length <= limits.min}
                @click=${() => this.removeRow(i)}
              >
                ${ts.editor.removePair(i + 1)}
              </button>
            </div>
          </div>`,
      )}
      <button
        type="button"
        class="secondary small"
        ?disabled=${f.pairs.length >= limits.max}
        @click=${() => this.set(addRow(f))}
      >
        ${ts.editor.addPair}
      </button>
    </fieldset>`;
  }

  private typeFields(): TemplateResult {
    const s = strings();
    const ts = teacherStrings();
    const f = this.form;
    switch (f.type) {
      case 'single':
      case 'multi':
      case 'poll':
        return this.choices();
      case 'open':
        return html`<p class="hint">${ts.editor.openHint}</p>`;
      case 'ordering':
        return this.ordering();
      case 'matching':
        return this.matching();
      case 'truefalse':
        return html`<fieldset>
          <legend>${ts.editor.statementIs}</legend>
          <div class="row">
            ${[true, false].map(
              (v) =>
                html`<label class="check">
                  <input type="radio" name="truth" .checked=${f.truth === v} @change=${() => this.set({ truth: v })} />
                  ${v ? s.trueLabel : s.falseLabel}
                </label>`,
            )}
          </div>
        </fieldset>`;
      case 'numeric':
        return html`<fieldset>
          <legend>${ts.editor.numberAnswer}</legend>
          <div class="langs">
            ${field(
              'number',
              ts.editor.correctNumber,
              html`<input
                id="number"
                type="text"
                inputmode="decimal"
                .value=${f.number}
                @input=${(e: Event) => this.set({ number: valueOf(e) })}
              />`,
            )}
            ${field(
              'tolerance',
              ts.editor.tolerance,
              html`<input
                id="tolerance"
                type="text"
                inputmode="decimal"
                aria-describedby="tolerance-hint"
                .value=${f.tolerance}
                @input=${(e: Event) => this.set({ tolerance: valueOf(e) })}
              />`,
              ts.editor.toleranceHint,
            )}
          </div>
          ${this.langs(
            'unit',
            (l) => ts.editor.unit(l),
            f.unit.zh,
            f.unit.en,
            (zh, en) => this.set({ unit: { zh, en } }),
          )}
        </fieldset>`;
      case 'text':
        return html`<div class="field">
          <label for="accepted">${ts.editor.accepted}</label>
          <span id="accepted-hint" class="hint">${ts.editor.acceptedHint}</span>
          <textarea
            id="accepted"
            aria-describedby="accepted-hint"
            .value=${f.accepted}
            @input=${(e: Event) => this.set({ accepted: valueOf(e) })}
          ></textarea>
        </div>`;
    }
  }

  override render() {
    const ts = teacherStrings();
    const f = this.form;
    const editing = this.question !== null;
    return html`<form novalidate @submit=${this.submit}>
      <h3 tabindex="-1">${this.heading || (editing ? ts.editor.editTitle : ts.editor.writeTitle)}</h3>
      <p class="hint">${ts.editor.oneLanguageHint}</p>
      ${this.local
        ? nothing
        : html`<div class="field">
            <label for="type">${ts.editor.type}</label>
            <select
              id="type"
              @change=${(e: Event) => (this.form = fitRows({ ...f, type: valueOf(e) as QuestionType }))}
            >
              ${QUESTION_TYPES.map((t) => html`<option value=${t} ?selected=${f.type === t}>${ts.types[t]}</option>`)}
            </select>
          </div>`}
      ${this.langs(
        'stem',
        (l) => ts.editor.stem(l),
        f.stem.zh,
        f.stem.en,
        (zh, en) => this.set({ stem: { zh, en } }),
        true,
      )}
      ${this.local
        ? nothing
        : html`<pg-image-field
            .image=${f.image}
            @image-change=${(e: CustomEvent<QuestionImage | null>) => {
              this.set({ image: e.detail });
              this.altMissing = false;
            }}
          ></pg-image-field>`}
      ${this.typeFields()}
      ${this.langs(
        'expl',
        (l) => (isUngraded(f.type) ? ts.editor.explanationOptional(l) : ts.editor.explanation(l)),
        f.explanation.zh,
        f.explanation.en,
        (zh, en) => this.set({ explanation: { zh, en } }),
        true,
      )}
      <fieldset>
        <legend>${ts.editor.topics}</legend>
        <div class="checks">
          ${TOPICS.map(
            (t) =>
              html`<label class="check">
                <input
                  type="checkbox"
                  .checked=${f.topics.includes(t)}
                  @change=${(e: Event) => this.toggleTopic(t, checkedOf(e))}
                />
                ${ts.topics[t]}
              </label>`,
          )}
        </div>
      </fieldset>
      <div class="field">
        <label for="difficulty">${ts.editor.difficulty}</label>
        <select id="difficulty" @change=${(e: Event) => this.set({ difficulty: Number(valueOf(e)) as 1 | 2 | 3 })}>
          ${([1, 2, 3] as const).map(
            (d) => html`<option value=${d} ?selected=${f.difficulty === d}>${ts.difficulty[d]}</option>`,
          )}
        </select>
      </div>
      ${this.local
        ? nothing
        : html`<div class="field">
              <label for="quote">${ts.editor.quote}</label>
              <textarea
                id="quote"
                maxlength="1000"
                .value=${f.quote}
                @input=${(e: Event) => this.set({ quote: valueOf(e) })}
              ></textarea>
            </div>
            <div class="field">
              <label for="heading">${ts.editor.heading}</label>
              <input
                id="heading"
                type="text"
                maxlength="200"
                .value=${f.heading}
                @input=${(e: Event) => this.set({ heading: valueOf(e) })}
              />
            </div>`}
      <p class="sr-only" role="status">${this.announcement}</p>
      <p class="error" role="alert">${this.altMissing ? ts.editor.imageAltMissing : this.action.message}</p>
      <p class="row">
        <button type="submit" ?disabled=${this.action.busy}>${this.local ? ts.editor.apply : ts.editor.save}</button>
        <button type="button" class="secondary" @click=${() => emit(this, 'cancel', null)}>${ts.cancel}</button>
      </p>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-question-editor': PgQuestionEditor;
  }
}
