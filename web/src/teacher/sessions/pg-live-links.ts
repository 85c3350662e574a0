/**
 * The ways into a live session's game, for the session page and the new session's page: the
 * projector (for the class) and the remote (for the teacher's phone). Held by a key on this
 * device, the remote link carries the key (as the teacher link does) and its QR code is shown
 * only on request, with a warning: it opens the teacher's controls. A signed-in owner's remote
 * link needs no key: the phone signs in.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LangController } from '../../i18n/lang';
import { liveStrings } from '../../i18n/live';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { teacherBase } from '../styles';
import '../../live/shared/pg-qr-code';

/** Links to a live session's projector and remote. */
@customElement('pg-live-links')
export class PgLiveLinks extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      .warning {
        border-inline-start: 4px solid var(--pg-warn);
        background: var(--pg-warn-tint);
        padding: 0.5rem 0.75rem;
      }
    `,
  ];

  @property({ attribute: 'session-id' }) sessionId = '';
  /** The session's teacher key on this device; '' when the signed-in owner's cookie opens it. */
  @property() key = '';

  private readonly i18n = new LangController(this);

  override render() {
    const ts = teacherStrings();
    const ls = liveStrings();
    const path = `/teach/${encodeURIComponent(this.sessionId)}`;
    const remote = `${location.origin}${path}/remote${this.key ? `#key=${encodeURIComponent(this.key)}` : ''}`;
    return html`<p class="row">
        <a class="button" href="${path}/live">${ls.openProjector}</a>
        <a class="button secondary" href=${remote}>${ts.openRemote}</a>
      </p>
      <p class="muted">${ls.projectorHint}</p>
      <p class="muted">${ts.remoteHint} ${this.key ? nothing : ts.remoteSignInHint}</p>
      <!-- Folded away: the page is often projected, and the code opens the teacher's controls. -->
      <details>
        <summary>${ts.showRemoteQr}</summary>
        ${this.key ? html`<p class="warning">⚠ ${ts.remoteQrWarning}</p>` : nothing}
        <pg-qr-code class="qr" .text=${remote} label=${ts.remoteQrLabel}></pg-qr-code>
      </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-live-links': PgLiveLinks;
  }
}
