/**
 * Calm warnings about who holds the seats of a session, above the dashboard: each a line of text
 * with an icon (never colour alone), none at all when nothing looks odd. Now: one device holding
 * several seats (a student playing under several nicknames, or a shared phone), and seats that
 * answered every question with nothing (a nickname opened to read the answers for another).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LangController } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { teacherBase } from '../styles';
import type { TeacherView } from '../../../../worker/contract';

/** The nicknames on each device that holds several seats, devices in the order the view numbers them. */
function sharedDevices(view: TeacherView): string[][] {
  const devices: string[][] = [];
  for (const p of view.participants) if (p.sharedDevice !== null) (devices[p.sharedDevice - 1] ??= []).push(p.nickname);
  return devices;
}

/** Seats that finished with nothing but blanks: they read the review for another nickname. */
const blankSeats = (view: TeacherView) =>
  view.participants.filter((p) => p.finished && p.answered > 0 && p.blankAnswers === p.answered);

/** The warnings of one session, as last polled. */
@customElement('pg-seat-warnings')
export class PgSeatWarnings extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      ul {
        margin: 0 0 var(--pg-gap);
      }
      li {
        display: flex;
        gap: 0.5rem;
        border-inline-start: 4px solid var(--pg-warn);
        background: var(--pg-warn-tint);
        padding: 0.5rem 1rem;
        border-radius: 0 var(--pg-radius) var(--pg-radius) 0;
      }
      li + li {
        margin-top: 0.5rem;
      }
    `,
  ];

  /** The session as last polled. */
  @property({ attribute: false }) view: TeacherView | null = null;

  private readonly i18n = new LangController(this);

  /** Each warning that applies, as a sentence. */
  private warnings(view: TeacherView): string[] {
    const s = teacherStrings().seats;
    const devices = sharedDevices(view);
    const blank = blankSeats(view);
    return [
      ...(devices.length ? [s.sharedDevices(devices)] : []),
      ...(blank.length ? [s.blank(blank.length, blank.map((p) => p.nickname).join(s.listSeparator))] : []),
    ];
  }

  override render() {
    const warnings = this.view ? this.warnings(this.view) : [];
    if (warnings.length === 0) return nothing;
    return html`<ul class="plain" aria-label=${teacherStrings().seats.warnings}>
      ${warnings.map((text) => html`<li><span aria-hidden="true">⚠</span><span>${text}</span></li>`)}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-seat-warnings': PgSeatWarnings;
  }
}
