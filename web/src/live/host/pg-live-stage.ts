/**
 * The open question on the projector, as a game screen: the stem on top, next to the countdown
 * ring and the answer count; below, the choices as answer tiles (colour, shape and letter, as on
 * the students' phones: live/shared/tiles) filling the rest of the screen's height.
 *
 * Type is sized to the screen, not to the page: every size is a clamp on the viewport (`vmin`, or
 * `vw`/`vh` for long texts) with a floor in px, so that a 1024×768 projector and a 1920×1080 one
 * are both read from the back row. Long texts are shrunk by a class chosen from their length (see
 * {@link lengthClass}), never by measuring overflow: the layout is decided once, it does not jump.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { styleMap } from 'lit/directives/style-map.js';
import { LangController, qText, strings } from '../../i18n/lang';
import { imageStyles, questionImage } from '../../core/image';
import { liveStrings } from '../../i18n/live';
import { liveStyles, pausedLine } from '../shared/styles';
import { tileShape, tileStyles, tileLook } from '../shared/tiles';
import { base } from '../../core/styles';
import { projectorText, projectorStyles, shownLength } from './projector-text';
import './pg-live-clock';
import type { CloudMessage, Localized, SessionLang, StudentQuestion } from '../../../../worker/contract';

/** A, B, C … for the choices' positions on the projector. */
export const letter = (i: number): string => tileLook(i).letter;

/**
 * How long a question reads, as a class: `m` or `l` shrink the stem and the tiles' type toward the
 * floors. Lengths count a Chinese character as 1 and a Latin letter as ½ (their usual widths).
 */
export function lengthClass(stem: Localized, options: Localized[], lang: SessionLang): string {
  const q = shownLength(stem, lang);
  const tiles = tileLang(options, lang);
  const longest = Math.max(0, ...options.map((o) => shownLength(o, tiles)));
  const total = options.reduce((sum, o) => sum + shownLength(o, tiles), 0);
  const stemClass = q > 110 ? 'q-l' : q > 55 ? 'q-m' : '';
  const tileClass = longest > 70 || total > 220 ? 't-l' : longest > 32 || total > 100 ? 't-m' : '';
  return [stemClass, tileClass].filter(Boolean).join(' ');
}

/**
 * The language(s) of the answer tiles: both in a bilingual session, unless the options are too long
 * to show twice at a size the back row reads; then Chinese alone (each phone still shows both).
 */
export function tileLang(options: Localized[], lang: SessionLang): SessionLang {
  if (lang !== 'both') return lang;
  const longest = Math.max(0, ...options.map((o) => shownLength(o, 'both')));
  const total = options.reduce((sum, o) => sum + shownLength(o, 'both'), 0);
  return longest > 110 || total > 360 ? 'zh' : 'both';
}

