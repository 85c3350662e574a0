/**
 * How many students may join a session, in all and from one network address (in the dashboard's
 * seats card, pg-seats). Both the owner and
 * whoever holds the teacher link may change them: a quick session in a school assembly needs more
 * seats behind one network than a class does. Fires `changed` after saving, like the owner's controls.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LangController } from '../../i18n/lang';
import { teacherStrings } from '../../i18n/teacher';
import { base } from '../../core/styles';
import { sessionsApi } from '../../core/sessions-api';
import { teacherBase } from '../styles';
import { emit, field, valueOf } from '../ui';
import { ActionController } from '../components/action-controller';
import { MAX_SEATS_PER_NETWORK, seatCapacity, type TeacherView } from '../../../../worker/contract';

/** The seat limits of one session. */
@customElement('pg-seat-limits')
export class PgSeatLimits extends LitElement {
  static override styles = [
    base,
    teacherBase,
    css`
      /* Side by side, the two inputs line up although only one has a hint. */
      .when {
        align-items: end;
      }
    `,
  ];

  /** The session as last polled. */
  @property({ attribute: false }) view: TeacherView | null = null;
  /** The teacher key, when the link (not the owner's cookie) opened the session. */
  @property({ attribute: false }) token = '';

  private readonly i18n = new LangController(this);
  @state() private maxPlayers = '';
  @state() private perNetwork = '';
  private readonly action = new ActionController(this);
  /** The session whose limits were loaded (polling must not undo typing). */
  private loadedSession = '';

  protected override willUpdate(): void {
    const session = this.view?.session;
    if (!session || session.id === this.loadedSession) return;
    this.loadedSession = session.id;
    this.maxPlayers = String(session.maxPlayers);
    this.perNetwork = String(session.seatsPerNetwork);
  }

  private save(e: SubmitEvent): void {
    e.preventDefault();
    const id = this.view!.session.id;
    // Sent as typed: the server refuses what is not a whole number from 1 to the session's
    // capacity (more for a contest's rooms), naming the field.
    const body = { maxPlayers: Number(this.maxPlayers), seatsPerNetwork: Number(this.perNetwork) };
    void this.action.run(
      async () => {
        await sessionsApi.patch(id, body, this.token || undefined);
        emit(this, 'changed', null);
      },
      { notice: teacherStrings().seats.saved },
    );
  }

  private input(id: string, value: string, max: number, onInput: (value: string) => void, described = false) {
    return html`<input
      id=${id}
      type="number"
      inputmode="numeric"
      min="1"
      max=${max}
      step="1"
      aria-describedby=${described ? `${id}-hint` : nothing}
      .value=${value}
      @input=${(e: Event) => onInput(valueOf(e))}
    />`;
  }

  override render() {
    if (!this.view) return nothing;
    const t = teacherStrings().seats;
    return html`<form novalidate @submit=${this.save}>
        <div class="when">
          ${field(
            'max-players',
            t.maxPlayers,
            this.input(
              'max-players',
              this.maxPlayers,
              seatCapacity(this.view.session.shards),
              (v) => (this.maxPlayers = v),
            ),
          )}
          ${field(
            'per-network',
            t.perNetwork,
            this.input('per-network', this.perNetwork, MAX_SEATS_PER_NETWORK, (v) => (this.perNetwork = v), true),
            t.perNetworkHint,
          )}
        </div>
        <button type="submit" class="secondary" ?disabled=${this.action.busy}>${t.save}</button>
      </form>
      <p class="status-line ok" role="status">${this.action.notice ? `✓ ${this.action.notice}` : ''}</p>
      <p class="error" role="alert">${this.action.message}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-seat-limits': PgSeatLimits;
  }
}
