/**
 * Time left on a question: a shrinking bar and the seconds as text. It counts down locally from
 * the server's `remainingMs` (the server's clock decides; this only shows it) and fires
 * `pg-timeout` once at zero. Render a new element per question (lit's `keyed`).
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { LangController, strings } from '../i18n/lang';
import { Countdown, WARN_SECONDS } from './countdown';
import { base } from './styles';

const TICK_MS = 250;

/** The question's countdown; fires `pg-timeout` at zero. */
@customElement('pg-countdown')
export class PgCountdown extends LitElement {
  static override styles = [
    base,
    css`
      .track {
        height: 0.75rem;
        border-radius: 999px;
        background: var(--pg-line);
        overflow: hidden;
      }
      .fill {
        height: 100%;
        background: var(--pg-accent);
        transform-origin: left center;
        transition: transform ${TICK_MS}ms linear;
      }
      .text {
        margin: 0.25rem 0 0;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
        text-align: end;
      }
      .warn .fill {
        background: var(--pg-warn);
      }
      .warn .text {
        color: var(--pg-warn);
      }
      @media (forced-colors: active) {
        .fill {
          background: CanvasText;
        }
      }
    `,
  ];

  /** Milliseconds left when the server answered. */
  @property({ type: Number }) remainingMs = 0;
  /** The question's whole time limit, for the bar's proportion. */
  @property({ type: Number }) limitMs = 1;

  private readonly i18n = new LangController(this);
  private readonly clock = new Countdown(this, TICK_MS, {
    zero: () => this.dispatchEvent(new CustomEvent('pg-timeout', { bubbles: true, composed: true })),
  });

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('remainingMs')) this.clock.restart(this.remainingMs);
  }

  override render() {
    const s = strings();
    const seconds = this.clock.seconds;
    const warn = seconds <= WARN_SECONDS;
    const fraction = this.clock.fraction(this.limitMs);
    return html`
      <div class=${warn ? 'warn' : ''}>
        <div
          class="track"
          role="progressbar"
          aria-label=${s.timeLeft}
          aria-valuemin="0"
          aria-valuemax=${Math.round(this.limitMs / 1000)}
          aria-valuenow=${seconds}
          aria-valuetext=${s.secondsLeft(seconds)}
        >
          <div class="fill" style=${styleMap({ transform: `scaleX(${fraction})` })}></div>
        </div>
        <p class="text">
          ${seconds === 0 ? s.timeUp : warn ? `⚠ ${s.hurry} ${s.secondsShort(seconds)}` : s.secondsShort(seconds)}
        </p>
        <!-- Announced once, when the warning starts, rather than every second. -->
        <p class="sr-only" aria-live="assertive">
          ${warn && seconds > 0 ? `${s.hurry} ${s.secondsLeft(WARN_SECONDS)}` : ''}
        </p>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-countdown': PgCountdown;
  }
  interface HTMLElementEventMap {
    /** The countdown reached zero. */
    'pg-timeout': CustomEvent<void>;
  }
}
