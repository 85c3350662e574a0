/**
 * `/teach/account`: who is signed in, change the password (which signs out every other browser),
 * how long students' results are kept, link tokens for classroom laptops (./pg-link-tokens) and
 * this laptop's cloud link (./pg-cloud-link), download everything the account holds, delete the account
 * (the password typed again in a dialog), sign out.
 */
import { LitElement, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { LangController } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { navigate } from '../../core/nav';
import { base } from '../../core/styles';
import { teacherApi } from '../api';
import { AuthController, knownTeacher, setTeacher } from '../auth';
import { teacherBase } from '../styles';
import { authPending, field, signInPrompt, valueOf } from '../ui';
import { ActionController } from '../components/action-controller';
import { KEEP_RESULTS_DAYS, QUICK_SESSION_DAYS } from '../../../../worker/contract';
import './pg-cloud-link';
import './pg-link-tokens';

/** The account page. */
@customElement('pg-teacher-account')
export class PgTeacherAccount extends LitElement {
  static override styles = [base, teacherBase];

  private readonly i18n = new LangController(this);
  private readonly auth = new AuthController(this);
  @state() private current = '';
  @state() private next = '';
  /** The retention period as typed; empty until the account's is loaded. */
  @state() private keepDays = '';
  @state() private deletePassword = '';
  private loadedFor: string | null = null;
  private readonly action = new ActionController(this);
  private readonly keeping = new ActionController(this);
  private readonly deleting = new ActionController(this);
  @query('#delete-dialog') private dialog!: HTMLDialogElement;

  protected override willUpdate(): void {
    const teacher = knownTeacher();
    if (teacher && this.loadedFor !== teacher.id) {
      this.loadedFor = teacher.id;
      void this.keeping.run(async () => {
        this.keepDays = String((await teacherApi.account()).keepResultsDays);
      });
    }
  }

  private change(e: SubmitEvent): void {
    e.preventDefault();
    const changed = async () => {
      await teacherApi.changePassword(this.current, this.next);
      [this.current, this.next] = ['', ''];
    };
    void this.action.run(changed, { notice: `✓ ${teacherStrings().account.changed}` });
  }

  private keep(e: SubmitEvent): void {
    e.preventDefault();
    void this.keeping.run(
      async () => {
        this.keepDays = String(
          (await teacherApi.setAccount({ keepResultsDays: Number(this.keepDays) })).keepResultsDays,
        );
      },
      { notice: `✓ ${teacherStrings().account.keepSaved}` },
    );
  }

  private askDelete(): void {
    this.deletePassword = '';
    this.deleting.reset();
    this.dialog.showModal();
  }

  private confirmDelete(e: SubmitEvent): void {
    e.preventDefault();
    void this.deleting.run(async () => {
      await teacherApi.deleteAccount(this.deletePassword);
      this.dialog.close();
      setTeacher(null);
      navigate('/teach');
    });
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
    const a = ts.account;
    const teacher = knownTeacher();
    if (teacher === undefined) return authPending();
    if (!teacher)
      return html`<h1>${a.title}</h1>
        ${signInPrompt()}`;
    return html`<h1>${a.title}</h1>
      <p>${teacher.name} · ${teacher.email}</p>
      <form class="card" novalidate @submit=${this.change}>
        <h2>${a.changeHeading}</h2>
        <p class="hint">${a.changeHint}</p>
        ${field(
          'current',
          a.current,
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
          a.next,
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
        <button type="submit" ?disabled=${this.action.busy}>${a.changeButton}</button>
      </form>
      <form class="card" novalidate @submit=${this.keep}>
        <h2>${a.keepHeading}</h2>
        ${field(
          'keep-days',
          a.keepLabel,
          html`<input
            id="keep-days"
            type="number"
            inputmode="numeric"
            min=${KEEP_RESULTS_DAYS.min}
            max=${KEEP_RESULTS_DAYS.max}
            step="1"
            aria-describedby="keep-days-hint"
            .value=${this.keepDays}
            @input=${(e: Event) => (this.keepDays = valueOf(e))}
          />`,
          a.keepHint(KEEP_RESULTS_DAYS.min, KEEP_RESULTS_DAYS.max, QUICK_SESSION_DAYS),
        )}
        <p class="error" role="alert">${this.keeping.message}</p>
        <p role="status" class="ok">${this.keeping.notice}</p>
        <button type="submit" ?disabled=${this.keeping.busy || this.keepDays === ''}>${a.keepButton}</button>
      </form>
      <pg-link-tokens></pg-link-tokens>
      <pg-cloud-link></pg-cloud-link>
      <section class="card">
        <h2>${a.dataHeading}</h2>
        <p class="hint">${a.dataHint}</p>
        <p><a class="button secondary" href=${teacherApi.accountExportUrl} download>${a.download}</a></p>
      </section>
      <section class="card">
        <h2>${a.deleteHeading}</h2>
        <p class="hint">${a.deleteHint}</p>
        <p><button type="button" class="secondary" @click=${this.askDelete}>${a.deleteButton}</button></p>
      </section>
      <p>
        <button type="button" class="secondary" ?disabled=${this.action.busy} @click=${this.signOut}>
          ${a.signOut}
        </button>
      </p>
      <dialog id="delete-dialog" aria-labelledby="delete-title">
        <form novalidate @submit=${this.confirmDelete}>
          <h2 id="delete-title">${a.deleteTitle}</h2>
          <p>${a.deleteText}</p>
          ${field(
            'delete-password',
            a.deletePassword,
            html`<input
              id="delete-password"
              type="password"
              autocomplete="current-password"
              required
              .value=${this.deletePassword}
              @input=${(e: Event) => (this.deletePassword = valueOf(e))}
            />`,
          )}
          <p class="error" role="alert">${this.deleting.message}</p>
          <p class="row">
            <button type="submit" ?disabled=${this.deleting.busy || this.deletePassword === ''}>
              ${a.deleteConfirm}
            </button>
            <button type="button" class="secondary" @click=${() => this.dialog.close()}>${ts.cancel}</button>
          </p>
        </form>
      </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-teacher-account': PgTeacherAccount;
  }
}
