/**
 * The projector (`/teach/<session id>/live`): the teacher runs the live game from here, for the
 * whole class to read from the back of the room. Lobby (join code, QR code, students arriving),
 * each question with its countdown and answer count, the reveal, the top 5, the podium.
 *
 * A game screen, not a page: it fills the viewport's height (no header of the app's), every screen
 * in type sized to the viewport (./projector-text), the join code and a small QR code in a corner
 * all game long for latecomers, and a slim control strip at the bottom, hidden while the teacher's
 * phone remote is connected (or with H). The countdown can tick aloud (off by default: ./sound).
 * The full ranking is not shown to the class: the podium ends the game, the report has the rest.
 *
 * Opened with the session's teacher key (from the link's `#key=` fragment, which is then taken off
 * the address bar, or remembered on this device), or by the signed-in owner without one (see
 * ./access). The teacher's phone can run the game too (pg-live-remote). The server sends the game's whole current
 * state on every connection, so a reload or a dropped connection resumes where the game is.
 * Every control is a big button and a key (see {@link KEYS}); ending the game asks first.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { LangController, strings } from '../../i18n/lang';
import { liveError, liveStrings } from '../../i18n/live';
import { LiveGameController, cloudOf, currentReveal, openQuestion, type GameState } from '../shared/game';
import { recall, remember } from '../shared/memory';
import { connectionLine, liveStyles } from '../shared/styles';
import { openScreen, screenStop, stopText, type ScreenStop } from './access';
import { HostCommands } from './commands';
import { base } from '../../core/styles';
import { lang, setLang } from '../../i18n/lang';
import { projectorStyles } from './projector-text';
import { WARN_SECONDS } from '../../core/countdown';
import { rememberSound, soundWanted, tick, timeUp, unlockSound } from './sound';
import './pg-live-lobby';
import '../shared/pg-live-podium';
import '../shared/pg-live-teams';
import '../shared/pg-live-ranking';
import '../shared/pg-qr-code';
import './pg-live-reveal';
import './pg-live-stage';
import type { HostMessage, ServerMessage } from '../../../../worker/contract';
import { PublicOrigin } from '../../core/public-origin';

/** What a key does (besides Tab and the buttons). */
type Action = 'next' | 'reveal' | 'pause' | 'skip' | 'fullscreen' | 'sound' | 'strip';
const KEYS: Record<string, Action> = {
  ' ': 'next',
  enter: 'next',
  arrowright: 'next',
  // Presentation clickers send PageDown for "next".
  pagedown: 'next',
  r: 'reveal',
  p: 'pause',
  s: 'skip',
  f: 'fullscreen',
  m: 'sound',
  h: 'strip',
};

/** Screen readers hear the answer count at most this often (it can change ten times a second). */
const ANNOUNCE_EVERY_MS = 4000;

