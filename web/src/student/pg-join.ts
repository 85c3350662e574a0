/**
 * Joining a quiz: the join code, then a nickname or, in a session of a class with a roster, one's
 * name from the class list (./name-list), with "I'm not on the list" leading to the nickname where
 * the teacher lets guests in. On success the device keeps its token for that code and goes to the
 * quiz; a device that already joined is offered to continue instead.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { ApiFailure, Problem, api, errorMessage, type FailureCode } from '../core/api';
import { LangController, formatTime, strings } from '../i18n/lang';
import { isCode, navigate, normalizeCode } from '../core/nav';
import { getSeat, handTicket, saveFeedback, saveSeat } from '../core/store';
import { base } from '../core/styles';
import { nameList, nameListStyles } from './name-list';
import type { CodeLookup, SessionInfo } from '../../../worker/contract';

/** Which field an error is about, so it can be marked invalid and focused. */
type Field = 'code' | 'nickname' | 'name';

/** Failures about the quiz the code names (or the code itself), not about the nickname. */
const CODE_FAILURES = new Set<FailureCode>([
  'unknown_code',
  'too_many_attempts',
  'network_full',
  'session_closed',
  'not_open_yet',
  'session_locked',
]);

/** Failures about the name picked from the class list (or a nickname where one was expected). */
const NAME_FAILURES = new Set<FailureCode>(['name_taken', 'roster_entry_not_found', 'guests_not_allowed']);

/** One of the form's text fields (see {@link PgJoin.textField}). */
interface TextField {
  id: Field;
  label: string;
  hint: string;
  value: string;
  autocomplete: string;
  enterkeyhint: 'next' | 'go';
  /** How a phone's keyboard types it, where the default does not fit (the join code: capitals, no spell check). */
  keyboard?: { inputmode: string; autocapitalize: string; spellcheck: 'true' | 'false' };
  onInput: (e: InputEvent) => void;
  /** After a Chinese (or other) input method commits its text. */
  onCompositionEnd?: () => void;
}

/** The join form: join code and nickname. */
@customElement('pg-join')
export class PgJoin extends LitElement {
  static override styles = [
    base,
    nameListStyles,
    css`
      #code {
        text-transform: uppercase;
        letter-spacing: 0.2em;
        font-size: 1.4rem;
        font-weight: 600;
        max-width: 14rem;
      }
      .resume {
        border-color: var(--pg-accent);
        background: var(--pg-accent-tint);
      }
      .info {
        margin: -0.5rem 0 var(--pg-gap);
      }
      button[type='submit'] {
        width: 100%;
      }
      .guest {
        margin-bottom: var(--pg-gap);
      }
    `,
  ];

  /** The join code from the address (`/join/<CODE>`), or empty on the start page. */
  @property() code = '';

