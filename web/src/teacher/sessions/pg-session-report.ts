/**
 * `/teach/:id/report`: what a teacher reads after the bell. Summary, the score distribution, per
 * question the results, item analysis (with a plain-language legend and flags in words) and the
 * answer distribution per option, the hardest questions, and every student's answers; CSV
 * downloads of every answer and of the student × question grid. Opens with the signed-in owner's
 * cookie or the session's secret key.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ApiFailure } from '../../core/api';
import { LangController, formatTime, qHtml, strings, t } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { liveStrings } from '../../i18n/live';
import { getTeacherKey } from '../../core/store';
import { imageStyles, questionImage } from '../../core/image';
import { base } from '../../core/styles';
import { sessionsApi } from '../../core/sessions-api';
import { download } from '../api';
import { teacherBase } from '../styles';
import { figure, isSignedOut, percent, questionMeta, signInPrompt } from '../ui';
import { ActionController } from '../components/action-controller';
import type { Bar } from '../components/pg-bar-chart';
import '../components/pg-bar-chart';
import { isUngraded, type CloudMessage, type HostMessage, type SessionReport } from '../../../../worker/contract';

type ReportQuestion = SessionReport['questions'][number];
type ReportStudent = SessionReport['students'][number];

/** Seconds with one decimal. */
const seconds = (ms: number | null) => (ms === null ? '—' : strings().secondsShort(Math.round(ms / 100) / 10));

/** The session report page. */
/** Questions with a right answer: polls and open questions are neither right nor wrong. */
const gradedCount = (r: SessionReport): number => r.questions.filter((q) => !isUngraded(q.type)).length;

@customElement('pg-session-report')
export class PgSessionReport extends LitElement {
  static override styles = [
    base,
    teacherBase,
    imageStyles,
    css`
      .q-image {
        max-width: min(100%, 24rem);
      }
      /* The choices' photos, small, each over its choice's text (the chart's rows stay text). */
      .choice-images {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .choice-images .q-image {
        width: auto;
        max-height: 6rem;
        margin: 0 0 0.25rem;
      }
      .facts {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(7.5rem, 1fr));
        gap: 0.5rem 1rem;
        margin: 0 0 0.75rem;
      }
      .facts div {
        display: flex;
        flex-direction: column-reverse;
      }
      .facts dt {
        font-size: 0.85rem;
        color: var(--pg-muted);
      }
      .facts dd {
        margin: 0;
        font-size: 1.15rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .legend dt {
        font-weight: 700;
      }
      .legend dd {
        margin: 0 0 0.5rem;
      }
      .question {
        border-top: 1px solid var(--pg-line);
        padding-top: 1rem;
        margin-top: 1rem;
      }
      .flags {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        margin-bottom: 0.75rem;
      }
      .answers {
        margin: 0;
        padding-inline-start: 1.25rem;
      }
      .cloud {
        height: 16rem;
        font-size: 0.9rem;
      }
      tr.detail > td {
        background: var(--pg-surface-2);
      }
    `,
  ];

  /** The session id from the address. */
  @property({ attribute: 'session-id' }) sessionId = '';

