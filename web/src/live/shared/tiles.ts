/**
 * The look of an answer tile, shared by the projector and the student's phone: a colour, a shape
 * and a letter per position (A red triangle, B blue diamond, C ochre circle, D green square, then
 * E purple pentagon, F teal hexagon), as in the classroom quiz games students know. The colour is
 * never the only cue: the shape and the letter are always drawn too, so a colour-blind student or
 * a washed-out projector still tells them apart.
 *
 * Why by position and not by option: with `shuffleOptions` every student sees the options in an
 * order of their own, and the phone is never told the projector's order. Keying the look to the
 * option would hand a neighbour "the red triangle" to copy, which is what shuffling prevents. So
 * each screen letters its own order: the phone's A is the first button on that phone, and the
 * projector's A is the first tile on the projector. Without shuffling the two orders are the same
 * and the tiles match one for one.
 *
 * Every colour carries white text at a contrast of at least 4.5:1 (WCAG AA for normal text).
 */
import { css, html, svg, unsafeCSS, type SVGTemplateResult, type TemplateResult } from 'lit';

export type TileShape = 'triangle' | 'diamond' | 'circle' | 'square' | 'pentagon' | 'hexagon';

export interface TileLook {
  letter: string;
  colour: string;
  shape: TileShape;
}

/** The looks in order of position; a question has at most six choices. */
export const TILE_LOOKS: readonly TileLook[] = [
  { letter: 'A', colour: '#c8102e', shape: 'triangle' }, // red, 5.9:1 with white
  { letter: 'B', colour: '#1559b7', shape: 'diamond' }, // blue, 6.7:1
  { letter: 'C', colour: '#8a5a00', shape: 'circle' }, // ochre (a yellow dark enough for white text), 5.9:1
  { letter: 'D', colour: '#1d7324', shape: 'square' }, // green, 5.9:1
  { letter: 'E', colour: '#6b3fa0', shape: 'pentagon' }, // purple, 7.4:1
  { letter: 'F', colour: '#006b73', shape: 'hexagon' }, // teal, 6.3:1
];

/** The look of the tile at `index` (beyond six, the looks repeat with the next letters). */
export function tileLook(index: number): TileLook {
  const look = TILE_LOOKS[index % TILE_LOOKS.length]!;
  return { ...look, letter: String.fromCharCode(65 + index) };
}

const SHAPES: Record<TileShape, SVGTemplateResult> = {
  triangle: svg`<path d="M12 2.5 22.5 21h-21z" />`,
  diamond: svg`<path d="M12 1.5 22.5 12 12 22.5 1.5 12z" />`,
  circle: svg`<circle cx="12" cy="12" r="10" />`,
  square: svg`<rect x="3" y="3" width="18" height="18" rx="1.5" />`,
  pentagon: svg`<path d="M12 2 22 9.3 18.2 21H5.8L2 9.3z" />`,
  hexagon: svg`<path d="M12 1.5 21.5 7v10L12 22.5 2.5 17V7z" />`,
};

/** The shape of the tile at `index`, white, decorative (the letter beside it is what is read out). */
export function tileShape(index: number): TemplateResult {
  return html`<svg
    class="tile-shape"
    viewBox="0 0 24 24"
    aria-hidden="true"
    focusable="false"
    style="width:1em;height:1em;flex:none;fill:currentColor"
  >
    ${SHAPES[tileLook(index).shape]}
  </svg>`;
}

/**
 * A tile's badge: the shape, then the letter as text (part of the accessible name of the button or
 * tile it sits in). Styled inline, so that any element can show it without adopting a sheet (the
 * phone's pg-question gets it through a property and knows nothing of the live game); sizes in em.
 */
export function tileBadge(index: number): TemplateResult {
  const look = tileLook(index);
  return html`<span
    class="tile-badge"
    style="flex:none;display:inline-flex;align-items:center;justify-content:center;gap:0.25em;min-width:2.6em;padding:0.3em 0.45em;border-radius:0.3em;background:${look.colour};color:#fff;font-weight:800;line-height:1"
    >${tileShape(index)}<span class="tile-letter">${look.letter}</span></span
  >`;
}

/** `--tile` per position class (`tile-0` …), for screens that colour a whole tile. */
export const tileStyles = css`
  ${unsafeCSS(TILE_LOOKS.map((l, i) => `.tile-${i} { --tile: ${l.colour}; }`).join('\n'))}
  @media (forced-colors: active) {
    .tile-badge {
      border: 1px solid CanvasText;
    }
    .tile-shape {
      fill: CanvasText;
    }
  }
`;
