/**
 * A live game's ranking as a table (rank, nickname, score, right answers, change since the last
 * question), for the top 5 between questions and the full ranking at the end, on the projector
 * and on a student's device. Sizes are in `em`: the projector scales it with its font size.
 * Nicknames are user text and only ever reach the page through lit bindings.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { LangController, strings } from '../../i18n/lang';
import { liveStrings } from '../../i18n/live';
import { base } from '../../core/styles';
import type { RankedPlayer } from '../../../../worker/contract';

/**
 * A rank change as text, never by colour or arrow alone: "▲2" / "▼1" / "new" shown, and
 * "up 2" / "down 1" / "new" / "no change" read out.
 */
export function rankChange(change: number | null): TemplateResult {
  const ls = liveStrings();
  const [shown, said, cls] =
    change === null
      ? [ls.isNew, ls.isNew, 'new']
      : change > 0
        ? [`▲${change}`, ls.up(change), 'up']
        : change < 0
          ? [`▼${-change}`, ls.down(-change), 'down']
          : ['–', ls.same, 'same'];
  return html`<span class="change ${cls}"
    ><span aria-hidden="true">${shown}</span><span class="sr-only">${said}</span></span
  >`;
}

/** Styles of {@link rankChange}, for the elements that use it. */
export const rankChangeStyles = css`
  .change {
    font-weight: 700;
    white-space: nowrap;
  }
  .change.up {
    color: var(--pg-ok);
  }
  .change.down {
    color: var(--pg-accent-dark);
  }
  .change.new {
    font-size: 0.85em;
  }
`;

/** The ranking tables' cells, and the viewing student's own row marked (by its border too, not colour alone). */
export const rankTableStyles = css`
  th,
  td {
    padding: 0.4em 0.5em;
  }
  th {
    font-size: 0.8em;
  }
  tbody th {
    font-size: 1em;
    font-weight: 700;
    color: var(--pg-text);
  }
  tr.mine {
    background: var(--pg-accent-tint);
  }
  tr.mine th {
    border-inline-start: 0.25em solid var(--pg-accent);
  }
`;

/** A ranking table with rank changes. */
@customElement('pg-live-ranking')
export class PgLiveRanking extends LitElement {
  static override styles = [base, rankChangeStyles, rankTableStyles];

  /** Rows in rank order. */
  @property({ attribute: false }) rows: RankedPlayer[] = [];
  /** The table's accessible name (e.g. "Top 5"). */
  @property() caption = '';
  /** The viewing student's nickname, marked in words; empty on the projector. */
  @property() mine = '';
  /** Show the change column (not on the final ranking, where it means little). */
  @property({ type: Boolean, attribute: 'show-change' }) showChange = false;

  private readonly i18n = new LangController(this);

  override render() {
    const s = strings();
    const ls = liveStrings();
    if (this.rows.length === 0) return html`<p class="muted">${s.noEntries}</p>`;
    return html`<table>
      <caption class="sr-only">
        ${this.caption}
      </caption>
      <thead>
        <tr>
          <th scope="col" class="num">${s.colRank}</th>
          <th scope="col">${s.colNickname}</th>
          <th scope="col" class="num">${s.colScore}</th>
          <th scope="col" class="num">${s.colCorrect}</th>
          ${this.showChange ? html`<th scope="col" class="num">${ls.change}</th>` : nothing}
        </tr>
      </thead>
      <tbody>
        ${repeat(
          this.rows,
          (r) => r.participantId ?? r.nickname,
          (r) => {
            const mine = this.mine !== '' && r.nickname === this.mine;
            return html`<tr class=${mine ? 'mine' : ''}>
              <td class="num">${r.rank}</td>
              <th scope="row">${r.nickname}${mine ? html` <span>${s.you}</span>` : nothing}</th>
              <td class="num">${r.score}</td>
              <td class="num">${r.correct}</td>
              ${this.showChange ? html`<td class="num">${rankChange(r.change)}</td>` : nothing}
            </tr>`;
          },
        )}
      </tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-live-ranking': PgLiveRanking;
  }
}
