/**
 * The image of a question in the editor: choose a photo (resized here, then uploaded), see it, and
 * describe it in both languages (required: screen readers read it, and it stands in when the image
 * cannot load); replace or remove it. Used for the stem and, compact, for each choice. Fires `image-change` with the image (alt text as typed) or null.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { ApiFailure } from '../../core/api';
import { base } from '../../core/styles';
import { LangController } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { uploadImage } from '../api';
import { ActionController } from '../components/action-controller';
import { teacherBase } from '../styles';
import { emit, valueOf } from '../ui';
import { imageWidths } from './image-widths';
import { IMAGE_WIDTHS, type QuestionImage } from '../../../../worker/contract';

@customElement('pg-image-field')
export class PgImageField extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      img {
        display: block;
        max-width: min(100%, 24rem);
        height: auto;
        margin: 0.5rem 0;
        border-radius: 0.5rem;
      }
      :host([compact]) img {
        max-height: 6rem;
        width: auto;
      }
      @media (min-width: 40rem) {
        .langs {
          display: grid;
          gap: 0 0.75rem;
          grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        }
      }
    `,
  ];

  @property({ attribute: false }) image: QuestionImage | null = null;
  /** The field's name; the stem's image by default. */
  @property() legend = '';
  /** A choice's image: its photo shown small and the upload hint left to the stem's field. */
  @property({ type: Boolean, reflect: true }) compact = false;

  private readonly i18n = new LangController(this);
  private readonly action = new ActionController(this);
  @query('input[type=file]') private fileInput!: HTMLInputElement;
  @query('#alt-zh') private altInput!: HTMLInputElement;

  /** Moves focus to the first alt text field (when the editor finds it empty). */
  focusAlt(): void {
    this.altInput?.focus();
  }

  private change(image: QuestionImage | null): void {
    emit<QuestionImage | null>(this, 'image-change', image);
  }

  private chosen(): void {
    const file = this.fileInput.files?.[0];
    this.fileInput.value = '';
    if (!file) return;
    const ts = teacherStrings();
    void this.action.run(
      async () => {
        const widths = await imageWidths(file).catch(() => {
          throw new ApiFailure(0, 'not_an_image', 'unreadable');
        });
        const uploaded = await uploadImage(widths);
        // The description stays when the photo is replaced: the teacher may only have picked a better one.
        this.change({ ...uploaded, alt: this.image?.alt ?? { zh: '', en: '' } });
      },
      { notice: ts.editor.imageAdded },
    );
  }

  private removeImage(): void {
    this.change(null);
    this.action.say(teacherStrings().editor.imageRemoved);
  }

  override render() {
    const ts = teacherStrings();
    const image = this.image;
    const alt = (lang: 'zh' | 'en') => {
      const onInput = (e: Event) => this.change({ ...image!, alt: { ...image!.alt, [lang]: valueOf(e) } });
      return html`<div class="field">
        <label for="alt-${lang}">${ts.editor.imageAlt(lang === 'zh' ? ts.editor.chinese : ts.editor.english)}</label>
        <input
          id="alt-${lang}"
          type="text"
          lang=${lang === 'zh' ? 'zh-CN' : 'en'}
          maxlength="600"
          aria-describedby="alt-hint"
          .value=${image!.alt[lang]}
          @input=${onInput}
        />
      </div>`;
    };
    return html`<fieldset aria-describedby=${this.compact ? nothing : 'image-hint'}>
      <legend>${this.legend || ts.editor.image}</legend>
      ${this.compact ? nothing : html`<p id="image-hint" class="hint">${ts.editor.imageHint}</p>`}
      ${image
        ? html`<img
              src="/api/images/${image.id}?w=${IMAGE_WIDTHS.phone}"
              alt=${image.alt.zh || image.alt.en}
              width=${image.width}
              height=${image.height}
            />
            <p id="alt-hint" class="hint">${ts.editor.imageAltHint}</p>
            <div class="langs">${alt('zh')}${alt('en')}</div>`
        : nothing}
      <input type="file" accept="image/jpeg,image/png,image/webp" hidden @change=${this.chosen} />
      <p class="row">
        <button
          type="button"
          class="secondary small"
          ?disabled=${this.action.busy}
          @click=${() => this.fileInput.click()}
        >
          ${image ? ts.editor.replaceImage : ts.editor.chooseImage}
        </button>
        ${image
          ? html`<button type="button" class="secondary small" @click=${this.removeImage}>
              ${ts.editor.removeImage}
            </button>`
          : nothing}
      </p>
      <p class="hint" role="status">${this.action.busy ? ts.editor.imageUploading : this.action.notice}</p>
      <p class="error" role="alert">${this.action.message}</p>
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-image-field': PgImageField;
  }
  interface HTMLElementEventMap {
    'image-change': CustomEvent<QuestionImage | null>;
  }
}
