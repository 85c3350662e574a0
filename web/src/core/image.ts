/**
 * A question's image as every screen shows it: phones download the phone width, the projector the
 * largest stored one; `width` and `height` reserve its space before it loads; it loads only where
 * a question has one.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { IMAGE_WIDTHS, type Localized, type QuestionImage } from '../../../worker/contract';

/**
 * The `<img>` of `image` (nothing without one), its alt text in the screen's language(s), laid out
 * `sizes` wide. `large` offers the largest stored width too (the projector); without it a screen
 * gets the phone width, even a phone of twice the density, where 640 pixels look sharp enough and
 * a class of phones on one school network downloads a fraction of the bytes.
 */
export function questionImage(
  image: QuestionImage | undefined,
  text: (alt: Localized) => string,
  sizes: string,
  large = false,
): TemplateResult | typeof nothing {
  if (!image) return nothing;
  const src = (w: number) => `/api/images/${image.id}?w=${w}`;
  const phone = Math.min(IMAGE_WIDTHS.phone, image.width);
  const widths = large && image.width > phone ? [phone, image.width] : [phone];
  const srcset = widths.map((w) => `${src(w)} ${w}w`).join(', ');
  return html`<img
    class="q-image"
    src=${src(phone)}
    srcset=${srcset}
    sizes=${sizes}
    alt=${text(image.alt)}
    width=${image.width}
    height=${image.height}
    loading="lazy"
    decoding="async"
  />`;
}

/** Its layout: never wider than its column, in proportion. */
export const imageStyles = css`
  .q-image {
    display: block;
    max-width: 100%;
    height: auto;
    margin: 0.5rem 0;
    border-radius: var(--pg-radius, 0.5rem);
  }
`;
