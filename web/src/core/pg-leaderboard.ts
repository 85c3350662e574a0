/**
 * A class leaderboard as a table: rank, nickname, score, correct answers. Used on the student's
 * end screen (their own row marked in words, not colour alone) and on the teacher's dashboard.
 * Nicknames are user text and only ever reach the page through lit bindings.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { LangController, strings } from '../i18n/lang';
import { base } from './styles';
import type { LeaderboardEntry } from '../../../worker/contract';

/** A class leaderboard table. */
@customElement('pg-leaderboard')
export class PgLeaderboard extends LitElement {
  static override styles = [
    base,
    css`
      tr.mine {
        background: var(--pg-accent-tint);
      }
      tr.mine th {
        border-inline-start: 4px solid var(--pg-accent);
      }
      tbody th {
        font-size: 1rem;
        color: var(--pg-text);
        font-weight: 600;
      }
      .rank {
        width: 3.5rem;
      }
    `,
  ];

  /** Rows in rank order, as the API sends them. */
  @property({ attribute: false }) entries: LeaderboardEntry[] = [];
  /** The viewing student's nickname, to mark their row; empty for the teacher. */
  @property() mine = '';

  private readonly i18n = new LangController(this);

  override render() {
    const s = strings();
    if (this.entries.length === 0) return html`<p class="muted">${s.noEntries}</p>`;
    return html`<table>
      <caption class="sr-only">
        ${s.leaderboard}
      </caption>
      <thead>
        <tr>
          <th scope="col" class="num rank">${s.colRank}</th>
          <th scope="col">${s.colNickname}</th>
          <th scope="col" class="num">${s.colScore}</th>
          <th scope="col" class="num">${s.colCorrect}</th>
        </tr>
      </thead>
      <tbody>
        ${repeat(
          this.entries,
          (e) => e.nickname,
          (e) => {
            const mine = this.mine !== '' && e.nickname === this.mine;
            return html`<tr class=${mine ? 'mine' : ''}>
              <td class="num">${e.rank}</td>
              <th scope="row">${e.nickname}${mine ? html` <span>${s.you}</span>` : ''}</th>
              <td class="num">${e.score}</td>
              <td class="num">${e.correct}/${e.answered}</td>
            </tr>`;
          },
        )}
      </tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-leaderboard': PgLeaderboard;
  }
}
