/**
 * The projector's countdown: the seconds left as a big number inside a ring that empties as time
 * runs out (red in the last five seconds, with a thicker ring, so that not only colour says it).
 * It counts down locally from the server's `remainingMs` (the server decides when the question
 * closes) and fires `pg-live-second` each time the whole seconds change, which the projector uses
 * for its optional ticks. Render a new element per question (lit's `keyed`).
 */
import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LangController, strings } from '../../i18n/lang';
import { Countdown, WARN_SECONDS } from '../../core/countdown';
import { base } from '../../core/styles';

const TICK_MS = 200;
/** Ring geometry in the SVG's own units. */
const R = 44;
const C = 2 * Math.PI * R;

/** The projector's countdown ring. */
@customElement('pg-live-clock')
export class PgLiveClock extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        line-height: 1;
      }
      .clock {
        position: relative;
        display: grid;
        place-items: center;
        width: 2em;
        height: 2em;
      }
      svg {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        transform: rotate(-90deg);
      }
      .track {
        fill: none;
        stroke: #d0d7de;
        stroke-width: 7;
      }
      .left {
        fill: none;
        stroke: #000;
        stroke-width: 7;
        stroke-linecap: round;
        transition: stroke-dashoffset ${TICK_MS}ms linear;
      }
      .warn .left {
        stroke: var(--pg-accent);
        stroke-width: 11;
      }
      .warn .n {
        color: var(--pg-accent-dark);
      }
      .n {
        position: relative;
        font-weight: 800;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
        overflow-wrap: normal;
      }
      /* A limit of 100 s or more: three digits fit the ring only smaller. */
      .n.long {
        font-size: 0.68em;
      }
      @media (forced-colors: active) {
        .left {
          stroke: CanvasText;
        }
      }
    `,
  ];

  /** Milliseconds left when the server said. */
  @property({ type: Number }) remainingMs = 0;
  /** The question's time limit, for the ring's proportion. */
  @property({ type: Number }) limitMs = 1;

  private readonly i18n = new LangController(this);
  private readonly clock = new Countdown(this, TICK_MS, {
    second: (n) =>
      this.dispatchEvent(new CustomEvent<number>('pg-live-second', { detail: n, bubbles: true, composed: true })),
  });

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('remainingMs')) this.clock.restart(this.remainingMs);
  }

  override render() {
    const s = strings();
    const seconds = this.clock.seconds;
    const fraction = this.clock.fraction(this.limitMs);
    return html`<div
      class="clock ${seconds <= WARN_SECONDS ? 'warn' : ''}"
      role="progressbar"
      aria-label=${s.timeLeft}
      aria-valuemin="0"
      aria-valuemax=${Math.round(this.limitMs / 1000)}
      aria-valuenow=${seconds}
      aria-valuetext=${s.secondsLeft(seconds)}
    >
      <svg viewBox="0 0 100 100" aria-hidden="true">
        ${svg`<circle class="track" cx="50" cy="50" r=${R}></circle>
        <circle class="left" cx="50" cy="50" r=${R} stroke-dasharray=${C} stroke-dashoffset=${C * (1 - fraction)}></circle>`}
      </svg>
      <span class="n ${seconds >= 100 ? 'long' : ''}" aria-hidden="true">${seconds}</span>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-live-clock': PgLiveClock;
  }
  interface HTMLElementEventMap {
    /** The whole seconds left changed (detail: seconds left, 0 at time up). */
    'pg-live-second': CustomEvent<number>;
  }
}
