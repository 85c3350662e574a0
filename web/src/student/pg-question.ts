/**
 * One question, any of the seven types, operable by keyboard and screen reader with native
 * controls only (no drag and drop). Single choice and true/false are sent on the tap; the other
 * types have a submit button. Sending fires `pg-answer` with the response shaped as the
 * API expects for the type. Render a new element per question (lit's `keyed`) so its state resets.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { LangController, firstLang, qFirst, qHtml, qText, strings } from '../i18n/lang';
import { imageStyles, questionImage } from '../core/image';
import { base } from '../core/styles';
import {
  OPEN_ANSWER_MAX,
  type AnswerResponse,
  type Option,
  type SessionLang,
  type StudentQuestion,
} from '../../../worker/contract';

/** Detail of the `pg-answer` event. */
export interface AnswerDetail {
  response: AnswerResponse;
}

/**
 * Reads a number as typed on any phone: full-width digits from Chinese input methods, the
 * ideographic full stop as decimal point, thousands separators. Null when it is not a number.
 */
export function parseNumber(raw: string): number | null {
  const s = raw
    .normalize('NFKC')
    .replace(/[\s,，]/g, '')
    .replace(/[。]/g, '.')
    .replace(/[−–]/g, '-');
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s) ? Number(s) : null;
}

/** Enter that ends an input method's composition picks the characters; it must not send the answer. */
const composing = (e: KeyboardEvent) => {
  if (e.key === 'Enter' && e.isComposing) e.preventDefault();
};

/** One question with its answer controls; fires `pg-answer`. */
@customElement('pg-question')
export class PgQuestion extends LitElement {
  static override styles = [
    base,
    imageStyles,
    css`
      legend h2 {
        margin: 0;
      }
      .choices {
        display: grid;
        gap: 0.5rem;
      }
      .choice {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        min-height: 3.5rem;
        padding: 0.6rem 0.9rem;
        border: 2px solid var(--pg-border);
        border-radius: var(--pg-radius);
        background: var(--pg-surface);
        font-weight: 400;
        cursor: pointer;
      }
      .choice:hover {
        border-color: var(--pg-accent);
      }
      /* The chosen row is marked by its native control and a thicker border, not by colour alone. */
      .choice:has(input:checked) {
        border-color: var(--pg-accent);
        box-shadow: inset 0 0 0 1px var(--pg-accent);
        background: var(--pg-accent-tint);
      }
      .choice:has(input:focus-visible) {
        outline: 3px solid var(--pg-accent);
        outline-offset: 2px;
      }
      /* One-tap answers are buttons: tapping one sends it, so there is nothing to select first. */
      button.choice {
        width: 100%;
        justify-content: flex-start;
        color: var(--pg-text);
        text-align: start;
        font-size: inherit;
      }
      button.choice[aria-pressed='true'] {
        border-color: var(--pg-accent);
        box-shadow: inset 0 0 0 1px var(--pg-accent);
        background: var(--pg-accent-tint);
        animation: sent 0.3s ease-out;
      }
      /* A choice's photo, under its text: small, so that every choice stays in view on a phone. */
      .choice .q-image {
        width: auto;
        max-height: 6rem;
        margin: 0.35rem 0 0;
      }
      .mark {
        flex: none;
        width: 1.5rem;
        font-weight: 700;
        color: var(--pg-accent);
      }
      /* Live game: the tile's colour, shape and letter (see the badge property). */
      .choice .tile-badge {
        font-size: 1.15rem;
        min-height: 2.2rem;
      }
      @keyframes sent {
        50% {
          transform: scale(0.97);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        button.choice[aria-pressed='true'] {
          animation: none;
        }
      }
      .order {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 0.5rem;
      }
      .order li {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        padding: 0.4rem 0.4rem 0.4rem 0.75rem;
        border: 2px solid var(--pg-border);
        border-radius: var(--pg-radius);
        background: var(--pg-surface);
      }
      .pos {
        flex: none;
        width: 1.8rem;
        height: 1.8rem;
        border-radius: 50%;
        background: var(--pg-accent);
        color: #fff;
        font-weight: 700;
        display: grid;
        place-items: center;
      }
      .item {
        flex: 1;
      }
      .moves {
        display: flex;
        gap: 0.35rem;
        flex: none;
      }
      .moves button {
        padding: 0;
        font-size: 1.2rem;
      }
      .answer-row {
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      .answer-row input {
        max-width: 16rem;
      }
      .submit {
        width: 100%;
      }
    `,
  ];