/** The teacher's projector screen. */
@customElement('pg-live-host')
export class PgLiveHost extends LitElement {
  static override styles = [
    base,
    liveStyles,
    projectorStyles,
    css`
      /* High contrast: black on white, one accent (pomegranate red), the tiles' colours. */
      :host {
        --pg-muted: var(--pg-projector-muted);
        --pg-text: var(--pg-projector-text);
        font-size: var(--pj-small);
        line-height: 1.35;
        background: #fff;
      }
      /* The game fills the viewport: a top line, the screen, the control strip. */
      .game {
        display: grid;
        grid-template-rows: auto auto minmax(0, 1fr) auto auto;
        height: 100vh;
        height: 100dvh;
        padding: max(6px, 1vmin) max(12px, 2vmin) 0;
      }
      .stopped {
        padding: 2rem;
        max-width: 50em;
      }
      .conn {
        margin: 0 0 0.3em;
      }
      h1 {
        font-size: 1em;
        margin: 0;
        font-weight: 700;
      }
      .top {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 0 1em;
        padding-bottom: max(2px, 0.5vmin);
        margin-bottom: max(6px, 1vmin);
        border-bottom: 3px solid #000;
      }
      .top .what {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0 1em;
        min-width: 0;
      }
      .top p {
        margin: 0;
        font-weight: 700;
      }
      /* The join corner: latecomers join all game long. */
      .corner {
        flex: none;
        display: flex;
        align-items: center;
        gap: 0.5em;
      }
      .corner pg-qr-code {
        width: max(56px, 8vmin);
      }
      .corner p {
        margin: 0;
        line-height: 1.15;
      }
      .corner .join-code {
        font-size: max(24px, 3.6vmin);
        font-weight: 800;
        letter-spacing: 0.08em;
        font-variant-numeric: tabular-nums;
      }
      /* Positioned: what is only for screen readers (absolutely placed) stays inside it. */
      .screen {
        position: relative;
        min-height: 0;
        overflow: auto;
      }
      .screen > * {
        height: 100%;
      }
      /*
       * An open question's answers, folded in the bottom corner: unfolded, a panel over the screen's
       * corner that scrolls, so that the cloud keeps its place and size.
       */
      .screen > .answers {
        position: absolute;
        right: 0;
        bottom: 0;
        height: auto;
        max-width: min(32em, 100%);
        max-height: 70%;
        overflow: auto;
        font-size: max(14px, 1.8vmin);
        background: #fff;
      }
      .answers[open] {
        width: 32em;
        padding: 0 0.75em 0.5em;
        border: 2px solid #000;
        border-radius: 8px;
      }
      .answers summary {
        cursor: pointer;
        padding: 0.5em 0.75em;
        text-align: end;
      }
      .answers[open] summary {
        position: sticky;
        top: 0;
        background: #fff;
      }
      /* Between questions and at the end: one thing, big and centred. */
      .moment {
        display: flex;
        flex-direction: column;
        align-items: center;
        justify-content: center;
        gap: max(8px, 2vmin);
        text-align: center;
      }
      .moment h2 {
        font-size: var(--pj-title);
        margin: 0;
      }
      .ranking pg-live-ranking {
        width: min(100%, 34em);
        font-size: max(24px, 4.6vmin);
        text-align: start;
      }
      .with-teams .boards {
        display: flex;
        flex-wrap: wrap;
        justify-content: center;
        align-items: flex-start;
        gap: max(12px, 3vmin);
        width: 100%;
      }
      .with-teams pg-live-teams,
      .with-teams pg-live-ranking {
        width: min(100%, 24em);
        font-size: max(20px, 3.4vmin);
        text-align: start;
      }
      .moment h3 {
        margin: 0;
        font-size: max(20px, 3.4vmin);
      }
      .with-teams .boards > div {
        flex: 1 1 20em;
        max-width: 32em;
      }
      .final.with-teams pg-live-podium {
        width: 100%;
        font-size: max(16px, 3vmin);
        margin-top: 0;
      }
      .final pg-live-podium {
        width: min(100%, 50em);
        font-size: max(26px, 4.6vmin);
        margin-top: max(12px, 3vmin);
      }
      .final .after {
        margin: 0;
      }
      .status {
        font-size: var(--pj-title);
        font-weight: 700;
        align-self: center;
        text-align: center;
        margin: auto;
      }
      .error {
        margin: 0.2em 0 0;
      }
      /* The teacher's strip: slim, below the game; every control a 44 px target at least. */
      .strip {
        display: flex;
        flex-wrap: wrap;
        gap: max(6px, 0.8vmin);
        align-items: center;
        margin-top: max(6px, 1vmin);
        padding: max(6px, 0.8vmin) 0;
        border-top: 2px solid #000;
      }
      .strip button,
      .strip .button {
        font-size: 1em;
        min-height: 44px;
        min-width: 44px;
        padding: 0.1em 0.45em;
      }
      .strip .end {
        margin-inline-start: auto;
      }
      .strip .icon svg {
        width: 1em;
        height: 1em;
        fill: none;
        stroke: currentColor;
        stroke-width: 3;
      }
      /* The keys are shown where the strip has room for them; they work everywhere. */
      @media (max-width: 1279px) {
        kbd {
          display: none;
        }
      }
      kbd {
        font: inherit;
        font-weight: 700;
        border: 1px solid currentColor;
        border-radius: 0.25em;
        padding: 0 0.3em;
        margin-inline-start: 0.2em;
      }
      /* The sound switch: a knob that moves, and aria-pressed for screen readers. */
      .switch {
        display: inline-block;
        width: 1.8em;
        height: 1em;
        border: 2px solid currentColor;
        border-radius: 999px;
        position: relative;
      }
      .switch::after {
        content: '';
        position: absolute;
        top: 0.1em;
        left: 0.12em;
        width: 0.62em;
        height: 0.62em;
        border-radius: 50%;
        background: currentColor;
        opacity: 0.45;
      }
      [aria-pressed='true'] .switch::after {
        left: auto;
        right: 0.12em;
        opacity: 1;
      }
      dialog {
        border: 3px solid #000;
        border-radius: var(--pg-radius);
        padding: 1em 1.25em;
        max-width: min(30em, calc(100vw - 2rem));
        font-size: var(--pj-body);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.6);
      }
    `,
  ];

