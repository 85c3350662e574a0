/**
 * The header's teacher links, shown by `pg-app` once the teacher chunk is loaded (so a student's
 * device never asks who is signed in): "Sign in" when signed out, "My workspace" and "Account"
 * when signed in.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { LangController } from '../i18n/lang';
import { teacherStrings } from '../i18n/teacher';
import { base } from '../core/styles';
import { AuthController, knownTeacher } from './auth';

/** Header links for teachers. */
@customElement('pg-teacher-nav')
export class PgTeacherNav extends LitElement {
  static override styles = [
    base,
    css`
      nav ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0 0.25rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      a {
        display: inline-flex;
        align-items: center;
        min-height: var(--pg-tap);
        padding: 0 0.5rem;
        font-weight: 600;
      }
      a[aria-current='page'] {
        text-decoration-thickness: 3px;
      }
    `,
  ];

  private readonly i18n = new LangController(this);
  private readonly auth = new AuthController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('popstate', this.onPopState);
    super.disconnectedCallback();
  }

  /** Re-renders on navigation, for `aria-current`. */
  private readonly onPopState = (): void => this.requestUpdate();

  private link(href: string, text: string) {
    const here = location.pathname.replace(/\/+$/, '') === href;
    return html`<li><a href=${href} aria-current=${here ? 'page' : nothing}>${text}</a></li>`;
  }

  override render() {
    const ts = teacherStrings();
    const teacher = knownTeacher();
    if (teacher === undefined) return nothing;
    return html`<nav aria-label=${ts.nav.label}>
      <ul>
        ${teacher
          ? html`${this.link('/teach', ts.nav.workspace)}${this.link('/teach/account', ts.nav.account)}`
          : this.link('/teach/signin', ts.nav.signIn)}
      </ul>
    </nav>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-teacher-nav': PgTeacherNav;
  }
}
