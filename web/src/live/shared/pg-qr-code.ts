/**
 * A QR code as an SVG image (lean-qr builds the module grid; one path draws it), so it stays
 * sharp at any projector size and needs no canvas. Its accessible name says what it is for; the
 * page shows the same address as text beside it for those who cannot scan.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { generate } from 'lean-qr';

/** The quiet zone around the code, in modules (the standard asks for 4). */
const QUIET = 4;

/** The SVG path of the dark modules of the QR code of `text`, and the code's size in modules. */
export function qrPath(text: string): { size: number; d: string } {
  const code = generate(text);
  let d = '';
  for (let y = 0; y < code.size; y++) for (let x = 0; x < code.size; x++) if (code.get(x, y)) d += `M${x} ${y}h1v1h-1z`;
  return { size: code.size, d };
}

/** A QR code image. */
@customElement('pg-qr-code')
export class PgQrCode extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    svg {
      display: block;
      width: 100%;
      height: auto;
    }
  `;

  /** What the code encodes (a URL). */
  @property() text = '';
  /** The image's accessible name. */
  @property() label = '';

  private drawn = { text: '', size: 0, d: '' };

  override render() {
    if (this.drawn.text !== this.text) this.drawn = { text: this.text, ...qrPath(this.text) };
    const { size, d } = this.drawn;
    const box = size + 2 * QUIET;
    return html`<svg
      role="img"
      aria-label=${this.label}
      viewBox="${-QUIET} ${-QUIET} ${box} ${box}"
      shape-rendering="crispEdges"
    >
      <rect x=${-QUIET} y=${-QUIET} width=${box} height=${box} fill="#fff"></rect>
      <path d=${d} fill="#000"></path>
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-qr-code': PgQrCode;
  }
}
