/**
 * Who is here, in a session of a class with a roster, for whoever manages it (owner or secret
 * link): how many joined, who is still answering (joined, not finished) and who has not joined
 * (roster names without a seat), as counts and short name lists; and whether students not on the
 * roster may join with a nickname. Fires `changed` after a change so that the dashboard reloads.
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LangController, lang } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { sessionsApi } from '../../core/sessions-api';
import { teacherBase } from '../styles';
import { checkedOf, emit } from '../ui';
import { ActionController } from '../components/action-controller';
import type { TeacherView } from '../../../../worker/contract';

/** The attendance card of the dashboard. */
@customElement('pg-attendance')
export class PgAttendance extends LitElement {
  static override styles = [base, teacherBase];

  /** The session as last polled. */
  @property({ attribute: false }) view: TeacherView | null = null;
  /** The session's key where it stands in for the sign-in cookie. */
  @property() token = '';

  private readonly i18n = new LangController(this);
  private readonly action = new ActionController(this);

  private async allowGuests(allow: boolean): Promise<void> {
    const a = teacherStrings().attendance;
    await this.action.run(
      async () => {
        await sessionsApi.patch(this.view!.session.id, { allowGuests: allow }, this.token);
        emit(this, 'changed', null);
      },
      { notice: allow ? a.guestsOn : a.guestsOff },
    );
  }

  override render() {
    const view = this.view;
    // A roster shows in who was linked or who is missing; without one there is no one to miss.
    if (!view?.session.classId || (view.absent.length === 0 && !view.participants.some((p) => p.rosterId)))
      return nothing;
    const ts = teacherStrings();
    const a = ts.attendance;
    const list = (names: string[]) =>
      names.length
        ? names.sort(new Intl.Collator(lang() === 'zh' ? 'zh-CN' : 'en').compare).join(ts.seats.listSeparator)
        : a.nobody;
    const answering = view.participants.filter((p) => !p.finished).map((p) => p.nickname);
    const absent = view.absent.map((r) => r.name);
    return html`<section class="card" aria-labelledby="attendance-heading">
      <h2 id="attendance-heading">${a.heading}</h2>
      <p><strong>${a.summary(view.participants.length, answering.length, absent.length)}</strong></p>
      <p>${a.answering} ${list(answering)}</p>
      <p>${a.notHere} ${list(absent)}</p>
      <label class="check">
        <input
          type="checkbox"
          .checked=${view.session.allowGuests}
          ?disabled=${this.action.busy}
          @change=${(e: Event) => this.allowGuests(checkedOf(e))}
        />
        <span>${ts.open.allowGuests}</span>
      </label>
      <p class="status-line ok" role="status">${this.action.notice ? `✓ ${this.action.notice}` : ''}</p>
      <p class="error" role="alert">${this.action.message}</p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-attendance': PgAttendance;
  }
}
