/**
 * The account page's "Link a classroom laptop" card (the cloud's side): make a named link token,
 * shown once with a copy button, list the tokens and revoke one.
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangController, formatTime } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { teacherApi } from '../api';
import { teacherBase } from '../styles';
import { field, valueOf } from '../ui';
import { ActionController } from '../components/action-controller';
import '../components/pg-copy-button';
import type { CreatedLinkToken, LinkTokenSummary } from '../../../../worker/contract';

@customElement('pg-link-tokens')
export class PgLinkTokens extends LitElement {
  static override styles = [base, teacherBase];

  private readonly i18n = new LangController(this);
  private readonly action = new ActionController(this);
  @state() private name = '';
  @state() private tokens: LinkTokenSummary[] = [];
  /** The token just made: shown until the page is left. */
  @state() private made: CreatedLinkToken | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.action.run(async () => {
      this.tokens = await teacherApi.linkTokens();
    });
  }

  private create(e: SubmitEvent): void {
    e.preventDefault();
    void this.action.run(async () => {
      this.made = await teacherApi.createLinkToken(this.name);
      this.name = '';
      this.tokens = await teacherApi.linkTokens();
    });
  }

  private revoke(token: LinkTokenSummary): void {
    void this.action.run(
      async () => {
        await teacherApi.revokeLinkToken(token.id);
        if (this.made?.id === token.id) this.made = null;
        this.tokens = await teacherApi.linkTokens();
      },
      { notice: `✓ ${teacherStrings().linkTokens.revoked}` },
    );
  }

  override render() {
    const l = teacherStrings().linkTokens;
    return html`<form class="card" novalidate @submit=${this.create} aria-labelledby="link-tokens-heading">
      <h2 id="link-tokens-heading">${l.heading}</h2>
      <p class="hint">${l.hint}</p>
      ${field(
        'link-token-name',
        l.name,
        html`<input
          id="link-token-name"
          maxlength="60"
          autocomplete="off"
          .value=${this.name}
          @input=${(e: Event) => (this.name = valueOf(e))}
        />`,
      )}
      <p class="error" role="alert">${this.action.message}</p>
      <p role="status" class="ok">${this.action.notice}</p>
      <button type="submit" ?disabled=${this.action.busy || this.name.trim() === ''}>${l.create}</button>
      ${this.made
        ? html`<div class="callout" role="status">
            <p>${l.created}</p>
            <p class="url">${this.made.token}</p>
            <pg-copy-button .text=${this.made.token} label=${l.copy}></pg-copy-button>
          </div>`
        : nothing}
      ${this.tokens.length
        ? html`<ul class="plain items" aria-label=${l.listLabel}>
            ${this.tokens.map(
              (t) =>
                html`<li class="row">
                  <span
                    >${t.name}
                    <span class="sub"
                      >${l.madeOn(formatTime(t.createdAt))} ·
                      ${t.lastUsedAt === null ? l.neverUsed : l.lastUsed(formatTime(t.lastUsedAt))}</span
                    ></span
                  >
                  <button
                    type="button"
                    class="secondary"
                    ?disabled=${this.action.busy}
                    aria-label=${l.revoke(t.name)}
                    @click=${() => this.revoke(t)}
                  >
                    ${l.revokeButton}
                  </button>
                </li>`,
            )}
          </ul>`
        : html`<p class="muted">${l.none}</p>`}
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-link-tokens': PgLinkTokens;
  }
}
