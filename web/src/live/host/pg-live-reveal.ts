/**
 * The projector's reveal of a question: the correct answer (✓ and the words "Correct answer",
 * never colour alone), how the class answered as a bar chart with the counts written out, the
 * explanation, and the sentence of the source text that proves the answer (blockquote + cite,
 * with its English translation in a session in English or both languages).
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { LangController, proofHtml, qHtml, qText, strings } from '../../i18n/lang';
import { liveStrings } from '../../i18n/live';
import { base, proofStyles } from '../../core/styles';
import { letter } from './pg-live-stage';
import type { Option, RevealMessage, SessionLang, StudentQuestion } from '../../../../worker/contract';

/** One bar of the chart. */
interface Bar {
  key: string;
  label: TemplateResult | string;
  count: number;
  correct: boolean;
}

const ids = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value)]);

/** The answer, its distribution and its proof, in projector type. */
@customElement('pg-live-reveal')
export class PgLiveReveal extends LitElement {
  static override styles = [
    base,
    proofStyles,
    css`
      /* A notch smaller than the question: more to read, on the same 16:9 screen. */
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1.3fr) minmax(0, 1fr);
        gap: 0 1.25em;
        align-items: start;
        font-size: 0.9em;
        line-height: 1.4;
      }
      @media (max-width: 50rem) {
        :host {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      h2 {
        font-size: 1.15em;
        margin-bottom: 0.4em;
      }
      .card {
        padding: 0.7em 0.9em;
        margin-bottom: 0.7em;
      }
      h3 {
        font-size: 1.05em;
        margin-bottom: 0.3em;
      }
      .stem {
        font-weight: 700;
        font-size: 1.05em;
        margin-bottom: 0.5em;
      }
      .answer {
        border: 3px solid var(--pg-ok);
        border-inline-start-width: 0.4em;
        background: var(--pg-ok-tint);
      }
      .answer .word {
        color: var(--pg-ok);
        font-weight: 800;
      }
      .answer p,
      .answer li {
        font-size: 1.1em;
        font-weight: 700;
      }
      .answer :last-child {
        margin-bottom: 0;
      }
      .bars {
        list-style: none;
        margin: 0 0 0.5em;
        padding: 0;
        display: grid;
        gap: 0.4em;
      }
      /* One row per option: its text (and the ✓ mark), the bar, the count. */
      .bars li {
        display: grid;
        grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr);
        gap: 0.6em;
        align-items: center;
        line-height: 1.3;
      }
      .bar-label {
        display: flex;
        flex-wrap: wrap;
        gap: 0 0.5em;
        font-weight: 600;
      }
      .ok-mark {
        color: var(--pg-ok);
        font-weight: 800;
        white-space: nowrap;
      }
      .track {
        display: grid;
        grid-template-columns: minmax(0, 1fr) 2.5em;
        gap: 0.5em;
        align-items: center;
      }
      .fill {
        display: block;
        height: 1.1em;
        min-width: 0.2em;
        background: var(--pg-muted);
        border-radius: 0.2em;
      }
      /* The right option's bar is solid green and outlined; its label also says "✓ Correct answer". */
      .right .fill {
        background: var(--pg-ok);
        outline: 2px solid var(--pg-text);
      }
      .count {
        font-weight: 800;
        font-variant-numeric: tabular-nums;
        text-align: end;
      }
      blockquote {
        margin: 0;
        padding: 0.5em 0.8em;
        border-inline-start: 0.3em solid var(--pg-accent);
        background: var(--pg-surface-2);
      }
      figure {
        margin: 0;
      }
      figcaption {
        margin-top: 0.3em;
        color: var(--pg-muted);
      }
      .translation p {
        margin: 0;
      }
      ol,
      ul {
        margin: 0 0 0.5em;
        padding-inline-start: 1.4em;
      }
      @media (forced-colors: active) {
        .fill {
          background: CanvasText;
        }
      }
    `,
  ];

  @property({ attribute: false }) reveal!: RevealMessage;
  /** The question as the projector showed it; null after a reload (then no option texts). */
  @property({ attribute: false }) question: StudentQuestion | null = null;
  @property({ attribute: false }) sessionLang: SessionLang = 'both';

  private readonly i18n = new LangController(this);

  private optionText(id: string, list: Option[] | undefined): TemplateResult | string {
    const o = list?.find((x) => x.id === id);
    return o ? qHtml(o.text, this.sessionLang) : id;
  }