  private readonly i18n = new LangController(this);
  @state() private report: SessionReport | null = null;
  @state() private open = new Set<number>();
  /** Loading the report and downloading its CSVs. */
  private readonly action = new ActionController(this);
  /** The key the report was opened with; empty when the owner's cookie opened it. */
  private token = '';

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('sessionId')) void this.load(this.sessionId);
  }

  private async load(id: string): Promise<void> {
    [this.report, this.open] = [null, new Set()];
    const key = getTeacherKey(id) ?? '';
    const open = async () => {
      try {
        return { report: await sessionsApi.report(id, key), token: key };
      } catch (err) {
        // An expired or foreign key: the owner's cookie may still open it.
        if (!key || !(err instanceof ApiFailure) || err.status >= 500) throw err;
        return { report: await sessionsApi.report(id), token: '' };
      }
    };
    const opened = await this.action.run(open, { latest: true });
    if (opened && id === this.sessionId) [this.report, this.token] = [opened.report, opened.token];
  }

  /** A CSV download: a plain link with the cookie; with a key, fetched by `download`, as a link cannot send one. */
  private csvLink(url: string, file: string, label: string): TemplateResult {
    const click = (e: Event) => {
      if (!this.token) return;
      e.preventDefault();
      void this.action.run(() => download(url, this.token, file));
    };
    return html`<a
      class="button"
      href=${url}
      download=${file}
      aria-disabled=${this.action.busy ? 'true' : 'false'}
      @click=${click}
      >${label}</a
    >`;
  }

  private toggle(i: number): void {
    const open = new Set(this.open);
    if (!open.delete(i)) open.add(i);
    this.open = open;
  }

  private goTo(position: number): void {
    const heading = this.renderRoot.querySelector<HTMLElement>(`#q-${position}`);
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus();
  }

  private summary(r: SessionReport): TemplateResult {
    const ts = teacherStrings();
    const rp = ts.report;
    const n = r.students.length;
    const graded = gradedCount(r);
    const avgCorrect = n && graded ? r.students.reduce((a, s) => a + s.correct, 0) / n : null;
    const avgScore = n ? Math.round(r.students.reduce((a, s) => a + s.score, 0) / n) : null;
    const finished = r.students.filter((s) => s.finished).length;
    return html`<dl class="facts">
      <div>
        <dt>${rp.participants}</dt>
        <dd>${r.session.participants}</dd>
      </div>
      <div>
        <dt>${rp.finished}</dt>
        <dd>${finished}</dd>
      </div>
      <div>
        <dt>${rp.questions}</dt>
        <dd>${r.session.questionCount}</dd>
      </div>
      <div>
        <dt>${rp.averageCorrect}</dt>
        <dd>${avgCorrect === null ? '—' : `${avgCorrect.toFixed(1)} / ${graded}`}</dd>
      </div>
      <div>
        <dt>${rp.averageScore}</dt>
        <dd>${avgScore ?? '—'}</dd>
      </div>
    </dl>`;
  }

  private distribution(r: SessionReport): TemplateResult {
    const ts = teacherStrings();
    const rp = ts.report;
    const single = r.scoreDistribution.every((b) => b.to - b.from <= 1);
    const bars: Bar[] = r.scoreDistribution.map((b) => ({
      label: single ? rp.rightN(b.from) : rp.rightRange(Math.ceil(b.from), Math.floor(b.to)),
      value: b.count,
      text: rp.students(b.count),
    }));
    return html`<pg-bar-chart
      .bars=${bars}
      caption=${rp.distributionHeading}
      .headers=${[rp.colRight, rp.colStudents]}
    ></pg-bar-chart>`;
  }

  private legend(): TemplateResult {
    const rp = teacherStrings().report;
    return html`<details>
      <summary>${rp.legendHeading}</summary>
      <dl class="legend">
        <dt>${rp.facility}</dt>
        <dd>${rp.facilityHelp}</dd>
        <dt>${rp.discrimination}</dt>
        <dd>${rp.discriminationHelp}</dd>
        <dt>${rp.pointBiserial}</dt>
        <dd>${rp.pointBiserialHelp}</dd>
        <dt>${rp.flagsHeading}</dt>
        <dd>${rp.flagsHelp}</dd>
      </dl>
    </details>`;
  }

  private question(q: ReportQuestion, hardest: boolean): TemplateResult {
    const ts = teacherStrings();
    const rp = ts.report;
    const st = q.stats;
    // A poll or an open question: neither right nor wrong, so no item analysis either.
    const ungraded = isUngraded(q.type);
    const dist = q.distribution;
    const bars: Bar[] | null = dist
      ? [
          ...dist.options.map((o) => {
            const count = dist.counts[o.id] ?? 0;
            return {
              label: qHtml(o.text, 'both'),
              value: count,
              text: `${count} (${percent(dist.total ? (100 * count) / dist.total : null)})`,
              ...(o.correct ? { mark: ts.preview.correct } : {}),
            };
          }),
          ...(dist.noAnswer ? [{ label: rp.noAnswer, value: dist.noAnswer, text: String(dist.noAnswer) }] : []),
        ]
      : null;
    return html`<section class="question" aria-labelledby="q-${q.position}">
      <h3 id="q-${q.position}" tabindex="-1">
        ${ts.questionShort(q.position + 1)}${hardest ? html` <span class="badge warn">${rp.hardBadge}</span>` : nothing}
      </h3>
      <p>${qHtml(q.stem, 'both')}<span class="muted">${questionMeta({ type: q.type, topics: q.topics })}</span></p>
      ${questionImage(q.image, t, '(max-width: 40rem) 100vw, 24rem')}
      ${dist?.options.some((o) => o.image)
        ? html`<ul class="choice-images">
            ${dist.options.map((o) =>
              o.image ? html`<li>${questionImage(o.image, t, '8rem')}${qHtml(o.text, 'both')}</li>` : nothing,
            )}
          </ul>`
        : nothing}
      <dl class="facts">
        ${ungraded
          ? nothing
          : html`<div>
              <dt>${ts.colPercent}</dt>
              <dd>${percent(q.answered ? (100 * q.correct) / q.answered : null)}</dd>
            </div>`}
        <div>
          <dt>${ts.colAnswered}</dt>
          <dd>${q.answered}</dd>
        </div>
        <div>
          <dt>${rp.meanTime}</dt>
          <dd>${seconds(q.meanTimeMs)}</dd>
        </div>
        ${ungraded
          ? nothing
          : html`<div>
                <dt>${rp.facility}</dt>
                <dd>${percent(st.facility)}</dd>
              </div>
              <div>
                <dt>${rp.discrimination}</dt>
                <dd>${figure(st.discrimination)}</dd>
              </div>
              <div>
                <dt>${rp.pointBiserial}</dt>
                <dd>${figure(st.pointBiserial)}</dd>
              </div>`}
      </dl>
      ${st.flags.length
        ? html`<ul class="plain flags" aria-label=${rp.flagsHeading}>
            ${st.flags.map((f) => html`<li class="badge warn">⚑ ${rp.flags[f]}</li>`)}
          </ul>`
        : nothing}
      ${q.cloud ? this.cloud(q, q.cloud) : nothing}
      ${bars
        ? html`<pg-bar-chart
            .bars=${bars}
            caption=${rp.answersCaption(q.position + 1)}
            .headers=${[rp.colOption, rp.colChosen]}
          ></pg-bar-chart>`
        : nothing}
    </section>`;
  }

  /** An open question's word cloud and its answers, each to hide from the cloud or show again. */
  private cloud(q: ReportQuestion, cloud: NonNullable<ReportQuestion['cloud']>): TemplateResult {
    void import('../../live/host/pg-word-cloud');
    void import('../../live/host/pg-open-answers');
    const ls = liveStrings();
    const message: CloudMessage = {
      type: 'cloud',
      questionId: q.id,
      answered: cloud.answers.length,
      hidden: cloud.answers.filter((a) => a.hidden).length,
      words: cloud.words,
      answers: cloud.answers,
    };
    return html`<h4>${ls.wordCloud}</h4>
      <pg-word-cloud class="cloud" .cloud=${message}></pg-word-cloud>
      <details>
        <summary>${ls.openAnswers} (${cloud.answers.length})</summary>
        <pg-open-answers .cloud=${message} @pg-live-command=${this.onHide}></pg-open-answers>
      </details>`;
  }

  /** The list's hide or show: saved, then the report read again (the cloud is counted by the server). */
  private readonly onHide = async (e: CustomEvent<HostMessage>) => {
    const msg = e.detail;
    if (msg.type !== 'hide') return;
    const { questionId, participantId, hidden } = msg;
    const id = this.sessionId;
    const saved = await this.action.run(() =>
      sessionsApi.hideAnswer(id, { questionId, participantId, hidden }, this.token || undefined),
    );
    if (saved && id === this.sessionId) {
      const report = await this.action.run(() => sessionsApi.report(id, this.token || undefined));
      if (report && id === this.sessionId) this.report = report;
    }
  };

  private students(r: SessionReport): TemplateResult {
    const s = strings();
    const ts = teacherStrings();
    const rp = ts.report;
    if (r.students.length === 0) return html`<p class="muted">${s.noEntries}</p>`;
    // Positions of the polls and open questions: an answer there is neither right nor wrong.
    const polls = new Set(r.questions.filter((q) => isUngraded(q.type)).map((q) => q.position));
    const graded = gradedCount(r);
    const row = (x: ReportStudent, i: number) => {
      const open = this.open.has(i);
      return html`<tr>
          <td class="num">${x.rank}</td>
          <th scope="row">${x.nickname}</th>
          <td>${x.rosterName ?? '—'}</td>
          <td class="num">${x.score}</td>
          <td class="num">${graded ? `${x.correct}/${graded}` : '—'}</td>
          <td>
            <button
              type="button"
              class="secondary small"
              aria-expanded=${open ? 'true' : 'false'}
              aria-controls="answers-${i}"
              @click=${() => this.toggle(i)}
            >
              ${rp.answersOf(x.nickname)}
            </button>
          </td>
        </tr>
        <tr class="detail" id="answers-${i}" ?hidden=${!open}>
          <td colspan="6">
            ${open
              ? x.answers.length
                ? html`<ol class="answers">
                    ${x.answers.map(
                      (a) =>
                        html`<li>
                          ${ts.questionShort(a.position + 1)} ·
                          ${polls.has(a.position)
                            ? html`<span>● ${ts.grid.voted}</span>`
                            : html`<span class=${a.correct ? 'ok' : 'bad'}
                                >${a.correct ? `✓ ${s.correct}` : `✗ ${s.incorrect}`}</span
                              >`}
                          · ${s.points(a.points)} · ${seconds(a.timeMs)} · ${rp.answerGiven}:
                          ${a.responseText ? t(a.responseText) : s.nothing}
                        </li>`,
                    )}
                  </ol>`
                : html`<p class="muted">${rp.noAnswers}</p>`
              : nothing}
          </td>
        </tr>`;
    };
    return html`<div class="scroll-x">
      <table>
        <caption class="sr-only">
          ${rp.studentsHeading}
        </caption>
        <thead>
          <tr>
            <th scope="col" class="num">${s.colRank}</th>
            <th scope="col">${s.colNickname}</th>
            <th scope="col">${rp.colRoster}</th>
            <th scope="col" class="num">${s.colScore}</th>
            <th scope="col" class="num">${s.colCorrect}</th>
            <th scope="col"><span class="sr-only">${rp.colAnswers}</span></th>
          </tr>
        </thead>
        <tbody>
          ${repeat(r.students, (x) => `${x.rank}:${x.nickname}`, row)}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const s = strings();
    const ts = teacherStrings();
    const rp = ts.report;
    const r = this.report;
    const failure = this.action.error;
    const error = html`<p class="error" role="alert">${this.action.message}</p>`;
    if (!r)
      return html`<h1>${rp.title}</h1>
        ${error}
        ${failure ? (isSignedOut(failure) ? signInPrompt() : nothing) : html`<p role="status">${s.loading}</p>`}`;
    const hardest = new Set(r.hardest);
    const graded = gradedCount(r);
    return html`<h1>${rp.titleOf(r.session.title)}</h1>
      <p class="muted">${r.session.code} · ${formatTime(r.session.createdAt)}</p>
      ${error}
      <p class="row">
        ${this.csvLink(
          sessionsApi.answersCsvUrl(this.sessionId),
          `pomegranate-${r.session.code}.csv`,
          rp.downloadAnswers,
        )}
        ${this.csvLink(
          sessionsApi.gridCsvUrl(this.sessionId),
          `pomegranate-${r.session.code}-grid.csv`,
          rp.downloadGrid,
        )}
        <a class="button secondary" href="/teach/${this.sessionId}">${rp.backToSession}</a>
      </p>
      <section class="card" aria-labelledby="summary-heading">
        <h2 id="summary-heading">${rp.summaryHeading}</h2>
        ${this.summary(r)}
      </section>
      ${graded
        ? html`<section class="card" aria-labelledby="dist-heading">
            <h2 id="dist-heading">${rp.distributionHeading}</h2>
            ${this.distribution(r)}
          </section>`
        : nothing}
      <section class="card" aria-labelledby="questions-heading">
        <h2 id="questions-heading">${rp.questionsHeading}</h2>
        ${r.hardest.length
          ? html`<div class="callout">
              <p><strong>${rp.hardestHeading}</strong></p>
              <ul class="plain">
                ${r.hardest.map((pos) => {
                  const q = r.questions.find((x) => x.position === pos);
                  return html`<li>
                    <button type="button" class="link" @click=${() => this.goTo(pos)}>
                      ${ts.questionShort(pos + 1)} · ${rp.facilityIs(percent(q?.stats.facility ?? null))}
                    </button>
                    ${q ? t(q.stem) : ''}
                  </li>`;
                })}
              </ul>
            </div>`
          : nothing}
        ${graded ? this.legend() : nothing} ${r.questions.map((q) => this.question(q, hardest.has(q.position)))}
      </section>
      <section class="card" aria-labelledby="students-heading">
        <h2 id="students-heading">${rp.studentsHeading}</h2>
        ${this.students(r)}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-session-report': PgSessionReport;
  }
}
