/**
 * Import GIFT (Moodle's question format): paste the text, say which language it is in, import.
 * The imported questions become the teacher's own; the result lists them with the importer's
 * warnings and skipped lines. Fires `imported` with the {@link ImportResult}.
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangController, t } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { teacherApi } from '../api';
import { teacherBase } from '../styles';
import type { ImportResult } from '../types';
import { emit, valueOf } from '../ui';
import { ActionController } from '../components/action-controller';

/** The importer's remarks under a heading, if it has any. */
const lines = (heading: string, items: string[]) =>
  items.length
    ? html`<h4>${heading}</h4>
        <ul>
          ${items.map((w) => html`<li>${w}</li>`)}
        </ul>`
    : nothing;

/** The GIFT import form and its result. */
@customElement('pg-gift-import')
export class PgGiftImport extends LitElement {
  static override styles = [base, teacherBase];

  private readonly i18n = new LangController(this);
  @state() private gift = '';
  @state() private giftLang: 'zh' | 'en' | 'both' = 'zh';
  @state() private result: ImportResult | null = null;
  private readonly action = new ActionController(this);

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    if (this.action.busy) return;
    this.result = null;
    void this.action.run(async () => {
      const result = await teacherApi.importGift(this.gift, this.giftLang);
      this.result = result;
      this.gift = '';
      emit(this, 'imported', result);
    });
  }

  private outcome(r: ImportResult) {
    const ts = teacherStrings();
    return html`<div role="status">
      <p class="ok">✓ ${ts.gift.imported(r.imported.length)}</p>
      <ul>
        ${r.imported.map((q) => html`<li>${t(q.stem)} <span class="muted">(${ts.types[q.type]})</span></li>`)}
      </ul>
      ${lines(ts.gift.warnings, r.warnings)} ${lines(ts.gift.skipped, r.skipped)}
    </div>`;
  }

  override render() {
    const ts = teacherStrings();
    return html`<form novalidate @submit=${this.submit}>
        <div class="field">
          <label for="gift">${ts.gift.text}</label>
          <span id="gift-hint" class="hint">${ts.gift.hint}</span>
          <textarea
            id="gift"
            aria-describedby="gift-hint"
            maxlength="50000"
            .value=${this.gift}
            @input=${(e: Event) => (this.gift = valueOf(e))}
          ></textarea>
        </div>
        <div class="field">
          <label for="gift-lang">${ts.gift.lang}</label>
          <select id="gift-lang" @change=${(e: Event) => (this.giftLang = valueOf(e) as 'zh' | 'en' | 'both')}>
            ${(['zh', 'en', 'both'] as const).map(
              (l) => html`<option value=${l} ?selected=${this.giftLang === l}>${ts.gift.langs[l]}</option>`,
            )}
          </select>
        </div>
        <p class="error" role="alert">${this.action.message}</p>
        <button type="submit" class="secondary" ?disabled=${this.action.busy || !this.gift.trim()}>
          ${ts.gift.button}
        </button>
      </form>
      ${this.result ? this.outcome(this.result) : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-gift-import': PgGiftImport;
  }
}
