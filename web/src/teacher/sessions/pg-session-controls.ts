/**
 * What the signed-in owner of a session can do beyond the secret link's view: set the schedule, reopen a closed session, link each nickname to a name on the class
 * roster, and remove a student (with their answers). Fires `changed` after every change so that
 * the dashboard reloads at once instead of at its next poll.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { LangController } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { sessionsApi } from '../../core/sessions-api';
import { teacherApi } from '../api';
import { teacherBase } from '../styles';
import type { RosterEntry } from '../types';
import { emit, fromLocalInput, scheduleFields, toLocalInput, valueOf } from '../ui';
import { ActionController } from '../components/action-controller';
import type { PgConfirmDialog } from '../components/pg-confirm-dialog';
import '../components/pg-confirm-dialog';
import type { TeacherView } from '../../../../worker/contract';

/** The owner's controls of one session. */
@customElement('pg-session-controls')
export class PgSessionControls extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      .student {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        justify-content: space-between;
      }
      .who {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.6rem;
        align-items: center;
      }
      .student select {
        width: auto;
        max-width: 14rem;
      }
    `,
  ];

  /** The session as last polled. */
  @property({ attribute: false }) view: TeacherView | null = null;

  private readonly i18n = new LangController(this);
  @state() private roster: RosterEntry[] | null = null;
  @state() private opensAt = '';
  @state() private closesAt = '';
  private readonly action = new ActionController(this);
  /** The session and class whose schedule and roster were loaded (polling must not undo typing). */
  private loadedSession = '';
  private loadedClass: string | null = null;

  protected override willUpdate(): void {
    const session = this.view?.session;
    if (!session) return;
    if (session.id !== this.loadedSession) {
      this.loadedSession = session.id;
      this.opensAt = toLocalInput(session.opensAt);
      this.closesAt = toLocalInput(session.closesAt);
    }
    if (session.classId && session.classId !== this.loadedClass) {
      this.loadedClass = session.classId;
      teacherApi.getClass(session.classId).then(
        (c) => (this.roster = c.roster),
        (err: unknown) => this.action.fail(err),
      );
    }
  }

  /** Runs one change, then tells the dashboard. */
  private async act(change: () => Promise<unknown>, notice: string): Promise<void> {
    const changed = async () => {
      await change();
      emit(this, 'changed', null);
    };
    await this.action.run(changed, { notice });
  }

  private saveSchedule(e: SubmitEvent): void {
    e.preventDefault();
    const id = this.view!.session.id;
    void this.act(
      () => sessionsApi.patch(id, { opensAt: fromLocalInput(this.opensAt), closesAt: fromLocalInput(this.closesAt) }),
      teacherStrings().dash.scheduleSaved,
    );
  }

  private async removeStudent(pid: string, nickname: string): Promise<void> {
    const ts = teacherStrings();
    const dialog = this.renderRoot.querySelector<PgConfirmDialog>('pg-confirm-dialog')!;
    const yes = await dialog.ask({
      title: ts.dash.confirmRemoveTitle(nickname),
      text: ts.dash.confirmRemoveText,
      confirm: ts.dash.confirmRemoveButton,
    });
    if (yes) await this.act(() => sessionsApi.removeParticipant(this.view!.session.id, pid), ts.dash.removed(nickname));
  }

  private participants(view: TeacherView): TemplateResult {
    const ts = teacherStrings();
    const d = ts.dash;
    const s = view.session;
    if (view.participants.length === 0) return html`<p class="muted">${d.noParticipants}</p>`;
    // A roster name is one seat: another seat's name cannot be chosen (unlink it there first).
    const taken = new Set(view.participants.map((p) => p.rosterId));
    // A list rather than a table: each student's row wraps onto two lines on a phone instead of scrolling.
    return html`${s.classId ? html`<p class="hint">${d.rosterHint}</p>` : html`<p class="hint">${d.noClassHint}</p>`}
      <ul class="plain items" aria-label=${d.participantsHeading}>
        ${repeat(
          view.participants,
          (p) => p.id,
          (p) =>
            html`<li class="student">
              <div class="who">
                <strong>${p.nickname}</strong>
                ${p.finished ? html`<span class="badge ok">✓ ${d.finished}</span>` : nothing}
                <span class="muted">${d.facts(p.answered, p.score)}</span>
              </div>
              <div class="row">
                ${s.classId
                  ? html`<select
                      aria-label=${d.rosterFor(p.nickname)}
                      ?disabled=${!this.roster || this.action.busy}
                      @change=${(e: Event) =>
                        this.act(() => sessionsApi.linkRoster(s.id, p.id, valueOf(e) || null), d.linked(p.nickname))}
                    >
                      <option value="" ?selected=${!p.rosterId}>${d.notLinked}</option>
                      ${(this.roster ?? []).map(
                        (r) =>
                          html`<option
                            value=${r.id}
                            ?selected=${p.rosterId === r.id}
                            ?disabled=${taken.has(r.id) && p.rosterId !== r.id}
                          >
                            ${r.name}
                          </option>`,
                      )}
                    </select>`
                  : nothing}
                <button
                  type="button"
                  class="secondary small"
                  ?disabled=${this.action.busy}
                  @click=${() => this.removeStudent(p.id, p.nickname)}
                >
                  ${d.remove(p.nickname)}
                </button>
              </div>
            </li>`,
        )}
      </ul>`;
  }

  override render() {
    const view = this.view;
    if (!view) return nothing;
    const ts = teacherStrings();
    const d = ts.dash;
    const s = view.session;
    const closed = s.status === 'closed';
    return html`<section class="card" aria-labelledby="joining-heading">
        <h2 id="joining-heading">${d.controlsHeading}</h2>
        <p class="row">
          ${closed
            ? html`<button
                type="button"
                ?disabled=${this.action.busy}
                @click=${() => this.act(() => sessionsApi.reopen(s.id), d.reopened)}
              >
                ${d.reopen}
              </button>`
            : nothing}
          <a class="button secondary" href="/teach/${s.id}/report">${d.reportLink}</a>
        </p>
        <form novalidate @submit=${this.saveSchedule}>
          <h3>${d.scheduleHeading}</h3>
          <p class="hint">${d.scheduleHint}</p>
          ${scheduleFields({ opensAt: this.opensAt, closesAt: this.closesAt }, (change) => Object.assign(this, change))}
          <button type="submit" class="secondary" ?disabled=${this.action.busy}>${d.saveSchedule}</button>
        </form>
        <p class="status-line ok" role="status">${this.action.notice ? `✓ ${this.action.notice}` : ''}</p>
        <p class="error" role="alert">${this.action.message}</p>
      </section>
      <section class="card" aria-labelledby="participants-heading">
        <h2 id="participants-heading">${d.participantsHeading}</h2>
        ${this.participants(view)}
      </section>
      <pg-confirm-dialog></pg-confirm-dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-session-controls': PgSessionControls;
  }
}
