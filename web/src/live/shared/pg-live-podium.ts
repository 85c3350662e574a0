/**
 * The podium at the end of a live game: first, second and third with nickname and score on the
 * steps, and the fourth and fifth (the server sends up to `PODIUM_SIZE` rows) in a row beneath.
 * The lists are in rank order for screen readers; only the picture puts the winner in the middle.
 * Places are written out ("1st", "第 1 名"), so the steps' heights and colours are decoration.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LangController } from '../../i18n/lang';
import { liveStrings } from '../../i18n/live';
import { base } from '../../core/styles';
import { PODIUM_SIZE, type RankedPlayer } from '../../../../worker/contract';

/** The top five of a live game. */
@customElement('pg-live-podium')
export class PgLivePodium extends LitElement {
  static override styles = [
    base,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        justify-content: center;
        align-items: flex-end;
        gap: 0.5em;
      }
      li {
        flex: 1 1 0;
        max-width: 14em;
        min-width: 0;
        display: flex;
        flex-direction: column;
        text-align: center;
      }
      .name {
        font-weight: 800;
        font-size: 1.3em;
        line-height: 1.2;
        padding: 0 0.2em 0.2em;
      }
      .score {
        font-variant-numeric: tabular-nums;
        font-weight: 600;
      }
      /* Read first ("1st, Amy, 2400 points"), drawn last: the step under the name. */
      .step {
        order: 3;
        margin-top: 0.3em;
        border: 0.15em solid var(--pg-text);
        border-bottom: 0;
        border-radius: 0.3em 0.3em 0 0;
        background: var(--pg-surface-2);
        display: grid;
        place-items: center;
        font-weight: 800;
        font-size: 1.2em;
      }
      /* Winner in the middle and tallest; second on the left, third on the right. */
      .p1 {
        order: 2;
      }
      .p1 .step {
        height: 6em;
        background: var(--pg-accent);
        border-color: var(--pg-accent-dark);
        color: #fff;
      }
      .p2 {
        order: 1;
      }
      .p2 .step {
        height: 4.2em;
      }
      .p3 {
        order: 3;
      }
      .p3 .step {
        height: 3em;
      }
      /* Fourth and fifth: beneath the steps, smaller, side by side. */
      .more {
        margin-top: 0.6em;
        gap: 0.5em 1.5em;
        align-items: baseline;
        flex-wrap: wrap;
      }
      .more li {
        flex: 0 1 auto;
        max-width: none;
        flex-direction: row;
        gap: 0.5em;
        align-items: baseline;
        padding: 0.2em 0.6em;
        border: 0.1em solid var(--pg-text);
        border-radius: 0.3em;
      }
      .more .name {
        font-size: 1.05em;
        padding: 0;
      }
      .more .place {
        font-weight: 800;
      }
      @media (forced-colors: active) {
        .step {
          border-color: CanvasText;
        }
      }
    `,
  ];

  /** Up to {@link PODIUM_SIZE} rows, in rank order (ties share a rank). */
  @property({ attribute: false }) podium: RankedPlayer[] = [];

  private readonly i18n = new LangController(this);

  override render() {
    const ls = liveStrings();
    const rest = this.podium.slice(3, PODIUM_SIZE);
    return html`<ol aria-label=${ls.podium}>
        ${this.podium.slice(0, 3).map(
          (p, i) =>
            html`<li class="p${i + 1}">
              <span class="step">${ls.place(p.rank)}</span>
              <span class="name">${p.nickname}</span>
              <span class="score">${ls.pointsOf(p.score)}</span>
            </li>`,
        )}
      </ol>
      ${rest.length
        ? html`<ol class="more" aria-label=${ls.alsoTop}>
            ${rest.map(
              (p) =>
                html`<li>
                  <span class="place">${ls.place(p.rank)}</span>
                  <span class="name">${p.nickname}</span>
                  <span class="score">${ls.pointsOf(p.score)}</span>
                </li>`,
            )}
          </ol>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-live-podium': PgLivePodium;
  }
}
