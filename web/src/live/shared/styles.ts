/**
 * What the projector and the student's live screen share besides the game state: the banner
 * shown while the connection is down, and the paused line. Adopt {@link liveStyles} after `base`.
 */
import { css, html, type TemplateResult } from 'lit';
import { strings } from '../../i18n/lang';
import { liveStrings } from '../../i18n/live';
import type { LiveGameController } from './game';

export const liveStyles = css`
  .conn {
    position: sticky;
    top: 0;
    z-index: 2;
    margin: 0 0 0.75rem;
    padding: 0.5rem 0.75rem;
    border: 2px solid var(--pg-warn);
    border-inline-start-width: 0.5rem;
    border-radius: var(--pg-radius);
    background: var(--pg-warn-tint);
    color: var(--pg-text);
    font-weight: 700;
  }
  /* Empty but present: a live region must exist before its text arrives to be announced. (Not
     :empty, which the template's whitespace defeats.) */
  .conn:not(.on) {
    padding: 0;
    margin: 0;
    border: 0;
  }
  /* Paused: an outlined box rather than a pause glyph, which not every classroom PC's fonts have. */
  .paused {
    display: inline-block;
    margin: 0;
    padding: 0.2em 0.6em;
    border: 2px dashed var(--pg-warn);
    border-radius: var(--pg-radius);
    font-weight: 700;
    color: var(--pg-warn);
  }
`;

/**
 * "Reconnecting…" while the connection is down after the game was shown (the last screen stays
 * beneath it), with `notice` (why it cannot connect yet) if any. Always in the DOM, so that screen
 * readers announce it when it fills.
 */
export function connectionLine(game: LiveGameController, stopped: boolean, notice = ''): TemplateResult {
  const ls = liveStrings();
  const down = !stopped && (game.connection === 'reconnecting' || game.connection === 'connecting');
  const shown = game.state.phase !== null;
  const text = down && (shown || notice) ? `${shown ? ls.reconnecting : ''} ${notice}`.trim() : '';
  return html`<p class="conn ${text ? 'on' : ''}" role="status">${text}</p>`;
}

/** "Paused · 12 seconds left": the countdown frozen while the teacher pauses the question. */
export function pausedLine(text: string, remainingMs: number | null): TemplateResult {
  const left = remainingMs === null ? '' : ` · ${strings().secondsLeft(Math.ceil(remainingMs / 1000))}`;
  return html`<p class="paused" role="status">${text}${left}</p>`;
}