  private readonly i18n = new LangController(this);
  @state() private codeValue = '';
  @state() private nickname = '';
  @state() private info: CodeLookup | null = null;
  /** The class list's search box, and the id of the name picked from it. */
  @state() private nameQuery = '';
  @state() private picked = '';
  /** The student said they are not on the class list: the nickname field instead. */
  @state() private guest = false;
  @state() private error: unknown = null;
  @state() private errorField: Field | null = null;
  @state() private busy = false;
  @query('#code') private codeInput!: HTMLInputElement;
  @query('#nickname') private nicknameInput!: HTMLInputElement;
  @query('#name-search') private nameSearch!: HTMLInputElement;

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('code')) this.setCode(this.code);
  }

  /** Takes a (partial) code and looks the quiz up once all six characters are there. */
  private setCode(raw: string): void {
    const code = normalizeCode(raw);
    if (code === this.codeValue) return;
    this.codeValue = code;
    this.info = null;
    [this.nameQuery, this.picked, this.guest] = ['', '', false];
    if (this.errorField === 'code') this.showError(null);
    if (isCode(code)) void this.lookUp(code);
  }

  private async lookUp(code: string): Promise<void> {
    try {
      const info = await api.sessionInfo(code);
      if (code !== this.codeValue) return;
      this.info = info;
      // A name someone took meanwhile is no longer a choice.
      if (info.roster?.names.find((n) => n.id === this.picked)?.taken !== false) this.picked = '';
    } catch (err) {
      // A wrong code, or too many from this network: said at once. Anything else shows if joining fails too.
      if (code === this.codeValue && err instanceof ApiFailure && (err.status === 404 || err.status === 429))
        this.showError(err, 'code');
    }
  }

  private onCodeInput(e: InputEvent): void {
    // Rewriting the value mid-composition would break a Chinese input method's candidate list.
    if (e.isComposing) return;
    this.syncCode();
  }

  private syncCode(): void {
    this.setCode(this.codeInput.value);
    this.codeInput.value = this.codeValue;
  }

  private showError(error: unknown, field: Field | null = null): void {
    this.error = error;
    this.errorField = field;
  }

  /** Whether the form shows the class list (rather than the nickname field). */
  private get picking(): boolean {
    return Boolean(this.info?.roster) && !this.guest;
  }

  /** Who joins: the name picked from the class list, or the nickname typed; a problem when there is none. */
  private who(): { rosterId: string } | { nickname: string } | Problem {
    if (this.picking) return this.picked ? { rosterId: this.picked } : new Problem('pickName');
    const nickname = this.nickname.normalize('NFC').trim();
    if (!nickname) return new Problem('nicknameEmpty');
    if ([...nickname].length > 20) return new Problem('nicknameTooLong');
    return { nickname };
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const code = this.codeValue;
    if (!isCode(code)) return this.fail(new Problem('codeInvalid'), 'code');
    const who = this.who();
    if (who instanceof Problem) return this.fail(who, this.picking ? 'name' : 'nickname');

    this.busy = true;
    this.showError(null);
    try {
      const joined = await api.join(code, who);
      saveSeat(code, { token: joined.token, nickname: joined.nickname });
      // The live game's socket opens with it, without asking for a ticket first.
      if (joined.live) handTicket(code, joined.live);
      saveFeedback(code, null);
      // A live session is played on the live screen, paced by the teacher.
      navigate(`/${joined.session.mode === 'live' ? 'live' : 'play'}/${code}`);
    } catch (err) {
      const failure = err instanceof ApiFailure ? err.code : null;
      if (failure && NAME_FAILURES.has(failure)) {
        // The class list changed, or guests may not join: show it as it is now.
        this.guest = false;
        await this.lookUp(this.codeValue);
      }
      const field = failure && CODE_FAILURES.has(failure) ? 'code' : this.picking ? 'name' : 'nickname';
      void this.fail(err, field);
    } finally {
      this.busy = false;
    }
  }

  private async fail(error: unknown, field: Field): Promise<void> {
    this.showError(error, field);
    await this.updateComplete;
    ({ code: this.codeInput, nickname: this.nicknameInput, name: this.nameSearch })[field].focus();
  }

  /** Why joining may not work right now, before the student tries. */
  private infoNote(info: SessionInfo) {
    const s = strings();
    const note =
      info.status === 'closed'
        ? s.quizClosed
        : info.status === 'scheduled'
          ? info.opensAt
            ? s.opensAt(formatTime(info.opensAt))
            : s.notStartedTitle
          : info.locked
            ? s.quizLocked
            : '';
    return note ? html`<br /><strong class="error">${note}</strong>` : nothing;
  }

  /** A labelled text input with its hint beneath; both describe it, with the form's error line. */
  private textField(f: TextField) {
    return html`<div class="field">
      <label for=${f.id}>${f.label}</label>
      <input
        id=${f.id}
        name=${f.id}
        type="text"
        inputmode=${ifDefined(f.keyboard?.inputmode)}
        autocomplete=${f.autocomplete}
        autocapitalize=${ifDefined(f.keyboard?.autocapitalize)}
        spellcheck=${ifDefined(f.keyboard?.spellcheck)}
        enterkeyhint=${f.enterkeyhint}
        aria-describedby="${f.id}-hint join-error"
        aria-invalid=${this.errorField === f.id ? 'true' : 'false'}
        .value=${live(f.value)}
        @input=${f.onInput}
        @compositionend=${f.onCompositionEnd ?? nothing}
      />
      <span id="${f.id}-hint" class="hint">${f.hint}</span>
    </div>`;
  }

  private nicknameField() {
    const s = strings();
    return this.textField({
      id: 'nickname',
      label: s.nicknameLabel,
      hint: s.nicknameHint,
      value: this.nickname,
      autocomplete: 'nickname',
      enterkeyhint: 'go',
      onInput: (e) => (this.nickname = (e.target as HTMLInputElement).value),
    });
  }

  /** Switches between the class list and the nickname field, and puts the focus where the student goes on. */
  private async setGuest(guest: boolean): Promise<void> {
    this.guest = guest;
    this.showError(null);
    await this.updateComplete;
    (guest ? this.nicknameInput : this.nameSearch).focus();
  }

  /** The class list to pick one's name from, or (for a guest) the nickname field with the way back. */
  private rosterChoice(roster: NonNullable<CodeLookup['roster']>) {
    const s = strings();
    if (this.guest)
      return html`${this.nicknameField()}
        <p class="guest">
          <button type="button" class="secondary" @click=${() => this.setGuest(false)}>${s.backToNames}</button>
        </p>`;
    return html`${nameList({
        names: roster.names,
        query: this.nameQuery,
        picked: this.picked,
        invalid: this.errorField === 'name',
        onQuery: (query) => (this.nameQuery = query),
        onPick: (id) => {
          this.picked = id;
          if (this.errorField === 'name') this.showError(null);
        },
      })}
      <p class="guest">
        ${roster.allowGuests
          ? html`<button type="button" class="secondary" @click=${() => this.setGuest(true)}>${s.notOnList}</button>`
          : html`<span class="hint">${s.askTeacherNotOnList}</span>`}
      </p>`;
  }

  override render() {
    const s = strings();
    const seat = isCode(this.codeValue) ? getSeat(this.codeValue) : null;
    const info = this.info;
    const picked = this.picking ? info?.roster?.names.find((n) => n.id === this.picked) : undefined;
    return html`
      <h1>${s.joinTitle}</h1>
      <p>${s.joinIntro}</p>
      ${seat
        ? html`<div class="card resume">
            <p>${s.alreadyJoined(seat.nickname)}</p>
            <p>
              <button
                type="button"
                @click=${() => navigate(`/${this.info?.mode === 'live' ? 'live' : 'play'}/${this.codeValue}`)}
              >
                ${s.continueAs(seat.nickname)}
              </button>
            </p>
            <p class="muted">${s.orNewNickname}</p>
          </div>`
        : nothing}
      <form class="card" novalidate @submit=${this.submit}>
        ${this.textField({
          id: 'code',
          label: s.codeLabel,
          hint: s.codeHint,
          value: this.codeValue,
          autocomplete: 'off',
          enterkeyhint: 'next',
          keyboard: { inputmode: 'text', autocapitalize: 'characters', spellcheck: 'false' },
          onInput: (e) => this.onCodeInput(e),
          onCompositionEnd: () => this.syncCode(),
        })}
        ${info
          ? html`<p class="info muted">
              ${s.quizInfo(info.title, info.questionCount, info.timeLimitSec)} ${this.infoNote(info)}
            </p>`
          : nothing}
        ${info?.roster ? this.rosterChoice(info.roster) : this.nicknameField()}
        <p id="join-error" class="error" role="alert">${this.error ? errorMessage(this.error, 'wrongCodes') : ''}</p>
        <button type="submit" ?disabled=${this.busy}>${picked ? s.joinAs(picked.name) : s.joinButton}</button>
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-join': PgJoin;
  }
}
