/**
 * A horizontal bar chart that is really a table: each row's label, its figure as text and a bar
 * drawn beside it (hidden from screen readers, which read the table). A marked row (e.g. the
 * correct option) says so in words after ✓, so neither colour nor the bar alone carries meaning.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { base } from '../../core/styles';
import { teacherBase } from '../styles';

/** One bar. */
export interface Bar {
  /** The row's label (plain text or a template with language marks). */
  label: string | TemplateResult;
  /** The bar's length, on the scale of {@link PgBarChart.max}. */
  value: number;
  /** The figure shown as text, e.g. "12 (40 %)". */
  text: string;
  /** Words shown after a ✓ on a marked row, e.g. "correct"; empty for an ordinary row. */
  mark?: string;
}

/** An accessible bar chart. */
@customElement('pg-bar-chart')
export class PgBarChart extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      th[scope='row'] {
        font-size: 0.95rem;
        font-weight: 400;
        color: var(--pg-text);
        width: 40%;
      }
      .cell {
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      .track {
        flex: 1 1 auto;
        min-width: 3rem;
        height: 1rem;
        background: var(--pg-surface-2);
        border: 1px solid var(--pg-line);
        border-radius: 4px;
        overflow: hidden;
      }
      .fill {
        display: block;
        height: 100%;
        background: var(--pg-muted);
      }
      tr.marked .fill {
        background: var(--pg-ok);
      }
      tr.marked th {
        font-weight: 600;
      }
      .figure {
        flex: none;
        min-width: 4.5rem;
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      @media (forced-colors: active) {
        .fill {
          background: CanvasText;
        }
      }
    `,
  ];

  /** What the chart shows: the table's caption, for screen readers (the section's heading says it on screen). */
  @property() caption = '';
  /** Column headers: the label column and the figure column. */
  @property({ attribute: false }) headers: [string, string] = ['', ''];
  /** The rows, top to bottom. */
  @property({ attribute: false }) bars: Bar[] = [];
  /** The value of a full-length bar; defaults to the largest value. */
  @property({ type: Number }) max = 0;

  override render() {
    const max = this.max || Math.max(1, ...this.bars.map((b) => b.value));
    return html`<table>
      <caption class="sr-only">
        ${this.caption}
      </caption>
      <thead class="sr-only">
        <tr>
          <th scope="col">${this.headers[0]}</th>
          <th scope="col">${this.headers[1]}</th>
        </tr>
      </thead>
      <tbody>
        ${this.bars.map(
          (b) =>
            html`<tr class=${b.mark ? 'marked' : ''}>
              <th scope="row">${b.mark ? html`<span class="badge ok">✓ ${b.mark}</span> ` : nothing}${b.label}</th>
              <td>
                <div class="cell">
                  <span class="track" aria-hidden="true"
                    ><span class="fill" style=${styleMap({ width: `${(100 * b.value) / max}%` })}></span
                  ></span>
                  <span class="figure">${b.text}</span>
                </div>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-bar-chart': PgBarChart;
  }
}
