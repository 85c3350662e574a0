/**
 * The dashboard's student × question grid: a row per student (nickname, score), a column per
 * question in the session's order, each cell right (✓), wrong (✗, tinted so that the teacher sees
 * who needs help), no answer (○) or not yet (empty); each also says so in words to a screen reader.
 * The teacher may order the rows by score or by name. On a phone the table scrolls sideways
 * inside its own box, the nicknames staying in view.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { LangController, lang, strings, t } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { teacherBase } from '../styles';
import { valueOf } from '../ui';
import { GRID_ORDERS, orderStudents, type GridOrder } from '../../../../worker/reports/answer-grid';
import { isUngraded, type AnswerCell, type TeacherView } from '../../../../worker/contract';

/** What a cell shows for each outcome; a question not reached yet stays empty. */
const MARKS: Record<NonNullable<AnswerCell>, string> = { right: '✓', wrong: '✗', voted: '●', blank: '○' };

/** The grid card of the dashboard. */
@customElement('pg-answer-grid')
export class PgAnswerGrid extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1.25rem;
        list-style: none;
        margin: 0 0 0.75rem;
        padding: 0;
      }
      .legend .mark {
        display: inline-block;
        min-width: 1.75rem;
        margin-inline-end: 0.3rem;
        border: 1px solid var(--pg-line);
        border-radius: 4px;
        text-align: center;
        line-height: 1.5;
      }
      .order {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        margin: 0 0 0.75rem;
      }
      .order select {
        width: auto;
      }
      /* As wide as its columns need, not the card's width: a few questions stay a compact block. */
      table {
        width: auto;
      }
      th,
      td {
        padding: 0.35rem 0.5rem;
      }
      thead .q {
        text-align: center;
        white-space: nowrap;
      }
      /* The nicknames stay in view while the questions scroll sideways under them. */
      .who {
        position: sticky;
        inset-inline-start: 0;
        z-index: 1;
        max-width: 9rem;
        background: var(--pg-surface);
        box-shadow: inset -1px 0 var(--pg-line);
      }
      .mark {
        font-weight: 700;
      }
      td.mark {
        min-width: 2.5rem;
        text-align: center;
      }
      .right {
        color: var(--pg-ok);
      }
      .wrong {
        color: var(--pg-accent-dark);
        background: var(--pg-accent-tint);
      }
      .blank,
      .voted {
        color: var(--pg-muted);
      }
    `,
  ];

  /** The session as last polled. */
  @property({ attribute: false }) view: TeacherView | null = null;

  private readonly i18n = new LangController(this);
  @state() private order: GridOrder = 'joined';

  override render() {
    const view = this.view;
    if (!view) return nothing;
    const s = strings();
    const ts = teacherStrings();
    const g = ts.grid;
    const words: Record<NonNullable<AnswerCell>, string> = {
      right: g.right,
      wrong: g.wrong,
      voted: g.voted,
      blank: g.blank,
    };
    // The legend names answers not scored only where there is a poll or an open question.
    const legend = view.questions.some((q) => isUngraded(q.type))
      ? (['right', 'wrong', 'voted', 'blank'] as const)
      : (['right', 'wrong', 'blank'] as const);
    const cells = new Map(view.grid.rows.map((r) => [r.participantId, r.cells]));
    const students = orderStudents(view.participants, this.order, lang());
    return html`<section class="card" aria-labelledby="grid-heading">
      <h2 id="grid-heading">${g.heading}</h2>
      ${students.length === 0
        ? html`<p class="muted">${ts.dash.noParticipants}</p>`
        : html`<ul class="legend">
              ${legend.map((c) => html`<li><span class="mark ${c}">${MARKS[c]}</span>${words[c]}</li>`)}
              <li><span class="mark" aria-hidden="true">&nbsp;</span>${g.notYet}</li>
            </ul>
            <div class="order">
              <label for="grid-order">${g.order}</label>
              <select id="grid-order" @change=${(e: Event) => (this.order = valueOf(e) as GridOrder)}>
                ${GRID_ORDERS.map(
                  (o) => html`<option value=${o} ?selected=${this.order === o}>${g.orders[o]}</option>`,
                )}
              </select>
            </div>
            <div class="scroll-x" role="region" tabindex="0" aria-labelledby="grid-caption">
              <table>
                <caption id="grid-caption" class="sr-only">
                  ${g.caption}
                </caption>
                <thead>
                  <tr>
                    <th scope="col" class="who">${s.colNickname}</th>
                    <th scope="col" class="num">${s.colScore}</th>
                    ${view.questions.map(
                      (q) =>
                        html`<th scope="col" class="q" title=${t(q.stem)}>${ts.questionShort(q.position + 1)}</th>`,
                    )}
                  </tr>
                </thead>
                <tbody>
                  ${repeat(
                    students,
                    (p) => p.id,
                    (p) =>
                      html`<tr>
                        <th scope="row" class="who">${p.nickname}</th>
                        <td class="num">${p.score}</td>
                        ${(cells.get(p.id) ?? []).map((c) =>
                          c
                            ? html`<td class="mark ${c}">
                                <span aria-hidden="true">${MARKS[c]}</span><span class="sr-only">${words[c]}</span>
                              </td>`
                            : html`<td class="mark"><span class="sr-only">${g.notYet}</span></td>`,
                        )}
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-answer-grid': PgAnswerGrid;
  }
}
