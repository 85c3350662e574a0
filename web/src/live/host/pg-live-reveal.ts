/**
 * The projector's reveal of a question, as a full screen: the question, how the class answered as
 * a bar per answer tile (its colour, shape and letter, as on the question screen) with the counts
 * written out, the right one(s) outlined and marked "✓ Correct answer" (never colour alone), the
 * explanation, and the sentence of the source text that proves the answer (blockquote + cite,
 * with its English translation in a session in English or both languages). Types without tiles
 * (numbers, words, orders, pairs) show the correct answer written out instead of bars.
 *
 * Its type is the question screen's (the same length classes, ./pg-live-stage `lengthClass`):
 * the reveal is never in smaller print than the question it answers.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { LangController, proofHtml, qText, strings } from '../../i18n/lang';
import { liveStrings } from '../../i18n/live';
import { base, proofStyles } from '../../core/styles';
import { imageStyles, questionImage } from '../../core/image';
import { tileShape, tileStyles } from '../shared/tiles';
import { lengthClass, letter, tileLang } from './pg-live-stage';
import { projectorStyles, projectorText } from './projector-text';
import {
  isUngraded,
  type CloudMessage,
  type Option,
  type QuestionImage,
  type RevealMessage,
  type SessionLang,
  type StudentQuestion,
} from '../../../../worker/contract';

/** One bar of the chart. */
interface Bar {
  key: string;
  /** Its tile's position (colour, shape, letter). */
  index: number;
  label: TemplateResult | string;
  /** The choice's photo, shown small beside its label. */
  image?: QuestionImage | undefined;
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
    tileStyles,
    projectorStyles,
    imageStyles,
    css`
      :host {
        --q: max(28px, 4.4vmin);
        --q-alt: max(20px, 3.2vmin);
        --opt: max(28px, 4.4vmin);
        --opt-alt: max(20px, 3.2vmin);
        --body: max(18px, min(1.9vw, 2.9vh));
        display: grid;
        grid-template-rows: auto minmax(0, 1fr);
        gap: max(8px, 1.5vmin);
        line-height: 1.25;
      }
      :host(.q-m),
      :host(.q-l) {
        --q: max(28px, min(2.5vw, 4.2vh));
        --q-alt: max(18px, min(1.6vw, 2.7vh));
      }
      :host(.t-m) {
        --opt: max(28px, min(2.5vw, 4.2vh));
        --opt-alt: max(18px, min(1.7vw, 2.9vh));
      }
      :host(.t-l) {
        --opt: max(28px, min(2.3vw, 4.1vh));
        --opt-alt: max(18px, min(1.3vw, 2.4vh));
        --body: max(18px, min(1.6vw, 2.6vh));
      }
      .stem {
        font-size: var(--q);
        font-weight: 800;
        margin: 0;
      }
      .stem .alt {
        font-size: var(--q-alt);
        font-weight: 500;
      }
      .cols {
        display: grid;
        grid-template-columns: minmax(0, 1.35fr) minmax(0, 1fr);
        gap: 0 max(16px, 2.5vmin);
        min-height: 0;
      }
      .cols > * {
        min-height: 0;
      }
      /* Nothing to explain or cite (a teacher's own poll): the answers take the whole width. */
      .cols.alone {
        grid-template-columns: minmax(0, 1fr);
      }
      h2 {
        font-size: var(--pj-small);
        margin: 0 0 0.3em;
        text-transform: none;
      }
      section {
        margin: 0 0 max(8px, 1.5vmin);
      }
      .answer {
        padding: 0.3em 0.6em;
        border: 4px solid var(--pg-ok);
        border-radius: max(8px, 1.2vmin);
        background: var(--pg-ok-tint);
        font-size: var(--opt);
        font-weight: 800;
      }
      .answer h2 {
        font-size: var(--pj-small);
        color: #0b5a24;
      }
      .answer p,
      .answer ol,
      .answer ul {
        margin: 0;
      }
      .answer .alt {
        font-size: var(--opt-alt);
      }
      .cloud {
        height: 40vh;
      }
      .bars {
        list-style: none;
        margin: 0 0 0.3em;
        padding: 0;
        display: grid;
        gap: max(6px, 1vmin);
      }
      /* One row per tile: its badge, its text (and ✓ Correct answer), the bar and the count. */
      .bars li {
        display: grid;
        grid-template-columns: auto minmax(0, 1fr) minmax(4em, 0.6fr);
        gap: 0.4em;
        align-items: center;
        padding: 0.15em 0.3em;
        border: 4px solid transparent;
        border-radius: max(8px, 1.2vmin);
        font-size: var(--opt);
        font-weight: 700;
      }
      .bars li.right {
        border-color: var(--pg-ok);
        background: var(--pg-ok-tint);
      }
      .bars .alt {
        font-size: var(--opt-alt);
      }
      /* A choice's photo before its label, as high as the label's two lines. */
      .bars .with-photo {
        display: flex;
        align-items: center;
        gap: 0.3em;
      }
      .bars .q-image {
        flex: none;
        height: 2em;
        width: auto;
        margin: 0;
      }
      .badge {
        display: inline-flex;
        align-items: center;
        gap: 0.15em;
        padding: 0.12em 0.25em;
        border-radius: 0.25em;
        background: var(--tile);
        color: #fff;
        font-weight: 800;
        line-height: 1;
      }
      .badge .tile-shape {
        width: 0.9em;
        height: 0.9em;
      }
      /* Darker than --pg-ok: on the green tint it must still read at 4.5:1. */
      .ok-mark {
        display: block;
        color: #0b5a24;
        font-size: var(--pj-small);
        font-weight: 800;
      }
      .track {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 0.3em;
        align-items: center;
      }
      .fill {
        display: block;
        height: 0.8em;
        min-width: 0.15em;
        background: var(--tile, #000);
        border-radius: 0.15em;
      }
      .right .fill {
        outline: 3px solid #000;
      }
      .count {
        font-weight: 800;
        font-variant-numeric: tabular-nums;
        text-align: end;
      }
      .summary {
        font-size: var(--pj-small);
        font-weight: 700;
        margin: 0;
      }
      .why {
        font-size: var(--body);
        line-height: 1.3;
        min-height: 0;
        position: relative;
        /* Only the longest proofs of the bank, at 1024×768: they scroll in their column (focusable,
           so that the keyboard scrolls it too), not the page. */
        overflow: auto;
      }
      /* Long choices: their English lines were on the question screen just before; the bars keep the
         first line, and the proof gets the wider column. */
      :host(.t-l) .cols {
        grid-template-columns: minmax(0, 1fr) minmax(0, 1.25fr);
      }
      :host(.t-l) .answer .alt,
      :host(.t-l) .stem .alt {
        display: none;
      }
      :host(.t-l) .bars {
        gap: max(4px, 0.6vmin);
      }
      :host(.t-l) section {
        margin-bottom: max(6px, 1vmin);
      }
      :host(.t-l) .answer {
        margin-bottom: max(8px, 1.5vmin);
        font-size: max(18px, min(1.9vw, 3.2vh));
      }
      :host(.t-l) .bars li {
        grid-template-columns: auto auto minmax(0, 1fr);
        font-size: max(22px, min(1.9vw, 3.4vh));
      }
      .why p {
        margin: 0 0 0.4em;
      }
      .why .alt {
        font-size: max(18px, 0.9em);
      }
      .why .translation .label {
        font-size: var(--pj-small);
      }
      blockquote {
        margin: 0;
        padding: 0.3em 0.6em;
        border-inline-start: 0.3em solid var(--pg-accent);
        background: var(--pg-surface-2);
      }
      figure {
        margin: 0;
      }
      figcaption {
        margin-top: 0.2em;
        color: var(--pg-muted);
      }
      .translation p {
        margin: 0;
      }
      ol,
      ul {
        margin: 0;
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
  /** An open question's word cloud. */
  @property({ attribute: false }) cloud: CloudMessage | null = null;

  private readonly i18n = new LangController(this);

  /**
   * Long choices: the bars carry the tiles' badges and counts only (as the classroom quiz games'
   * result screens do; the texts were on the question screen just before), and the right choices
   * are written out above them, in their first language (the question too: the English lines were
   * on the question screen, and the proof needs the room).
   */
  private compact = false;

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('question') || changed.has('sessionLang')) {
      const q = this.question;
      // Only a screen showing a word cloud loads it.
      if (q?.type === 'open') void import('./pg-word-cloud');
      const texts = q ? [...(q.options ?? []), ...(q.targets ?? [])].map((o) => o.text) : [];
      const lengths = q ? lengthClass(q.stem, texts, this.sessionLang).split(' ').filter(Boolean) : [];
      // Choices too long to show in both languages on the tiles are too long for the bars as well.
      this.compact = lengths.includes('t-l') || (q !== null && tileLang(texts, this.sessionLang) !== this.sessionLang);
      this.className = [
        ...lengths.filter((c) => !c.startsWith('t-')),
        ...(this.compact ? ['t-l'] : lengths.filter((c) => c.startsWith('t-'))),
      ].join(' ');
    }
  }

  private optionText(id: string, list: Option[] | undefined): TemplateResult | string {
    const o = list?.find((x) => x.id === id);
    return o ? projectorText(o.text, this.sessionLang) : id;
  }

  /** The correct answer in words, for the types without tiles (those mark it on their bars). */
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
            right.includes(o.id) ? [html`<li>${letter(i)}. ${projectorText(o.text, this.sessionLang)}</li>`] : [],
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
      case 'poll':
      case 'open':
        return html``;
    }
  }

  /** Bars for the choice types (the distribution has per-option counts only for them), in tile order. */
  private bars(q: StudentQuestion | null): Bar[] {
    const counts = this.reveal.distribution.options;
    if (!counts || !q) return [];
    if (q.type === 'truefalse') {
      const s = strings();
      return [true, false].map((v, i) => ({
        key: String(v),
        index: i,
        label: v ? s.trueLabel : s.falseLabel,
        count: counts[String(v)] ?? 0,
        correct: this.reveal.answer === v,
      }));
    }
    const right = ids(this.reveal.answer);
    return (q.options ?? []).map((o, i) => ({
      key: o.id,
      index: i,
      label: projectorText(o.text, this.sessionLang),
      image: o.image,
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
          html`<li class="tile-${b.index % 6} ${b.correct ? 'right' : ''}">
            <span class="badge">${tileShape(b.index)}<span>${letter(b.index)}</span></span>
            <span>
              ${b.correct
                ? html`<span class="ok-mark"><span aria-hidden="true">✓</span> ${ls.correctAnswer}</span>`
                : nothing}
              <span class=${b.image ? 'with-photo' : ''}>
                ${questionImage(b.image, (alt) => qText(alt, this.sessionLang), '12vw', true)}
                <span class=${this.compact ? 'sr-only' : ''}>${b.label}</span>
              </span>
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
    const why = Boolean(this.reveal.explanation || this.reveal.source);
    return html`${q
        ? html`<h2 class="stem" tabindex="-1">${projectorText(q.stem, this.sessionLang)}</h2>`
        : html`<p class="stem">${ls.questionGone}</p>`}
      <div class="cols ${why ? '' : 'alone'}">
        <div>
          ${q && !isUngraded(q.type) && (!bars.length || this.compact)
            ? html`<section class="answer" aria-labelledby="answer">
                <h2 id="answer"><span aria-hidden="true">✓</span> ${ls.correctAnswer}</h2>
                ${this.answer(q)}
              </section>`
            : nothing}
          <section aria-labelledby="dist">
            <h2 id="dist">${ls.howAnswered}</h2>
            ${bars.length ? this.chart(bars) : nothing}
            ${q?.type === 'open'
              ? html`<pg-word-cloud class="cloud" .cloud=${this.cloud} .totals=${false}></pg-word-cloud>`
              : nothing}
            <p class="summary">
              ${q?.type === 'poll'
                ? ls.pollSummary(d.answered, d.noAnswer)
                : q?.type === 'open'
                  ? `${ls.openSummary(d.answered, d.noAnswer)}${this.cloud?.hidden ? ` · ${ls.cloudHidden(this.cloud.hidden)}` : ''}`
                  : ls.summary(d.correct, d.wrong, d.noAnswer)}
            </p>
          </section>
        </div>
        ${why
          ? html`<section class="why" aria-labelledby="why" tabindex="0">
              ${this.reveal.explanation
                ? html`<h2 id="why">${s.explanation}</h2>
                    <p>${projectorText(this.reveal.explanation, this.sessionLang)}</p>`
                : nothing}
              ${this.reveal.source
                ? html`<h2 id=${this.reveal.explanation ? nothing : 'why'}>${s.source}</h2>
                    ${proofHtml(this.reveal.source, this.sessionLang)}`
                : nothing}
            </section>`
          : nothing}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-live-reveal': PgLiveReveal;
  }
}
