/**
 * Styles shared by the teacher elements, on top of core/styles `base` (which the student pages
 * use too, so that sheet stays small): the remaining form controls, badges, lists, dialogs, quotes.
 */
import { css } from 'lit';
import { fieldLook } from '../core/styles';

/** A small element laid out inline, its parts in a row that wraps (a button and its note, a chart and its figures). */
export const inlineRow = css`
  :host {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
`;

/** Form controls, badges, lists and dialogs of the teacher pages. */
export const teacherBase = css`
  input[type='email'],
  input[type='password'],
  input[type='number'],
  input[type='search'],
  input[type='datetime-local'],
  textarea {
    ${fieldLook}
  }
  /* Folded sections (settings to override, a secret link): the summary is a large tap target. */
  summary {
    cursor: pointer;
    padding: 0.75rem 0;
    font-weight: 600;
  }
  /* A join QR code: big enough to scan from a desk when projected, small on a phone. */
  pg-qr-code.qr {
    width: min(14rem, 100%);
    margin-top: var(--pg-gap);
  }
  .when {
    display: grid;
    gap: 0 0.75rem;
    grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
  }
  textarea {
    resize: vertical;
    min-height: 6rem;
    line-height: 1.5;
  }
  input[type='file'] {
    font: inherit;
    min-height: var(--pg-tap);
    width: 100%;
    max-width: 100%;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 0.6rem;
    min-height: var(--pg-tap);
    font-weight: 400;
    cursor: pointer;
  }
  .checks {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
    gap: 0 1rem;
  }
  .button.secondary {
    background: var(--pg-surface);
    color: var(--pg-accent);
  }
  .button.secondary:hover {
    background: var(--pg-accent-tint);
    color: var(--pg-accent-dark);
  }
  /* Narrower, never lower: every control keeps the 48 px tap height. */
  button.small,
  .button.small {
    padding: 0.3rem 0.75rem;
    font-size: 0.95rem;
  }
  button.link {
    background: none;
    border: 0;
    color: var(--pg-accent);
    text-decoration: underline;
    padding: 0.25rem 0.25rem;
    font-weight: 400;
  }
  button.link:hover:not(:disabled) {
    background: none;
    color: var(--pg-accent-dark);
  }
  .badge {
    display: inline-block;
    border: 1px solid currentColor;
    border-radius: 999px;
    padding: 0 0.5rem;
    font-size: 0.85rem;
    font-weight: 600;
    line-height: 1.6;
    white-space: nowrap;
  }
  .badge.warn {
    color: var(--pg-warn);
    background: var(--pg-warn-tint);
  }
  .badge.ok {
    color: var(--pg-ok);
    background: var(--pg-ok-tint);
  }
  .ok {
    color: var(--pg-ok);
    font-weight: 600;
  }
  .bad {
    color: var(--pg-accent-dark);
    font-weight: 600;
  }
  ul.plain,
  ol.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .items > li {
    border-bottom: 1px solid var(--pg-line);
    padding: 0.75rem 0;
  }
  .items > li:last-child {
    border-bottom: 0;
  }
  blockquote {
    margin: 0.5rem 0;
    padding: 0.25rem 0.75rem;
    border-inline-start: 4px solid var(--pg-line);
    color: var(--pg-muted);
  }
  .callout {
    border-inline-start: 4px solid var(--pg-accent);
    background: var(--pg-accent-tint);
    padding: 0.75rem 1rem;
    border-radius: 0 var(--pg-radius) var(--pg-radius) 0;
  }
  /* The base sheet lets text break anywhere (for 360 px screens), which would let a table squeeze a
     column to one letter; inside tables words stay whole and a wide table scrolls in .scroll-x. */
  th,
  td {
    overflow-wrap: break-word;
  }
  /* A row's header (a title, a name) reads as the row's text, not as a small grey column label. */
  tbody th {
    font-size: 1rem;
    color: var(--pg-text);
  }
  .sub {
    display: block;
    color: var(--pg-muted);
    font-size: 0.9rem;
    font-weight: 400;
  }
  .scroll-x {
    /* Wide tables scroll inside their card instead of widening a phone's page; relative, so that
       visually hidden (absolutely positioned) headers stay inside it too. */
    position: relative;
    overflow-x: auto;
    max-width: 100%;
  }
  .columns {
    display: grid;
    gap: var(--pg-gap);
    grid-template-columns: minmax(0, 1fr);
    align-items: start;
  }
  @media (min-width: 60rem) {
    .columns {
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
    }
  }
  .status-line {
    min-height: 1.6em;
    margin: 0 0 0.5rem;
  }
  /* A modal dialog (confirmations). */
  dialog {
    border: 0;
    border-radius: var(--pg-radius);
    padding: 1.5rem;
    max-width: min(30rem, calc(100vw - 2rem));
    box-shadow: 0 0.75rem 3rem rgb(0 0 0 / 0.35);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.5);
  }
`;
