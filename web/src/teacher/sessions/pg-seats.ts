/**
 * Who may hold the seats of a session, for whoever manages it (owner or secret link): lock or
 * unlock joining, remove in one action every seat that has not answered (bots, a device that
 * joined twice), and the limits on seats (pg-seat-limits). Fires `changed` after a change so that
 * the dashboard reloads at once.
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LangController } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { sessionsApi } from '../../core/sessions-api';
import { teacherBase } from '../styles';
import { emit } from '../ui';
import { ActionController } from '../components/action-controller';
import type { PgConfirmDialog } from '../components/pg-confirm-dialog';
import '../components/pg-confirm-dialog';
import './pg-seat-limits';
import type { TeacherView } from '../../../../worker/contract';

/** Seats with no answer that says anything (none at all, or only blanks). */
const idleSeats = (view: TeacherView) => view.participants.filter((p) => p.answered === p.blankAnswers);

/** The seats card of the dashboard. */
@customElement('pg-seats')
export class PgSeats extends LitElement {
  static override styles = [base, teacherBase];

  /** The session as last polled. */
  @property({ attribute: false }) view: TeacherView | null = null;
  /** The session's key where it stands in for the sign-in cookie. */
  @property() token = '';

  private readonly i18n = new LangController(this);
  private readonly action = new ActionController(this);

  private async act(change: () => Promise<unknown>, notice: string): Promise<void> {
    await this.action.run(
      async () => {
        await change();
        emit(this, 'changed', null);
      },
      { notice },
    );
  }

  private async removeIdle(count: number): Promise<void> {
    const s = teacherStrings().seats;
    const dialog = this.renderRoot.querySelector<PgConfirmDialog>('pg-confirm-dialog')!;
    if (await dialog.ask({ title: s.confirmTitle(count), text: s.confirmText, confirm: s.confirmButton }))
      await this.act(() => sessionsApi.removeIdle(this.view!.session.id, this.token), s.removed(count));
  }

  override render() {
    const view = this.view;
    if (!view) return nothing;
    const s = teacherStrings().seats;
    const session = view.session;
    const idle = idleSeats(view).length;
    const open = session.status !== 'closed';
    return html`<section class="card" aria-labelledby="seats-heading">
      <h2 id="seats-heading">${s.heading}</h2>
      ${open
        ? html`<p><strong>${session.locked ? s.lockedNow : s.unlockedNow}</strong></p>
            <p class="row">
              <button
                type="button"
                class="secondary"
                ?disabled=${this.action.busy}
                @click=${() =>
                  this.act(
                    () => sessionsApi.patch(session.id, { locked: !session.locked }, this.token),
                    session.locked ? s.unlockedNow : s.lockedNow,
                  )}
              >
                ${session.locked ? s.unlock : s.lock}
              </button>
              <button
                type="button"
                class="secondary"
                ?disabled=${this.action.busy || idle === 0}
                @click=${() => this.removeIdle(idle)}
              >
                ${s.removeIdle(idle)}
              </button>
            </p>
            <p class="hint">${s.removeIdleHint}</p>`
        : nothing}
      <p class="status-line ok" role="status">${this.action.notice ? `✓ ${this.action.notice}` : ''}</p>
      <p class="error" role="alert">${this.action.message}</p>
      <pg-seat-limits .view=${view} .token=${this.token} @changed=${() => emit(this, 'changed', null)}></pg-seat-limits>
      <pg-confirm-dialog></pg-confirm-dialog>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-seats': PgSeats;
  }
}
