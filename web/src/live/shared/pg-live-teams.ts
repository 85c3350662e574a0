/**
 * Team mode's ranking as a table (rank, team, average score, players): after each question and as
 * the team podium at the end, on the projector, the teacher's remote and a student's device. Teams
 * go by their names in words (no colour), and the viewing student's team is marked in words too.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { LangController, strings } from '../../i18n/lang';
import { liveStrings } from '../../i18n/live';
import { base } from '../../core/styles';
import { rankTableStyles } from './pg-live-ranking';
import type { RankedTeam } from '../../../../worker/contract';

@customElement('pg-live-teams')
export class PgLiveTeams extends LitElement {
  static override styles = [base, rankTableStyles];

  /** Teams in rank order. */
  @property({ attribute: false }) teams: RankedTeam[] = [];
  /** The table's accessible name. */
  @property() caption = '';
  /** The viewing student's team; 0 on the teacher's screens. */
  @property({ type: Number }) mine = 0;

  private readonly i18n = new LangController(this);

  override render() {
    const ls = liveStrings();
    if (this.teams.length === 0) return nothing;
    return html`<table>
      <caption class="sr-only">
        ${this.caption}
      </caption>
      <thead>
        <tr>
          <th scope="col" class="num">${strings().colRank}</th>
          <th scope="col">${ls.colTeam}</th>
          <th scope="col" class="num">${ls.colAverage}</th>
          <th scope="col" class="num">${ls.colMembers}</th>
        </tr>
      </thead>
      <tbody>
        ${repeat(
          this.teams,
          (t) => t.team,
          (t) => {
            const mine = t.team === this.mine;
            return html`<tr class=${mine ? 'mine' : ''}>
              <td class="num">${t.rank}</td>
              <th scope="row">${ls.teamName(t.team)}${mine ? html` <span>${ls.ourTeam}</span>` : nothing}</th>
              <td class="num">${t.score}</td>
              <td class="num">${t.members}</td>
            </tr>`;
          },
        )}
      </tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-live-teams': PgLiveTeams;
  }
}
