/**
 * A class's report over time: the leaderboard of the roster's students across its sessions (total,
 * average, sessions played, absences) with each one's trend, who was absent from which session,
 * the nicknames not linked to the roster apart, and the topics the class gets wrong most often; a
 * CSV of every student's percent right per session.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { LangController, formatTime, strings } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { teacherApi } from '../api';
import { teacherBase } from '../styles';
import { percent } from '../ui';
import { ActionController } from '../components/action-controller';
import type { Bar } from '../components/pg-bar-chart';
import '../components/pg-bar-chart';
import '../components/pg-sparkline';
import type { ClassReport, ClassReportRow, Topic } from '../../../../worker/contract';

/** Rank of the i-th row (sorted by total): equal totals share a rank, as on the session leaderboard. */
function rank(rows: readonly ClassReportRow[], i: number): number {
  let k = i;
  while (k > 0 && rows[k - 1]!.total === rows[i]!.total) k--;
  return k + 1;
}

/** The class report (inside the class page, under its h2). */
@customElement('pg-class-report')
export class PgClassReport extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      .absent {
        color: var(--pg-muted);
        font-style: italic;
      }
      .when {
        display: block;
        font-weight: 400;
      }
    `,
  ];

  /** The class. */
  @property({ attribute: 'class-id' }) classId = '';

  private readonly i18n = new LangController(this);
  @state() private report: ClassReport | null = null;
  private readonly action = new ActionController(this);

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('classId') && this.classId) void this.load(this.classId);
  }

  private async load(id: string): Promise<void> {
    this.report = null;
    const report = await this.action.run(() => teacherApi.classReport(id), { latest: true });
    if (report && id === this.classId) this.report = report;
  }

  /** A leaderboard across sessions: the roster's students, with how often each was absent, or the nicknames. */
  private leaderboard(
    rows: readonly (ClassReportRow & { absentFrom?: string[] })[],
    kind: 'students' | 'nicknames',
  ): TemplateResult {
    const s = strings();
    const c = teacherStrings().klass;
    const roster = kind === 'students';
    return html`<div class="scroll-x">
      <table>
        <caption class="sr-only">
          ${roster ? c.leaderboardHeading : c.nicknamesHeading}
        </caption>
        <thead>
          <tr>
            <th scope="col" class="num">${s.colRank}</th>
            <th scope="col">${roster ? c.colStudent : c.colNickname}</th>
            <th scope="col" class="num">${c.colTotal}</th>
            <th scope="col" class="num">${c.colAverage}</th>
            <th scope="col" class="num">${c.colSessions}</th>
            ${roster ? html`<th scope="col" class="num">${c.colAbsent}</th>` : nothing}
            <th scope="col">${c.colTrend}</th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            rows,
            (x) => x.name,
            (x, i) =>
              html`<tr>
                <td class="num">${rank(rows, i)}</td>
                <th scope="row">${x.name}</th>
                <td class="num">${x.total}</td>
                <td class="num">${x.average}</td>
                <td class="num">${x.sessions}</td>
                ${roster ? html`<td class="num">${x.absentFrom?.length}</td>` : nothing}
                <td><pg-sparkline .values=${x.trend.map((p) => p.score)}></pg-sparkline></td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  /** Each roster name's score in each session, or "absent" (in words) where they had no seat. */
  private attendance(r: ClassReport): TemplateResult {
    const c = teacherStrings().klass;
    return html`<div class="scroll-x">
      <table>
        <caption class="sr-only">
          ${c.attendanceHeading}
        </caption>
        <thead>
          <tr>
            <th scope="col">${c.colStudent}</th>
            ${r.sessions.map(
              (x) =>
                html`<th scope="col" class="num">${x.title}<span class="when">${formatTime(x.createdAt)}</span></th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${repeat(
            r.students,
            (x) => x.rosterId,
            (x) =>
              html`<tr>
                <th scope="row">${x.name}</th>
                ${r.sessions.map((session) => {
                  const seat = x.trend.find((p) => p.sessionId === session.id);
                  return seat
                    ? html`<td class="num">${seat.score}</td>`
                    : html`<td class="num absent">${c.absent}</td>`;
                })}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private topics(r: ClassReport): TemplateResult {
    const ts = teacherStrings();
    const c = ts.klass;
    if (r.topics.length === 0) return html`<p class="muted">${c.noResults}</p>`;
    const bars: Bar[] = r.topics.map((x) => ({
      label: ts.topics[x.topic as Topic] ?? x.topic,
      value: x.wrongShare,
      text: `${percent(100 * x.wrongShare)} (${c.wrongOf(x.wrong, x.answered)})`,
    }));
    return html`<pg-bar-chart
      .bars=${bars}
      max="1"
      caption=${c.topicsHeading}
      .headers=${[ts.topicsLegend, c.colWrong]}
    ></pg-bar-chart>`;
  }

  override render() {
    const ts = teacherStrings();
    const c = ts.klass;
    const r = this.report;
    if (!r)
      return this.action.error
        ? html`<p class="error" role="alert">${this.action.message}</p>`
        : html`<p role="status">${strings().loading}</p>`;
    const played = r.sessions.length > 0;
    return html`<p class="row">
        <a class="button" href=${teacherApi.classGridUrl(this.classId)} download="pomegranate-class-grid.csv"
          >${c.downloadGrid}</a
        >
      </p>
      <h3>${c.leaderboardHeading}</h3>
      ${played && r.students.length
        ? this.leaderboard(r.students, 'students')
        : html`<p class="muted">${c.noResults}</p>`}
      ${played && r.students.length
        ? html`<h3>${c.attendanceHeading}</h3>
            ${this.attendance(r)}`
        : nothing}
      ${r.nicknames.length
        ? html`<h3>${c.nicknamesHeading}</h3>
            <p class="hint">${c.nicknamesHint}</p>
            ${this.leaderboard(r.nicknames, 'nicknames')}`
        : nothing}
      <h3>${c.topicsHeading}</h3>
      <p class="hint">${c.topicsHint}</p>
      ${this.topics(r)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-class-report': PgClassReport;
  }
}
