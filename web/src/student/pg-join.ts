/**
 * Joining a quiz: the join code and a nickname. On success the device keeps its token for that
 * code and goes to the quiz; a device that already joined is offered to continue instead.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { ApiFailure, Problem, api, errorMessage, type FailureCode } from '../core/api';
import { LangController, formatTime, strings } from '../i18n/lang';
import { isCode, navigate, normalizeCode } from '../core/nav';
import { getSeat, saveFeedback, saveSeat } from '../core/store';
import { base } from '../core/styles';
import type { SessionInfo } from '../../../worker/contract';

/** Which field an error is about, so it can be marked invalid and focused. */
type Field = 'code' | 'nickname';

/** Failures about the quiz the code names (or the code itself), not about the nickname. */
const CODE_FAILURES = new Set<FailureCode>([
  'unknown_code',
  'too_many_attempts',
  'network_full',
  'session_closed',
  'not_open_yet',
  'session_locked',
]);

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
    `,
  ];

  /** The join code from the address (`/join/<CODE>`), or empty on the start page. */
  @property() code = '';

  private readonly i18n = new LangController(this);
  @state() private codeValue = '';
  @state() private nickname = '';
  @state() private info: SessionInfo | null = null;
  @state() private error: unknown = null;
  @state() private errorField: Field | null = null;
  @state() private busy = false;
  @query('#code') private codeInput!: HTMLInputElement;
  @query('#nickname') private nicknameInput!: HTMLInputElement;

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('code')) this.setCode(this.code);
  }

  /** Takes a (partial) code and looks the quiz up once all six characters are there. */
  private setCode(raw: string): void {
    const code = normalizeCode(raw);
    if (code === this.codeValue) return;
    this.codeValue = code;
    this.info = null;
    if (this.errorField === 'code') this.showError(null);
    if (isCode(code)) void this.lookUp(code);
  }

  private async lookUp(code: string): Promise<void> {
    try {
      const info = await api.sessionInfo(code);
      if (code === this.codeValue) this.info = info;
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

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const code = this.codeValue;
    const nickname = this.nickname.normalize('NFC').trim();
    if (!isCode(code)) return this.fail(new Problem('codeInvalid'), 'code');
    if (!nickname) return this.fail(new Problem('nicknameEmpty'), 'nickname');
    if ([...nickname].length > 20) return this.fail(new Problem('nicknameTooLong'), 'nickname');

    this.busy = true;
    this.showError(null);
    try {
      const joined = await api.join(code, nickname);
      saveSeat(code, { token: joined.token, nickname: joined.nickname });
      saveFeedback(code, null);
      // A live session is played on the live screen, paced by the teacher.
      navigate(`/${joined.session.mode === 'live' ? 'live' : 'play'}/${code}`);
    } catch (err) {
      this.fail(err, err instanceof ApiFailure && CODE_FAILURES.has(err.code) ? 'code' : 'nickname');
    } finally {
      this.busy = false;
    }
  }

  private async fail(error: unknown, field: Field): Promise<void> {
    this.showError(error, field);
    await this.updateComplete;
    (field === 'code' ? this.codeInput : this.nicknameInput).focus();
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

  override render() {
    const s = strings();
    const seat = isCode(this.codeValue) ? getSeat(this.codeValue) : null;
    const info = this.info;
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
        ${this.textField({
          id: 'nickname',
          label: s.nicknameLabel,
          hint: s.nicknameHint,
          value: this.nickname,
          autocomplete: 'nickname',
          enterkeyhint: 'go',
          onInput: (e) => (this.nickname = (e.target as HTMLInputElement).value),
        })}
        <p id="join-error" class="error" role="alert">${this.error ? errorMessage(this.error, 'wrongCodes') : ''}</p>
        <button type="submit" ?disabled=${this.busy}>${s.joinButton}</button>
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-join': PgJoin;
  }
}
