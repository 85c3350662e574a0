/**
 * A modal "are you sure?" for destructive actions (delete a quiz, remove a student…): a native
 * `<dialog>`, so focus is trapped and Escape cancels; focus returns to the button that asked.
 */
import { LitElement, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { LangController } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { teacherBase } from '../styles';

/** What the dialog asks. */
export interface Confirmation {
  title: string;
  text: string;
  /** The confirming button's text, e.g. "Yes, delete it". */
  confirm: string;
}

/** A confirmation dialog; call {@link PgConfirmDialog.ask}. */
@customElement('pg-confirm-dialog')
export class PgConfirmDialog extends LitElement {
  static override styles = [base, teacherBase];

  private readonly i18n = new LangController(this);
  @state() private asking: Confirmation | null = null;
  @query('dialog') private dialog!: HTMLDialogElement;
  private answer: ((yes: boolean) => void) | null = null;
  private returnFocus: HTMLElement | null = null;

  /** Shows the question; resolves true when confirmed, false when cancelled or dismissed. */
  async ask(question: Confirmation): Promise<boolean> {
    this.answer?.(false);
    this.returnFocus = deepActiveElement();
    this.asking = question;
    await this.updateComplete;
    this.dialog.showModal();
    return new Promise((resolve) => (this.answer = resolve));
  }

  private finish(yes: boolean): void {
    const answer = this.answer;
    this.answer = null;
    if (this.dialog.open) this.dialog.close();
    answer?.(yes);
    this.returnFocus?.focus();
  }

  override render() {
    const ts = teacherStrings();
    const q = this.asking;
    return html`<dialog aria-labelledby="confirm-title" @close=${() => this.finish(false)}>
      <h2 id="confirm-title">${q?.title ?? ''}</h2>
      <p>${q?.text ?? ''}</p>
      <p class="row">
        <button type="button" @click=${() => this.finish(true)}>${q?.confirm ?? ''}</button>
        <button type="button" class="secondary" @click=${() => this.finish(false)}>${ts.cancel}</button>
      </p>
    </dialog>`;
  }
}

/** The focused element, looking inside shadow roots. */
function deepActiveElement(): HTMLElement | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el instanceof HTMLElement ? el : null;
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-confirm-dialog': PgConfirmDialog;
  }
}