/** The projector's view of an open question. */
@customElement('pg-live-stage')
export class PgLiveStage extends LitElement {
  static override styles = [
    base,
    liveStyles,
    tileStyles,
    projectorStyles,
    imageStyles,
    css`
      :host {
        --q: max(36px, 5.8vmin);
        --opt: max(28px, 4.4vmin);
        /* The second language beneath, in a lighter weight. */
        --q-alt: max(24px, 3.8vmin);
        --opt-alt: max(20px, 3.2vmin);
        display: grid;
        grid-template-rows: auto minmax(0, 1fr);
        gap: max(8px, 1.2vmin);
        height: 100%;
        min-height: 0;
      }
      /* Long texts: the floors at 1024×768; on a wide screen, what its width allows. */
      :host(.q-m) {
        --q: max(36px, min(3.2vw, 5.4vh));
        --q-alt: max(20px, min(1.9vw, 3.2vh));
      }
      :host(.q-l) {
        --q: max(36px, min(2.95vw, 5.2vh));
        --q-alt: max(18px, min(1.5vw, 2.6vh));
      }
      :host(.t-m) {
        --opt: max(28px, min(2.5vw, 4.2vh));
        --opt-alt: max(18px, min(1.7vw, 2.9vh));
      }
      :host(.t-l) {
        --opt: max(28px, min(2.3vw, 4.1vh));
        --opt-alt: max(18px, min(1.3vw, 2.4vh));
      }
      .head {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 0 max(16px, 2.5vmin);
        align-items: start;
      }
      /* A photo takes the height the stem and the tiles leave, scaled down whole to fit it. */
      :host(.with-image) {
        grid-template-rows: auto minmax(0, 1fr) auto;
      }
      .q-image {
        width: 100%;
        height: 100%;
        min-height: 0;
        margin: 0;
        object-fit: contain;
      }
      /*
       * A choice's photo, under its text: it takes the height its tile is stretched to (at least a
       * few lines, at most a fifth of the screen), scaled down whole, so that many tiles still fit.
       */
      .tile:has(.q-image) > span:last-child {
        align-self: stretch;
        display: flex;
        flex-direction: column;
        justify-content: center;
        min-width: 0;
      }
      .tile .q-image {
        flex: 1 1 0;
        width: 100%;
        min-height: 3em;
        max-height: 22vh;
        margin-top: 0.2em;
        object-fit: contain;
        object-position: left center;
      }
      .stem {
        font-size: var(--q);
        font-weight: 800;
        line-height: 1.22;
        margin: 0;
      }
      .stem .alt {
        font-size: var(--q-alt);
        font-weight: 500;
        line-height: 1.2;
        margin-top: 0.1em;
      }
      .hint,
      .device {
        font-size: var(--pj-small);
        color: var(--pg-text);
        font-weight: 600;
        margin: 0.2em 0 0;
      }
      .side {
        display: grid;
        justify-items: center;
        gap: 0.4em;
        font-size: var(--pj-small);
      }
      pg-live-clock {
        font-size: var(--pj-timer);
      }
      .untimed {
        font-weight: 700;
        margin: 0;
      }
      /* How many have answered: a bar that fills, and the figures. */
      .count {
        display: grid;
        gap: 0.2em;
        justify-items: center;
        min-width: 6.5em;
        margin: 0;
        font-weight: 800;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .meter {
        width: 100%;
        height: 0.55em;
        border: 2px solid #000;
        border-radius: 999px;
        overflow: hidden;
        background: #fff;
      }
      .meter span {
        display: block;
        height: 100%;
        background: #000;
        transition: width 0.3s ease-out;
      }
      /* The choices fill the screen's remaining height. */
      .tiles {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        /* Rows as tall as their tiles need, then stretched alike to fill the height. */
        grid-auto-rows: auto;
        align-content: stretch;
        gap: max(6px, 1.2vmin);
        min-height: 0;
      }
      /* Two wide columns hold long texts in fewer lines than three narrow ones; an odd last tile spans both. */
      .tiles > .tile:last-child:nth-child(odd):not(:first-child) {
        grid-column: 1 / -1;
      }
      .tiles.one-column > .tile:last-child {
        grid-column: auto;
      }
      .tiles.one-column {
        grid-template-columns: minmax(0, 1fr);
      }
      .tile {
        display: flex;
        align-items: center;
        gap: 0.45em;
        padding: 0.12em 0.45em;
        border-radius: max(8px, 1.2vmin);
        background: var(--tile);
        color: #fff;
        font-size: var(--opt);
        font-weight: 700;
        line-height: 1.2;
        overflow: hidden;
      }
      .tile .alt {
        color: #fff;
        font-size: var(--opt-alt);
        font-weight: 400;
        line-height: 1.15;
        margin-top: 0.1em;
      }
      .mark {
        flex: none;
        display: grid;
        justify-items: center;
        gap: 0.05em;
        min-width: 1.4em;
        font-weight: 800;
        line-height: 1;
      }
      .mark .tile-shape {
        width: 1.1em;
        height: 1.1em;
      }
      /* Not coloured: items to order or match are not choices. */
      .plain .tile {
        background: #fff;
        color: #000;
        border: 3px solid #000;
      }
      .plain .tile .alt {
        color: var(--pg-projector-muted);
      }
      .columns {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: max(12px, 2vmin);
        min-height: 0;
      }
    `,
  ];

  @property({ attribute: false }) question!: StudentQuestion;
  @property({ attribute: false }) sessionLang: SessionLang = 'both';
  /** Time limit in ms; 0 when untimed. */
  @property({ type: Number }) limitMs = 0;
  /** Time left when the question (or its resumption) arrived; null when untimed. */
  @property({ attribute: false }) remainingMs: number | null = null;
  @property({ type: Boolean }) paused = false;
  /** Answers so far, of how many expected; null before the first count. */
  @property({ attribute: false }) answered: { answered: number; expected: number } | null = null;
  /** The figures for screen readers: updated at most every few seconds by the projector. */
  @property() announced = '';
  /** An open question's word cloud, as it grows. */
  @property({ attribute: false }) cloud: CloudMessage | null = null;

