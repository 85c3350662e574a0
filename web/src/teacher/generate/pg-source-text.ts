/**
 * The teacher's text beside the drafts made from it, each quoted sentence in a `<mark>` followed
 * by the numbers of the drafts that quote it (so the link is in text, not colour). The active
 * draft's sentence gets an outline and bold type; {@link PgSourceText.reveal} scrolls to it.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LangController } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { locate, segments, type Segment } from './source-marks';
import { base } from '../../core/styles';

/** The source text with its quotes highlighted. */
@customElement('pg-source-text')
export class PgSourceText extends LitElement {
  static override styles = [
    base,
    css`
      .text {
        white-space: pre-wrap;
        line-height: 1.8;
      }
      mark {
        background: var(--pg-warn-tint);
        color: inherit;
        border-bottom: 2px solid var(--pg-warn);
        padding: 0 0.1em;
      }
      mark.active {
        outline: 3px solid var(--pg-accent);
        outline-offset: 1px;
        font-weight: 700;
        background: var(--pg-accent-tint);
      }
      sup {
        font-size: 0.7em;
        color: var(--pg-muted);
        margin-inline-start: 0.1em;
      }
      @media (forced-colors: active) {
        mark {
          forced-color-adjust: none;
          background: Mark;
          color: MarkText;
        }
      }
    `,
  ];

  /** The text the drafts were made from. */
  @property() text = '';
  /** Each draft's quote, by draft index. */
  @property({ attribute: false }) quotes: string[] = [];
  /** The draft whose sentence is outlined, or -1. */
  @property({ type: Number }) active = -1;

  private readonly i18n = new LangController(this);
  private parts: Segment[] = [];

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('text') || changed.has('quotes'))
      this.parts = segments(
        this.text,
        this.quotes.map((q) => locate(this.text, q)),
      );
  }

  /** Scrolls the draft's first quoted sentence into view; false when it was not found in the text. */
  async reveal(draft: number): Promise<boolean> {
    await this.updateComplete;
    const mark = this.renderRoot.querySelector<HTMLElement>(`mark[data-starts~="${draft}"]`);
    if (!mark) return false;
    const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
    mark.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' });
    return true;
  }

  override render() {
    const ts = teacherStrings();
    return html`<div class="text">
      ${this.parts.map((p) =>
        p.drafts.length === 0
          ? p.text
          : html`<mark class=${p.drafts.includes(this.active) ? 'active' : ''} data-starts=${p.starts.join(' ')}
                >${p.text}</mark
              >${p.ends.length ? html`<sup>${ts.gen.draftRefs(p.ends.map((d) => d + 1))}</sup>` : nothing}`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-source-text': PgSourceText;
  }
}
