/**
 * A question's image as every screen shows it: `srcset` offers the phone width and the largest
 * stored width, so a phone downloads the small file and the projector the large one; `width` and
 * `height` reserve its space before it loads; it loads only where a question has one.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { IMAGE_WIDTHS, type Localized, type QuestionImage } from '../../../worker/contract';

/** The `<img>` of `image` (nothing without one), its alt text in the screen's language(s), laid out `sizes` wide. */
export function questionImage(
  image: QuestionImage | undefined,
  text: (alt: Localized) => string,
  sizes: string,
): TemplateResult | typeof nothing {
  if (!image) return nothing;
  const src = (w: number) => `/api/images/${image.id}?w=${w}`;
  const phone = Math.min(IMAGE_WIDTHS.phone, image.width);
  const srcset = [phone, ...(image.width > phone ? [image.width] : [])].map((w) => `${src(w)} ${w}w`).join(', ');
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
