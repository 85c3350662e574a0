/** A "Copy" button for a link, with a spoken and visible confirmation. */
import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { teacherStrings } from '../../i18n/teacher';
import { LangController } from '../../i18n/lang';
import { base } from '../../core/styles';
import { inlineRow } from '../styles';

/** A button that copies `text` to the clipboard. */
@customElement('pg-copy-button')
export class PgCopyButton extends LitElement {
  static override styles = [base, inlineRow];

  /** The text put on the clipboard. */
  @property() text = '';
  /** The button's text, e.g. "Copy teacher link"; plain "Copy" when empty. */
  @property() label = '';

  private readonly i18n = new LangController(this);
  @state() private outcome: 'idle' | 'copied' | 'failed' = 'idle';
  private reset: ReturnType<typeof setTimeout> | undefined;

  private async copy(): Promise<void> {
    try {
      // Only available on HTTPS and localhost; elsewhere the teacher copies the shown text by hand.
      await navigator.clipboard.writeText(this.text);
      this.outcome = 'copied';
    } catch {
      this.outcome = 'failed';
    }
    clearTimeout(this.reset);
    this.reset = setTimeout(() => (this.outcome = 'idle'), 4000);
  }

  override disconnectedCallback(): void {
    clearTimeout(this.reset);
    super.disconnectedCallback();
  }

  override render() {
    const ts = teacherStrings();
    const note = { idle: '', copied: `✓ ${ts.copied}`, failed: ts.copyFailed }[this.outcome];
    return html`<button type="button" class="secondary" @click=${this.copy}>${this.label || ts.copy}</button>
      <span role="status" class=${this.outcome === 'failed' ? 'error' : 'muted'}>${note}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-copy-button': PgCopyButton;
  }
}
