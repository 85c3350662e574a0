/**
 * `/teach/signin`: sign in, or register a teacher account, as two tabs. Afterwards the teacher
 * goes back to the page that sent them here (`?next=`, teacher pages only) or to the workspace.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { LangController } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { navigate } from '../../core/nav';
import { base } from '../../core/styles';
import { teacherApi } from '../api';
import { AuthController, knownTeacher, setTeacher } from '../auth';
import { teacherBase } from '../styles';
import { field, valueOf } from '../ui';
import { ActionController } from '../components/action-controller';

type Tab = 'signin' | 'register';

/** Where to go after signing in: a teacher page named in `?next=`, else the workspace. */
function nextPath(): string {
  const next = new URLSearchParams(location.search).get('next') ?? '';
  // Only our own teacher pages: never another site, never a protocol-relative "//…".
  return /^\/teach(\/[^/]|$)/.test(next) && !next.startsWith('/teach/signin') ? next : '/teach';
}

/** The sign-in and register page. */
@customElement('pg-teacher-signin')
export class PgTeacherSignin extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      :host {
        max-width: 32rem;
      }
      [role='tablist'] {
        display: flex;
        gap: 0.25rem;
        border-bottom: 2px solid var(--pg-line);
        margin-bottom: var(--pg-gap);
      }
      [role='tab'] {
        background: none;
        color: var(--pg-text);
        border: 0;
        border-bottom: 4px solid transparent;
        border-radius: 0;
        margin-bottom: -2px;
      }
      [role='tab'][aria-selected='true'] {
        border-bottom-color: var(--pg-accent);
        color: var(--pg-accent);
      }
      [role='tab']:hover:not(:disabled) {
        background: var(--pg-accent-tint);
        color: var(--pg-accent-dark);
        border-color: transparent;
        border-bottom-color: var(--pg-accent);
      }
    `,
  ];

  private readonly i18n = new LangController(this);
  private readonly auth = new AuthController(this);
  @state() private tab: Tab = 'signin';
  @state() private name = '';
  @state() private email = '';
  @state() private password = '';
  private readonly action = new ActionController(this);
  @query('[aria-selected="true"]') private selectedTab!: HTMLButtonElement;

  private async choose(tab: Tab, focus = false): Promise<void> {
    this.tab = tab;
    this.action.reset();
    if (!focus) return;
    await this.updateComplete;
    this.selectedTab.focus();
  }

  /** Arrow keys move between the two tabs, as the ARIA tabs pattern expects. */
  private onTabKey(e: KeyboardEvent): void {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return;
    e.preventDefault();
    const tab: Tab =
      e.key === 'Home' ? 'signin' : e.key === 'End' ? 'register' : this.tab === 'signin' ? 'register' : 'signin';
    void this.choose(tab, true);
  }

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    void this.action.run(async () => {
      const { teacher } =
        this.tab === 'signin'
          ? await teacherApi.signIn({ email: this.email, password: this.password })
          : await teacherApi.register({ email: this.email, name: this.name, password: this.password });
      this.password = '';
      setTeacher(teacher);
      navigate(nextPath());
    });
  }

  private tabButton(tab: Tab, text: string): TemplateResult {
    const selected = this.tab === tab;
    return html`<button
      type="button"
      role="tab"
      id="tab-${tab}"
      aria-selected=${selected ? 'true' : 'false'}
      aria-controls="panel"
      tabindex=${selected ? 0 : -1}
      @click=${() => this.choose(tab)}
      @keydown=${this.onTabKey}
    >
      ${text}
    </button>`;
  }

  private form(): TemplateResult {
    const ts = teacherStrings();
    const register = this.tab === 'register';
    return html`<form id="panel" role="tabpanel" aria-labelledby="tab-${this.tab}" novalidate @submit=${this.submit}>
      ${register
        ? field(
            'name',
            ts.auth.name,
            html`<input
              id="name"
              type="text"
              autocomplete="name"
              maxlength="80"
              .value=${this.name}
              @input=${(e: Event) => (this.name = valueOf(e))}
            />`,
          )
        : ''}
      ${field(
        'email',
        ts.auth.email,
        html`<input
          id="email"
          type="email"
          autocomplete="email"
          maxlength="200"
          .value=${this.email}
          @input=${(e: Event) => (this.email = valueOf(e))}
        />`,
      )}
      ${field(
        'password',
        ts.auth.password,
        html`<input
          id="password"
          type="password"
          autocomplete=${register ? 'new-password' : 'current-password'}
          maxlength="200"
          aria-describedby=${register ? 'password-hint' : nothing}
          .value=${this.password}
          @input=${(e: Event) => (this.password = valueOf(e))}
        />`,
        register ? ts.auth.passwordHint : '',
      )}
      <p class="error" role="alert">${this.action.message}</p>
      <button type="submit" ?disabled=${this.action.busy}>
        ${register ? ts.auth.registerButton : ts.auth.signInButton}
      </button>
    </form>`;
  }

  override render() {
    const ts = teacherStrings();
    const teacher = knownTeacher();
    if (teacher)
      return html`<h1>${ts.auth.title}</h1>
        <p role="status">${ts.home.signedInAs(teacher.name)}</p>
        <p class="row">
          <a class="button" href="/teach">${ts.nav.workspace}</a>
          <a class="button secondary" href="/teach/account">${ts.nav.account}</a>
        </p>`;
    return html`<h1>${ts.auth.title}</h1>
      <p>${ts.auth.intro}</p>
      <section class="card">
        <div role="tablist" aria-label=${ts.auth.title}>
          ${this.tabButton('signin', ts.auth.signInTab)} ${this.tabButton('register', ts.auth.registerTab)}
        </div>
        ${this.form()}
      </section>
      <p><a href="/teach">${ts.auth.withoutAccount}</a></p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-teacher-signin': PgTeacherSignin;
  }
}
