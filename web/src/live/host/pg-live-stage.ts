/**
 * The open question on the projector: the stem and the choices in large type (lettered, so the
 * class can talk about "B"; students answer on their own devices, where the order may differ),
 * the countdown, and how many have answered. The server decides when the question closes.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { LangController, qHtml, strings } from '../../i18n/lang';
import { liveStrings } from '../../i18n/live';
import { liveStyles, pausedLine } from '../shared/styles';
import { base } from '../../core/styles';
import '../../core/pg-countdown';
import type { Option, SessionLang, StudentQuestion } from '../../../../worker/contract';

/** A, B, C … for the choices' positions on the projector. */
export const letter = (i: number): string => String.fromCharCode(65 + i);

/** The projector's view of an open question. */
@customElement('pg-live-stage')
export class PgLiveStage extends LitElement {
  static override styles = [
    base,
    liveStyles,
    css`
      .stem {
        font-size: 1.4em;
        font-weight: 800;
        line-height: 1.3;
        margin: 0 0 0.6em;
      }
      .meta {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 1em;
        align-items: center;
        margin-bottom: 0.75em;
      }
      pg-countdown {
        font-size: 1.1em;
      }
      .count {
        font-size: 1.3em;
        font-weight: 800;
        font-variant-numeric: tabular-nums;
        margin: 0;
        white-space: nowrap;
      }
      .options {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: 0.5em;
      }
      @media (max-width: 40rem) {
        .options {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .options li {
        display: flex;
        gap: 0.6em;
        align-items: center;
        padding: 0.35em 0.75em;
        border: 3px solid var(--pg-text);
        border-radius: var(--pg-radius);
        background: var(--pg-surface);
        font-size: 1.05em;
        font-weight: 600;
        line-height: 1.3;
      }
      .badge {
        flex: none;
        display: inline-grid;
        place-items: center;
        width: 1.8em;
        height: 1.8em;
        border-radius: 50%;
        background: var(--pg-text);
        color: #fff;
        font-weight: 800;
      }
      /* Matching: the items to match, then the choices. */
      .columns {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 1em;
      }
      .columns .options {
        grid-template-columns: minmax(0, 1fr);
      }
      .device {
        font-weight: 700;
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

  private readonly i18n = new LangController(this);

  private list(options: Option[], lettered: boolean): TemplateResult {
    return html`<ol class="options">
      ${options.map(
        (o, i) =>
          html`<li>
            ${lettered ? html`<span class="badge" aria-hidden="true">${letter(i)}</span>` : nothing}
            <span>${qHtml(o.text, this.sessionLang)}</span>
          </li>`,
      )}
    </ol>`;
  }

  private choices(): TemplateResult | typeof nothing {
    const s = strings();
    const q = this.question;
    switch (q.type) {
      case 'single':
      case 'multi':
        return this.list(q.options ?? [], true);
      case 'truefalse':
        return html`<ol class="options">
          <li><span class="badge" aria-hidden="true">✓</span>${s.trueLabel}</li>
          <li><span class="badge" aria-hidden="true">✗</span>${s.falseLabel}</li>
        </ol>`;
      case 'ordering':
        return this.list(q.options ?? [], false);
      case 'matching':
        return html`<div class="columns">
          ${this.list(q.options ?? [], false)} ${this.list(q.targets ?? [], true)}
        </div>`;
      case 'numeric':
      case 'text':
        return nothing;
    }
  }

  /** How to answer: the choice types' hint; the others are worked on the devices ("move up", typing…). */
  private hint(): TemplateResult {
    const { type } = this.question;
    if (type === 'single' || type === 'multi' || type === 'truefalse')
      return html`<p class="hint">${strings().hints[type]}</p>`;
    return html`<p class="device">${liveStrings().answerOnDevice}</p>`;
  }

  private clock(): unknown {
    const s = strings();
    const ls = liveStrings();
    if (this.paused) return pausedLine(ls.paused, this.remainingMs);
    if (this.remainingMs === null || this.limitMs === 0) return html`<p class="muted">${s.untimed}</p>`;
    return keyed(
      this.question.id,
      html`<pg-countdown .remainingMs=${this.remainingMs} .limitMs=${this.limitMs}></pg-countdown>`,
    );
  }

  override render() {
    const ls = liveStrings();
    const n = this.answered;
    return html`<div class="meta">
        <div>${this.clock()}</div>
        <p class="count" aria-live="polite" aria-atomic="true">${n ? ls.answered(n.answered, n.expected) : ''}</p>
      </div>
      <h2 class="stem" tabindex="-1">${qHtml(this.question.stem, this.sessionLang)}</h2>
      ${this.hint()} ${this.choices()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-live-stage': PgLiveStage;
  }
}
