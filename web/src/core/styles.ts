/**
 * Base styles every element adopts first ({@link base}), so that the look of text and native
 * controls is the same everywhere (the sheet is constructed once and shared, not copied). The
 * design tokens they read (`--pg-*`) are declared once, at `:root` in index.html.
 */
import { css } from 'lit';

/** How a text field or select looks, on every page (the teacher pages add their other controls: teacher/styles). */
export const fieldLook = css`
  font: inherit;
  min-height: var(--pg-tap);
  width: 100%;
  max-width: 100%;
  padding: 0.5rem 0.75rem;
  border: 2px solid var(--pg-border);
  border-radius: var(--pg-radius);
  background: var(--pg-surface);
  color: var(--pg-text);
`;

/** Typography and the common controls (buttons, inputs, cards, focus rings). */
export const base = css`
  :host {
    display: block;
    box-sizing: border-box;
    color: var(--pg-text);
    font-family: var(--pg-font);
    line-height: 1.6;
    /* Long nicknames, URLs and unbroken CJK must wrap rather than widen a 360 px screen. */
    overflow-wrap: anywhere;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }

  h1,
  h2,
  h3 {
    line-height: 1.3;
    margin: 0 0 0.75rem;
  }
  h1 {
    font-size: 1.5rem;
  }
  h2 {
    font-size: 1.25rem;
  }
  h3 {
    font-size: 1.05rem;
  }
  p {
    margin: 0 0 0.75rem;
  }
  a {
    color: var(--pg-accent);
    text-underline-offset: 0.15em;
  }
  a:hover {
    color: var(--pg-accent-dark);
  }

  /* One visible focus ring for everything focusable by keyboard. */
  :focus-visible {
    outline: 3px solid var(--pg-accent);
    outline-offset: 2px;
  }
  [tabindex='-1']:focus {
    outline: none;
  }

  button,
  .button {
    font: inherit;
    font-weight: 600;
    min-height: var(--pg-tap);
    min-width: var(--pg-tap);
    padding: 0.5rem 1.25rem;
    border-radius: var(--pg-radius);
    border: 2px solid var(--pg-accent);
    background: var(--pg-accent);
    color: #fff;
    cursor: pointer;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4rem;
    text-decoration: none;
    line-height: 1.3;
  }
  button:hover:not(:disabled),
  .button:hover {
    background: var(--pg-accent-dark);
    border-color: var(--pg-accent-dark);
    color: #fff;
  }
  button.secondary,
  .button.secondary {
    background: var(--pg-surface);
    color: var(--pg-accent);
  }
  button.secondary:hover:not(:disabled),
  .button.secondary:hover {
    background: var(--pg-accent-tint);
    color: var(--pg-accent-dark);
  }
  button:disabled {
    cursor: not-allowed;
    background: var(--pg-surface-2);
    border-color: var(--pg-line);
    color: var(--pg-muted);
  }

  label {
    font-weight: 600;
  }
  input[type='text'],
  input:not([type]),
  select {
    ${fieldLook}
  }
  input[type='radio'],
  input[type='checkbox'] {
    width: 1.4rem;
    height: 1.4rem;
    margin: 0;
    flex: none;
    accent-color: var(--pg-accent);
  }
  fieldset {
    border: 0;
    padding: 0;
    margin: 0 0 var(--pg-gap);
    min-width: 0;
  }
  legend {
    padding: 0;
    margin-bottom: 0.5rem;
  }

  .card {
    background: var(--pg-surface);
    border: 1px solid var(--pg-line);
    border-radius: var(--pg-radius);
    padding: 1.25rem;
    margin: 0 0 var(--pg-gap);
  }
  .field {
    display: grid;
    gap: 0.35rem;
    margin: 0 0 var(--pg-gap);
  }
  .hint,
  .muted {
    color: var(--pg-muted);
    font-size: 0.95rem;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: center;
  }
  .error {
    color: var(--pg-accent-dark);
    font-weight: 600;
  }
  /* Error lines stay in the DOM while empty so that screen readers announce them when filled. */
  .error:empty {
    margin: 0;
  }
  /* The second language of a bilingual question text, beneath the first. */
  .alt {
    display: block;
    font-size: 0.9em;
    font-weight: 400;
    color: var(--pg-muted);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  /* A join code, read off a projector across the room. */
  .code {
    font-size: clamp(2.5rem, 14vw, 5rem);
    font-weight: 700;
    letter-spacing: 0.12em;
    font-variant-numeric: tabular-nums;
    line-height: 1.1;
    margin: 0.25rem 0 0.75rem;
    overflow-wrap: normal;
  }
  .url {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.9rem;
    word-break: break-all;
    background: var(--pg-surface-2);
    border-radius: 6px;
    padding: 0.25rem 0.5rem;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: start;
    padding: 0.5rem 0.4rem;
    border-bottom: 1px solid var(--pg-line);
    vertical-align: top;
  }
  th {
    font-size: 0.9rem;
    color: var(--pg-muted);
  }
  .num {
    text-align: end;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }

  @media (prefers-reduced-motion: reduce) {
    * {
      transition: none !important;
      animation: none !important;
    }
  }
`;

/** The student's play screens (self-paced and live): the status line, the sticky countdown, big figures. */
export const playStyles = css`
  .status {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1.25rem;
    font-weight: 600;
    color: var(--pg-muted);
  }
  .timer {
    position: sticky;
    top: 0;
    z-index: 1;
    background: var(--pg-surface-2);
    padding: 0.5rem 0;
    margin-bottom: 0.5rem;
  }
  .big {
    font-size: 1.5rem;
    font-weight: 700;
  }
  /* "Next" stays in reach under the thumb however long the feedback is. */
  .actions {
    position: sticky;
    bottom: 0;
    margin: 0;
    padding: 0.75rem 0 calc(0.75rem + env(safe-area-inset-bottom));
    background: var(--pg-surface-2);
  }
  .actions button {
    width: 100%;
  }
`;

/**
 * The translation under a quoted source sentence (i18n/lang `proofHtml`), on the phone and on the
 * projector alike: in em, so it follows each screen's own text size.
 */
export const proofStyles = css`
  .translation {
    margin-top: 0.4em;
    padding: 0.4em 0.8em;
    border-inline-start: 0.3em solid var(--pg-muted);
  }
  .translation .label {
    display: block;
    color: var(--pg-muted);
    font-size: 0.85em;
    font-weight: 600;
  }
`;