  /** The question as the API serves it to students. */
  @property({ attribute: false }) question!: StudentQuestion;
  /** The session's question language (`both`: the reader's first, the other beneath). */
  @property({ attribute: false }) sessionLang: SessionLang = 'both';
  /** While an answer is being sent. */
  @property({ type: Boolean }) disabled = false;
  /**
   * Live game: a badge per choice position (the answer tile's colour, shape and letter, from
   * live/shared/tiles, which this student-entry element must not import), drawn before its text
   * as on the projector; its letter is part of the choice's accessible name.
   */
  @property({ attribute: false }) badge: ((index: number) => TemplateResult) | null = null;

  private readonly i18n = new LangController(this);
  /** Single choice: the option id. */
  @state() private choice = '';
  /** Multiple choice: the option ids, in the order shown. */
  @state() private chosen: string[] = [];
  @state() private truth: boolean | null = null;
  /** Numeric and text entry: what is typed. */
  @state() private typed = '';
  /** Ordering: item ids in the current order. */
  @state() private order: string[] = [];
  /** Matching: left item id → target id. */
  @state() private pairs: Record<string, string> = {};
  /** Ordering: the last move, announced to screen readers. */
  @state() private moved = '';
  @query('h2') private heading!: HTMLElement;

  /** Moves keyboard focus to the question, when it replaces what had focus. */
  async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.heading.focus();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('question')) this.order = (this.question.options ?? []).map((o) => o.id);
  }

  private get options(): Option[] {
    return this.question.options ?? [];
  }

  /** The response to send, or null while the answer is incomplete. */
  private response(): AnswerResponse | null {
    switch (this.question.type) {
      case 'single':
      case 'poll':
        return this.choice ? { optionId: this.choice } : null;
      case 'multi':
        return this.chosen.length ? { optionIds: this.chosen } : null;
      case 'truefalse':
        return this.truth === null ? null : { value: this.truth };
      case 'numeric': {
        const value = parseNumber(this.typed);
        return value === null ? null : { value };
      }
      case 'text':
      case 'open':
        return this.typed.trim() ? { text: this.typed.trim() } : null;
      case 'ordering':
        return { order: this.order };
      case 'matching':
        return this.options.every((o) => this.pairs[o.id]) ? { pairs: { ...this.pairs } } : null;
    }
  }

  /** Single choice and true/false are sent on the tap, as in every classroom quiz game; the rest need a submit. */
  private get oneTap(): boolean {
    const { type } = this.question;
    return type === 'single' || type === 'poll' || type === 'truefalse';
  }

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    this.send();
  }

  private send(): void {
    const response = this.response();
    if (!response || this.disabled) return;
    this.dispatchEvent(
      new CustomEvent<AnswerDetail>('pg-answer', { detail: { response }, bubbles: true, composed: true }),
    );
  }

  /** A one-tap answer: a button that marks itself chosen and sends at once. */
  private tapRow(label: unknown, chosen: boolean, choose: () => void, index: number) {
    return html`<button
      type="button"
      class="choice"
      aria-pressed=${chosen ? 'true' : 'false'}
      @click=${() => {
        choose();
        this.send();
      }}
    >
      ${this.badge?.(index) ?? nothing}
      <span class="mark" aria-hidden="true">${chosen ? '✓' : ''}</span>
      <span>${label}</span>
    </button>`;
  }

  private toggle(id: string, on: boolean): void {
    const set = new Set(this.chosen);
    if (on) set.add(id);
    else set.delete(id);
    this.chosen = this.options.map((o) => o.id).filter((x) => set.has(x));
  }

  private async move(index: number, step: -1 | 1): Promise<void> {
    const order = [...this.order];
    const id = order[index]!;
    const target = index + step;
    [order[index], order[target]] = [order[target]!, id];
    this.order = order;
    const s = strings();
    this.moved = s.movedTo(this.label(id), target + 1, order.length);
    // The moved row's buttons are re-placed in the DOM, which drops focus: put it back, on the
    // same arrow unless the item reached the end of the list.
    await this.updateComplete;
    const buttons = this.renderRoot.querySelectorAll<HTMLButtonElement>(`li[data-id="${id}"] button`);
    const same = buttons[step < 0 ? 0 : 1];
    (same && !same.disabled ? same : buttons[step < 0 ? 1 : 0])?.focus();
  }

  /**
   * Reads the question and its choices aloud with the browser's own speech synthesis (no outside
   * service), in the question's first language.
   */
  private readAloud(): void {
    const s = strings();
    const first = firstLang(this.sessionLang);
    const choices =
      this.question.type === 'truefalse'
        ? [s.trueLabel, s.falseLabel]
        : [...this.options, ...(this.question.targets ?? [])].map((o) => o.text[first]);
    const utterance = new SpeechSynthesisUtterance([this.question.stem[first], ...choices].join('。\n'));
    utterance.lang = first === 'zh' ? 'zh-CN' : 'en-US';
    speechSynthesis.cancel();
    speechSynthesis.speak(utterance);
  }

  /** An option's text in the first language, for accessible names and announcements. */
  private label(id: string): string {
    const option = this.options.find((o) => o.id === id);
    return option ? qFirst(option.text, this.sessionLang) : id;
  }

  /** A choice's text, then its image: the image's alt text follows the text in the choice's accessible name. */
  private choiceLabel(o: Option) {
    return html`${qHtml(o.text, this.sessionLang)}${questionImage(
      o.image,
      (alt) => qFirst(alt, this.sessionLang),
      '8rem',
    )}`;
  }

  /** A big labelled row around a native checkbox. */
  private checkRow(label: unknown, checked: boolean, onChange: (on: boolean) => void, index: number) {
    return html`<label class="choice">
      <input
        type="checkbox"
        name="choice"
        .checked=${checked}
        @change=${(e: Event) => onChange((e.target as HTMLInputElement).checked)}
      />
      ${this.badge?.(index) ?? nothing}
      <span>${label}</span>
    </label>`;
  }

  private controls(): TemplateResult {
    const s = strings();
    const q = this.question;
    switch (q.type) {
      case 'single':
      case 'poll':
        return html`<div class="choices">
          ${this.options.map((o, i) =>
            this.tapRow(this.choiceLabel(o), this.choice === o.id, () => (this.choice = o.id), i),
          )}
        </div>`;
      case 'multi':
        return html`<div class="choices">
          ${this.options.map((o, i) =>
            this.checkRow(this.choiceLabel(o), this.chosen.includes(o.id), (on) => this.toggle(o.id, on), i),
          )}
        </div>`;
      case 'truefalse':
        return html`<div class="choices">
          ${this.tapRow(s.trueLabel, this.truth === true, () => (this.truth = true), 0)}
          ${this.tapRow(s.falseLabel, this.truth === false, () => (this.truth = false), 1)}
        </div>`;
      case 'numeric':
      case 'text':
      case 'open':
        return this.entry(q.type === 'numeric');
      case 'ordering':
        return this.ordering();
      case 'matching':
        return this.matching();
    }
  }

  private entry(numeric: boolean): TemplateResult {
    const s = strings();
    const invalid = numeric && this.typed.trim() !== '' && parseNumber(this.typed) === null;
    const unit = numeric && this.question.unit ? qFirst(this.question.unit, this.sessionLang) : '';
    return html`<div class="field">
      <label for="answer">${s.answerLabel}</label>
      <div class="answer-row">
        <input
          id="answer"
          type="text"
          inputmode=${numeric ? 'decimal' : 'text'}
          autocomplete="off"
          maxlength=${this.question.type === 'open' ? OPEN_ANSWER_MAX : 200}
          enterkeyhint="done"
          aria-describedby="unit answer-error"
          aria-invalid=${invalid ? 'true' : 'false'}
          .value=${this.typed}
          @input=${(e: Event) => (this.typed = (e.target as HTMLInputElement).value)}
          @keydown=${composing}
        />
        ${unit ? html`<span id="unit">${unit}</span>` : nothing}
      </div>
      <p id="answer-error" class="error" aria-live="polite">${invalid ? s.numericInvalid : ''}</p>
    </div>`;
  }

  private ordering(): TemplateResult {
    const s = strings();
    const last = this.order.length - 1;
    return html`<ol class="order">
        ${repeat(
          this.order,
          (id) => id,
          (id, i) => {
            const text = this.label(id);
            const option = this.options.find((o) => o.id === id);
            return html`<li data-id=${id}>
              <span class="pos" aria-hidden="true">${i + 1}</span>
              <span class="item">${option ? qHtml(option.text, this.sessionLang) : id}</span>
              <span class="moves">
                <button
                  type="button"
                  class="secondary"
                  aria-label=${s.moveUp(text)}
                  ?disabled=${i === 0}
                  @click=${() => this.move(i, -1)}
                >
                  <span aria-hidden="true">↑</span>
                </button>
                <button
                  type="button"
                  class="secondary"
                  aria-label=${s.moveDown(text)}
                  ?disabled=${i === last}
                  @click=${() => this.move(i, 1)}
                >
                  <span aria-hidden="true">↓</span>
                </button>
              </span>
            </li>`;
          },
        )}
      </ol>
      <p class="sr-only" aria-live="polite">${this.moved}</p>`;
  }

  private matching(): TemplateResult {
    const s = strings();
    const targets = this.question.targets ?? [];
    return html`${this.options.map(
      (o) =>
        html`<div class="field">
          <label for="match-${o.id}">${qHtml(o.text, this.sessionLang)}</label>
          <select
            id="match-${o.id}"
            @change=${(e: Event) => (this.pairs = { ...this.pairs, [o.id]: (e.target as HTMLSelectElement).value })}
          >
            <option value="" ?selected=${!this.pairs[o.id]}>${s.choose}</option>
            ${targets.map(
              (x) =>
                html`<option value=${x.id} ?selected=${this.pairs[o.id] === x.id}>
                  ${qText(x.text, this.sessionLang)}
                </option>`,
            )}
          </select>
        </div>`,
    )}`;
  }

  override render() {
    const s = strings();
    return html`<form novalidate @submit=${this.submit}>
      <fieldset aria-describedby="hint" ?disabled=${this.disabled}>
        <legend><h2 tabindex="-1">${qHtml(this.question.stem, this.sessionLang)}</h2></legend>
        ${questionImage(this.question.image, (alt) => qText(alt, this.sessionLang), '(max-width: 40rem) 100vw, 40rem')}
        <p id="hint" class="hint">${s.hints[this.question.type]}</p>
        ${'speechSynthesis' in window
          ? html`<p>
              <button type="button" class="secondary small" @click=${this.readAloud}>
                <span aria-hidden="true">🔊</span> ${s.readAloud}
              </button>
            </p>`
          : nothing}
        ${this.controls()}
      </fieldset>
      ${this.oneTap
        ? nothing
        : html`<button class="submit" type="submit" ?disabled=${this.disabled || !this.response()}>
            ${s.submitAnswer}
          </button>`}
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-question': PgQuestion;
  }
  interface HTMLElementEventMap {
    /** The student submitted a complete answer. */
    'pg-answer': CustomEvent<AnswerDetail>;
  }
}
