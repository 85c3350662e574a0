/**
 * `/teach/account`: who is signed in, change the password (which signs out every other browser),
 * sign out.
 */
import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangController } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { navigate } from '../../core/nav';
import { base } from '../../core/styles';
import { teacherApi } from '../api';
import { AuthController, knownTeacher, setTeacher } from '../auth';
import { teacherBase } from '../styles';
import { authPending, signInPrompt, teacherError, valueOf } from '../ui';

/** The account page. */
@customElement('pg-teacher-account')
export class PgTeacherAccount extends LitElement {
  static override styles = [base, teacherBase];

  private readonly i18n = new LangController(this);
  private readonly auth = new AuthController(this);
  @state() private current = '';
  @state() private next = '';
  @state() private busy = false;
  @state() private error: unknown = null;
  @state() private changed = false;

  private async change(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    [this.busy, this.error, this.changed] = [true, null, false];
    try {
      await teacherApi.changePassword(this.current, this.next);
      [this.current, this.next, this.changed] = ['', '', true];
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private async signOut(): Promise<void> {
    this.busy = true;
    try {
      await teacherApi.signOut();
      setTeacher(null);
      navigate('/teach');
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const ts = teacherStrings();
    const teacher = knownTeacher();
    if (teacher === undefined) return authPending();
    if (!teacher)
      return html`<h1>${ts.account.title}</h1>
        ${signInPrompt()}`;
    return html`<h1>${ts.account.title}</h1>
      <p>${teacher.name} · ${teacher.email}</p>
      <form class="card" novalidate @submit=${this.change}>
        <h2>${ts.account.changeHeading}</h2>
        <p class="hint">${ts.account.changeHint}</p>
        <div class="field">
          <label for="current">${ts.account.current}</label>
          <input
            id="current"
            type="password"
            autocomplete="current-password"
            .value=${this.current}
            @input=${(e: Event) => (this.current = valueOf(e))}
          />
        </div>
        <div class="field">
          <label for="next">${ts.account.next}</label>
          <span id="next-hint" class="hint">${ts.auth.passwordHint}</span>
          <input
            id="next"
            type="password"
            autocomplete="new-password"
            aria-describedby="next-hint"
            .value=${this.next}
            @input=${(e: Event) => (this.next = valueOf(e))}
          />
        </div>
        <p class="error" role="alert">${this.error ? teacherError(this.error) : ''}</p>
        <p role="status" class="ok">${this.changed ? `✓ ${ts.account.changed}` : ''}</p>
        <button type="submit" ?disabled=${this.busy}>${ts.account.changeButton}</button>
      </form>
      <p><button type="button" class="secondary" ?disabled=${this.busy} @click=${this.signOut}>${ts.account.signOut}</button></p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-teacher-account': PgTeacherAccount;
  }
}
