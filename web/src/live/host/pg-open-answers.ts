/**
 * The teacher's list of an open question's answers (newest first), each with a button that takes
 * it out of the word cloud or puts it back: the button fires `pg-live-command` with a `hide`
 * command, which the projector and the remote send as any other. A long list gets a search field
 * and shows its first {@link SHOWN} matches. Loaded with the word cloud, only where one is shown.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { LangController } from '../../i18n/lang';
import { liveStrings } from '../../i18n/live';
import { base } from '../../core/styles';
import type { CloudMessage, HostMessage, OpenAnswer } from '../../../../worker/contract';

/** Answers listed at once; the search finds the others. */
const SHOWN = 30;
/** From this many answers on, the list gets a search field. */
const SEARCH_FROM = 8;

@customElement('pg-open-answers')
export class PgOpenAnswers extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0.5rem 0 0;
        padding: 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.25rem 0.75rem;
        padding: 0.4rem 0;
        border-bottom: 1px solid var(--pg-line);
      }
      .text {
        flex: 1 1 12rem;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .who {
        color: var(--pg-muted);
        font-size: 0.9em;
      }
      .hidden .text {
        text-decoration: line-through;
        color: var(--pg-muted);
      }
      button {
        min-height: var(--pg-tap);
      }
      input {
        width: 100%;
        max-width: 24rem;
      }
      .muted {
        color: var(--pg-muted);
      }
    `,
  ];

  @property({ attribute: false }) cloud: CloudMessage | null = null;
  @state() private query = '';

  private readonly i18n = new LangController(this);

  private toggle(a: OpenAnswer): void {
    if (!this.cloud) return;
    const detail: HostMessage = {
      type: 'hide',
      questionId: this.cloud.questionId,
      participantId: a.participantId,
      hidden: !a.hidden,
    };
    this.dispatchEvent(new CustomEvent<HostMessage>('pg-live-command', { detail, bubbles: true, composed: true }));
  }

  override render() {
    const ls = liveStrings();
    const all = this.cloud?.answers ?? [];
    const q = this.query.trim().toLowerCase();
    const matches = q
      ? all.filter((a) => a.text.toLowerCase().includes(q) || a.nickname.toLowerCase().includes(q))
      : all;
    const shown = matches.slice(0, SHOWN);
    return html`${all.length >= SEARCH_FROM
      ? html`<label for="search">${ls.searchAnswers}</label>
          <input
            id="search"
            type="search"
            autocomplete="off"
            .value=${this.query}
            @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
          />`
      : nothing}
    ${all.length === 0
      ? html`<p class="muted">${ls.noAnswersYet}</p>`
      : shown.length === 0
        ? html`<p class="muted" role="status">${ls.noAnswerMatch}</p>`
        : html`<ul aria-label=${ls.openAnswers}>
            ${repeat(
              shown,
              (a) => a.participantId,
              (a) =>
                html`<li class=${a.hidden ? 'hidden' : ''}>
                  <span class="text"
                    >${a.text}${a.hidden ? html`<span class="sr-only"> (${ls.hiddenMark})</span>` : nothing}</span
                  >
                  <span class="who">${a.nickname}</span>
                  <button
                    type="button"
                    class="secondary small"
                    aria-label=${`${a.hidden ? ls.showInCloud : ls.hideFromCloud}: ${a.text}`}
                    @click=${() => this.toggle(a)}
                  >
                    ${a.hidden ? ls.showInCloud : ls.hideFromCloud}
                  </button>
                </li>`,
            )}
          </ul>`}
    ${matches.length > shown.length
      ? html`<p class="muted">${ls.answersShown(shown.length, matches.length)}</p>`
      : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-open-answers': PgOpenAnswers;
  }
}
