/**
 * The account page's "Cloud link" card (the classroom laptop's side): link this account to one on
 * a Pomegranate in the cloud (its address and a link token made there; the laptop's Worker checks
 * it with the cloud), send closed sessions with their state, take quizzes and classes from the cloud.
 *
 * Sessions still waiting (or interrupted) are sent by themselves each time the page opens with a
 * link: the simplest retry that needs no timer on the server, and the page a teacher opens to
 * look is where the connection is known to be back.
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiFailure, errorMessage } from '../../core/api';
import { LangController, formatTime } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { teacherApi } from '../api';
import { teacherBase } from '../styles';
import { field, valueOf } from '../ui';
import { ActionController } from '../components/action-controller';
import { isDue, type CloudLink, type SessionSend } from '../../../../worker/contract';

@customElement('pg-cloud-link')
export class PgCloudLink extends LitElement {
  static override styles = [base, teacherBase];

  private readonly i18n = new LangController(this);
  private readonly linking = new ActionController(this);
  private readonly sending = new ActionController(this);
  /** Undefined until loaded. */
  @state() private link: CloudLink | null | undefined = undefined;
  @state() private url = '';
  @state() private token = '';
  @state() private sessions: SessionSend[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.linking.run(async () => {
      this.link = (await teacherApi.cloudLink()).link;
      if (!this.link) return;
      this.sessions = await teacherApi.sendStates();
      if (this.sessions.some(isDue)) this.sendAll(isDue);
    });
  }

  private save(e: SubmitEvent): void {
    e.preventDefault();
    void this.linking.run(async () => {
      this.link = (await teacherApi.linkCloud({ url: this.url, token: this.token })).link;
      this.token = '';
      this.sessions = await teacherApi.sendStates();
    });
  }

  private unlink(): void {
    void this.linking.run(async () => {
      await teacherApi.unlinkCloud();
      this.link = null;
      this.sessions = [];
    });
  }

  /** Sends the chosen sessions one after another, showing each one's state as it comes back. */
  private sendAll(which: (s: SessionSend) => boolean): void {
    void this.sending.run(async () => {
      for (const s of this.sessions.filter(which)) {
        const now = await teacherApi.sendSession(s.id);
        this.sessions = this.sessions.map((x) => (x.id === now.id ? now : x));
        // The cloud is unreachable: the rest would fail the same way; they wait for the next try.
        if (now.error?.code === 'cloud_unreachable') break;
      }
    });
  }

  private pull(): void {
    void this.sending.run(() => teacherApi.pullFromCloud(), {
      notice: (r) => `✓ ${teacherStrings().cloud.pulled(r.quizzes, r.classes, r.skipped)}`,
    });
  }

  private stateText(s: SessionSend): string {
    const states = teacherStrings().cloud.states;
    if (s.state === 'sending') return states.sending(s.total ? Math.floor((100 * s.sent) / s.total) : 0);
    return states[s.state];
  }

  private sessionList() {
    const c = teacherStrings().cloud;
    if (!this.sessions.length) return html`<p class="muted">${c.none}</p>`;
    return html`<ul class="plain items" aria-label=${c.sessionsLabel}>
      ${this.sessions.map(
        (s) =>
          html`<li>
            ${s.title} <span class="sub">${formatTime(s.closedAt)}</span>
            <span class="badge ${s.state === 'sent' ? 'ok' : s.state === 'refused' ? 'warn' : ''}"
              >${this.stateText(s)}</span
            >
            ${s.error
              ? html`<p class="error">${errorMessage(new ApiFailure(409, s.error.code, s.error.message))}</p>`
              : nothing}
          </li>`,
      )}
    </ul>`;
  }

  override render() {
    const c = teacherStrings().cloud;
    if (this.link === undefined)
      return html`<section class="card" aria-labelledby="cloud-heading">
        <h2 id="cloud-heading">${c.heading}</h2>
        <p class="error" role="alert">${this.linking.message}</p>
      </section>`;
    if (this.link === null)
      return html`<form class="card" novalidate @submit=${this.save} aria-labelledby="cloud-heading">
        <h2 id="cloud-heading">${c.heading}</h2>
        <p class="hint">${c.hint}</p>
        ${field(
          'cloud-url',
          c.url,
          html`<input
            id="cloud-url"
            type="url"
            inputmode="url"
            autocomplete="url"
            aria-describedby="cloud-url-hint"
            .value=${this.url}
            @input=${(e: Event) => (this.url = valueOf(e))}
          />`,
          c.urlHint,
        )}
        ${field(
          'cloud-token',
          c.token,
          html`<input
            id="cloud-token"
            type="password"
            autocomplete="off"
            aria-describedby="cloud-token-hint"
            .value=${this.token}
            @input=${(e: Event) => (this.token = valueOf(e))}
          />`,
          c.tokenHint,
        )}
        <p class="error" role="alert">${this.linking.message}</p>
        <button type="submit" ?disabled=${this.linking.busy || !this.url || !this.token}>${c.link}</button>
      </form>`;
    const busy = this.sending.busy || this.linking.busy;
    return html`<section class="card" aria-labelledby="cloud-heading">
      <h2 id="cloud-heading">${c.heading}</h2>
      <p>${c.linked(this.link.account, this.link.url)}</p>
      <p class="row">
        <button type="button" ?disabled=${busy} @click=${() => this.sendAll((s) => s.state !== 'sent')}>
          ${c.send}
        </button>
        <button type="button" class="secondary" ?disabled=${busy} @click=${this.pull}>${c.pull}</button>
        <button type="button" class="secondary" ?disabled=${busy} @click=${this.unlink}>${c.unlink}</button>
      </p>
      <p class="hint">${c.sendHint}</p>
      <p class="error" role="alert">${this.sending.message || this.linking.message}</p>
      <p role="status" class="ok">${this.sending.notice}</p>
      ${this.sessionList()}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-cloud-link': PgCloudLink;
  }
}