  private readonly i18n = new LangController(this);

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('question') || changed.has('sessionLang')) {
      const q = this.question;
      const texts = [...(q.options ?? []), ...(q.targets ?? [])].map((o) => o.text);
      this.className = `${lengthClass(q.stem, texts, this.sessionLang)}${q.image ? ' with-image' : ''}`;
      // Only a screen showing a word cloud loads it.
      if (q.type === 'open') void import('./pg-word-cloud');
    }
  }

  /** Lettered answer tiles (the choice types), or plain numbered items (ordering, matching). */
  private tiles(items: TemplateResult[], lettered: boolean, cls = ''): TemplateResult {
    const ls = liveStrings();
    return html`<ol class="tiles ${lettered ? '' : 'plain'} ${cls}" aria-label=${ls.answerChoices}>
      ${items.map(
        (text, i) =>
          html`<li class="tile tile-${i % 6}">
            ${lettered
              ? html`<span class="mark">${tileShape(i)}<span>${letter(i)}</span></span>`
              : html`<span class="mark">${i + 1}</span>`}
            <span>${text}</span>
          </li>`,
      )}
    </ol>`;
  }

  private choices(): TemplateResult | typeof nothing {
    const s = strings();
    const q = this.question;
    const text = (o: { text: Localized }) => projectorText(o.text, this.sessionLang);
    switch (q.type) {
      case 'single':
      case 'multi':
      case 'poll': {
        const lang = tileLang(
          (q.options ?? []).map((o) => o.text),
          this.sessionLang,
        );
        return this.tiles(
          (q.options ?? []).map(
            (o) =>
              html`${projectorText(o.text, lang)}${questionImage(o.image, (alt) => qText(alt, lang), '30vw', true)}`,
          ),
          true,
        );
      }
      case 'truefalse':
        // True is A and False is B, as on the phones (whose buttons come in that order).
        return this.tiles([html`${s.trueLabel}`, html`${s.falseLabel}`], true);
      case 'ordering':
        return this.tiles((q.options ?? []).map(text), false);
      case 'matching':
        return html`<div class="columns">
          ${this.tiles((q.options ?? []).map(text), false, 'one-column')}
          ${this.tiles((q.targets ?? []).map(text), true, 'one-column')}
        </div>`;
      case 'open':
        return html`<pg-word-cloud .cloud=${this.cloud}></pg-word-cloud>`;
      case 'numeric':
      case 'text':
        return nothing;
    }
  }

  /** How to answer: the choice types' hint; the others are worked on the devices ("move up", typing…). */
  private hint(): TemplateResult {
    const { type } = this.question;
    if (type === 'single' || type === 'multi' || type === 'truefalse' || type === 'poll')
      return html`<p class="hint">${strings().hints[type]}</p>`;
    return html`<p class="device">${liveStrings().answerOnDevice}</p>`;
  }

  private clock(): unknown {
    const s = strings();
    const ls = liveStrings();
    if (this.paused) return pausedLine(ls.paused, this.remainingMs);
    if (this.remainingMs === null || this.limitMs === 0) return html`<p class="untimed">${s.untimed}</p>`;
    return keyed(
      this.question.id,
      html`<pg-live-clock .remainingMs=${this.remainingMs} .limitMs=${this.limitMs}></pg-live-clock>`,
    );
  }

  private count(): TemplateResult {
    const ls = liveStrings();
    const n = this.answered;
    const share = n && n.expected > 0 ? Math.min(1, n.answered / n.expected) : 0;
    // The figures are shown at once; screen readers get them through a throttled polite region.
    return html`<div class="count">
        <span class="meter" aria-hidden="true"><span style=${styleMap({ width: `${share * 100}%` })}></span></span>
        <span aria-hidden="true">${n ? ls.answered(n.answered, n.expected) : ''}</span>
      </div>
      <p class="sr-only" aria-live="polite" aria-atomic="true">${this.announced}</p>`;
  }

  override render() {
    return html`<div class="head">
        <div>
          <h2 class="stem" tabindex="-1">${projectorText(this.question.stem, this.sessionLang)}</h2>
          ${this.hint()}
        </div>
        <div class="side">${this.clock()} ${this.count()}</div>
      </div>
      ${questionImage(this.question.image, (alt) => qText(alt, this.sessionLang), '60vw', true)} ${this.choices()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-live-stage': PgLiveStage;
  }
}
