/**
 * The word cloud of an open question, on the projector: each word sized by how many answers hold it,
 * the biggest in the middle, wrapped in calm centred lines (no random placement: a word does not
 * jump about as others arrive). New words grow in and counted words grow smoothly, unless the
 * viewer asked for reduced motion. Screen readers get the same words as an ordered list with their
 * counts. Loaded only when an open question is shown (a dynamic import), so that no other screen
 * pays for it.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { LangController } from '../../i18n/lang';
import { liveStrings } from '../../i18n/live';
import { base } from '../../core/styles';
import type { CloudMessage, CloudWord } from '../../../../worker/contract';

/** Smallest and biggest word, in `em` of the element's font size. */
const MIN_EM = 1;
const MAX_EM = 4;

/**
 * The words in display order: biggest first in the middle, the next ones alternately after and
 * before it, so the line reads big in the centre and small at the edges.
 */
export function centred(words: readonly CloudWord[]): CloudWord[] {
  const out: CloudWord[] = [];
  words.forEach((w, i) => (i % 2 ? out.unshift(w) : out.push(w)));
  return out;
}

/** A word's size: by the square root of its share of the biggest count, so areas grow with counts. */
export const wordEm = (count: number, most: number): number =>
  MIN_EM + (MAX_EM - MIN_EM) * Math.sqrt(most > 0 ? count / most : 0);

@customElement('pg-word-cloud')
export class PgWordCloud extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: grid;
        grid-template-rows: minmax(0, 1fr) auto;
        min-height: 0;
        height: 100%;
        font-size: max(16px, 2.2vmin);
        color: var(--pg-projector-text, #000);
      }
      .words {
        display: flex;
        flex-wrap: wrap;
        justify-content: center;
        align-content: center;
        align-items: baseline;
        gap: 0.15em 0.6em;
        margin: 0;
        padding: 0.5em;
        list-style: none;
        overflow: hidden;
        line-height: 1.1;
      }
      .words li {
        font-weight: 700;
        transition: font-size 0.6s ease;
        animation: grow 0.6s ease;
      }
      /* One accent on neutral: the biggest words in pomegranate red, the rest near black or grey. */
      .words .big {
        color: var(--pg-accent, #b3122e);
      }
      .words .small {
        color: var(--pg-projector-muted, #3b424a);
        font-weight: 600;
      }
      @keyframes grow {
        from {
          opacity: 0;
          transform: scale(0.4);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .words li {
          transition: none;
          animation: none;
        }
      }
      .empty {
        align-self: center;
        justify-self: center;
        color: var(--pg-projector-muted, #3b424a);
      }
      .total {
        margin: 0;
        text-align: center;
        font-weight: 700;
      }
    `,
  ];

  @property({ attribute: false }) cloud: CloudMessage | null = null;
  /** Whether to say how many answered under the cloud (off where a summary beside it says so). */
  @property({ type: Boolean }) totals = true;

  private readonly i18n = new LangController(this);

  override render() {
    const ls = liveStrings();
    const words = this.cloud?.words ?? [];
    const most = words[0]?.count ?? 0;
    const answered = this.cloud?.answered ?? 0;
    const hidden = this.cloud?.hidden ?? 0;
    return html`${words.length
        ? html`<ul class="words" aria-hidden="true">
            ${repeat(
              centred(words),
              (w) => w.word,
              (w) => {
                const share = w.count / most;
                return html`<li
                  class=${share > 0.6 ? 'big' : share < 0.3 ? 'small' : ''}
                  style=${styleMap({ fontSize: `${wordEm(w.count, most).toFixed(2)}em` })}
                >
                  ${w.word}
                </li>`;
              },
            )}
          </ul>`
        : html`<p class="empty">${ls.cloudEmpty}</p>`}
      <ol class="sr-only" aria-label=${ls.wordCloud}>
        ${words.map((w) => html`<li>${ls.cloudWord(w.word, w.count)}</li>`)}
      </ol>
      ${this.totals
        ? html`<p class="total">${ls.cloudAnswers(answered)}${hidden ? ` · ${ls.cloudHidden(hidden)}` : ''}</p>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-word-cloud': PgWordCloud;
  }
}