  /** The session id from the address. */
  @property({ attribute: 'session-id' }) sessionId = '';

  private readonly i18n = new LangController(this);
  /** Where phones reach this server (the laptop's school-network address in a classroom). */
  private readonly origin = new PublicOrigin(this);
  private readonly game = new LiveGameController(this, {
    onMessage: (msg) => this.onMessage(msg),
    onOver: (over) => (this.stop = screenStop(over)),
  });
  /** Sends a command once per phase and holds the controls until the server answers. */
  private readonly commands = new HostCommands(this, this.game);
  @state() private stop: ScreenStop | null = null;
  @state() private code = '';
  @state() private sessionTitle = '';
  @state() private fullScreen = false;
  @query('dialog') private dialog!: HTMLDialogElement | null;
  /** The countdown ticks aloud (remembered on this device; off until the teacher turns it on). */
  @state() private sound = soundWanted();
  /** The teacher showed (true) or hid (false) the control strip with H; null: hidden while a remote is connected. */
  @state() private stripChoice: boolean | null = null;
  /** The answer count as screen readers hear it (throttled, see {@link ANNOUNCE_EVERY_MS}). */
  @state() private announced = '';
  private announcedAt = 0;
  private announceTimer: ReturnType<typeof setTimeout> | undefined;
  private screen = '';

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.onKey);
    document.addEventListener('fullscreenchange', this.onFullScreen);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('keydown', this.onKey);
    document.removeEventListener('fullscreenchange', this.onFullScreen);
    clearTimeout(this.announceTimer);
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('sessionId')) void this.open(this.sessionId);
  }

  /** Gets in (key or owner's cookie) and connects; the API also gives the join code and title. */
  private async open(id: string): Promise<void> {
    this.stop = null;
    const opened = await openScreen(id, 'projector', this.game, () => this.sessionId);
    if (opened) [this.code, this.sessionTitle, this.stop] = [opened.code, opened.title, opened.stop];
  }

  private onMessage(msg: ServerMessage): void {
    if (msg.type === 'question') remember(`host:${this.sessionId}`, { question: msg.question });
    this.commands.heard(msg);
    if (msg.type === 'answerCount') this.announce(liveStrings().answered(msg.answered, msg.expected));
    if (msg.type === 'question' && msg.question.id !== this.game.state.answerCount?.questionId) this.announce('');
  }

  /** Updates the screen readers' answer count now, or when {@link ANNOUNCE_EVERY_MS} has passed since the last. */
  private announce(text: string): void {
    clearTimeout(this.announceTimer);
    const wait = this.announcedAt + ANNOUNCE_EVERY_MS - performance.now();
    const say = () => {
      this.announced = text;
      this.announcedAt = performance.now();
    };
    if (text === '' || wait <= 0) say();
    else this.announceTimer = setTimeout(say, wait);
  }

  /** A second of the countdown went by: with sound on, a tick in the last seconds and a tone at zero. */
  private readonly onSecond = (e: CustomEvent<number>): void => {
    if (!this.sound || this.game.state.paused) return;
    if (e.detail === 0) timeUp();
    else if (e.detail <= WARN_SECONDS) tick(e.detail);
  };

  /** Whether the control strip shows: the teacher's choice (H), else hidden while a phone remote is connected. */
  private get stripShown(): boolean {
    return this.stripChoice ?? !((this.game.state.hosts?.remotes ?? 0) > 0);
  }

  /** True while a command sent in the current phase has not been answered. */
  private get waiting(): boolean {
    return this.commands.waiting;
  }

  private get notSent(): boolean {
    return this.commands.notSent;
  }

  private send(msg: HostMessage): void {
    this.commands.send(msg);
  }

  /** Runs a control: the same for a button and its key. */
  private act(action: Action | 'end'): void {
    // Any control is a user gesture: the moment a browser lets a page's sound start.
    if (this.sound) unlockSound();
    switch (action) {
      case 'end':
        this.dialog?.showModal();
        return;
      case 'fullscreen':
        if (document.fullscreenElement) void document.exitFullscreen();
        else void document.documentElement.requestFullscreen?.().catch(() => undefined);
        return;
      case 'sound':
        this.sound = !this.sound;
        rememberSound(this.sound);
        if (this.sound) unlockSound();
        return;
      case 'strip':
        this.stripChoice = !this.stripShown;
        return;
      default:
        this.commands.act(action);
    }
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    if (
      e.defaultPrevented ||
      e.isComposing ||
      e.ctrlKey ||
      e.metaKey ||
      e.altKey ||
      e.repeat ||
      this.dialog?.open ||
      this.stop
    )
      return;
    const action = KEYS[e.key.toLowerCase()];
    if (!action) return;
    const target = e.composedPath()[0];
    if (target instanceof HTMLElement) {
      // Typing, or Space/Enter on a focused control: the control's own action, not ours.
      if (target.closest('input, textarea, select, [contenteditable]')) return;
      if (action === 'next' && (e.key === ' ' || e.key === 'Enter') && target.closest('button, a, summary')) return;
    }
    e.preventDefault();
    this.act(action);
  };

  private readonly onFullScreen = (): void => {
    this.fullScreen = document.fullscreenElement !== null;
  };

  private confirmEnd(): void {
    this.dialog?.close();
    this.send({ type: 'end' });
  }

  /** Focus follows a new screen only when the control that had it is gone (focus fell to the page). */
  protected override updated(): void {
    const s = this.game.state;
    const key = `${s.phase}:${s.position}`;
    if (key === this.screen) return;
    this.screen = key;
    if (document.activeElement === document.body) this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }

  // Screens -------------------------------------------------------------------------------------

  private stage(s: GameState): TemplateResult {
    const ls = liveStrings();
    const lang = s.session?.lang ?? 'both';
    switch (s.phase) {
      case null:
        return html`<p class="status" role="status">${ls.connecting}</p>`;
      case 'lobby':
        return html`<pg-live-lobby
          code=${this.code}
          teams=${s.session?.teams ?? 0}
          .players=${s.players}
        ></pg-live-lobby>`;
      case 'question': {
        const q = openQuestion(s);
        if (s.skipped || !q) return html`<p class="status" role="status">${s.skipped ? ls.skipped : ls.waiting}</p>`;
        const count = s.answerCount?.questionId === q.question.id ? s.answerCount : null;
        return html`<pg-live-stage
          .question=${q.question}
          .sessionLang=${lang}
          .limitMs=${q.limitMs}
          .remainingMs=${s.remainingMs}
          ?paused=${s.paused}
          .answered=${count}
          announced=${this.announced}
          .cloud=${cloudOf(s, q.question.id)}
          @pg-live-second=${this.onSecond}
        ></pg-live-stage>`;
      }
      case 'reveal': {
        const reveal = currentReveal(s);
        if (!reveal) return html`<p class="status" role="status">${ls.waiting}</p>`;
        const question =
          s.question?.question.id === reveal.questionId
            ? s.question.question
            : (recall(`host:${this.sessionId}`, reveal.questionId)?.question ?? null);
        return html`<pg-live-reveal
          .reveal=${reveal}
          .question=${question}
          .sessionLang=${lang}
          .cloud=${cloudOf(s, reveal.questionId)}
        ></pg-live-reveal>`;
      }
      case 'leaderboard': {
        // In team mode the teams come first, the top students beside them, both smaller to fit.
        const teams = s.leaderboard?.teams ?? [];
        return html`<section class="moment ranking ${teams.length ? 'with-teams' : ''}" aria-labelledby="top">
          ${teams.length
            ? html`<h2 id="top" tabindex="-1">${ls.teams}</h2>
                <div class="boards">
                  <pg-live-teams .teams=${teams} caption=${ls.teams}></pg-live-teams>
                  <div>
                    <h3>${ls.top}</h3>
                    <pg-live-ranking .rows=${s.leaderboard?.top ?? []} caption=${ls.top} show-change></pg-live-ranking>
                  </div>
                </div>`
            : html`<h2 id="top" tabindex="-1">${ls.top}</h2>
                <pg-live-ranking .rows=${s.leaderboard?.top ?? []} caption=${ls.top} show-change></pg-live-ranking>`}
        </section>`;
      }
      case 'ended': {
        // The podium only: the class does not see who came last (the full ranking is in the report).
        // In team mode the team podium comes first, the students' beside it, both smaller to fit.
        const teams = s.final?.teams ?? [];
        return html`<section class="moment final ${teams.length ? 'with-teams' : ''}" aria-labelledby="podium">
          ${teams.length
            ? html`<h2 id="podium" tabindex="-1">${ls.teamPodium}</h2>
                <div class="boards">
                  <pg-live-teams .teams=${teams} caption=${ls.teamPodium}></pg-live-teams>
                  <div>
                    <h3>${ls.podium}</h3>
                    <pg-live-podium .podium=${s.final?.podium ?? []}></pg-live-podium>
                  </div>
                </div>`
            : html`<h2 id="podium" tabindex="-1">${ls.podium}</h2>
                <pg-live-podium .podium=${s.final?.podium ?? []}></pg-live-podium>`}
        </section>`;
      }
    }
  }

  /** The join code and a small QR code, in the top corner all game long (the lobby shows them big). */
  private corner(s: GameState): TemplateResult | typeof nothing {
    if (!this.code || s.phase === 'lobby' || s.phase === 'ended' || s.phase === null) return nothing;
    const t = strings();
    const ls = liveStrings();
    const url = `${this.origin.value}/join/${this.code}`;
    return html`<div class="corner" role="group" aria-label=${t.joinTitle}>
      <pg-qr-code .text=${url} label=${ls.qrLabel(url)}></pg-qr-code>
      <div>
        <p>${new URL(url).host}/join</p>
        <p><span class="sr-only">${t.codeLabel} </span><span class="join-code">${this.code}</span></p>
      </div>
    </div>`;
  }

  private button(
    label: string,
    action: Action | 'end',
    shortcut: string,
    cls = 'secondary',
    shown = shortcut,
  ): TemplateResult {
    const local = action === 'fullscreen' || action === 'strip';
    const off = !local && (this.game.connection !== 'open' || this.waiting);
    return html`<button
      type="button"
      class=${cls}
      ?disabled=${off}
      aria-keyshortcuts=${shortcut || nothing}
      @click=${() => this.act(action)}
    >
      ${label}${shown ? html`<kbd aria-hidden="true">${shown}</kbd>` : nothing}
    </button>`;
  }

  /** The interface language switch (the projector has no app header: it is here and on the stopped screens). */
  private langToggle(): TemplateResult {
    const t = strings();
    return html`<button
      type="button"
      class="secondary"
      lang=${t.toggleLang}
      aria-label=${t.toggleLabel}
      @click=${() => setLang(lang() === 'zh' ? 'en' : 'zh')}
    >
      ${t.toggleText}
    </button>`;
  }

  /**
   * An open question's answers, folded away (the class reads this screen): unfolded, the teacher
   * hides one from the cloud here, as on the remote.
   */
  private openAnswers(s: GameState): TemplateResult | typeof nothing {
    const cloud = s.phase === 'question' || s.phase === 'reveal' ? s.cloud : null;
    if (!cloud || cloud.questionId !== s.question?.question.id) return nothing;
    void import('./pg-open-answers');
    return html`<details class="answers">
      <summary>${liveStrings().openAnswers} (${cloud.answered})</summary>
      <pg-open-answers .cloud=${cloud}></pg-open-answers>
    </details>`;
  }

  private controls(s: GameState): TemplateResult {
    const ls = liveStrings();
    const last = s.position !== null && s.session !== null && s.position + 1 >= s.session.questionCount;
    const next = (label: string) => this.button(label, 'next', 'Enter Space', 'primary', '␣');
    const main =
      s.phase === 'lobby'
        ? next(ls.start)
        : s.phase === 'question'
          ? html`${this.button(ls.reveal, 'reveal', 'R', 'primary')}
            ${this.button(s.paused ? ls.resume : ls.pause, 'pause', 'P')} ${this.button(ls.skip, 'skip', 'S')}`
          : s.phase === 'reveal'
            ? next(last ? ls.showPodium : ls.showLeaderboard)
            : s.phase === 'leaderboard'
              ? next(ls.nextQuestion)
              : html`<a class="button" href="/teach/${this.sessionId}/report" title=${ls.rankingElsewhere}
                    >${ls.report}</a
                  >
                  <a href="/teach/${this.sessionId}">${ls.sessionPage}</a>`;
    return html`<div class="strip" role="group" aria-label=${ls.controls} ?hidden=${!this.stripShown}>
      ${main} ${this.button(this.fullScreen ? ls.exitFullScreen : ls.fullScreen, 'fullscreen', 'F')}
      <button
        type="button"
        class="secondary"
        aria-pressed=${this.sound ? 'true' : 'false'}
        aria-keyshortcuts="M"
        @click=${() => this.act('sound')}
      >
        <span class="switch" aria-hidden="true"></span> ${ls.sound}<kbd aria-hidden="true">M</kbd>
      </button>
      ${this.langToggle()}
      <button
        type="button"
        class="secondary icon"
        aria-label=${ls.hideControls}
        title=${`${ls.hideControls} (H)`}
        aria-keyshortcuts="H"
        @click=${() => this.act('strip')}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 8l8 8 8-8" /></svg>
      </button>
      ${s.phase !== 'ended' && s.phase !== null
        ? html`<span class="end">${this.button(ls.end, 'end', '')}</span>`
        : nothing}
    </div>`;
  }

  private endDialog(): TemplateResult {
    const ls = liveStrings();
    return html`<dialog aria-labelledby="end-title" aria-describedby="end-text">
      <h2 id="end-title">${ls.endTitle}</h2>
      <p id="end-text">${ls.endText}</p>
      <p class="row">
        <button type="button" @click=${this.confirmEnd}>${ls.endYes}</button>
        <button type="button" class="secondary" autofocus @click=${() => this.dialog?.close()}>${ls.cancel}</button>
      </p>
    </dialog>`;
  }

  private stopped(stop: ScreenStop): TemplateResult {
    const s = strings();
    const ls = liveStrings();
    const text = stopText(stop);
    return html`<div class="stopped">
      <h1 tabindex="-1">${this.sessionTitle || s.dashboardTitle}</h1>
      <p class=${stop.kind === 'ended' ? '' : 'error'} role="alert">${text}</p>
      <p class="row">
        ${stop.kind === 'replaced'
          ? html`<button type="button" @click=${this.continueHere}>${ls.useHere}</button>`
          : nothing}
        ${stop.kind === 'ended'
          ? html`<a class="button" href="/teach/${this.sessionId}/report">${ls.report}</a>`
          : nothing}
        <a href="/teach/${this.sessionId}">${ls.sessionPage}</a>
        ${this.langToggle()}
      </p>
    </div>`;
  }

  private readonly continueHere = (): void => {
    this.stop = null;
    this.game.reconnect();
  };

  override render() {
    if (this.stop) return this.stopped(this.stop);
    const t = strings();
    const ls = liveStrings();
    const s = this.game.state;
    const total = s.session?.questionCount ?? 0;
    return html`<div class="game">
      ${connectionLine(this.game, false)}
      <header class="top">
        <div class="what">
          <h1 tabindex="-1">${s.session?.title ?? this.sessionTitle}</h1>
          ${s.position !== null && s.phase !== 'ended' ? html`<p>${t.progress(s.position + 1, total)}</p>` : nothing}
          <p>${ls.students(s.playerCount)}</p>
        </div>
        ${this.corner(s)}
      </header>
      <div class="screen" @pg-live-command=${(e: CustomEvent<HostMessage>) => this.send(e.detail)}>
        ${this.stage(s)} ${this.openAnswers(s)}
      </div>
      <p class="error" role="alert">
        ${this.notSent && this.game.connection !== 'open' ? ls.notConnected : s.error ? liveError(s.error.code) : ''}
      </p>
      ${this.controls(s)} ${this.endDialog()}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pg-live-host': PgLiveHost;
  }
}
