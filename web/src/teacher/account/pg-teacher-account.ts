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
import { authPending, field, signInPrompt, valueOf } from '../ui';
import { ActionController } from '../components/action-controller';

/** The account page. */
@customElement('pg-teacher-account')
export class PgTeacherAccount extends LitElement {
  static override styles = [base, teacherBase];

  private readonly i18n = new LangController(this);
  private readonly auth = new AuthController(this);
  @state() private current = '';
  @state() private next = '';
  private readonly action = new ActionController(this);

  private change(e: SubmitEvent): void {
    e.preventDefault();
    const changed = async () => {
      await teacherApi.changePassword(this.current, this.next);
      [this.current, this.next] = ['', ''];
    };
    void this.action.run(changed, { notice: `✓ ${teacherStrings().account.changed}` });
  }

  private signOut(): void {
    void this.action.run(async () => {
      await teacherApi.signOut();
      setTeacher(null);
      navigate('/teach');
    });
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
        ${field(
          'current',
          ts.account.current,
          html`<input
            id="current"
            type="password"
            autocomplete="current-password"
            .value=${this.current}
            @input=${(e: Event) => (this.current = valueOf(e))}
          />`,
        )}
        ${field(
          'next',
          ts.account.next,
          html`<input
            id="next"
            type="password"
            autocomplete="new-password"
            aria-describedby="next-hint"
            .value=${this.next}
            @input=${(e: Event) => (this.next = valueOf(e))}
          />`,
          ts.auth.passwordHint,
        )}
        <p class="error" role="alert">${this.action.message}</p>
        <p role="status" class="ok">${this.action.notice}</p>
        <button type="submit" ?disabled=${this.action.busy}>${ts.account.changeButton}</button>
      </form>
      <p>
        <button type="button" class="secondary" ?disabled=${this.action.busy} @click=${this.signOut}>
          ${ts.account.signOut}
        </button>
      </p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-teacher-account': PgTeacherAccount;
  }
}
