/**
 * A student's scores over a class's sessions: a small line drawn in SVG with the scores as text
 * beside it. The drawing is a picture with a summary as its accessible name; the numbers are
 * there as text for everyone, so the line is never the only way to read the trend.
 */
import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LangController } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { inlineRow } from '../styles';

const W = 96;
const H = 28;
const PAD = 3;

/** A sparkline of scores. */
@customElement('pg-sparkline')
export class PgSparkline extends LitElement {
  static override styles = [
    base,
    inlineRow,
    css`
      svg {
        flex: none;
        overflow: visible;
      }
      polyline {
        fill: none;
        stroke: var(--pg-accent);
        stroke-width: 2;
      }
      circle {
        fill: var(--pg-accent);
      }
      .scores {
        font-size: 0.85rem;
        color: var(--pg-muted);
        font-variant-numeric: tabular-nums;
      }
      @media (forced-colors: active) {
        polyline {
          stroke: CanvasText;
        }
        circle {
          fill: CanvasText;
        }
      }
    `,
  ];

  /** Scores in session order. */
  @property({ attribute: false }) values: number[] = [];

  private readonly i18n = new LangController(this);

  override render() {
    const ts = teacherStrings();
    const v = this.values;
    const max = Math.max(1, ...v);
    const x = (i: number) => (v.length < 2 ? W / 2 : PAD + (i * (W - 2 * PAD)) / (v.length - 1));
    const y = (n: number) => H - PAD - (n / max) * (H - 2 * PAD);
    const points = v.map((n, i) => `${x(i)},${y(n)}`).join(' ');
    const trend =
      v.length < 2
        ? ts.report.trendOne
        : v[v.length - 1]! > v[0]!
          ? ts.report.trendUp
          : v[v.length - 1]! < v[0]!
            ? ts.report.trendDown
            : ts.report.trendFlat;
    return html`<svg
        width=${W}
        height=${H}
        viewBox="0 0 ${W} ${H}"
        role="img"
        aria-label=${`${trend}: ${v.join(', ')}`}
      >
        ${svg`<polyline points=${points}></polyline>`}
        ${v.map((n, i) => svg`<circle cx=${x(i)} cy=${y(n)} r="2.5"></circle>`)}
      </svg>
      <span class="scores" aria-hidden="true">${v.join(' → ')}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-sparkline': PgSparkline;
  }
}
