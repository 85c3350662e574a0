/**
 * `/teach/classes/:id` and `/teach/classes/new`: a class's name and roster (one name per line),
 * the sessions it played, and its report over time.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LangController, strings } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { navigate } from '../../core/nav';
import { base } from '../../core/styles';
import { teacherApi } from '../api';
import { teacherBase } from '../styles';
import type { ClassDetail, RosterEntry } from '../types';
import { TIME_FACTORS, type TimeFactor } from '../../../../worker/contract';
import { field, isSignedOut, sessionTable, signInPrompt, valueOf } from '../ui';
import { ActionController } from '../components/action-controller';
import type { PgConfirmDialog } from '../components/pg-confirm-dialog';
import './pg-class-report';
import '../components/pg-confirm-dialog';

/** Roster names from the textarea: trimmed, blank lines dropped (the server also removes repeats). */
const rosterLines = (text: string): string[] =>
  text
    .split('\n')
    .map((n) => n.trim())
    .filter(Boolean);

/** The class page. */
@customElement('pg-class-page')
export class PgClassPage extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      #roster {
        min-height: 12rem;
      }
    `,
  ];

  /** The class id from the address, or "new". */
  @property({ attribute: 'class-id' }) classId = '';

  private readonly i18n = new LangController(this);
  @state() private detail: ClassDetail | null = null;
  @state() private name = '';
  @state() private roster = '';
  private readonly action = new ActionController(this);

  private get isNew(): boolean {
    return this.classId === 'new';
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('classId')) return;
    [this.detail, this.name, this.roster] = [null, '', ''];
    this.action.reset();
    if (!this.isNew) void this.load(this.classId);
  }

  private async load(id: string): Promise<void> {
    const detail = await this.action.run(() => teacherApi.getClass(id), { latest: true });
    if (!detail || id !== this.classId) return;
    this.detail = detail;
    this.name = detail.name;
    this.roster = detail.roster.map((r) => r.name).join('\n');
  }

  private save(e: SubmitEvent): void {
    e.preventDefault();
    const ts = teacherStrings();
    const roster = rosterLines(this.roster);
    if (this.isNew) {
      void this.action.run(async () => {
        const created = await teacherApi.createClass(this.name, roster);
        navigate(`/teach/classes/${created.id}`, { replace: true });
      });
      return;
    }
    const update = async () => {
      const saved = await teacherApi.updateClass(this.classId, { name: this.name, roster });
      this.detail = this.detail && { ...this.detail, name: saved.name, roster: saved.roster };
      this.roster = saved.roster.map((r) => r.name).join('\n');
      return saved;
    };
    void this.action.run(update, { notice: (saved) => `✓ ${ts.klass.saved(saved.roster.length)}` });
  }

  private async deleteClass(): Promise<void> {
    const c = teacherStrings().klass;
    const dialog = this.renderRoot.querySelector<PgConfirmDialog>('pg-confirm-dialog')!;
    const question = { title: c.confirmDeleteTitle, text: c.confirmDeleteText, confirm: c.confirmDeleteButton };
    if (!(await dialog.ask(question))) return;
    await this.action.run(async () => {
      await teacherApi.deleteClass(this.classId);
      navigate('/teach');
    });
  }

  private form(): TemplateResult {
    const ts = teacherStrings();
    const c = ts.klass;
    const count = rosterLines(this.roster).length;
    return html`<form class="card" novalidate @submit=${this.save}>
      ${field(
        'class-name',
        c.name,
        html`<input
          id="class-name"
          type="text"
          maxlength="80"
          .value=${this.name}
          @input=${(e: Event) => (this.name = valueOf(e))}
        />`,
      )}
      ${field(
        'roster',
        c.roster,
        html`<textarea
          id="roster"
          aria-describedby="roster-hint"
          .value=${this.roster}
          @input=${(e: Event) => (this.roster = valueOf(e))}
        ></textarea>`,
        `${c.rosterHint} ${c.names(count)}`,
      )}
      <p class="status-line ok" role="status">${this.action.notice}</p>
      <p class="error" role="alert">${this.action.message}</p>
      <p class="row">
        <button type="submit" ?disabled=${this.action.busy}>${this.isNew ? c.create : c.save}</button>
        ${this.isNew
          ? nothing
          : html`<button type="button" class="secondary" ?disabled=${this.action.busy} @click=${this.deleteClass}>
              ${c.delete}
            </button>`}
      </p>
    </form>`;
  }

  /** Extra time per student, for self-paced sessions of the class. */
  private accommodations(d: ClassDetail): TemplateResult {
    const c = teacherStrings().klass;
    const change = (entry: RosterEntry, factor: TimeFactor) =>
      this.action.run(
        async () => {
          const saved = await teacherApi.setTimeFactor(d.id, entry.id, factor);
          this.detail = { ...d, roster: d.roster.map((r) => (r.id === saved.id ? saved : r)) };
        },
        { notice: `✓ ${c.timeSaved(entry.name)}` },
      );
    return html`<section class="card" aria-labelledby="accommodations-heading">
      <h2 id="accommodations-heading">${c.accommodationsHeading}</h2>
      <p class="hint">${c.accommodationsHint}</p>
      <ul class="plain items">
        ${d.roster.map(
          (entry) =>
            html`<li class="row">
              <label for="time-${entry.id}">${entry.name}</label>
              <select
                id="time-${entry.id}"
                ?disabled=${this.action.busy}
                @change=${(e: Event) => change(entry, Number(valueOf(e)) as TimeFactor)}
              >
                ${TIME_FACTORS.map(
                  (f) => html`<option value=${f} ?selected=${entry.timeFactor === f}>${c.timeFactors[f]}</option>`,
                )}
              </select>
            </li>`,
        )}
      </ul>
    </section>`;
  }

  private sessions(d: ClassDetail): TemplateResult {
    const ts = teacherStrings();
    const c = ts.klass;
    if (d.sessions.length === 0) return html`<p class="muted">${c.noSessions}</p>`;
    return sessionTable(c.sessionsHeading, d.sessions);
  }

  override render() {
    const s = strings();
    const ts = teacherStrings();
    const c = ts.klass;
    if (this.isNew)
      return html`<h1>${c.newTitle}</h1>
        ${this.form()}`;
    const d = this.detail;
    if (!d)
      return html`<h1>${c.title}</h1>
        ${this.action.error
          ? html`<p class="error" role="alert">${this.action.message}</p>
              ${isSignedOut(this.action.error) ? signInPrompt() : nothing}`
          : html`<p role="status">${s.loading}</p>`}`;
    return html`<h1>${d.name}</h1>
      ${this.form()} ${d.roster.length ? this.accommodations(d) : nothing}
      <section class="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">${c.sessionsHeading}</h2>
        <p class="hint">${c.sessionsHint}</p>
        ${this.sessions(d)}
      </section>
      <section class="card" aria-labelledby="report-heading">
        <h2 id="report-heading">${c.reportHeading}</h2>
        <pg-class-report class-id=${d.id}></pg-class-report>
      </section>
      <pg-confirm-dialog></pg-confirm-dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-class-page': PgClassPage;
  }
}
