/**
 * A class's report over time: the leaderboard across its sessions (total, average, sessions
 * played) with each student's trend, and the topics the class gets wrong most often; a CSV of
 * every student's percent right per session.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { LangController, strings } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { teacherApi } from '../api';
import { teacherBase } from '../styles';
import { percent } from '../ui';
import { ActionController } from '../components/action-controller';
import type { Bar } from '../components/pg-bar-chart';
import '../components/pg-bar-chart';
import '../components/pg-sparkline';
import type { ClassReport, Topic } from '../../../../worker/contract';

/** Rank of the i-th student (sorted by total): equal totals share a rank, as on the session leaderboard. */
function rank(students: ClassReport['students'], i: number): number {
  let k = i;
  while (k > 0 && students[k - 1]!.total === students[i]!.total) k--;
  return k + 1;
}

/** The class report (inside the class page, under its h2). */
@customElement('pg-class-report')
export class PgClassReport extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      .name-note {
        display: block;
        font-weight: 400;
        font-size: 0.85rem;
        color: var(--pg-muted);
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

  private leaderboard(r: ClassReport): TemplateResult {
    const s = strings();
    const ts = teacherStrings();
    const c = ts.klass;
    if (r.students.length === 0) return html`<p class="muted">${c.noResults}</p>`;
    return html`<div class="scroll-x">
      <table>
        <caption class="sr-only">
          ${c.leaderboardHeading}
        </caption>
        <thead>
          <tr>
            <th scope="col" class="num">${s.colRank}</th>
            <th scope="col">${c.colStudent}</th>
            <th scope="col" class="num">${c.colTotal}</th>
            <th scope="col" class="num">${c.colAverage}</th>
            <th scope="col" class="num">${c.colSessions}</th>
            <th scope="col">${c.colTrend}</th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            r.students,
            (x) => `${x.linked}:${x.name}`,
            (x, i) =>
              html`<tr>
                <td class="num">${rank(r.students, i)}</td>
                <th scope="row">
                  ${x.name}${x.linked ? nothing : html`<span class="name-note">${c.nicknameOnly}</span>`}
                </th>
                <td class="num">${x.total}</td>
                <td class="num">${x.average}</td>
                <td class="num">${x.sessions}</td>
                <td><pg-sparkline .values=${x.trend.map((p) => p.score)}></pg-sparkline></td>
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
    return html`<p class="row">
        <a class="button" href=${teacherApi.classGridUrl(this.classId)} download="pomegranate-class-grid.csv"
          >${c.downloadGrid}</a
        >
      </p>
      <h3>${c.leaderboardHeading}</h3>
      ${this.leaderboard(r)}
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