  /** The correct answer in words, by question type. */
  private answer(q: StudentQuestion): TemplateResult {
    const s = strings();
    const ls = liveStrings();
    const { answer, tolerance } = this.reveal;
    switch (q.type) {
      case 'single':
      case 'multi': {
        const right = ids(answer);
        return html`<ul>
          ${(q.options ?? []).flatMap((o, i) =>
            right.includes(o.id) ? [html`<li>${letter(i)}. ${qHtml(o.text, this.sessionLang)}</li>`] : [],
          )}
        </ul>`;
      }
      case 'truefalse':
        return html`<p>${answer ? s.trueLabel : s.falseLabel}</p>`;
      case 'numeric':
        return html`<p>
          ${String(answer)} ${q.unit ? qText(q.unit, this.sessionLang) : ''} ${tolerance ? s.tolerance(tolerance) : ''}
        </p>`;
      case 'text':
        return html`<p><span class="sr-only">${ls.acceptedAnswers}:</span>${ids(answer).join(' / ')}</p>`;
      case 'ordering':
        return html`<p class="sr-only">${ls.orderedAs}</p>
          <ol>
            ${ids(answer).map((id) => html`<li>${this.optionText(id, q.options)}</li>`)}
          </ol>`;
      case 'matching': {
        const pairs = (answer ?? {}) as Record<string, string>;
        return html`<ul>
          ${(q.options ?? []).map(
            (o) => html`<li>${qText(o.text, this.sessionLang)} → ${this.optionText(pairs[o.id] ?? '', q.targets)}</li>`,
          )}
        </ul>`;
      }
    }
  }

  /** Bars for the choice types (the distribution has per-option counts only for them). */
  private bars(q: StudentQuestion | null): Bar[] {
    const counts = this.reveal.distribution.options;
    if (!counts || !q) return [];
    if (q.type === 'truefalse') {
      const s = strings();
      return [true, false].map((v) => ({
        key: String(v),
        label: v ? s.trueLabel : s.falseLabel,
        count: counts[String(v)] ?? 0,
        correct: this.reveal.answer === v,
      }));
    }
    const right = ids(this.reveal.answer);
    return (q.options ?? []).map((o, i) => ({
      key: o.id,
      label: html`${letter(i)}. ${qHtml(o.text, this.sessionLang)}`,
      count: counts[o.id] ?? 0,
      correct: right.includes(o.id),
    }));
  }

  private chart(bars: Bar[]): TemplateResult {
    const ls = liveStrings();
    const most = Math.max(1, ...bars.map((b) => b.count));
    return html`<ul class="bars">
      ${bars.map(
        (b) =>
          html`<li class=${b.correct ? 'right' : ''}>
            <span class="bar-label">
              <span>${b.label}</span>
              ${b.correct
                ? html`<span class="ok-mark"><span aria-hidden="true">✓</span> ${ls.correctAnswer}</span>`
                : nothing}
            </span>
            <span class="track">
              <span class="fill" aria-hidden="true" style=${styleMap({ width: `${(100 * b.count) / most}%` })}></span>
              <span class="count">${b.count}<span class="sr-only"> · ${ls.answersOf(b.count)}</span></span>
            </span>
          </li>`,
      )}
    </ul>`;
  }

  override render() {
    const s = strings();
    const ls = liveStrings();
    const q = this.question;
    const d = this.reveal.distribution;
    const bars = this.bars(q);
    const answer = q
      ? html`<section class="card answer" aria-labelledby="answer">
          <h2 id="answer">
            <span class="word"><span aria-hidden="true">✓</span> ${ls.correctAnswer}</span>
          </h2>
          ${this.answer(q)}
        </section>`
      : nothing;
    // With a chart, the answer heads the right-hand column; without one, it fills the left.
    return html`<div>
        ${q
          ? html`<p class="stem">${qHtml(q.stem, this.sessionLang)}</p>`
          : html`<p class="muted">${ls.questionGone}</p>`}
        ${bars.length ? nothing : answer}
        <section class="card" aria-labelledby="dist">
          <h2 id="dist">${ls.howAnswered}</h2>
          ${bars.length ? this.chart(bars) : nothing}
          <p><strong>${ls.summary(d.correct, d.wrong, d.noAnswer)}</strong></p>
        </section>
      </div>
      <div>
        ${bars.length ? answer : nothing}
        <section class="card" aria-labelledby="why">
          <h2 id="why">${s.explanation}</h2>
          <p>${qHtml(this.reveal.explanation, this.sessionLang)}</p>
          ${this.reveal.source
            ? html`<h3>${s.source}</h3>
                ${proofHtml(this.reveal.source, this.sessionLang)}`
            : nothing}
        </section>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-live-reveal': PgLiveReveal;
  }
}
