/**
 * The projector's lobby: how to join (the address as text, the join code in large type and a QR
 * code of the address) and the students as they arrive, each with a button to remove them: a
 * class's worth at most (past that the newest first, then a count of the others: ./newest-players),
 * so that a contest's thousands stay legible and cheap to draw. Removing fires `pg-live-command`
 * with a `kick`; the projector sends it (the remote finds any student by name).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { LangController, strings } from '../../i18n/lang';
import { liveStrings } from '../../i18n/live';
import { base } from '../../core/styles';
import { newestPlayers } from './newest-players';
import '../shared/pg-qr-code';
import type { HostMessage, LobbyPlayer } from '../../../../worker/contract';
import { PublicOrigin } from '../../core/public-origin';

/** Fires a host command for the projector to send. */
export const command = (from: HTMLElement, detail: HostMessage): boolean =>
  from.dispatchEvent(new CustomEvent<HostMessage>('pg-live-command', { detail, bubbles: true, composed: true }));

/** The join instructions and the students who have joined. */
@customElement('pg-live-lobby')
export class PgLiveLobby extends LitElement {
  static override styles = [
    base,
    css`
      /* The whole screen: how to join, big, then the students as they arrive. */
      :host {
        display: grid;
        grid-template-rows: auto minmax(0, 1fr);
        gap: max(8px, 1.5vmin);
        font-size: var(--pj-body);
      }
      .how {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 0 max(16px, 3vmin);
        align-items: center;
        margin: 0;
      }
      .label {
        margin: 0;
        font-weight: 700;
      }
      .address {
        font-size: max(24px, 4vmin);
        font-weight: 800;
        overflow-wrap: anywhere;
        margin: 0 0 0.3em;
      }
      .code {
        font-size: max(64px, 14vmin);
        margin: 0;
        color: #000;
        overflow-wrap: anywhere;
      }
      figure {
        margin: 0;
        text-align: center;
      }
      pg-qr-code {
        width: max(180px, 36vmin);
      }
      figcaption {
        font-weight: 700;
      }
      .players {
        min-height: 0;
        overflow: auto;
        margin: 0;
      }
      h2 {
        font-size: var(--pj-title);
        margin: 0 0 0.3em;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.4em;
      }
      li {
        display: inline-flex;
        align-items: center;
        gap: 0.25em;
        padding: 0.1em 0.1em 0.1em 0.6em;
        border: 2px solid #000;
        border-radius: 999px;
        background: #fff;
        font-weight: 700;
      }
      li.more {
        border-color: transparent;
        padding-inline-end: 0.6em;
        color: var(--pg-muted);
      }
      li.offline {
        border-style: dashed;
        color: var(--pg-muted);
      }
      li button {
        min-height: 44px;
        min-width: 44px;
        padding: 0;
        border-radius: 999px;
        font-size: 0.9em;
      }
      .muted {
        font-size: 1em;
      }
      li button.team {
        padding: 0 0.6em;
        font-size: 0.75em;
      }
    `,
  ];

  /** The join code. */
  @property() code = '';
  /** Students in the game, in the order they joined. */
  @property({ attribute: false }) players: LobbyPlayer[] = [];

  /** Teams in the game; 0 without team mode. */
  @property({ type: Number }) teams = 0;

  private readonly i18n = new LangController(this);
  /** Where phones reach this server (the laptop's school-network address in a classroom). */
  private readonly origin = new PublicOrigin(this);

  /**
   * Team mode: the student's team, as a button that moves them to the next one (the teacher at the
   * projector evens the teams out, or keeps friends apart, before starting).
   */
  private team(p: LobbyPlayer) {
    if (!this.teams || p.team === undefined) return nothing;
    const ls = liveStrings();
    const next = (p.team % this.teams) + 1;
    return html`<button
      type="button"
      class="secondary team"
      aria-label=${ls.moveTeam(p.nickname, next)}
      title=${ls.moveTeam(p.nickname, next)}
      @click=${() => command(this, { type: 'team', participantId: p.participantId, team: next })}
    >
      ${ls.teamName(p.team)}
    </button>`;
  }

  override render() {
    const s = strings();
    const ls = liveStrings();
    const url = `${this.origin.value}/join/${this.code}`;
    const { shown, more } = newestPlayers(this.players);
    return html`<section class="how-box" aria-labelledby="how">
        <h2 id="how" class="sr-only">${s.joinTitle}</h2>
        <div class="how">
          <div>
            <p class="label">${ls.joinAt}</p>
            <p class="address">${url}</p>
            <p class="label">${s.codeLabel}</p>
            <p class="code">${this.code}</p>
          </div>
          <figure>
            <pg-qr-code .text=${url} label=${ls.qrLabel(url)}></pg-qr-code>
            <figcaption aria-hidden="true">${ls.scanToJoin}</figcaption>
          </figure>
        </div>
      </section>
      <section class="players" aria-labelledby="players">
        <h2 id="players" aria-live="polite">${ls.students(this.players.length)}</h2>
        ${this.players.length === 0
          ? html`<p class="muted">${ls.noStudents}</p>`
          : html`<ul>
              ${repeat(
                shown,
                (p) => p.participantId,
                (p) =>
                  html`<li class=${p.connected ? '' : 'offline'}>
                    <span>${p.nickname}</span>
                    ${p.connected ? nothing : html`<span class="muted">(${ls.offline})</span>`} ${this.team(p)}
                    <button
                      type="button"
                      class="secondary"
                      aria-label=${ls.remove(p.nickname)}
                      title=${ls.remove(p.nickname)}
                      @click=${() => command(this, { type: 'kick', participantId: p.participantId })}
                    >
                      <span aria-hidden="true">✕</span>
                    </button>
                  </li>`,
              )}
              ${more ? html`<li class="more">${ls.moreStudents(more)}</li>` : nothing}
            </ul>`}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-live-lobby': PgLiveLobby;
  }
  interface HTMLElementEventMap {
    /** A host command from a part of the projector (sent by `pg-live-host`). */
    'pg-live-command': CustomEvent<HostMessage>;
  }
}
